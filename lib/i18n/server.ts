import 'server-only';
import { cookies } from 'next/headers';
import {
  catalogue,
  defaultLocale,
  isLocale,
  type Locale,
  localeCookie,
  type Translate,
  translator,
} from './index';

/** The operator's language, from the cookie the language switch sets. */
export async function getLocale(): Promise<Locale> {
  const value = (await cookies()).get(localeCookie)?.value;
  return isLocale(value) ? value : defaultLocale;
}

/** The translate function for this request's language. */
export async function getTranslator(): Promise<Translate> {
  return translator(catalogue(await getLocale()));
}
