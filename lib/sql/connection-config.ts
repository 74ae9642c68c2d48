import type { config as MssqlConfig } from 'mssql';
import type { Server } from '@/lib/plan/schema';

/** A secret the executor needs to reach a server: never part of the plan, never stored. */
export type ServerSecret = { password: string } | undefined;

export type ConnectionConfigResult = { ok: true; config: MssqlConfig } | { ok: false; message: string };

/** Connection settings for `mssql` from a plan server and its secret. Pure, so it can be tested without a server. */
export function connectionConfig(
  server: Server,
  secret: ServerSecret,
  opts: { appName?: string; connectTimeoutMs?: number; platform?: NodeJS.Platform } = {},
): ConnectionConfigResult {
  const { connect, auth } = server;
  const base: MssqlConfig = {
    server: connect.host,
    ...(connect.port !== undefined ? { port: connect.port } : {}),
    connectionTimeout: opts.connectTimeoutMs ?? 15_000,
    requestTimeout: 60_000,
    pool: { min: 0, max: 4, idleTimeoutMillis: 30_000 },
    // mssql's default check sends `SELECT 1` before every request: one more round trip per batch over a WAN link.
    validateConnection: 'socket',
    options: {
      encrypt: connect.encrypt,
      trustServerCertificate: connect.trustServerCertificate,
      appName: opts.appName ?? 'pchat-hadr',
      enableArithAbort: true,
      // A fixed port wins over SQL Server Browser, as in SSMS's `host,port`.
      ...(connect.port === undefined && connect.instance ? { instanceName: connect.instance } : {}),
    },
  };
  switch (auth.mode) {
    case 'sql':
      if (!secret)
        return { ok: false, message: `A password for SQL login ${auth.login} on ${server.name} is needed.` };
      return { ok: true, config: { ...base, user: auth.login, password: secret.password } };
    case 'windows-ntlm':
      if (!secret)
        return {
          ok: false,
          message: `A password for ${auth.domain}\\${auth.user} on ${server.name} is needed.`,
        };
      return {
        ok: true,
        config: {
          ...base,
          authentication: {
            type: 'ntlm',
            options: { domain: auth.domain, userName: auth.user, password: secret.password },
          },
        },
      };
    case 'windows-integrated':
      // tedious speaks NTLM with explicit credentials only; the current Windows identity needs the msnodesqlv8 driver.
      return {
        ok: false,
        message: `Integrated Windows authentication to ${server.name} is not available from this host; choose NTLM with a domain account, or a SQL login.`,
      };
  }
}
