// Shared set-up for the TDS tests: a TdsServer over the test engine, TLS on, and mssql pools against it.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sql from 'mssql';
import { loadOrCreateCertificate } from './certificate';
import { TdsServer, type TdsServerOptions } from './server';
import { TestEngine } from './test-engine';
import { createTdsSecureContext } from './tls-in-prelogin';

export const SA_PASSWORD = 'Lab-Secret-1';
export const DOMAIN_PASSWORD = 'Dom-Secret-2';

let certDir: string | undefined;

/** Starts an instance on an ephemeral port with the test engine and a throw-away certificate. */
export async function startTestInstance(
  serverName = 'SQL01\\PCHAT',
  options: Pick<TdsServerOptions, 'extraHosts' | 'mirroringPartner'> = {},
): Promise<{
  server: TdsServer;
  engine: TestEngine;
  port: number;
}> {
  certDir ??= mkdtempSync(path.join(os.tmpdir(), 'lab-tds-cert-'));
  const cert = loadOrCreateCertificate(certDir);
  const engine = new TestEngine({
    serverName,
    saPassword: SA_PASSWORD,
    domainPasswords: { 'LAB\\sqladmin': DOMAIN_PASSWORD, 'LAB\\nologin': DOMAIN_PASSWORD },
  });
  const server = new TdsServer({
    engine,
    port: 0,
    ...options,
    secureContext: createTdsSecureContext(cert.cert, cert.key),
  });
  const port = await server.start();
  return { server, engine, port };
}

export function poolConfig(port: number, encrypt: boolean, extra: Partial<sql.config> = {}): sql.config {
  return {
    server: '127.0.0.1',
    port,
    user: 'sa',
    password: SA_PASSWORD,
    ...extra,
    options: { encrypt, trustServerCertificate: true, ...(extra.options ?? {}) },
    pool: { min: 0, max: 1, ...(extra.pool ?? {}) },
  };
}

/** Connects a pool; the caller closes it. */
export async function connect(
  port: number,
  encrypt: boolean,
  extra: Partial<sql.config> = {},
): Promise<sql.ConnectionPool> {
  const pool = new sql.ConnectionPool(poolConfig(port, encrypt, extra));
  await pool.connect();
  return pool;
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (e) {
    return e as Error & Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}
