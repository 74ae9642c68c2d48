import { describe, expect, it } from 'vitest';
import { labPlan } from '@/lib/plan/defaults';
import { planSchema } from '@/lib/plan/schema';
import type { ServerRole } from './ids';
import { datediffMinutes, evaluateStatus, type InstanceReading, readStatus } from './status';

const plan = planSchema.parse(labPlan());
// mssql hands datetime values over as UTC Dates; the fixtures use the same form.
const t = (wall: string) => new Date(`${wall.replace(' ', 'T')}Z`);
const NOW = '2026-11-26 12:00:00';

type Sets = Record<string, Record<string, unknown>[]>;

function job(name: string, patch: Record<string, unknown> = {}) {
  return [
    {
      job_name: name,
      enabled: true,
      is_running: 0,
      last_run_status: 1,
      last_run_message: 'The job succeeded.',
      ...patch,
    },
  ];
}

function common(role: ServerRole, db: Record<string, unknown>, agent = 'Running'): Sets {
  return {
    clock: [{ server_now: t(NOW), server_utc_now: t(NOW) }],
    services: [
      { service_name: 'SQL Server (PCHAT)', service_kind: 'engine', status_desc: 'Running' },
      { service_name: 'SQL Server Agent (PCHAT)', service_kind: 'agent', status_desc: agent },
    ],
    databases: [{ database_name: 'mgc', ...db }],
    ...(role === 'backupMirror' ? {} : { errors: [] }),
  };
}

function primarySets(
  role: 'primary' | 'primaryMirror',
  mirroringRole: 'PRINCIPAL' | 'MIRROR',
  lastBackup: string | null,
): Sets {
  return {
    ...common(role, {
      state_desc: mirroringRole === 'PRINCIPAL' ? 'ONLINE' : 'RESTORING',
      mirroring_role_desc: mirroringRole,
      mirroring_state_desc: 'SYNCHRONIZED',
    }),
    'monitor-primary': [
      {
        primary_server: plan.servers[role].name,
        primary_database: 'mgc',
        backup_threshold: 60,
        threshold_alert_enabled: true,
        last_backup_file: lastBackup
          ? `\\\\FS01\\PChatLogShip\\mgc_${lastBackup.replace(/\D/g, '')}.trn`
          : null,
        last_backup_date: lastBackup ? t(lastBackup) : null,
        last_backup_date_utc: lastBackup ? t(lastBackup) : null,
      },
    ],
    'job-backup': job('LSBackup_mgc'),
  };
}

function backupSets(lastRestore: string | null = '2026-11-26 11:50:00'): Sets {
  return {
    ...common('backup', { state_desc: 'RESTORING', mirroring_role_desc: null, mirroring_state_desc: null }),
    'monitor-secondary': [
      {
        secondary_server: 'SQLDR01\\PCHAT',
        secondary_database: 'mgc',
        primary_server: 'SQL01\\PCHAT',
        primary_database: 'mgc',
        last_copied_file: 'D:\\LSCopy\\mgc_20261126114500.trn',
        last_copied_date: t('2026-11-26 11:48:00'),
        last_restored_file: lastRestore ? 'D:\\LSCopy\\mgc_20261126114500.trn' : null,
        last_restored_date: lastRestore ? t(lastRestore) : null,
        last_restored_latency: 5,
        restore_threshold: 45,
      },
    ],
    'job-copy': job('LSCopy_SQL01\\PCHAT_mgc'),
    'job-restore': job('LSRestore_SQL01\\PCHAT_mgc'),
  };
}

const ok = (role: ServerRole, sets: Sets): InstanceReading => ({
  role,
  server: plan.servers[role].name,
  ok: true,
  sets,
});
const down = (role: ServerRole): InstanceReading => ({
  role,
  server: plan.servers[role].name,
  ok: false,
  error: 'did not answer in time',
});

function healthy(): Record<ServerRole, InstanceReading> {
  return {
    primary: ok('primary', primarySets('primary', 'PRINCIPAL', '2026-11-26 11:45:00')),
    primaryMirror: ok('primaryMirror', primarySets('primaryMirror', 'MIRROR', null)),
    backup: ok('backup', backupSets()),
    backupMirror: ok('backupMirror', common('backupMirror', {})),
  };
}

function evaluate(readings: Record<ServerRole, InstanceReading>, now?: Date) {
  return evaluateStatus(plan, Object.values(readings), now);
}

function withSets(reading: InstanceReading, patch: Sets): InstanceReading {
  if (!reading.ok) throw new Error('fixture: reading is not ok');
  return { ...reading, sets: { ...reading.sets, ...patch } };
}

describe('datediffMinutes', () => {
  it('counts minute boundaries crossed, as DATEDIFF(minute, …) does', () => {
    expect(datediffMinutes(t('2026-11-26 11:00:59'), t('2026-11-26 12:00:00'))).toBe(60);
    expect(datediffMinutes(t('2026-11-26 10:59:59'), t('2026-11-26 12:00:00'))).toBe(61);
    expect(datediffMinutes(t('2026-11-26 12:00:00'), t('2026-11-26 12:00:59'))).toBe(0);
  });
});

describe('evaluateStatus', () => {
  it('is healthy when every instance reads well and nothing is late', () => {
    const report = evaluate(healthy());
    expect(report.reasons).toEqual([]);
    expect(report.verdict).toBe('healthy');
    expect(report.primaries[0]).toMatchObject({
      role: 'primary',
      active: true,
      configured: true,
      lastBackupAt: '2026-11-26 11:45:00',
      minutesSinceBackup: 15,
      threshold: 60,
      alertEnabled: true,
      crossed: false,
      job: { name: 'LSBackup_mgc', found: true, enabled: true, lastRun: 'succeeded' },
    });
    expect(report.primaries[1]).toMatchObject({
      role: 'primaryMirror',
      active: false,
      configured: true,
      crossed: false,
    });
    expect(report.secondary).toMatchObject({
      configured: true,
      lastCopiedAt: '2026-11-26 11:48:00',
      minutesSinceCopy: 12,
      lastRestoredAt: '2026-11-26 11:50:00',
      minutesSinceRestore: 10,
      latencyMinutes: 5,
      threshold: 45,
      crossed: false,
    });
    expect(report.secondary.jobs.map((j) => j.lastRun)).toEqual(['succeeded', 'succeeded']);
    expect(report.mirroring).toEqual({ principal: 'SQL01\\PCHAT', state: 'SYNCHRONIZED' });
    expect(report.instances.map((i) => [i.role, i.reachable, i.agent, i.serverNow])).toEqual([
      ['primary', true, 'running', NOW],
      ['primaryMirror', true, 'running', NOW],
      ['backup', true, 'running', NOW],
      ['backupMirror', true, 'running', NOW],
    ]);
  });

  it('crosses the backup threshold only past it, on the instance clock', () => {
    const at60 = healthy();
    at60.primary = ok('primary', primarySets('primary', 'PRINCIPAL', '2026-11-26 11:00:30'));
    expect(evaluate(at60).verdict).toBe('healthy');

    const at61 = healthy();
    at61.primary = ok('primary', primarySets('primary', 'PRINCIPAL', '2026-11-26 10:59:00'));
    const report = evaluate(at61);
    expect(report.verdict).toBe('degraded');
    expect(report.primaries[0]).toMatchObject({ minutesSinceBackup: 61, crossed: true });
    expect(report.reasons).toEqual([
      'SQL01\\PCHAT: no log backup of mgc for 61 minutes, over the backup threshold of 60 minutes.',
    ]);
  });

  it("judges thresholds on the instance clock, not the caller's, and falls back to the caller's when none was read", () => {
    expect(evaluate(healthy(), t('2027-01-01 00:00:00')).verdict).toBe('healthy');

    const noClock = healthy();
    noClock.primary = withSets(noClock.primary, { clock: [] });
    expect(evaluate(noClock, t('2026-11-26 11:50:00')).primaries[0]?.minutesSinceBackup).toBe(5);
    expect(evaluate(noClock, t('2026-11-26 13:00:00')).primaries[0]?.crossed).toBe(true);
  });

  it('does not judge the backup threshold of the standby mirror, whose backups are skipped while RESTORING', () => {
    const readings = healthy();
    readings.primaryMirror = ok(
      'primaryMirror',
      primarySets('primaryMirror', 'MIRROR', '2026-11-25 08:00:00'),
    );
    const report = evaluate(readings);
    expect(report.verdict).toBe('healthy');
    expect(report.primaries[1]).toMatchObject({ minutesSinceBackup: 1680, crossed: false, active: false });
  });

  it('crosses the restore threshold on the backup store', () => {
    const readings = healthy();
    readings.backup = ok('backup', backupSets('2026-11-26 11:14:00'));
    const report = evaluate(readings);
    expect(report.verdict).toBe('degraded');
    expect(report.secondary).toMatchObject({ minutesSinceRestore: 46, crossed: true });
    expect(report.reasons).toEqual([
      'SQLDR01\\PCHAT: no log restored into mgc for 46 minutes, over the restore threshold of 45 minutes.',
    ]);
  });

  it('notes a shipping that never backed up or restored without calling it late', () => {
    const readings = healthy();
    readings.primary = ok('primary', primarySets('primary', 'PRINCIPAL', null));
    readings.backup = ok('backup', backupSets(null));
    const report = evaluate(readings);
    expect(report.verdict).toBe('healthy');
    expect(report.notes).toEqual([
      'SQL01\\PCHAT: no log backup has been taken yet.',
      'SQLDR01\\PCHAT: no log has been restored yet.',
    ]);
  });

  it('is degraded when a log-shipping job failed last, is disabled or is missing', () => {
    const readings = healthy();
    readings.primary = withSets(readings.primary, {
      'job-backup': job('LSBackup_mgc', { last_run_status: 0, last_run_message: 'Access is denied.' }),
    });
    readings.backup = withSets(readings.backup, {
      'job-copy': job('LSCopy_SQL01\\PCHAT_mgc', { enabled: false }),
      'job-restore': [],
    });
    const report = evaluate(readings);
    expect(report.verdict).toBe('degraded');
    expect(report.primaries[0]?.job?.lastRun).toBe('failed');
    expect(report.reasons).toEqual([
      'SQL01\\PCHAT: the last run of LSBackup_mgc failed: Access is denied.',
      'SQLDR01\\PCHAT: the copy job LSCopy_SQL01\\PCHAT_mgc is disabled.',
      'SQLDR01\\PCHAT: the restore job LSRestore_SQL01\\PCHAT_mgc does not exist.',
    ]);
  });

  it('is degraded when SQL Server Agent is stopped on a log-shipping instance, not on the backup mirror', () => {
    const readings = healthy();
    readings.primary = withSets(readings.primary, {
      services: [{ service_kind: 'agent', status_desc: 'Stopped' }],
    });
    readings.backupMirror = withSets(readings.backupMirror, {
      services: [{ service_kind: 'agent', status_desc: 'Stopped' }],
    });
    const report = evaluate(readings);
    expect(report.verdict).toBe('degraded');
    expect(report.instances.map((i) => i.agent)).toEqual(['stopped', 'running', 'running', 'stopped']);
    expect(report.reasons).toEqual([
      'SQL01\\PCHAT: SQL Server Agent is stopped, so no log-shipping job runs there.',
    ]);
  });

  it('lists every error row, and is degraded only by those of the last hour', () => {
    const error = (logTime: string, agentType: number, message: string) => ({
      agent_type: agentType,
      database_name: 'mgc',
      log_time: t(logTime),
      log_time_utc: t(logTime),
      message,
      source: 'Microsoft.SqlServer.Management.LogShipping',
    });
    const old = healthy();
    old.backup = withSets(old.backup, {
      errors: [error('2026-11-26 10:59:00', 2, 'Could not find a log backup file.')],
    });
    const oldReport = evaluate(old);
    expect(oldReport.verdict).toBe('healthy');
    expect(oldReport.errors).toEqual([
      {
        server: 'SQLDR01\\PCHAT',
        agent: 'restore',
        at: '2026-11-26 10:59:00',
        minutesAgo: 61,
        message: 'Could not find a log backup file.',
        source: 'Microsoft.SqlServer.Management.LogShipping',
      },
    ]);

    const recent = healthy();
    recent.primary = withSets(recent.primary, {
      errors: [
        error('2026-11-26 11:30:00', 0, 'Cannot open backup device.'),
        error('2026-11-26 11:15:00', 0, 'Disk full.'),
      ],
    });
    const report = evaluate(recent);
    expect(report.verdict).toBe('degraded');
    expect(report.errors.map((e) => [e.agent, e.minutesAgo])).toEqual([
      ['backup', 30],
      ['backup', 45],
    ]);
    expect(report.reasons).toEqual([
      'SQL01\\PCHAT: 2 log-shipping error(s) in the last 60 minutes, latest: Cannot open backup device.',
    ]);
  });

  it('is unreachable when the principal cannot be read and the mirror is still the mirror', () => {
    const readings = healthy();
    readings.primary = down('primary');
    const report = evaluate(readings);
    expect(report.verdict).toBe('unreachable');
    expect(report.mirroring.principal).toBeNull();
    expect(report.reasons).toEqual([
      'SQL01\\PCHAT: cannot be read, and no readable instance holds the principal mgc: did not answer in time',
    ]);
    expect(report.instances[0]).toMatchObject({
      reachable: false,
      error: 'did not answer in time',
      agent: 'unknown',
    });
  });

  it('is only degraded when the primary store is down but the mirror took over as principal, and judges the mirror', () => {
    const readings = healthy();
    readings.primary = down('primary');
    readings.primaryMirror = ok(
      'primaryMirror',
      primarySets('primaryMirror', 'PRINCIPAL', '2026-11-26 10:30:00'),
    );
    readings.primaryMirror = withSets(readings.primaryMirror, {
      databases: [
        {
          database_name: 'mgc',
          state_desc: 'ONLINE',
          mirroring_role_desc: 'PRINCIPAL',
          mirroring_state_desc: 'DISCONNECTED',
        },
      ],
    });
    const report = evaluate(readings);
    expect(report.verdict).toBe('degraded');
    expect(report.primaries.map((p) => p.active)).toEqual([false, true]);
    expect(report.mirroring).toEqual({ principal: 'SQL02\\PCHAT', state: 'DISCONNECTED' });
    expect(report.reasons).toEqual([
      'SQL01\\PCHAT: cannot be read: did not answer in time',
      'SQL02\\PCHAT: no log backup of mgc for 90 minutes, over the backup threshold of 60 minutes.',
      'SQL02\\PCHAT: mirroring of mgc is DISCONNECTED.',
    ]);
  });

  it('is unreachable when the backup store cannot be read', () => {
    const readings = healthy();
    readings.backup = down('backup');
    const report = evaluate(readings);
    expect(report.verdict).toBe('unreachable');
    expect(report.secondary).toMatchObject({ reachable: false, configured: false, jobs: [] });
    expect(report.reasons).toEqual(['SQLDR01\\PCHAT (backup store): cannot be read: did not answer in time']);
  });

  it('is degraded when only the backup mirror cannot be read', () => {
    const readings = healthy();
    readings.backupMirror = down('backupMirror');
    const report = evaluate(readings);
    expect(report.verdict).toBe('degraded');
    expect(report.reasons).toEqual(['SQLDR02\\PCHAT: cannot be read: did not answer in time']);
  });

  it('counts an instance with no reading at all as unreachable', () => {
    const { backup: _omitted, ...rest } = healthy();
    const report = evaluateStatus(plan, Object.values(rest));
    expect(report.verdict).toBe('unreachable');
    expect(report.instances[2]).toMatchObject({ reachable: false, error: 'not read' });
  });

  it('only notes a mirror without log-shipping configuration, but is degraded when the principal or the backup store has none', () => {
    const mirrorBare = healthy();
    mirrorBare.primaryMirror = withSets(mirrorBare.primaryMirror, {
      'monitor-primary': [],
      'job-backup': [],
    });
    const mirrorReport = evaluate(mirrorBare);
    expect(mirrorReport.verdict).toBe('healthy');
    expect(mirrorReport.primaries[1]).toMatchObject({ configured: false, job: null });
    expect(mirrorReport.notes).toEqual([
      'SQL02\\PCHAT: not configured as a log-shipping primary, so shipping stops after a mirroring failover.',
    ]);

    const bare = healthy();
    bare.primary = withSets(bare.primary, { 'monitor-primary': [] });
    bare.backup = withSets(bare.backup, { 'monitor-secondary': [] });
    const report = evaluate(bare);
    expect(report.verdict).toBe('degraded');
    expect(report.reasons).toEqual([
      'SQL01\\PCHAT: mgc is not configured as a log-shipping primary.',
      'SQLDR01\\PCHAT: mgc is not configured as a log-shipping secondary.',
    ]);
  });

  it('is degraded when mirroring is suspended or no instance holds the principal', () => {
    const suspended = healthy();
    suspended.primary = withSets(suspended.primary, {
      databases: [
        {
          database_name: 'mgc',
          state_desc: 'ONLINE',
          mirroring_role_desc: 'PRINCIPAL',
          mirroring_state_desc: 'SUSPENDED',
        },
      ],
    });
    expect(evaluate(suspended).reasons).toEqual(['SQL01\\PCHAT: mirroring of mgc is SUSPENDED.']);

    const none = healthy();
    none.primary = withSets(none.primary, {
      databases: [
        {
          database_name: 'mgc',
          state_desc: 'RESTORING',
          mirroring_role_desc: 'MIRROR',
          mirroring_state_desc: 'SUSPENDED',
        },
      ],
    });
    const report = evaluate(none);
    expect(report.verdict).toBe('degraded');
    expect(report.primaries.every((p) => !p.active)).toBe(true);
    expect(report.reasons).toEqual(['Neither SQL01\\PCHAT nor SQL02\\PCHAT holds mgc as principal.']);
  });

  it('takes an unmirrored, online primary store as the principal', () => {
    const readings = healthy();
    readings.primary = withSets(readings.primary, {
      databases: [
        { database_name: 'mgc', state_desc: 'ONLINE', mirroring_role_desc: null, mirroring_state_desc: null },
      ],
    });
    const report = evaluate(readings);
    expect(report.verdict).toBe('healthy');
    expect(report.mirroring).toEqual({ principal: 'SQL01\\PCHAT', state: null });
  });
});

describe('readStatus', () => {
  it('reads all four instances at once, each query by id, and reports a failing instance with its error', async () => {
    const started: string[] = [];
    const release: (() => void)[] = [];
    const reader = {
      async read(server: { name: string }, text: string) {
        started.push(server.name);
        // Every instance's first read waits until all four have started: only a parallel read gets past this.
        if (release.length < 4) {
          const gate = new Promise<void>((resolve) => release.push(resolve));
          if (release.length === 4) release.forEach((r) => r());
          await gate;
        }
        if (server.name === 'SQLDR02\\PCHAT') throw new Error('SQLDR02\\PCHAT: Login failed');
        return [[{ text }]];
      },
    };
    const readings = await readStatus(plan, reader as never);
    expect(readings.map((r) => [r.role, r.ok])).toEqual([
      ['primary', true],
      ['primaryMirror', true],
      ['backup', true],
      ['backupMirror', false],
    ]);
    expect(readings[3]).toEqual({
      role: 'backupMirror',
      server: 'SQLDR02\\PCHAT',
      ok: false,
      error: 'SQLDR02\\PCHAT: Login failed',
    });
    const primary = readings[0]!;
    expect(primary.ok && Object.keys(primary.sets)).toEqual([
      'clock',
      'services',
      'databases',
      'monitor-primary',
      'errors',
      'job-backup',
    ]);
    expect(primary.ok && primary.sets.clock).toEqual([{ text: expect.stringContaining('GETDATE()') }]);
  });
});
