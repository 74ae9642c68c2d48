import { describe, expect, it } from 'vitest';
import { labPlan } from '@/lib/plan/defaults';
import { planSchema } from '@/lib/plan/schema';
import type { ServerRole } from './ids';
import { type InstanceReading, preflightFindings, type SqlRows } from './preflight-findings';

const plan = planSchema.parse(labPlan());

function healthy(role: ServerRole, version = '15.0.4375.4'): InstanceReading {
  const name = plan.servers[role].name;
  const mirroring = role === 'primary' ? 'PRINCIPAL' : role === 'primaryMirror' ? 'MIRROR' : null;
  const results = new Map<string, SqlRows>([
    ['instance', [{ server_name: name, product_version: version, edition: 'Enterprise Edition (64-bit)', is_sysadmin: 1 }]],
    ['services', [{ service_kind: 'engine', status_desc: 'Running', service_account: 'LAB\\sqlsvc' }, { service_kind: 'agent', status_desc: 'Running', service_account: 'LAB\\sqlsvc' }]],
    ['databases', mirroring ? [{ database_name: 'mgc', recovery_model_desc: 'FULL', mirroring_role_desc: mirroring, mirroring_state_desc: 'SYNCHRONIZED' }] : []],
    ['path-backup-share', [{ path: plan.backup.share, file_exists: 0, is_directory: 1, parent_directory_exists: 1 }]],
  ]);
  return { ok: true, results };
}

const allHealthy = (): Record<ServerRole, InstanceReading> => ({
  primary: healthy('primary'),
  primaryMirror: healthy('primaryMirror'),
  backup: healthy('backup'),
  backupMirror: healthy('backupMirror'),
});

describe('preflightFindings', () => {
  it('says every instance is ready when every check passes', () => {
    const findings = preflightFindings(plan, allHealthy());
    expect(findings.map((f) => [f.role, f.severity])).toEqual([
      ['primary', 'ok'],
      ['primaryMirror', 'ok'],
      ['backup', 'ok'],
      ['backupMirror', 'ok'],
    ]);
  });

  it('names the server, the reason and the fix script for a SIMPLE recovery model', () => {
    const readings = allHealthy();
    (readings.primary as { results: Map<string, SqlRows> }).results.set('databases', [
      { database_name: 'mgc', recovery_model_desc: 'SIMPLE', mirroring_role_desc: 'PRINCIPAL', mirroring_state_desc: 'SYNCHRONIZED' },
    ]);
    const [finding] = preflightFindings(plan, readings).filter((f) => f.severity === 'error');
    expect(finding).toMatchObject({ role: 'primary', server: 'SQL01\\PCHAT', what: 'mgc on SQL01\\PCHAT uses the SIMPLE recovery model.' });
    expect(finding?.fixScript).toBe('ALTER DATABASE [mgc] SET RECOVERY FULL;\n');
  });

  it('stops when the files the plan moves are not those the primary database has now', () => {
    const moving = planSchema.parse({
      ...labPlan(),
      secondary: {
        ...labPlan().secondary,
        initialise: {
          mode: 'generate-full-backup',
          dataFolder: 'E:\\Data',
          files: [
            { logical: 'mgc', type: 'ROWS', physicalName: 'D:\\Data\\mgc.mdf' },
            { logical: 'mgc_log', type: 'LOG', physicalName: 'D:\\Data\\mgc_log.ldf' },
          ],
        },
      },
    });
    const readings = allHealthy();
    const results = (readings.primary as { results: Map<string, SqlRows> }).results;
    const file = (logical_name: string, type_desc: string) => ({ database_name: 'mgc', logical_name, type_desc });
    results.set('database-files', [file('MGC', 'ROWS'), file('mgc_log', 'LOG')]);
    expect(preflightFindings(moving, readings).filter((f) => f.severity === 'error')).toEqual([]);
    results.set('database-files', [file('mgc', 'ROWS'), file('mgc_2', 'ROWS'), file('mgc_log', 'LOG')]);
    const [finding] = preflightFindings(moving, readings).filter((f) => f.severity === 'error');
    expect(finding).toMatchObject({
      role: 'primary',
      what: 'The plan moves the files mgc (ROWS), mgc_log (LOG) of mgc, but on SQL01\\PCHAT it has mgc (ROWS), mgc_2 (ROWS), mgc_log (LOG).',
      fix: expect.stringContaining('read the files from the primary again'),
    });
    // Without a restore folder nothing is moved, so nothing is compared.
    expect(preflightFindings(plan, readings).filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('tells a failed login from an unreachable server', () => {
    const readings = allHealthy();
    readings.backup = { ok: false, error: "Login failed for user 'sa'." };
    readings.backupMirror = { ok: false, error: 'connect ECONNREFUSED 127.0.0.1:14334' };
    const errors = preflightFindings(plan, readings).filter((f) => f.severity === 'error');
    expect(errors.map((f) => f.what)).toEqual(['Login to SQLDR01\\PCHAT failed.', 'SQLDR02\\PCHAT cannot be reached.']);
  });

  it('flags a stopped Agent, a share the service cannot see and an existing configuration', () => {
    const readings = allHealthy();
    const results = (readings.primary as { results: Map<string, SqlRows> }).results;
    results.set('services', [{ service_kind: 'agent', status_desc: 'Stopped' }]);
    results.set('path-backup-share', [{ path: plan.backup.share, file_exists: 0, is_directory: 0, parent_directory_exists: 0 }]);
    results.set('ls-primary-databases', [{ primary_database: 'mgc' }]);
    const whats = preflightFindings(plan, readings).filter((f) => f.role === 'primary').map((f) => [f.severity, f.what]);
    expect(whats).toEqual([
      ['error', 'SQL Server Agent on SQL01\\PCHAT is stopped.'],
      ['warning', 'SQL01\\PCHAT already has a log-shipping primary configuration for mgc.'],
      ['error', 'The SQL Server service on SQL01\\PCHAT cannot see the backup share \\\\FS01\\PChatLogShip.'],
    ]);
  });

  it('refuses standby across major versions and a backup store older than the primary', () => {
    const standby = planSchema.parse({ ...labPlan(), secondary: { ...labPlan().secondary, restore: { mode: 'standby' } } });
    const readings = { ...allHealthy(), backup: healthy('backup', '16.0.1000.6') };
    expect(preflightFindings(standby, readings).find((f) => f.role === 'backup')?.what).toMatch(/^Standby restore mode needs the same major version/);
    const older = { ...allHealthy(), backup: healthy('backup', '13.0.5026.0') };
    expect(preflightFindings(plan, older).find((f) => f.role === 'backup')?.what).toMatch(/older than the primary/);
  });
});
