import 'server-only';
import './tedious-guard';
import sql from 'mssql';
import type { Server } from '@/lib/plan/schema';
import type { SqlBatch } from '@/lib/stages/artifact';
import { connectionConfig, type ServerSecret } from './connection-config';
import { fillSecrets, type SecretKind } from './generate/batch';
import { type ServerMessage, statsPercent } from './messages';

export type SqlRow = Record<string, unknown>;

/** A message as mssql hands it over (tedious's INFO/ERROR token fields). */
interface DriverMessage {
  message: string;
  number?: number;
  state?: number;
  class?: number;
  lineNumber?: number;
  serverName?: string;
  procName?: string;
}

/** How one batch ended. `connection-lost` means the outcome on the server is unknown and must be re-read. */
export type BatchOutcome =
  | { status: 'succeeded'; recordsets: SqlRow[][]; messages: ServerMessage[]; durationMs: number }
  | {
      status: 'failed';
      recordsets: SqlRow[][];
      messages: ServerMessage[];
      durationMs: number;
      error: ServerMessage;
    }
  | {
      status: 'connection-lost' | 'timeout' | 'cancelled' | 'unreachable';
      recordsets: SqlRow[][];
      messages: ServerMessage[];
      durationMs: number;
      detail: string;
      /** The server answered and refused the login (wrong password, unknown login): the operator can retype it. */
      loginRefused?: true;
    };

export interface BatchEvents {
  onMessage?(message: ServerMessage): void;
  /** STATS progress of a BACKUP or RESTORE, 0-100. */
  onProgress?(percent: number): void;
}

export interface RunBatchOptions extends BatchEvents {
  /** Secret values for the batch's placeholders, held in memory only. */
  secrets?: Partial<Record<SecretKind, string>>;
  signal?: AbortSignal;
  timeoutMs?: number;
}

// Backups and restores of a chat database run for minutes to hours; anything else should answer within a minute.
const LONG_RUNNING_TIMEOUT_MS = 6 * 60 * 60 * 1000;
const DEFAULT_TIMEOUT_MS = 60_000;

const connectionLostCodes = new Set(['ECONNCLOSED', 'ESOCKET', 'ECONNRESET']);

/** Resolves the password of a server when a stage needs it (from the operator's session or the environment). */
export type SecretSource = (server: Server) => ServerSecret;

function serverKey(server: Server): string {
  const { host, port, instance } = server.connect;
  const who =
    server.auth.mode === 'sql'
      ? server.auth.login
      : server.auth.mode === 'windows-ntlm'
        ? `${server.auth.domain}\\${server.auth.user}`
        : 'integrated';
  return `${host}|${port ?? ''}|${instance ?? ''}|${who}|${server.connect.encrypt}|${server.connect.trustServerCertificate}`;
}

/** One connection pool per SQL Server instance; sends reviewed batches one by one and streams what the server says. */
export class SqlExecutor {
  private readonly pools = new Map<string, Promise<sql.ConnectionPool>>();

  constructor(private readonly secretFor: SecretSource) {}

  private pool(server: Server): Promise<sql.ConnectionPool> {
    const key = serverKey(server);
    let pool = this.pools.get(key);
    if (!pool) {
      const cfg = connectionConfig(server, this.secretFor(server));
      if (!cfg.ok) return Promise.reject(new UnreachableError(cfg.message));
      pool = new sql.ConnectionPool(cfg.config).connect().catch((error: unknown) => {
        this.pools.delete(key);
        throw new UnreachableError(
          describeConnectError(server, error),
          (error as { code?: string }).code === 'ELOGIN',
        );
      });
      this.pools.set(key, pool);
    }
    return pool;
  }

  /** Sends one batch exactly as reviewed (secrets filled in memory) and reports every message as it arrives. */
  async runBatch(server: Server, batch: SqlBatch, opts: RunBatchOptions = {}): Promise<BatchOutcome> {
    return this.send(server, batch, opts, 'batch');
  }

  // Applied scripts go as SQL batches, exactly as reviewed (what SSMS sends); reads go as sp_executesql RPCs.
  private async send(
    server: Server,
    batch: SqlBatch,
    opts: RunBatchOptions,
    as: 'batch' | 'query',
  ): Promise<BatchOutcome> {
    const started = Date.now();
    const messages: ServerMessage[] = [];
    const recordsets: SqlRow[][] = [];
    const elapsed = () => Date.now() - started;
    const missing = (batch.secrets ?? []).find((s) => opts.secrets?.[s.secret] === undefined);
    if (missing) {
      return {
        status: 'unreachable',
        recordsets,
        messages,
        durationMs: 0,
        detail: `The ${missing.secret} is needed to run "${batch.title}".`,
      };
    }
    const text = fillSecrets(batch, opts.secrets ?? {});
    let pool: sql.ConnectionPool;
    try {
      pool = await this.pool(server);
    } catch (error) {
      return {
        status: 'unreachable',
        recordsets,
        messages,
        durationMs: elapsed(),
        detail: (error as Error).message,
        ...(error instanceof UnreachableError && error.loginRefused ? { loginRefused: true as const } : {}),
      };
    }
    const timeoutMs = opts.timeoutMs ?? (batch.longRunning ? LONG_RUNNING_TIMEOUT_MS : DEFAULT_TIMEOUT_MS);
    const request = new sql.Request(pool);
    (request as unknown as { requestTimeout: number }).requestTimeout = timeoutMs;
    request.stream = true;

    const record = (
      kind: ServerMessage['kind'],
      info: DriverMessage | undefined,
      fallback: string,
    ): ServerMessage => {
      const m: ServerMessage = {
        kind,
        serverName: info?.serverName || server.name,
        number: info?.number ?? 0,
        state: info?.state ?? 0,
        severity: info?.class ?? (kind === 'error' ? 16 : 0),
        line: info?.lineNumber ?? 0,
        ...(info?.procName ? { procName: info.procName } : {}),
        message: info?.message ?? fallback,
      };
      messages.push(m);
      opts.onMessage?.(m);
      return m;
    };

    return new Promise<BatchOutcome>((resolve) => {
      let current: SqlRow[] | undefined;
      let transportError: { code: string; message: string } | undefined;
      let firstServerError: ServerMessage | undefined;
      const onAbort = () => request.cancel();
      opts.signal?.addEventListener('abort', onAbort, { once: true });

      request.on('recordset', () => {
        current = [];
        recordsets.push(current);
      });
      request.on('row', (row: SqlRow) => current?.push(row));
      request.on('info', (info: DriverMessage) => {
        record('info', info, '');
        const pct = statsPercent(info.message);
        if (pct !== undefined) opts.onProgress?.(pct);
      });
      request.on(
        'error',
        (error: sql.RequestError & { code?: string; originalError?: { info?: DriverMessage } }) => {
          const info = (error as { info?: DriverMessage }).info ?? error.originalError?.info;
          if (info && info.number !== undefined) {
            const m = record('error', { ...info, class: info.class ?? 16 }, error.message);
            firstServerError ??= m;
          } else {
            transportError ??= { code: error.code ?? 'EREQUEST', message: error.message };
          }
        },
      );
      request.on('done', () => {
        opts.signal?.removeEventListener('abort', onAbort);
        const durationMs = elapsed();
        if (transportError) {
          const { code, message } = transportError;
          const status =
            code === 'ETIMEOUT'
              ? 'timeout'
              : code === 'ECANCEL'
                ? 'cancelled'
                : connectionLostCodes.has(code)
                  ? 'connection-lost'
                  : 'connection-lost';
          if (status === 'connection-lost') this.forget(server);
          resolve({ status, recordsets, messages, durationMs, detail: `${server.name}: ${message}` });
        } else if (firstServerError) {
          resolve({ status: 'failed', recordsets, messages, durationMs, error: firstServerError });
        } else {
          resolve({ status: 'succeeded', recordsets, messages, durationMs });
        }
      });
      if (as === 'batch') request.batch(text);
      else request.query(text);
    });
  }

  /** A read-only query (preflight, verification, polling), returning its record sets or throwing a described error. */
  async read(server: Server, text: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<SqlRow[][]> {
    const outcome = await this.send(
      server,
      { id: 'read', title: 'read', sql: text, readOnly: true, hash: '' },
      { timeoutMs },
      'query',
    );
    if (outcome.status === 'succeeded') return outcome.recordsets;
    const detail =
      outcome.status === 'failed' ? `Msg ${outcome.error.number}: ${outcome.error.message}` : outcome.detail;
    throw new SqlReadError(
      server.name,
      outcome.status,
      detail,
      'loginRefused' in outcome && outcome.loginRefused === true,
    );
  }

  private forget(server: Server) {
    const key = serverKey(server);
    const pool = this.pools.get(key);
    this.pools.delete(key);
    void pool?.then((p) => p.close()).catch(() => undefined);
  }

  /** Closes every pool. */
  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.then((x) => x.close()).catch(() => undefined)));
  }
}

export class UnreachableError extends Error {
  override name = 'UnreachableError';
  constructor(
    message: string,
    readonly loginRefused = false,
  ) {
    super(message);
  }
}

export class SqlReadError extends Error {
  override name = 'SqlReadError';
  constructor(
    readonly serverName: string,
    readonly status: BatchOutcome['status'],
    /** What went wrong, without the server name the message starts with. */
    readonly detail: string,
    /** The server refused the login: a password typed again may succeed. */
    readonly loginRefused = false,
  ) {
    super(`${serverName}: ${detail}`);
  }
}

function describeConnectError(server: Server, error: unknown): string {
  const e = error as { code?: string; message?: string; originalError?: { message?: string } };
  const where = `${server.name} (${server.connect.host}${server.connect.port ? `,${server.connect.port}` : server.connect.instance ? `\\${server.connect.instance}` : ''})`;
  const detail = e.originalError?.message ?? e.message ?? String(error);
  switch (e.code) {
    case 'ELOGIN':
      return `Login to ${where} failed: ${detail} Check the login and its password.`;
    case 'ETIMEOUT':
      return `${where} did not answer in time: ${detail} Check the host, port and firewall.`;
    case 'ESOCKET':
      return `Cannot reach ${where}: ${detail} Check that SQL Server is running and the host and port are right.`;
    case 'EINSTLOOKUP':
      return `SQL Server Browser did not resolve ${where}: ${detail} Give the port instead, or start SQL Server Browser.`;
    default:
      return `Cannot connect to ${where}: ${detail}`;
  }
}
