import 'server-only';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { adminAccounts } from './admin';
import { requestPathHeader, sessionCookie } from './constants';
import { LoginThrottle } from './rate-limit';
import { safeNextPath } from './schema';
import { type SessionInfo, sessionRegistry } from './session-registry';

export type { SessionInfo } from './session-registry';
export { sessionCookie } from './constants';

const globalForThrottle = globalThis as unknown as { pchatHadrLoginThrottle?: LoginThrottle };
function throttle(): LoginThrottle {
  globalForThrottle.pchatHadrLoginThrottle ??= new LoginThrottle();
  return globalForThrottle.pchatHadrLoginThrottle;
}

/** The administrator store, with every session ended if the environment replaced the password at start. */
function accounts() {
  return adminAccounts(() => sessionRegistry().clear());
}

/** Whether first-start setup is done (an administrator exists, from the setup page or the environment). */
export async function adminExists(): Promise<boolean> {
  return (await accounts()).exists();
}

/** The signed-in operator's session for this request, or undefined. */
export async function getSession(): Promise<SessionInfo | undefined> {
  const id = (await cookies()).get(sessionCookie)?.value;
  return sessionRegistry().get(id);
}

/** The signed-in user name, for the record of a run; undefined when nobody is signed in. */
export async function currentActor(): Promise<string | undefined> {
  return (await getSession())?.username;
}

/** The page this request is for, as proxy.ts passed it; `/` when unknown. */
async function requestPath(): Promise<string> {
  return safeNextPath((await headers()).get(requestPathHeader) ?? '/');
}

/**
 * The session, or a redirect: to `/setup` before the first administrator exists, else to `/login?next=…`.
 * Call it first in every page and server action that reads plans or changes anything.
 */
export async function requireSession(nextPath?: string): Promise<SessionInfo> {
  if (!(await adminExists())) redirect('/setup');
  const session = await getSession();
  if (!session) {
    const next = nextPath !== undefined ? safeNextPath(nextPath) : await requestPath();
    redirect(next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`);
  }
  return session;
}

async function clientAddress(): Promise<string> {
  const forwarded = (await headers()).get('x-forwarded-for');
  return forwarded?.split(',')[0]?.trim() || 'unknown';
}

async function setSessionCookie(id: string): Promise<void> {
  const secure = (await headers()).get('x-forwarded-proto') === 'https';
  // No Max-Age: the browser drops it when closed; the server ends it after 8 h idle or at restart anyway.
  (await cookies()).set(sessionCookie, id, { httpOnly: true, sameSite: 'strict', path: '/', secure });
}

/** A failed sign-in says only "wrong" (never which part) or how long to wait. */
export type SignInResult =
  | { ok: true; session: SessionInfo }
  | { ok: false; reason: 'wrong-credentials' }
  | { ok: false; reason: 'throttled'; retryAfterMinutes: number };

/** Checks the credentials (rate-limited per user name and address) and starts a fresh session with its cookie. */
export async function signIn(username: string, password: string): Promise<SignInResult> {
  const client = await clientAddress();
  const decision = throttle().attempt(username, client);
  if (!decision.allowed) {
    return {
      ok: false,
      reason: 'throttled',
      retryAfterMinutes: Math.max(1, Math.ceil(decision.retryAfterMs / 60_000)),
    };
  }
  const admin = await accounts();
  if (!(await admin.verify(username, password))) return { ok: false, reason: 'wrong-credentials' };
  throttle().succeed(username, client);
  return { ok: true, session: await startSession(admin.get()!.username) };
}

/** Creates the first administrator from the setup page; false when one exists already (two visitors racing). */
export async function createFirstAdmin(username: string, password: string): Promise<boolean> {
  return (await accounts()).create(username, password);
}

/** Starts a session for a user already proven (sign-in, or the setup that just created the account). */
export async function startSession(username: string): Promise<SessionInfo> {
  const jar = await cookies();
  // A new id at every sign-in: an id planted before sign-in (session fixation) is never promoted.
  sessionRegistry().delete(jar.get(sessionCookie)?.value);
  const session = sessionRegistry().create(username);
  await setSessionCookie(session.id);
  return session;
}

/** Ends this request's session, forgetting its SQL passwords, and removes the cookie. */
export async function signOut(): Promise<void> {
  const jar = await cookies();
  sessionRegistry().delete(jar.get(sessionCookie)?.value);
  jar.delete(sessionCookie);
}
