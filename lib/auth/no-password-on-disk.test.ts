import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { labPlan, planSchema } from '@/lib/plan';
import { PlanStore } from '@/lib/store/plan-store';
import { AdminAccounts } from './admin';
import { sessionRegistry } from './session-registry';
import { rememberSecret, secretSourceFor, vaultKey } from './vault';

// Distinctive values that cannot occur in a store by chance.
const adminSentinel = 'Sentinel-Admin-7f3c9e21-password';
const envSentinel = 'Sentinel-EnvAdmin-b84d0c55-password';
const sqlSentinel = 'Sentinel-Sql-2a6e41f8-password';

const dir = mkdtempSync(path.join(tmpdir(), 'pchat-hadr-no-secret-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The store file and its WAL and shared-memory companions, as bytes. */
function storeBytes(file: string): Buffer {
  return Buffer.concat([file, `${file}-wal`, `${file}-shm`].filter(existsSync).map((f) => readFileSync(f)));
}

function assertAbsent(bytes: Buffer, secret: string) {
  expect(bytes.includes(Buffer.from(secret, 'utf8'))).toBe(false);
  expect(bytes.includes(Buffer.from(secret, 'utf16le'))).toBe(false);
}

describe('passwords never reach the store file', () => {
  it('keeps the administrator and SQL passwords out of the database, its WAL and its shared memory', async () => {
    const file = path.join(dir, 'pchat-hadr.sqlite');
    const store = new PlanStore(file);
    const accounts = new AdminAccounts(file);
    const plan = planSchema.parse(labPlan());
    store.createPlan(labPlan());

    expect(await accounts.create('admin', adminSentinel)).toBe(true);
    expect(await accounts.verify('admin', adminSentinel)).toBe(true);
    expect(await accounts.applyEnvironment({ PCHAT_HADR_ADMIN_PASSWORD: envSentinel })).toBe('replaced');
    const session = sessionRegistry().create('admin');
    rememberSecret(session.id, vaultKey(plan.servers.primary.name, plan.servers.primary.auth), sqlSentinel);
    expect(secretSourceFor(session.id, plan, {})(plan.servers.primary)).toEqual({ password: sqlSentinel });

    // While open, the new rows live in the WAL; read it before a checkpoint folds it into the main file.
    const live = storeBytes(file);
    expect(live.includes(Buffer.from('scrypt$'))).toBe(true);
    expect(live.includes(Buffer.from('Lab rehearsal'))).toBe(true);
    for (const secret of [adminSentinel, envSentinel, sqlSentinel]) assertAbsent(live, secret);

    accounts.close();
    store.close();
    const closed = storeBytes(file);
    expect(closed.includes(Buffer.from('scrypt$'))).toBe(true);
    for (const secret of [adminSentinel, envSentinel, sqlSentinel]) assertAbsent(closed, secret);
  });
});
