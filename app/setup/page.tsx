import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { listensOnLoopbackOnly } from '@/lib/auth/constants';
import { adminExists } from '@/lib/auth/session';
import { getTranslator } from '@/lib/i18n/server';
import { SetupForm } from './_components/setup-form';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Create the administrator · pchat-hadr' };

export default async function SetupPage() {
  if (await adminExists()) redirect('/login');
  const t = await getTranslator();
  const host = process.env.HOST;
  return (
    <section
      aria-labelledby="setup-title"
      className="mx-auto max-w-md space-y-4 rounded border border-slate-300 bg-white p-6"
    >
      <h1 id="setup-title" className="text-2xl font-bold">
        {t('setup.title')}
      </h1>
      {listensOnLoopbackOnly(host) ? (
        <>
          <p className="text-slate-700">{t('setup.intro')}</p>
          <SetupForm
            text={{
              username: t('setup.username'),
              usernameHint: t('setup.usernameHint'),
              password: t('setup.password'),
              passwordHint: t('setup.passwordHint'),
              confirm: t('setup.confirm'),
              submit: t('setup.submit'),
              pending: t('setup.pending'),
            }}
          />
        </>
      ) : (
        <p role="alert" className="rounded border border-amber-700 bg-amber-50 px-3 py-2 text-amber-950">
          {t('setup.remote', { host: host ?? '' })}
        </p>
      )}
    </section>
  );
}
