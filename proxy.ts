import { type NextRequest, NextResponse } from 'next/server';
import { isPublicPath, requestPathHeader, sessionCookie } from '@/lib/auth/constants';
import { sessionRegistry } from '@/lib/auth/session-registry';

/**
 * Signs-in gate in front of every page, route handler and server action except /login and /setup.
 *
 * Next 16 runs the proxy on Node.js in the server's own process (checked with `next start` on 16.4.6: it sees the
 * same globalThis as server components), so this is the real session check, not just a cookie-presence hint.
 * Server code still calls `requireSession()` itself: a matcher change must never silently open an action.
 */
export function proxy(request: NextRequest): NextResponse {
  const { pathname, search } = request.nextUrl;
  if (isPublicPath(pathname)) return NextResponse.next();

  if (sessionRegistry().get(request.cookies.get(sessionCookie)?.value)) {
    const headers = new Headers(request.headers);
    headers.set(requestPathHeader, `${pathname}${search}`);
    return NextResponse.next({ request: { headers } });
  }

  const login = new URL('/login', request.nextUrl);
  const asked = `${pathname}${search}`;
  if (asked !== '/') login.searchParams.set('next', asked);
  if (request.method === 'GET' || request.method === 'HEAD') return NextResponse.redirect(login, 307);
  if (request.headers.has('next-action')) {
    // A server action called from the page: a 3xx would be followed by fetch and rejected as "an unexpected response";
    // Next's client instead navigates to the location in `x-action-redirect` (as for an action's external redirect).
    return new NextResponse(null, {
      status: 401,
      headers: {
        'x-action-redirect': `${login.pathname}${login.search};replace`,
        'content-type': 'text/plain',
      },
    });
  }
  return NextResponse.redirect(login, 303);
}

export const config = {
  // Static build output and icons need no session; everything else goes through the gate.
  matcher: ['/((?!_next/static|_next/image|favicon\\.ico|robots\\.txt|icon\\.|apple-icon\\.).*)'],
};
