import { describe, expect, it } from 'vitest';
import { labPlan, planSchema, type Plan, type Server } from '@/lib/plan';
import { sessionRegistry } from './session-registry';
import {
  envSecret,
  monitorJobPassword,
  rememberSecret,
  secretFor,
  secretNeeds,
  secretSourceFor,
  vaultKey,
} from './vault';

function plan(overrides: (p: ReturnType<typeof labPlan>) => void = () => {}): Plan {
  const input = labPlan();
  overrides(input);
  return planSchema.parse(input);
}

const sa = (p: Plan, role: keyof Plan['servers']) => vaultKey(p.servers[role].name, p.servers[role].auth);

describe('vault', () => {
  it('keeps a typed password to the session that typed it', () => {
    const p = plan();
    const alice = sessionRegistry().create('admin');
    const bob = sessionRegistry().create('admin');
    expect(rememberSecret(alice.id, sa(p, 'primary'), 'alice-primary-pw')).toBe(true);
    expect(secretFor(alice.id, sa(p, 'primary'))).toBe('alice-primary-pw');
    expect(secretFor(bob.id, sa(p, 'primary'))).toBeUndefined();
    expect(secretSourceFor(bob.id, p, {})(p.servers.primary)).toBeUndefined();
    expect(secretSourceFor(alice.id, p, {})(p.servers.primary)).toEqual({ password: 'alice-primary-pw' });
  });

  it('forgets the passwords when the session signs out', () => {
    const p = plan();
    const s = sessionRegistry().create('admin');
    rememberSecret(s.id, sa(p, 'backup'), 'gone-after-sign-out');
    sessionRegistry().delete(s.id);
    expect(secretFor(s.id, sa(p, 'backup'))).toBeUndefined();
    expect(rememberSecret(s.id, sa(p, 'backup'), 'late')).toBe(false);
  });

  it('falls back to the role variable, then the shared one, and lets a typed password win', () => {
    const p = plan();
    const env = { PCHAT_HADR_SQL_PASSWORD: 'shared-pw', PCHAT_HADR_SQL_PASSWORD_PRIMARYMIRROR: 'mirror-pw' };
    expect(envSecret('primaryMirror', env)).toBe('mirror-pw');
    expect(envSecret('backupMirror', env)).toBe('shared-pw');
    expect(envSecret('primary', {})).toBeUndefined();
    const s = sessionRegistry().create('admin');
    rememberSecret(s.id, sa(p, 'primaryMirror'), 'typed-pw');
    const source = secretSourceFor(s.id, p, env);
    expect(source(p.servers.primaryMirror)).toEqual({ password: 'typed-pw' });
    expect(source(p.servers.primary)).toEqual({ password: 'shared-pw' });
    expect(secretSourceFor(undefined, p, env)(p.servers.primaryMirror)).toEqual({ password: 'mirror-pw' });
  });

  it('keys by instance and login, so a different login on the same instance needs its own password', () => {
    const p = plan((i) => {
      i.servers.backup.auth = { mode: 'windows-ntlm', domain: 'contoso', user: 'svc-sql' };
    });
    const s = sessionRegistry().create('admin');
    rememberSecret(s.id, sa(p, 'primary'), 'sa-pw');
    const source = secretSourceFor(s.id, p, {});
    expect(source(p.servers.backup)).toBeUndefined();
    expect(vaultKey('sql01\\pchat', { mode: 'sql', login: 'sa' })).toBe(sa(p, 'primary'));
    expect(vaultKey('SQLDR01\\PCHAT', { mode: 'windows-ntlm', domain: 'CONTOSO', user: 'SVC-SQL' })).toBe(
      sa(p, 'backup'),
    );
  });

  it('holds the passwords for the whole run even if the session ends during a long restore', () => {
    const p = plan();
    const s = sessionRegistry().create('admin');
    rememberSecret(s.id, sa(p, 'backup'), 'snapshot-pw');
    const source = secretSourceFor(s.id, p, {});
    sessionRegistry().delete(s.id);
    expect(source(p.servers.backup)).toEqual({ password: 'snapshot-pw' });
  });

  it('lists what the plan needs and where each password comes from, never the value', () => {
    const p = plan((i) => {
      i.servers.backupMirror.auth = { mode: 'sql', login: 'ls_admin' };
      i.monitor = {
        enabled: true,
        server: {
          name: 'MON01',
          connect: { host: '127.0.0.1', port: 14335, encrypt: true, trustServerCertificate: true },
          auth: { mode: 'sql', login: 'sa' },
        },
        jobAuth: { mode: 'sql', login: 'ls_monitor' },
      };
    });
    const s = sessionRegistry().create('admin');
    rememberSecret(s.id, sa(p, 'primary'), 'listed-pw');
    const needs = secretNeeds(s.id, p, { PCHAT_HADR_SQL_PASSWORD_MONITOR: 'monitor-env-pw' });
    expect(needs.map((n) => [n.serverName, n.principal, n.roles, n.source])).toEqual([
      ['SQL01\\PCHAT', 'sa', ['primary'], 'session'],
      ['SQL02\\PCHAT', 'sa', ['primaryMirror'], 'missing'],
      ['SQLDR01\\PCHAT', 'sa', ['backup'], 'missing'],
      ['SQLDR02\\PCHAT', 'ls_admin', ['backupMirror'], 'missing'],
      ['MON01', 'sa', ['monitor'], 'environment'],
      ['MON01', 'ls_monitor', ['monitor'], 'environment'],
    ]);
    expect(JSON.stringify(needs)).not.toContain('-pw');
    expect(
      monitorJobPassword(s.id, p, {
        PCHAT_HADR_MONITOR_JOB_PASSWORD: 'job-pw',
        PCHAT_HADR_SQL_PASSWORD_MONITOR: 'm',
      }),
    ).toBe('job-pw');
    rememberSecret(s.id, vaultKey('MON01', { mode: 'sql', login: 'ls_monitor' }), 'typed-job-pw');
    expect(monitorJobPassword(s.id, p, {})).toBe('typed-job-pw');
  });

  it('asks no password for integrated Windows authentication', () => {
    const p = plan((i) => {
      i.servers.primary.auth = { mode: 'windows-integrated' };
    });
    expect(secretNeeds(undefined, p, {}).some((n) => n.serverName === 'SQL01\\PCHAT')).toBe(false);
    expect(
      secretSourceFor(undefined, p, { PCHAT_HADR_SQL_PASSWORD: 'x' })(p.servers.primary as Server),
    ).toBeUndefined();
  });
});
