import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdminAccounts } from './admin';
import { hashPassword, parsePasswordHash } from './password';

let dir: string;
let accounts: AdminAccounts;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pchat-hadr-admin-'));
  accounts = new AdminAccounts(path.join(dir, 'store.sqlite'));
});
afterEach(() => {
  accounts.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('AdminAccounts', () => {
  it('has no administrator before first start, then holds only a hash of the chosen password', async () => {
    expect(accounts.exists()).toBe(false);
    expect(await accounts.create('admin', 'first start password')).toBe(true);
    const admin = accounts.get();
    expect(admin?.username).toBe('admin');
    expect(parsePasswordHash(admin!.passwordHash)).toBeDefined();
    expect(admin!.passwordHash).not.toContain('first start password');
  });

  it('lets only the first of two racing setups create the administrator', async () => {
    const [a, b] = await Promise.all([
      accounts.create('admin', 'first racer password'),
      accounts.create('other', 'second racer password'),
    ]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    const winner = accounts.get()!.username;
    expect(
      await accounts.verify(winner, winner === 'admin' ? 'first racer password' : 'second racer password'),
    ).toBe(true);
  });

  it('signs in the right user name (any case) with the right password only', async () => {
    await accounts.create('Admin', 'right password here');
    expect(await accounts.verify('admin', 'right password here')).toBe(true);
    expect(await accounts.verify(' ADMIN ', 'right password here')).toBe(true);
    expect(await accounts.verify('admin', 'wrong password here')).toBe(false);
    expect(await accounts.verify('root', 'right password here')).toBe(false);
  });

  it('refuses every sign-in while no administrator exists', async () => {
    expect(await accounts.verify('admin', 'any password at all')).toBe(false);
  });

  it('sets or replaces the password from PCHAT_HADR_ADMIN_PASSWORD, and leaves it alone when unchanged', async () => {
    expect(await accounts.applyEnvironment({})).toBe('unset');
    expect(await accounts.applyEnvironment({ PCHAT_HADR_ADMIN_PASSWORD: 'from the environment' })).toBe(
      'replaced',
    );
    expect(await accounts.verify('admin', 'from the environment')).toBe(true);
    const hash = accounts.get()!.passwordHash;
    expect(await accounts.applyEnvironment({ PCHAT_HADR_ADMIN_PASSWORD: 'from the environment' })).toBe(
      'unchanged',
    );
    expect(accounts.get()!.passwordHash).toBe(hash);
    expect(
      await accounts.applyEnvironment({
        PCHAT_HADR_ADMIN_PASSWORD: 'a rotated password',
        PCHAT_HADR_ADMIN_USER: 'ops',
      }),
    ).toBe('replaced');
    expect(await accounts.verify('admin', 'from the environment')).toBe(false);
    expect(await accounts.verify('ops', 'a rotated password')).toBe(true);
  });

  it('keeps the chosen user name when only the password comes from the environment', async () => {
    await accounts.create('dba', 'chosen at setup time');
    await accounts.applyEnvironment({ PCHAT_HADR_ADMIN_PASSWORD: 'set by the environment' });
    expect(await accounts.verify('dba', 'set by the environment')).toBe(true);
  });

  it('refuses a short or malformed environment value instead of weakening the account', async () => {
    await expect(accounts.applyEnvironment({ PCHAT_HADR_ADMIN_PASSWORD: 'short' })).rejects.toThrow(
      /at least 12 characters/,
    );
    await expect(
      accounts.applyEnvironment({
        PCHAT_HADR_ADMIN_PASSWORD: 'long enough value',
        PCHAT_HADR_ADMIN_USER: 'a b',
      }),
    ).rejects.toThrow(/PCHAT_HADR_ADMIN_USER/);
    expect(accounts.exists()).toBe(false);
  });

  it('upgrades a hash made with older, weaker costs at the next sign-in', async () => {
    accounts.db
      .prepare("INSERT INTO admin_account VALUES (1, 'admin', ?, 'then', 'then')")
      .run(await hashPassword('an old password!', { N: 1024, r: 8, p: 1 }));
    expect(await accounts.verify('admin', 'an old password!')).toBe(true);
    expect(accounts.get()!.passwordHash.startsWith(`scrypt$${2 ** 15}$`)).toBe(true);
    expect(await accounts.verify('admin', 'an old password!')).toBe(true);
  });
});
