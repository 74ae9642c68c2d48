import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

// The Next request APIs, replaced by a cookie jar and header map this test controls: the code under test is ours.
const jar = new Map<string, { value: string; options?: Record<string, unknown> }>();
const requestHeaders = new Map<string, string>();
vi.mock('next/headers', () => ({
  cookies: async () => ({
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)!.value } : undefined),
    set: (name: string, value: string, options?: Record<string, unknown>) =>
      jar.set(name, { value, options }),
    delete: (name: string) => jar.delete(name),
  }),
  headers: async () => ({ get: (name: string) => requestHeaders.get(name) ?? null }),
}));
class Redirect extends Error {
  constructor(readonly to: string) {
    super(`redirect ${to}`);
  }
}
vi.mock('next/navigation', () => ({
  redirect: (to: string) => {
    throw new Redirect(to);
  },
}));

const dir = mkdtempSync(path.join(tmpdir(), 'pchat-hadr-session-'));
process.env.PCHAT_HADR_DB = path.join(dir, 'store.sqlite');
delete process.env.PCHAT_HADR_ADMIN_PASSWORD;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const session = await import('./session');
const { sessionCookie } = await import('./constants');
const { sessionRegistry } = await import('./session-registry');

async function redirectOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    if (error instanceof Redirect) return error.to;
    throw error;
  }
}

beforeEach(() => {
  jar.clear();
  requestHeaders.clear();
  requestHeaders.set('x-forwarded-for', '10.1.2.3');
  requestHeaders.set('x-forwarded-proto', 'http');
});

describe('session (server side)', () => {
  it('sends every protected page to /setup until the first administrator exists', async () => {
    expect(await session.adminExists()).toBe(false);
    expect(await redirectOf(session.requireSession('/plans/1'))).toBe('/setup');
    expect((await session.signIn('admin', 'anything at all')).ok).toBe(false);
    expect(await session.createFirstAdmin('admin', 'the first password')).toBe(true);
    expect(await session.createFirstAdmin('intruder', 'a second password')).toBe(false);
  });

  it('sends a visitor without a session to /login with the page to come back to', async () => {
    expect(await redirectOf(session.requireSession('/plans/1/ship-primary'))).toBe(
      '/login?next=%2Fplans%2F1%2Fship-primary',
    );
    requestHeaders.set('x-pchat-hadr-path', '/plans/2?stage=verify');
    expect(await redirectOf(session.requireSession())).toBe('/login?next=%2Fplans%2F2%3Fstage%3Dverify');
    expect(await redirectOf(session.requireSession('https://evil.example/'))).toBe('/login');
    expect(await session.currentActor()).toBeUndefined();
  });

  it('signs in with a fresh session in an HttpOnly, SameSite=Strict cookie, and names the actor', async () => {
    jar.set(sessionCookie, { value: 'planted-by-someone-else' });
    const result = await session.signIn('admin', 'the first password');
    expect(result.ok).toBe(true);
    const cookie = jar.get(sessionCookie)!;
    expect(cookie.value).not.toBe('planted-by-someone-else');
    expect(cookie.options).toEqual({ httpOnly: true, sameSite: 'strict', path: '/', secure: false });
    expect((await session.requireSession('/x')).username).toBe('admin');
    expect(await session.currentActor()).toBe('admin');
  });

  it('marks the cookie Secure when the wizard is served over https', async () => {
    requestHeaders.set('x-forwarded-proto', 'https');
    await session.signIn('admin', 'the first password');
    expect(jar.get(sessionCookie)!.options).toMatchObject({ secure: true });
  });

  it('answers a wrong user name and a wrong password alike', async () => {
    expect(await session.signIn('root', 'the first password')).toEqual({
      ok: false,
      reason: 'wrong-credentials',
    });
    expect(await session.signIn('admin', 'not the password')).toEqual({
      ok: false,
      reason: 'wrong-credentials',
    });
    expect(jar.has(sessionCookie)).toBe(false);
  });

  it('makes a client wait after five failures, even when the sixth guess is right', async () => {
    requestHeaders.set('x-forwarded-for', '10.9.9.9');
    for (let i = 0; i < 5; i++) expect((await session.signIn('admin', `guess ${i}`)).ok).toBe(false);
    expect(await session.signIn('admin', 'the first password')).toEqual({
      ok: false,
      reason: 'throttled',
      retryAfterMinutes: 5,
    });
    requestHeaders.set('x-forwarded-for', '10.1.2.3');
    expect((await session.signIn('admin', 'the first password')).ok).toBe(true);
  });

  it('counts a burst of parallel guesses before checking any of them', async () => {
    requestHeaders.set('x-forwarded-for', '10.7.7.7');
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => session.signIn('admin', `parallel guess ${i}`)),
    );
    expect(results.filter((r) => !r.ok && r.reason === 'throttled')).toHaveLength(3);
  });

  it('signs out: the session, its SQL passwords and the cookie are gone', async () => {
    const signedIn = await session.signIn('admin', 'the first password');
    if (!signedIn.ok) throw new Error('sign-in failed');
    sessionRegistry().rememberSecret(signedIn.session.id, 'SQL01|sql:sa', 'sql password');
    await session.signOut();
    expect(jar.has(sessionCookie)).toBe(false);
    expect(sessionRegistry().get(signedIn.session.id)).toBeUndefined();
    expect(sessionRegistry().secret(signedIn.session.id, 'SQL01|sql:sa')).toBeUndefined();
    jar.set(sessionCookie, { value: signedIn.session.id });
    expect(await redirectOf(session.requireSession('/x'))).toBe('/login?next=%2Fx');
  });
});
