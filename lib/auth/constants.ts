/** Name of the cookie that carries the session id. */
export const sessionCookie = 'pchat-hadr-session';

/** Request header in which proxy.ts passes the requested path, so server code can send the operator back to it. */
export const requestPathHeader = 'x-pchat-hadr-path';

/** Pages anyone may open: signing in, and creating the first administrator. */
export const publicPaths = ['/login', '/setup'] as const;

/** Whether a path is reachable without a session. */
export function isPublicPath(pathname: string): boolean {
  return publicPaths.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}

/** Whether `HOST` keeps the wizard on this machine (unset means 127.0.0.1, as scripts/start.mjs binds). */
export function listensOnLoopbackOnly(host: string | undefined): boolean {
  if (!host) return true;
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Environment variables as the auth code reads them: `process.env`, or a plain object in tests. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Prefix of the SQL passwords form's fields, followed by the vault key. */
export const secretFieldPrefix = 'secret:';
