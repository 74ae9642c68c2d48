import { en, type MessageKey } from './en';
import { fr } from './fr';

export type { MessageKey } from './en';
export type Messages = Record<MessageKey, string>;

export const locales = ['en', 'fr'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'en';
/** Cookie that remembers the operator's language. */
export const localeCookie = 'pchat-hadr-locale';

const catalogues: Record<Locale, Messages> = { en, fr };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/** The message catalogue of a locale. */
export function catalogue(locale: Locale): Messages {
  return catalogues[locale];
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** A translate function over a catalogue: `{name}` placeholders are replaced from `vars`, unknown ones kept. */
export function translator(messages: Messages): Translate {
  return (key, vars) => {
    const text = messages[key];
    if (!vars) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
  };
}
