'use server';

import { redirect } from 'next/navigation';
import { fieldErrorsOf } from '@/app/_lib/action-result';
import { listensOnLoopbackOnly } from '@/lib/auth/constants';
import { type AuthActionState, setupSchema } from '@/lib/auth/schema';
import { adminExists, createFirstAdmin, startSession } from '@/lib/auth/session';
import { catalogue, translator } from '@/lib/i18n';
import { getLocale } from '@/lib/i18n/server';
import { safeParseIn } from '@/lib/i18n/validation';

/** First start: creates the local administrator (hash only) and signs them in. */
export async function setupAction(_previous: AuthActionState, formData: FormData): Promise<AuthActionState> {
  if (await adminExists()) redirect('/login');
  const locale = await getLocale();
  const t = translator(catalogue(locale));
  const username = String(formData.get('username') ?? '');
  if (!listensOnLoopbackOnly(process.env.HOST)) {
    return { status: 'failed', message: t('setup.remote', { host: process.env.HOST ?? '' }), username };
  }
  const parsed = safeParseIn(locale, setupSchema, {
    username: username.trim() === '' ? undefined : username,
    password: formData.get('password') ?? '',
    confirm: formData.get('confirm') ?? '',
  });
  if (!parsed.success)
    return { status: 'invalid', fieldErrors: fieldErrorsOf(parsed.error.issues), username };
  if (!(await createFirstAdmin(parsed.data.username, parsed.data.password))) {
    return { status: 'failed', message: t('setup.exists'), username };
  }
  await startSession(parsed.data.username);
  redirect('/');
}
