'use server';

import { getTranslator } from '@/lib/i18n/server';
import { secretFieldPrefix } from './constants';
import { getSession } from './session';
import { rememberSecret } from './vault';

/** What the SQL passwords form answers; it never carries a password back. */
export type SqlPasswordsState =
  | { status: 'idle' }
  | { status: 'saved'; message: string; keys: string[] }
  | { status: 'failed'; message: string };

/** Holds the typed SQL passwords in this session's memory; empty fields keep what was there. */
export async function rememberSqlPasswords(
  _previous: SqlPasswordsState,
  formData: FormData,
): Promise<SqlPasswordsState> {
  const t = await getTranslator();
  const session = await getSession();
  if (!session) return { status: 'failed', message: t('secrets.signedOut') };
  const keys: string[] = [];
  for (const [name, value] of formData.entries()) {
    if (!name.startsWith(secretFieldPrefix) || typeof value !== 'string' || value === '') continue;
    const key = name.slice(secretFieldPrefix.length);
    // Keys come from the page; a made-up one only fills this operator's own vault, so bound its size and move on.
    if (key.length > 600 || value.length > 1024) continue;
    if (!rememberSecret(session.id, key, value)) return { status: 'failed', message: t('secrets.signedOut') };
    keys.push(key);
  }
  if (keys.length === 0) return { status: 'failed', message: t('secrets.nothing') };
  return { status: 'saved', message: t('secrets.saved', { count: keys.length }), keys };
}
