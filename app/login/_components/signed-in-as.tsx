import { getSession } from '@/lib/auth/session';
import { getTranslator } from '@/lib/i18n/server';
import { signOutAction } from '../actions';

/** Header element: who is signed in, and a sign-out button (a form, so it works without JavaScript). */
export async function SignedInAs() {
  const session = await getSession();
  if (!session) return null;
  const t = await getTranslator();
  return (
    <form action={signOutAction} className="flex items-center gap-3 text-sm">
      <span className="text-slate-700">{t('session.signedInAs', { user: session.username })}</span>
      <button
        type="submit"
        className="rounded border border-slate-400 bg-white px-2 py-1 font-medium text-slate-900 hover:bg-slate-100 focus:outline-2 focus:outline-offset-1 focus:outline-blue-700"
      >
        {t('session.signOut')}
      </button>
    </form>
  );
}
