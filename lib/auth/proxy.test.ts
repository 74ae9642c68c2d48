import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { config, proxy } from '@/proxy';
import { requestPathHeader, sessionCookie } from './constants';
import { sessionRegistry } from './session-registry';

const origin = 'http://127.0.0.1:3000';
function request(
  path: string,
  init: { method?: string; cookie?: string; headers?: Record<string, string> } = {},
) {
  const headers = new Headers(init.headers);
  if (init.cookie !== undefined) headers.set('cookie', `${sessionCookie}=${init.cookie}`);
  return new NextRequest(new URL(path, origin), { method: init.method ?? 'GET', headers });
}

describe('proxy', () => {
  it('sends a visitor without a session to the sign-in page, remembering where they were going', () => {
    const res = proxy(request('/plans/3/ship-primary?tab=review'));
    expect(res.status).toBe(307);
    const to = new URL(res.headers.get('location')!);
    expect(to.pathname).toBe('/login');
    expect(to.searchParams.get('next')).toBe('/plans/3/ship-primary?tab=review');
  });

  it('treats a made-up or ended session id like no session', () => {
    // NextURL spells 127.0.0.1 as localhost; Next's adapter turns a same-host Location into a relative one anyway.
    const location = new URL(proxy(request('/', { cookie: 'forged' })).headers.get('location')!);
    expect(`${location.pathname}${location.search}`).toBe('/login');
    const withQuery = new URL(proxy(request('/?plan=3')).headers.get('location')!);
    expect(withQuery.searchParams.get('next')).toBe('/?plan=3');
    const s = sessionRegistry().create('admin');
    sessionRegistry().delete(s.id);
    expect(proxy(request('/plans', { cookie: s.id })).status).toBe(307);
  });

  it('lets a live session through and tells server code which page was asked for', () => {
    const s = sessionRegistry().create('admin');
    const res = proxy(request('/plans/3?x=1', { cookie: s.id }));
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('x-middleware-override-headers')).toContain(requestPathHeader);
    expect(res.headers.get(`x-middleware-request-${requestPathHeader}`)).toBe('/plans/3?x=1');
  });

  it('refuses a server action without a session, with a redirect Next’s client follows', () => {
    const res = proxy(
      request('/plans/3/ship-primary', { method: 'POST', headers: { 'next-action': 'abc123' } }),
    );
    expect(res.status).toBe(401);
    expect(res.headers.get('x-action-redirect')).toBe('/login?next=%2Fplans%2F3%2Fship-primary;replace');
  });

  it('redirects a plain form post without a session with 303, so the browser fetches the sign-in page', () => {
    expect(proxy(request('/plans', { method: 'POST' })).status).toBe(303);
  });

  it('leaves the sign-in and setup pages open, and their actions', () => {
    for (const path of ['/login', '/login?next=/plans', '/setup']) {
      expect(proxy(request(path)).headers.get('location')).toBeNull();
    }
    expect(proxy(request('/login', { method: 'POST', headers: { 'next-action': 'x' } })).status).toBe(200);
    expect(proxy(request('/loginx')).status).toBe(307);
  });

  it('matches pages but not the static build output', () => {
    const matcher = new RegExp(`^${config.matcher[0]}$`);
    expect(matcher.test('/plans/3')).toBe(true);
    expect(matcher.test('/')).toBe(true);
    expect(matcher.test('/_next/static/chunks/app.js')).toBe(false);
    expect(matcher.test('/favicon.ico')).toBe(false);
  });
});
