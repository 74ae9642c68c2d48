'use client';

import { createContext, useContext, useMemo } from 'react';
import { type Locale, type Messages, type Translate, translator } from '@/lib/i18n';

const I18nContext = createContext<{ locale: Locale; t: Translate } | null>(null);

/** Gives client components the operator's language, chosen on the server from the cookie. */
export function I18nProvider({
  locale,
  messages,
  children,
}: {
  locale: Locale;
  messages: Messages;
  children: React.ReactNode;
}) {
  const value = useMemo(() => ({ locale, t: translator(messages) }), [locale, messages]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The operator's language, for what picks its texts itself (the forms' validation messages). */
export function useLocale(): Locale {
  const context = useContext(I18nContext);
  if (!context) throw new Error('useLocale() needs an <I18nProvider> above it.');
  return context.locale;
}

export function useT(): Translate {
  const context = useContext(I18nContext);
  if (!context) throw new Error('useT() needs an <I18nProvider> above it.');
  return context.t;
}
