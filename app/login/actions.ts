'use server';

import { redirect } from 'next/navigation';
import { fieldErrorsOf } from '@/app/_lib/action-result';
import { type AuthActionState, safeNextPath, signInSchema } from '@/lib/auth/schema';
import { adminExists, signIn, signOut } from '@/lib/auth/session';
import { catalogue, translator } from '@/lib/i18n';
import { getLocale } from '@/lib/i18n/server';
import { safeParseIn } from '@/lib/i18n/validation';

/** Signs the administrator in and returns to the page that asked (same-site paths only). */
export async function signInAction(_previous: AuthActionState, formData: FormData): Promise<AuthActionState> {
  const username = String(formData.get('username') ?? '');
  const locale = await getLocale();
  const parsed = safeParseIn(locale, signInSchema, { username, password: formData.get('password') ?? '' });
  if (!parsed.success)
    return { status: 'invalid', fieldErrors: fieldErrorsOf(parsed.error.issues), username };
  if (!(await adminExists())) redirect('/setup');
  const result = await signIn(parsed.data.username, parsed.data.password);
  if (!result.ok) {
    const t = translator(catalogue(locale));
    const message =
      result.reason === 'throttled'
        ? t('login.throttled', { minutes: result.retryAfterMinutes })
        : t('login.wrong');
    return { status: 'failed', message, username };
  }
  redirect(safeNextPath(formData.get('next')));
}

/** Ends the session (forgetting its SQL passwords) and shows the sign-in page. */
export async function signOutAction(): Promise<void> {
  await signOut();
  redirect('/login');
}
