import { zodResolver } from '@hookform/resolvers/zod';
import type { FieldValues, Resolver } from 'react-hook-form';
import type { z } from 'zod';
import type { Locale } from '@/lib/i18n';
import { inLocale, zodParams } from '@/lib/i18n/validation';

/**
 * react-hook-form's zod resolver with every message in `locale`. In 'sync' mode the resolver parses before its first
 * await, so the whole parse runs inside `inLocale`; the test beside this file holds that to account.
 */
export function localizedResolver<S extends z.ZodType<FieldValues, FieldValues>>(
  schema: S,
  locale: Locale,
): Resolver<z.input<S>, unknown, z.output<S>> {
  // The resolver's overloads cannot follow a generic schema; the types are restated on `resolve`.
  const resolve: Resolver<z.input<S>, unknown, z.output<S>> = zodResolver(
    schema as never,
    zodParams(locale),
    {
      mode: 'sync',
    },
  ) as never;
  return (values, context, options) => inLocale(locale, () => resolve(values, context, options));
}
