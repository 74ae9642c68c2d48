import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { hashPassword, needsRehash, verifyPassword } from './password';
import { type Env } from './constants';
import { adminPasswordSchema, userNameSchema } from './schema';

/** The local administrator as the store holds it: a name and a slow hash, never the password. */
export interface AdminAccount {
  username: string;
  passwordHash: string;
  createdAt: string;
  updatedAt: string;
}

type Row = { username: string; password_hash: string; created_at: string; updated_at: string };

// A hash that verifies nothing, computed once, so an unknown user name costs as much as a wrong password.
let decoyHash: Promise<string> | undefined;

/**
 * The administrator account in its own table of the store file. Kept apart from lib/store on purpose: the run
 * record needs no access to credentials, and this table holds nothing but one row.
 */
export class AdminAccounts {
  readonly db: Database.Database;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS admin_account (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      username TEXT NOT NULL,
      password_hash TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT`);
  }

  /** The administrator, or undefined before first start's setup. */
  get(): AdminAccount | undefined {
    const row = this.db
      .prepare('SELECT username, password_hash, created_at, updated_at FROM admin_account WHERE id = 1')
      .get() as Row | undefined;
    return (
      row && {
        username: row.username,
        passwordHash: row.password_hash,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      }
    );
  }

  /** Whether an administrator exists yet. */
  exists(): boolean {
    return this.get() !== undefined;
  }

  /** Creates the administrator only if none exists; false when one already does (two first visitors racing). */
  async create(username: string, password: string): Promise<boolean> {
    const hash = await hashPassword(password);
    const now = new Date().toISOString();
    const result = this.db
      .prepare(
        'INSERT INTO admin_account (id, username, password_hash, created_at, updated_at) VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
      )
      .run(username, hash, now, now);
    return result.changes === 1;
  }

  /** Sets (or replaces) the administrator's name and password. */
  async set(username: string, password: string): Promise<void> {
    const hash = await hashPassword(password);
    const now = new Date().toISOString();
    this.db
      .prepare(
        `INSERT INTO admin_account (id, username, password_hash, created_at, updated_at) VALUES (1, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET username = excluded.username, password_hash = excluded.password_hash, updated_at = excluded.updated_at`,
      )
      .run(username, hash, now, now);
  }

  /** Checks a sign-in; the same work is done whether the user name is wrong or the password is. */
  async verify(username: string, password: string): Promise<boolean> {
    const admin = this.get();
    if (!admin || admin.username.toLowerCase() !== username.trim().toLowerCase()) {
      decoyHash ??= hashPassword('decoy: no account has this password');
      await verifyPassword(password, await decoyHash);
      return false;
    }
    const ok = await verifyPassword(password, admin.passwordHash);
    if (ok && needsRehash(admin.passwordHash)) await this.set(admin.username, password);
    return ok;
  }

  /**
   * Applies `PCHAT_HADR_ADMIN_PASSWORD` (and `PCHAT_HADR_ADMIN_USER`) at start: the hash is replaced when the value
   * changed, never the value itself written. Returns whether the account changed, so sessions can be ended.
   */
  async applyEnvironment(env: Env): Promise<'unset' | 'unchanged' | 'replaced'> {
    const password = env.PCHAT_HADR_ADMIN_PASSWORD;
    if (!password) return 'unset';
    const checked = adminPasswordSchema.safeParse(password);
    if (!checked.success) {
      throw new Error(
        `PCHAT_HADR_ADMIN_PASSWORD is not accepted: ${checked.error.issues[0]?.message ?? 'invalid.'}`,
      );
    }
    const current = this.get();
    let username = current?.username ?? 'admin';
    if (env.PCHAT_HADR_ADMIN_USER) {
      const name = userNameSchema.safeParse(env.PCHAT_HADR_ADMIN_USER);
      if (!name.success)
        throw new Error(
          `PCHAT_HADR_ADMIN_USER is not accepted: ${name.error.issues[0]?.message ?? 'invalid.'}`,
        );
      username = name.data;
    }
    if (current && current.username === username && (await verifyPassword(password, current.passwordHash)))
      return 'unchanged';
    await this.set(username, password);
    return 'replaced';
  }

  close(): void {
    this.db.close();
  }
}

/** Where the store file lives; the same rule as lib/store (`PCHAT_HADR_DB`, default `data/pchat-hadr.sqlite`). */
export function adminStoreFile(env: Env = process.env): string {
  return env.PCHAT_HADR_DB || 'data/pchat-hadr.sqlite';
}

// Opened once per server process, with the environment applied before the first question is answered.
const globalForAdmin = globalThis as unknown as { pchatHadrAdmin?: Promise<AdminAccounts> };

async function openAdminAccounts(onReplaced?: () => void): Promise<AdminAccounts> {
  const accounts = new AdminAccounts(adminStoreFile());
  try {
    if ((await accounts.applyEnvironment(process.env)) === 'replaced') onReplaced?.();
    return accounts;
  } catch (error) {
    accounts.close();
    // A refused environment value must be reported again on the next request, not cached as a rejection.
    globalForAdmin.pchatHadrAdmin = undefined;
    throw error;
  }
}

/** The process-wide administrator account, after `PCHAT_HADR_ADMIN_PASSWORD` has been applied. */
export function adminAccounts(onReplaced?: () => void): Promise<AdminAccounts> {
  globalForAdmin.pchatHadrAdmin ??= openAdminAccounts(onReplaced);
  return globalForAdmin.pchatHadrAdmin;
}
