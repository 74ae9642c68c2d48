import { describe, expect, it } from 'vitest';
import { labPlan } from '@/lib/plan/defaults';
import { planSchema } from '@/lib/plan/schema';
import type { CommandOutcome, ShellStreams } from '@/lib/shell/execute';
import { activeServersCommand, getPersistentChatStateCommand } from '@/lib/shell/generate/dr';
import type { ShellCommandArtifact } from './artifact';
import type { ServerRole } from './ids';
import {
  datediffMinutes,
  evaluateStatus,
  type InstanceReading,
  type PoolStatus,
  readInstances,
  readPool,
  readStatus,
} from './status';

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

function normalPool(patch: Partial<PoolStatus> = {}): PoolStatus {
  return {
    fqdn: 'pchat.lab.local',
    state: 'Normal',
    activeServers: ['FE01.lab.local', 'FE02.lab.local'],
    inactiveServers: ['FEDR01.lab.local'],
    ...patch,
  };
}

function evaluate(readings: Record<ServerRole, InstanceReading>, now?: Date, pool = normalPool()) {
  return evaluateStatus(plan, { instances: Object.values(readings), pool }, now);
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
    expect(report.pool).toEqual(normalPool());
    expect(report.warnings).toEqual([]);
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
    const report = evaluateStatus(plan, { instances: Object.values(rest), pool: normalPool() });
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

const failoverReason =
  'The pool pchat.lab.local is failed over to the backup store SQLDR01\\PCHAT, without disaster recovery: run dr-failback once the primary data center is rebuilt.';
const expectedNote =
  'Expected while the pool is failed over, not to be fixed: dr-failover removed log shipping and the primary data center may be down; dr-failback and the setup stages set log shipping up again.';
const failedOverPool = normalPool({
  state: 'FailedOver',
  activeServers: ['FEDR01.lab.local'],
  inactiveServers: ['FE01.lab.local', 'FE02.lab.local'],
});

/** After dr-failover with the primary data center lost: the backup store recovered, mirrored, no log shipping left. */
function failedOver(): Record<ServerRole, InstanceReading> {
  return {
    primary: down('primary'),
    primaryMirror: down('primaryMirror'),
    backup: ok('backup', {
      ...common('backup', {
        state_desc: 'ONLINE',
        mirroring_role_desc: 'PRINCIPAL',
        mirroring_state_desc: 'SYNCHRONIZED',
      }),
      'monitor-secondary': [],
      'job-copy': [],
      'job-restore': [],
    }),
    backupMirror: ok(
      'backupMirror',
      common('backupMirror', {
        state_desc: 'RESTORING',
        mirroring_role_desc: 'MIRROR',
        mirroring_state_desc: 'SYNCHRONIZED',
      }),
    ),
  };
}

describe('evaluateStatus with the pool state', () => {
  it('is degraded, not unreachable, when the pool is failed over and the primary data center is lost, and says to fail back', () => {
    const report = evaluate(failedOver(), undefined, failedOverPool);
    expect(report.verdict).toBe('degraded');
    expect(report.reasons).toEqual([failoverReason]);
    expect(report.pool).toEqual(failedOverPool);
    expect(report.mirroring).toEqual({ principal: 'SQLDR01\\PCHAT', state: 'SYNCHRONIZED' });
    expect(report.primaries.map((p) => p.active)).toEqual([false, false]);
    expect(report.notes).toEqual([
      expectedNote,
      'SQL01\\PCHAT: cannot be read: did not answer in time',
      'SQL02\\PCHAT: cannot be read: did not answer in time',
      'SQLDR01\\PCHAT: mgc is not configured as a log-shipping secondary.',
    ]);
    expect(report.warnings).toEqual([]);
  });

  it('notes, without asking to fix them, the thresholds and jobs log shipping leaves behind on a failed-over pool', () => {
    const readings = failedOver();
    // The primary data center answered: its tail was backed up WITH NORECOVERY and its backup job disabled.
    readings.primary = ok('primary', {
      ...primarySets('primary', 'PRINCIPAL', '2026-11-26 09:00:00'),
      services: [{ service_kind: 'agent', status_desc: 'Stopped' }],
      databases: [
        {
          database_name: 'mgc',
          state_desc: 'RESTORING',
          mirroring_role_desc: null,
          mirroring_state_desc: null,
        },
      ],
      'job-backup': job('LSBackup_mgc', { enabled: false }),
    });
    readings.backup = ok('backup', {
      ...backupSets('2026-11-26 09:30:00'),
      databases: [
        {
          database_name: 'mgc',
          state_desc: 'ONLINE',
          mirroring_role_desc: 'PRINCIPAL',
          mirroring_state_desc: 'SYNCHRONIZED',
        },
      ],
      'job-restore': job('LSRestore_SQL01\\PCHAT_mgc', {
        last_run_status: 0,
        last_run_message: 'No log to restore.',
      }),
    });
    const report = evaluate(readings, undefined, failedOverPool);
    expect(report.verdict).toBe('degraded');
    expect(report.reasons).toEqual([failoverReason]);
    expect(report.secondary.crossed).toBe(true);
    expect(report.notes).toEqual([
      expectedNote,
      'SQL01\\PCHAT: SQL Server Agent is stopped, so no log-shipping job runs there.',
      'SQL02\\PCHAT: cannot be read: did not answer in time',
      'SQL01\\PCHAT: the backup job LSBackup_mgc is disabled.',
      'SQLDR01\\PCHAT: no log restored into mgc for 150 minutes, over the restore threshold of 45 minutes.',
      'SQLDR01\\PCHAT: the last run of LSRestore_SQL01\\PCHAT_mgc failed: No log to restore.',
    ]);

    // The same readings on a pool in Normal state are problems to fix.
    const normal = evaluate(readings);
    expect(normal.verdict).toBe('unreachable');
    expect(normal.reasons).toContain(
      'SQLDR01\\PCHAT: no log restored into mgc for 150 minutes, over the restore threshold of 45 minutes.',
    );
    expect(normal.notes).not.toContain(expectedNote);
  });

  it('is unreachable when the pool is failed over and its backup store cannot be read', () => {
    const readings = failedOver();
    readings.backup = down('backup');
    const report = evaluate(readings, undefined, failedOverPool);
    expect(report.verdict).toBe('unreachable');
    expect(report.reasons).toEqual([
      failoverReason,
      'SQLDR01\\PCHAT (backup store): cannot be read: did not answer in time',
    ]);
    expect(report.mirroring.principal).toBeNull();
  });

  it('asks to finish dr-failover when the failed-over pool has no online, mirrored database on the backup store', () => {
    const report = evaluate(healthy(), undefined, failedOverPool);
    expect(report.verdict).toBe('degraded');
    expect(report.reasons).toEqual([
      failoverReason,
      'SQLDR01\\PCHAT: the pool is failed over to it, but mgc is RESTORING there, not ONLINE: finish dr-failover so the pool can use it.',
    ]);
    expect(report.mirroring).toEqual({ principal: null, state: null });

    const unmirrored = failedOver();
    unmirrored.backup = withSets(unmirrored.backup, {
      databases: [
        { database_name: 'mgc', state_desc: 'ONLINE', mirroring_role_desc: null, mirroring_state_desc: null },
      ],
    });
    expect(evaluate(unmirrored, undefined, failedOverPool).reasons).toEqual([
      failoverReason,
      'SQLDR01\\PCHAT: mgc is not mirrored, so the failed-over pool has no high availability: check the Install-CsMirrorDatabase step of dr-failover.',
    ]);

    const suspended = failedOver();
    suspended.backup = withSets(suspended.backup, {
      databases: [
        {
          database_name: 'mgc',
          state_desc: 'ONLINE',
          mirroring_role_desc: 'PRINCIPAL',
          mirroring_state_desc: 'SUSPENDED',
        },
      ],
    });
    expect(evaluate(suspended, undefined, failedOverPool).reasons).toEqual([
      failoverReason,
      'SQLDR01\\PCHAT: mirroring of mgc is SUSPENDED.',
    ]);
  });

  it('warns when the pool state is unknown and leaves the verdict to SQL Server', () => {
    const unknown = normalPool({
      state: 'unknown',
      activeServers: [],
      inactiveServers: [],
      error: 'The SkypeForBusiness module could not be loaded: not found.',
    });
    const report = evaluate(healthy(), undefined, unknown);
    expect(report.verdict).toBe('healthy');
    expect(report.reasons).toEqual([]);
    expect(report.warnings).toEqual([
      'The state of the pool pchat.lab.local could not be read, so this verdict judges SQL Server only: The SkypeForBusiness module could not be loaded: not found.',
    ]);
    expect(report.pool).toEqual(unknown);

    const readings = healthy();
    readings.primary = down('primary');
    const down1 = evaluate(readings, undefined, unknown);
    expect(down1.verdict).toBe('unreachable');
    expect(down1.warnings).toHaveLength(1);
  });

  it('warns when only the active servers could not be read, and is degraded when none is active', () => {
    const unread = evaluate(
      healthy(),
      undefined,
      normalPool({
        activeServers: [],
        inactiveServers: [],
        error: 'Get-CsService -PersistentChatServer failed: x',
      }),
    );
    expect(unread.verdict).toBe('healthy');
    expect(unread.warnings).toEqual([
      'The active servers of the pool pchat.lab.local could not be read: Get-CsService -PersistentChatServer failed: x',
    ]);

    const none = evaluate(healthy(), undefined, normalPool({ activeServers: [] }));
    expect(none.verdict).toBe('degraded');
    expect(none.reasons).toEqual([
      'The pool pchat.lab.local has no active Persistent Chat server, so none serves chat: make the servers of the data center in use active (Set-CsPersistentChatActiveServer).',
    ]);
  });
});

const streams = (output: string[] = []): ShellStreams => ({
  output,
  errors: [],
  warnings: [],
  verbose: [],
  information: [],
});
const succeeded = (...output: string[]): CommandOutcome => ({
  status: 'succeeded',
  streams: streams(output),
  durationMs: 1,
});
const stateOutput = (state: string) =>
  succeeded(JSON.stringify([{ Identity: 'service:PersistentChatServer:pchat.lab.local', PoolState: state }]));
const serversOutput = succeeded(
  // ConvertTo-Json may break its output over lines; the reader joins them.
  '[{"Identity":"PersistentChatServer:pchat.lab.local",',
  '"ActiveServers":["FEDR01.lab.local"],"InactiveServers":["FE01.lab.local","FE02.lab.local"]}]',
);

type Answer = CommandOutcome | (() => Promise<CommandOutcome>);

function fakeShell(answers: Record<string, Answer>) {
  const ran: ShellCommandArtifact[] = [];
  return {
    ran,
    async run(command: ShellCommandArtifact): Promise<CommandOutcome> {
      ran.push(command);
      const answer = answers[command.id];
      if (!answer) throw new Error(`fixture: unexpected command ${command.id}`);
      return typeof answer === 'function' ? answer() : answer;
    },
  };
}

describe('readPool', () => {
  it('reads the pool state, then its active and inactive servers, with the two read-only commands', async () => {
    const shell = fakeShell({
      'persistent-chat-state': stateOutput('FailedOver'),
      'active-servers': serversOutput,
    });
    expect(await readPool(plan, shell)).toEqual({
      fqdn: 'pchat.lab.local',
      state: 'FailedOver',
      activeServers: ['FEDR01.lab.local'],
      inactiveServers: ['FE01.lab.local', 'FE02.lab.local'],
    });
    expect(shell.ran).toEqual([
      getPersistentChatStateCommand('pchat.lab.local'),
      activeServersCommand('pchat.lab.local'),
    ]);
    expect(shell.ran.every((c) => c.readOnly)).toBe(true);
  });

  it('reports a missing SfB module as unknown, with what to do, without a second try', async () => {
    const shell = fakeShell({
      'persistent-chat-state': {
        status: 'unavailable',
        streams: streams(),
        durationMs: 0,
        detail: 'The SkypeForBusiness module could not be loaded: no valid module file was found.',
      },
    });
    const pool = await readPool(plan, shell);
    expect(pool).toMatchObject({ state: 'unknown', activeServers: [], inactiveServers: [] });
    expect(pool.error).toMatch(
      /^The SkypeForBusiness module could not be loaded: no valid module file was found\. Run /,
    );
    expect(pool.error).toContain('PCHAT_HADR_PS_MODULE_PATH');
    expect(shell.ran.map((c) => c.id)).toEqual(['persistent-chat-state']);
  });

  it('keeps the servers when only the state read fails, and names the cmdlet', async () => {
    const shell = fakeShell({
      'persistent-chat-state': {
        status: 'failed',
        streams: streams(),
        durationMs: 1,
        error: 'Cannot find the pool.',
      },
      'active-servers': serversOutput,
    });
    expect(await readPool(plan, shell)).toEqual({
      fqdn: 'pchat.lab.local',
      state: 'unknown',
      activeServers: ['FEDR01.lab.local'],
      inactiveServers: ['FE01.lab.local', 'FE02.lab.local'],
      error: 'Get-CsPersistentChatState failed: Cannot find the pool.',
    });
  });

  it('reports output it cannot understand as unknown', async () => {
    const odd = await readPool(
      plan,
      fakeShell({ 'persistent-chat-state': stateOutput('Maintenance'), 'active-servers': serversOutput }),
    );
    expect(odd.state).toBe('unknown');
    expect(odd.error).toBe(
      'Get-CsPersistentChatState reported no Normal or FailedOver state for pchat.lab.local (got Maintenance).',
    );

    const garbled = await readPool(
      plan,
      fakeShell({
        'persistent-chat-state': stateOutput('Normal'),
        'active-servers': succeeded('WARNING: x'),
      }),
    );
    expect(garbled).toMatchObject({ state: 'Normal', activeServers: [] });
    expect(garbled.error).toBe(
      'Get-CsService -PersistentChatServer returned something other than JSON: WARNING: x',
    );
  });

  it('never throws: a shell that throws or does not answer in time leaves the state unknown', async () => {
    const throwing = await readPool(plan, {
      run: () => Promise.reject(new Error('spawn pwsh ENOENT')),
    });
    expect(throwing).toMatchObject({ state: 'unknown', error: 'spawn pwsh ENOENT' });

    const silent = await readPool(
      plan,
      fakeShell({ 'persistent-chat-state': () => new Promise(() => {}) }),
      1,
    );
    expect(silent.state).toBe('unknown');
    expect(silent.error).toMatch(/^The SfB Management Shell did not answer within/);
  });
});

describe('readStatus', () => {
  it('reads the pool through the shell while SQL reads the instances', async () => {
    let shellStarted!: () => void;
    const shellRunning = new Promise<void>((resolve) => (shellStarted = resolve));
    let sqlStarted!: () => void;
    const sqlRunning = new Promise<void>((resolve) => (sqlStarted = resolve));
    // Each side waits until the other has started: read one after the other, they would wait forever.
    const sql = {
      async read() {
        sqlStarted();
        await shellRunning;
        return [[]];
      },
    };
    const shell = fakeShell({
      'persistent-chat-state': async () => {
        shellStarted();
        await sqlRunning;
        return stateOutput('Normal');
      },
      'active-servers': serversOutput,
    });
    const readings = await readStatus(plan, { sql, shell });
    expect(readings.instances.map((r) => r.ok)).toEqual([true, true, true, true]);
    expect(readings.pool.state).toBe('Normal');
  });
});

describe('readInstances', () => {
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
    const readings = await readInstances(plan, reader as never);
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
