import { randomBytes } from 'node:crypto';

/** An operator's signed-in session as other code sees it: never the secrets it holds. */
export interface SessionInfo {
  id: string;
  username: string;
  createdAt: number;
  lastSeenAt: number;
}

interface SessionRecord extends SessionInfo {
  /** SQL passwords the operator typed for this session, by vault key; memory only. */
  secrets: Map<string, string>;
}

/** Idle time after which a session ends and its secrets are dropped. */
export const sessionIdleMs = 8 * 60 * 60 * 1000;

/**
 * Sessions and their secret vaults, in memory only: a restart signs everyone out and forgets every password,
 * which is the point — nothing here can leak through the store or a backup of it.
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, SessionRecord>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly idleMs: number = sessionIdleMs,
  ) {}

  private live(id: string | undefined, touch: boolean): SessionRecord | undefined {
    if (!id) return undefined;
    const record = this.sessions.get(id);
    if (!record) return undefined;
    const now = this.now();
    if (now - record.lastSeenAt >= this.idleMs) {
      this.end(record);
      return undefined;
    }
    if (touch) record.lastSeenAt = now;
    return record;
  }

  private end(record: SessionRecord): void {
    record.secrets.clear();
    this.sessions.delete(record.id);
  }

  /** Starts a session for `username`; the id is 32 random bytes, base64url. */
  create(username: string): SessionInfo {
    this.sweep();
    const now = this.now();
    const record: SessionRecord = {
      id: randomBytes(32).toString('base64url'),
      username,
      createdAt: now,
      lastSeenAt: now,
      secrets: new Map(),
    };
    this.sessions.set(record.id, record);
    return info(record);
  }

  /** The live session with this id (its idle clock restarted), or undefined when unknown or expired. */
  get(id: string | undefined): SessionInfo | undefined {
    const record = this.live(id, true);
    return record && info(record);
  }

  /** Ends a session and forgets its secrets. */
  delete(id: string | undefined): void {
    const record = id ? this.sessions.get(id) : undefined;
    if (record) this.end(record);
  }

  /** Ends every session: used when the administrator's password is replaced. */
  clear(): void {
    for (const record of [...this.sessions.values()]) this.end(record);
  }

  /** Drops every expired session with its secrets. */
  sweep(): void {
    for (const id of [...this.sessions.keys()]) this.live(id, false);
  }

  /** Number of live sessions. */
  get size(): number {
    this.sweep();
    return this.sessions.size;
  }

  /** Holds a password for this session; false when the session is gone. */
  rememberSecret(id: string, key: string, password: string): boolean {
    const record = this.live(id, true);
    if (!record) return false;
    record.secrets.set(key, password);
    return true;
  }

  /** A password this session holds, or undefined. */
  secret(id: string | undefined, key: string): string | undefined {
    return this.live(id, false)?.secrets.get(key);
  }

  /** Forgets one password of this session. */
  forgetSecret(id: string, key: string): void {
    this.live(id, false)?.secrets.delete(key);
  }

  /** The keys (never the values) of the passwords this session holds. */
  secretKeys(id: string | undefined): string[] {
    return [...(this.live(id, false)?.secrets.keys() ?? [])];
  }
}

function info({ id, username, createdAt, lastSeenAt }: SessionRecord): SessionInfo {
  return { id, username, createdAt, lastSeenAt };
}

// One registry per server process; on globalThis so dev-mode module reloads keep everyone signed in.
const globalForSessions = globalThis as unknown as { pchatHadrSessions?: SessionRegistry };

/** The process-wide session registry. */
export function sessionRegistry(): SessionRegistry {
  globalForSessions.pchatHadrSessions ??= new SessionRegistry();
  return globalForSessions.pchatHadrSessions;
}
