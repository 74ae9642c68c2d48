import type { Metadata } from 'next';
import Link from 'next/link';
import { I18nProvider } from '@/components/i18n-provider';
import { LanguageSwitch } from '@/components/language-switch';
import { SignedInAs } from '@/app/login/_components/signed-in-as';
import { catalogue } from '@/lib/i18n';
import { getLocale } from '@/lib/i18n/server';
import './globals.css';

export const metadata: Metadata = {
  title: 'pchat-hadr',
  description:
    'Sets up HA/DR (mirroring and log shipping) for the Skype for Business Server 2015 Persistent Chat database.',
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const locale = await getLocale();
  const messages = catalogue(locale);
  return (
    <html lang={locale}>
      <body className="min-h-screen">
        <I18nProvider locale={locale} messages={messages}>
          <a
            href="#main"
            className="sr-only rounded bg-white px-3 py-2 font-semibold text-blue-900 focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50"
          >
            {messages['app.skip']}
          </a>
          <header className="border-b border-slate-300 bg-white">
            <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-4 px-4 py-3">
              <p>
                <Link href="/" className="text-lg font-bold text-slate-900 hover:underline">
                  {messages['app.title']}
                </Link>
                <span className="ml-3 text-sm text-slate-600">{messages['app.tagline']}</span>
              </p>
              <div className="flex flex-wrap items-center gap-4">
                <SignedInAs />
                <LanguageSwitch locale={locale} messages={messages} />
              </div>
            </div>
          </header>
          <main id="main" tabIndex={-1} className="mx-auto max-w-7xl px-4 py-6 focus:outline-none">
            {children}
          </main>
        </I18nProvider>
      </body>
    </html>
  );
}
