import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { safeNextPath } from '@/lib/auth/schema';
import { adminExists, getSession } from '@/lib/auth/session';
import { getTranslator } from '@/lib/i18n/server';
import { LoginForm } from './_components/login-form';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign in · pchat-hadr' };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[] }>;
}) {
  if (!(await adminExists())) redirect('/setup');
  const { next: raw } = await searchParams;
  const next = safeNextPath(Array.isArray(raw) ? raw[0] : raw);
  if (await getSession()) redirect(next);
  const t = await getTranslator();
  return (
    <section
      aria-labelledby="login-title"
      className="mx-auto max-w-md space-y-4 rounded border border-slate-300 bg-white p-6"
    >
      <h1 id="login-title" className="text-2xl font-bold">
        {t('login.title')}
      </h1>
      <p className="text-slate-700">{t('login.intro')}</p>
      <LoginForm
        next={next}
        text={{
          username: t('login.username'),
          password: t('login.password'),
          submit: t('login.submit'),
          pending: t('login.pending'),
        }}
      />
      <p className="text-sm text-slate-600">{t('login.restartNote')}</p>
    </section>
  );
}
