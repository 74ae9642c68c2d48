import type { z } from 'zod';
import { fr as zodFrench } from 'zod/locales';
import { catalogue, defaultLocale, type Locale, type MessageKey, translator } from './index';

// Schemas are built once at module load, but an operator reads their messages in the language of the request. So a
// schema's messages are functions that zod calls when it raises the issue, and they read the language of the parse
// in progress. A synchronous parse and the reading of its error happen before anything else runs, so no other parse
// can interleave.

let active: Locale = defaultLocale;

/** A field's name as messages quote it: one of the catalogue's `field.*` keys. */
export type FieldName = Extract<MessageKey, `field.${string}`>;

type Vars = { what?: FieldName } & Record<string, string | number>;

/** A validation message in `locale`; `what` names the field in that language too. */
export function sayIn(locale: Locale, key: MessageKey, vars: Vars = {}): string {
  const t = translator(catalogue(locale));
  const { what, ...rest } = vars;
  return t(key, what === undefined ? rest : { ...rest, what: t(what) });
}

/** A validation message in the language of the parse in progress. */
export const sayNow = (key: MessageKey, vars?: Vars): string => sayIn(active, key, vars);

/** A zod `error` option whose text is chosen when the issue is raised, in the parse's language. */
export const says = (key: MessageKey, vars?: Vars) => (): string => sayNow(key, vars);

/** Runs `parse` (synchronous) with every message it raises in `locale`. */
export function inLocale<T>(locale: Locale, parse: () => T): T {
  const previous = active;
  active = locale;
  try {
    return parse();
  } finally {
    active = previous;
  }
}

// zod's own texts, for the few issues a schema does not word itself (an unknown discriminator in a hand-edited file).
const zodMessages: Record<Locale, z.core.$ZodErrorMap | undefined> = {
  en: undefined,
  fr: zodFrench().localeError,
};

/** The per-parse options that give zod's own texts in `locale`. */
export function zodParams(locale: Locale): { error?: z.core.$ZodErrorMap } {
  const error = zodMessages[locale];
  return error ? { error } : {};
}

/** `schema.safeParse` with every message in `locale`. */
export function safeParseIn<S extends z.ZodType>(
  locale: Locale,
  schema: S,
  value: unknown,
): z.ZodSafeParseResult<z.output<S>> {
  return inLocale(locale, () => {
    const result = schema.safeParse(value, zodParams(locale));
    // zod words the issues when `error` is first read; read it here, while the language is the operator's.
    if (!result.success) void result.error;
    return result;
  });
}
