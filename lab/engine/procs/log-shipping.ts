// The log-shipping procedures of master (sys.sp_*_log_shipping_*) and SSMS's monitor procedures of msdb,
// with the effects Microsoft documents on the msdb tables and Agent jobs.
import type { LabValue } from '../contract';
import { createJob, deleteJob, findJob, SQLLOGSHIP } from '../agent';
import { findDb, newGuid } from '../database';
import { sqlError } from '../errors';
import { insert, remove, rows, sameText } from '../msdb';
import type { ProcCall, ProcDef } from '../tsql/host';
import { T } from '../tsql/values';
import { documentedParams, params } from './params';
import { runtimeOf } from './runtime';

const M = 'master.dbo.';

function str(v: LabValue): string | null {
  return v === null ? null : String(v);
}

function ls(name: string, run: ProcDef['run'], extra: Partial<ProcDef> = {}): ProcDef {
  return { name, home: 'sys', params: documentedParams(M + name), permission: 'ls', run, ...extra };
}

function deleteAlertJobIfUnused(call: ProcCall): void {
  const { inst } = runtimeOf(call);
  if (
    rows(inst, 'log_shipping_primary_databases').length > 0 ||
    rows(inst, 'log_shipping_secondary').length > 0
  )
    return;
  for (const a of rows(inst, 'log_shipping_monitor_alert')) deleteJob(inst, String(a.alert_job_id));
  remove(inst, 'log_shipping_monitor_alert', () => true);
}

function deletePrimaryConfig(call: ProcCall, primaryId: LabValue): void {
  const { inst } = runtimeOf(call);
  const cfg = rows(inst, 'log_shipping_primary_databases').find((r) => sameText(r.primary_id, primaryId));
  if (cfg?.backup_job_id) deleteJob(inst, String(cfg.backup_job_id));
  remove(inst, 'log_shipping_primary_databases', (r) => sameText(r.primary_id, primaryId));
  remove(inst, 'log_shipping_monitor_primary', (r) => sameText(r.primary_id, primaryId));
  remove(
    inst,
    'log_shipping_monitor_history_detail',
    (r) => sameText(r.agent_id, primaryId) && r.agent_type === 0,
  );
  remove(
    inst,
    'log_shipping_monitor_error_detail',
    (r) => sameText(r.agent_id, primaryId) && r.agent_type === 0,
  );
}

function deleteSecondaryPrimaryConfig(call: ProcCall, secondaryId: LabValue): void {
  const { inst } = runtimeOf(call);
  const cfg = rows(inst, 'log_shipping_secondary').find((r) => sameText(r.secondary_id, secondaryId));
  if (cfg?.copy_job_id) deleteJob(inst, String(cfg.copy_job_id));
  if (cfg?.restore_job_id) deleteJob(inst, String(cfg.restore_job_id));
  remove(inst, 'log_shipping_secondary', (r) => sameText(r.secondary_id, secondaryId));
  remove(
    inst,
    'log_shipping_monitor_history_detail',
    (r) => sameText(r.agent_id, secondaryId) && r.agent_type !== 0,
  );
  remove(
    inst,
    'log_shipping_monitor_error_detail',
    (r) => sameText(r.agent_id, secondaryId) && r.agent_type !== 0,
  );
}

function requireDatabase(call: ProcCall, name: string): boolean {
  const { inst } = runtimeOf(call);
  if (findDb(inst, name)) return true;
  call.raise(sqlError(15010, [name]));
  return false;
}

const addPrimary = ls('sp_add_log_shipping_primary_database', (call) => {
  const rt = runtimeOf(call);
  const { inst, world } = rt;
  const database = String(call.arg('@database'));
  if (!requireDatabase(call, database)) return 1;
  const overwrite = call.arg('@overwrite') === 1;
  const existing = rows(inst, 'log_shipping_primary_databases').find((r) =>
    sameText(r.primary_database, database),
  );
  if (existing) {
    if (!overwrite) {
      call.raise(sqlError(32001, [database]));
      return 1;
    }
    deletePrimaryConfig(call, existing.primary_id ?? null);
  }
  const jobName = String(call.arg('@backup_job_name'));
  if (findJob(inst, { name: jobName })) {
    if (!overwrite) {
      call.raise(sqlError(14261, ['@name', jobName]));
      return 1;
    }
    deleteJob(inst, String(findJob(inst, { name: jobName })!.job_id));
  }
  const primaryId = newGuid();
  const jobId = createJob(world, inst, {
    name: jobName,
    enabled: false,
    description: 'Log shipping backup job.',
    stepName: 'Log shipping backup log job step.',
    subsystem: 'CmdExec',
    command: `${SQLLOGSHIP} -Backup ${primaryId} -server ${inst.serverName}`,
    owner: call.session.login,
  });
  const monitor = str(call.arg('@monitor_server'));
  insert(inst, 'log_shipping_primary_databases', {
    primary_id: primaryId,
    primary_database: database,
    backup_directory: call.arg('@backup_directory'),
    backup_share: call.arg('@backup_share'),
    backup_retention_period: call.arg('@backup_retention_period'),
    backup_job_id: jobId,
    monitor_server: monitor ?? inst.serverName,
    monitor_server_security_mode: call.arg('@monitor_server_security_mode') ?? 1,
    last_backup_file: null,
    last_backup_date: null,
    user_specified_monitor: monitor ? 1 : 0,
    backup_compression: call.arg('@backup_compression'),
  });
  insert(inst, 'log_shipping_monitor_primary', {
    primary_id: primaryId,
    primary_server: inst.serverName,
    primary_database: database,
    backup_threshold: call.arg('@backup_threshold'),
    threshold_alert: call.arg('@threshold_alert'),
    threshold_alert_enabled: call.arg('@threshold_alert_enabled'),
    last_backup_file: null,
    last_backup_date: null,
    last_backup_date_utc: null,
    history_retention_period: call.arg('@history_retention_period'),
    created_ms: world.clock.nowMs(),
  });
  call.setOutput('@backup_job_id', jobId);
  call.setOutput('@primary_id', primaryId);
  world.changed();
  return 0;
});

const addPrimarySecondary = ls('sp_add_log_shipping_primary_secondary', (call) => {
  const { inst, world } = runtimeOf(call);
  const database = String(call.arg('@primary_database'));
  const cfg = rows(inst, 'log_shipping_primary_databases').find((r) =>
    sameText(r.primary_database, database),
  );
  if (!cfg) {
    call.raise(sqlError(32010, [database]));
    return 1;
  }
  const server = String(call.arg('@secondary_server'));
  const sdb = String(call.arg('@secondary_database'));
  const exists = rows(inst, 'log_shipping_primary_secondaries').find(
    (r) =>
      sameText(r.primary_id, cfg.primary_id ?? null) &&
      sameText(r.secondary_server, server) &&
      sameText(r.secondary_database, sdb),
  );
  if (exists) {
    if (call.arg('@overwrite') === 1) return 0;
    call.raise(sqlError(32012, [server, sdb, database]));
    return 1;
  }
  insert(inst, 'log_shipping_primary_secondaries', {
    primary_id: cfg.primary_id,
    secondary_server: server,
    secondary_database: sdb,
  });
  world.changed();
  return 0;
});

const addAlertJob = ls('sp_add_log_shipping_alert_job', (call) => {
  const { inst, world } = runtimeOf(call);
  const existing = rows(inst, 'log_shipping_monitor_alert')[0];
  if (existing && findJob(inst, { id: existing.alert_job_id ?? null })) {
    call.setOutput('@alert_job_id', existing.alert_job_id ?? null);
    return 0;
  }
  remove(inst, 'log_shipping_monitor_alert', () => true);
  const jobId = createJob(world, inst, {
    name: `LSAlert_${inst.serverName}`,
    enabled: true,
    description: 'Log shipping alert job.',
    stepName: 'Log shipping alert job step.',
    subsystem: 'TSQL',
    command: 'exec sys.sp_check_log_shipping_monitor_alert',
    owner: call.session.login,
  });
  const scheduleId = addScheduleRow(call, `Log shipping alert job schedule.`, {
    freq_type: 4,
    freq_interval: 1,
    freq_subday_type: 2,
    freq_subday_interval: 120,
  });
  attach(call, jobId, scheduleId);
  insert(inst, 'log_shipping_monitor_alert', { alert_job_id: jobId });
  call.setOutput('@alert_job_id', jobId);
  world.changed();
  return 0;
});

/** Adds a schedule row (shared with the Agent procedures). */
export function addScheduleRow(call: ProcCall, name: string, values: Record<string, LabValue>): number {
  const { inst, world } = runtimeOf(call);
  const now = world.clock.now();
  const id = (inst.counters.schedule_id = (inst.counters.schedule_id ?? 0) + 1);
  const today = now.getUTCFullYear() * 10000 + (now.getUTCMonth() + 1) * 100 + now.getUTCDate();
  insert(inst, 'sysschedules', {
    schedule_id: id,
    schedule_uid: newGuid(),
    originating_server_id: 0,
    name,
    owner_sid: new Uint8Array([1]),
    enabled: 1,
    freq_type: 4,
    freq_interval: 1,
    freq_subday_type: 1,
    freq_subday_interval: 0,
    freq_relative_interval: 0,
    freq_recurrence_factor: 0,
    active_start_date: today,
    active_end_date: 99991231,
    active_start_time: 0,
    active_end_time: 235959,
    date_created: now,
    date_modified: now,
    version_number: 1,
    ...values,
  });
  return id;
}

export function attach(call: ProcCall, jobId: string, scheduleId: number): void {
  const { inst, world } = runtimeOf(call);
  const js = insert(inst, 'sysjobschedules', {
    schedule_id: scheduleId,
    job_id: jobId,
    next_run_date: 0,
    next_run_time: 0,
  });
  world.refreshNextRun(inst, js);
}

const addSecondaryPrimary = ls('sp_add_log_shipping_secondary_primary', (call) => {
  const { inst, world } = runtimeOf(call);
  const primaryServer = String(call.arg('@primary_server'));
  const primaryDb = String(call.arg('@primary_database'));
  const overwrite = call.arg('@overwrite') === 1;
  const existing = rows(inst, 'log_shipping_secondary').find(
    (r) => sameText(r.primary_server, primaryServer) && sameText(r.primary_database, primaryDb),
  );
  if (existing) {
    if (!overwrite) {
      call.raise(sqlError(32024, [primaryServer, primaryDb]));
      return 1;
    }
    deleteSecondaryPrimaryConfig(call, existing.secondary_id ?? null);
  }
  for (const jn of [call.arg('@copy_job_name'), call.arg('@restore_job_name')]) {
    const j = findJob(inst, { name: jn });
    if (j) {
      if (!overwrite) {
        call.raise(sqlError(14261, ['@name', String(jn)]));
        return 1;
      }
      deleteJob(inst, String(j.job_id));
    }
  }
  const secondaryId = newGuid();
  const common = { enabled: false, subsystem: 'CmdExec' as const, owner: call.session.login };
  const copyJob = createJob(world, inst, {
    ...common,
    name: String(call.arg('@copy_job_name')),
    description: 'Log shipping copy job.',
    stepName: 'Log shipping copy job step.',
    command: `${SQLLOGSHIP} -Copy ${secondaryId} -server ${inst.serverName}`,
  });
  const restoreJob = createJob(world, inst, {
    ...common,
    name: String(call.arg('@restore_job_name')),
    description: 'Log shipping restore job.',
    stepName: 'Log shipping restore job step.',
    command: `${SQLLOGSHIP} -Restore ${secondaryId} -server ${inst.serverName}`,
  });
  const monitor = str(call.arg('@monitor_server'));
  insert(inst, 'log_shipping_secondary', {
    secondary_id: secondaryId,
    primary_server: primaryServer,
    primary_database: primaryDb,
    backup_source_directory: call.arg('@backup_source_directory'),
    backup_destination_directory: call.arg('@backup_destination_directory'),
    file_retention_period: call.arg('@file_retention_period') ?? 14420,
    copy_job_id: copyJob,
    restore_job_id: restoreJob,
    monitor_server: monitor ?? inst.serverName,
    monitor_server_security_mode: call.arg('@monitor_server_security_mode') ?? 1,
    last_copied_file: null,
    last_copied_date: null,
  });
  call.setOutput('@copy_job_id', copyJob);
  call.setOutput('@restore_job_id', restoreJob);
  call.setOutput('@secondary_id', secondaryId);
  world.changed();
  return 0;
});

const addSecondaryDatabase = ls('sp_add_log_shipping_secondary_database', (call) => {
  const { inst, world } = runtimeOf(call);
  const sdb = String(call.arg('@secondary_database'));
  const primaryServer = String(call.arg('@primary_server'));
  const primaryDb = String(call.arg('@primary_database'));
  const sec = rows(inst, 'log_shipping_secondary').find(
    (r) => sameText(r.primary_server, primaryServer) && sameText(r.primary_database, primaryDb),
  );
  if (!sec) {
    call.raise(sqlError(32023, [primaryServer, primaryDb]));
    return 1;
  }
  if (!requireDatabase(call, sdb)) return 1;
  const existing = rows(inst, 'log_shipping_secondary_databases').find((r) =>
    sameText(r.secondary_database, sdb),
  );
  if (existing) {
    if (call.arg('@overwrite') !== 1) {
      call.raise(sqlError(32013, [sdb]));
      return 1;
    }
    remove(inst, 'log_shipping_secondary_databases', (r) => sameText(r.secondary_database, sdb));
    remove(inst, 'log_shipping_monitor_secondary', (r) => sameText(r.secondary_database, sdb));
  }
  insert(inst, 'log_shipping_secondary_databases', {
    secondary_database: sdb,
    secondary_id: sec.secondary_id,
    restore_delay: call.arg('@restore_delay'),
    restore_all: call.arg('@restore_all') ?? 1,
    restore_mode: call.arg('@restore_mode') ?? 0,
    disconnect_users: call.arg('@disconnect_users'),
    block_size: call.arg('@block_size'),
    buffer_count: call.arg('@buffer_count'),
    max_transfer_size: call.arg('@max_transfer_size'),
    last_restored_file: null,
    last_restored_date: null,
  });
  insert(inst, 'log_shipping_monitor_secondary', {
    secondary_server: inst.serverName,
    secondary_database: sdb,
    secondary_id: sec.secondary_id,
    primary_server: primaryServer,
    primary_database: primaryDb,
    restore_threshold: call.arg('@restore_threshold') ?? 45,
    threshold_alert: call.arg('@threshold_alert'),
    threshold_alert_enabled: call.arg('@threshold_alert_enabled'),
    history_retention_period: call.arg('@history_retention_period') ?? 14420,
    created_ms: world.clock.nowMs(),
  });
  world.changed();
  return 0;
});

const deletePrimarySecondary = ls('sp_delete_log_shipping_primary_secondary', (call) => {
  const { inst, world } = runtimeOf(call);
  const cfg = rows(inst, 'log_shipping_primary_databases').find((r) =>
    sameText(r.primary_database, call.arg('@primary_database')),
  );
  if (!cfg) {
    call.raise(sqlError(32010, [String(call.arg('@primary_database'))]));
    return 1;
  }
  remove(
    inst,
    'log_shipping_primary_secondaries',
    (r) =>
      sameText(r.primary_id, cfg.primary_id) &&
      sameText(r.secondary_server, call.arg('@secondary_server')) &&
      sameText(r.secondary_database, call.arg('@secondary_database')),
  );
  world.changed();
  return 0;
});

const deletePrimary = ls('sp_delete_log_shipping_primary_database', (call) => {
  const { inst, world } = runtimeOf(call);
  const database = String(call.arg('@database'));
  const cfg = rows(inst, 'log_shipping_primary_databases').find((r) =>
    sameText(r.primary_database, database),
  );
  if (!cfg) {
    call.raise(sqlError(32010, [database]));
    return 1;
  }
  if (rows(inst, 'log_shipping_primary_secondaries').some((r) => sameText(r.primary_id, cfg.primary_id))) {
    call.raise(sqlError(32011, [database]));
    return 1;
  }
  deletePrimaryConfig(call, cfg.primary_id ?? null);
  deleteAlertJobIfUnused(call);
  world.changed();
  return 0;
});

const deleteSecondaryDatabase = ls('sp_delete_log_shipping_secondary_database', (call) => {
  const { inst, world } = runtimeOf(call);
  const sdb = String(call.arg('@secondary_database'));
  const row = rows(inst, 'log_shipping_secondary_databases').find((r) => sameText(r.secondary_database, sdb));
  if (!row) {
    call.raise(sqlError(32014, [sdb]));
    return 1;
  }
  remove(inst, 'log_shipping_secondary_databases', (r) => sameText(r.secondary_database, sdb));
  remove(inst, 'log_shipping_monitor_secondary', (r) => sameText(r.secondary_database, sdb));
  // The last secondary database of a primary takes the secondary_primary entry and its jobs with it.
  if (
    !rows(inst, 'log_shipping_secondary_databases').some((r) => sameText(r.secondary_id, row.secondary_id))
  ) {
    deleteSecondaryPrimaryConfig(call, row.secondary_id ?? null);
    deleteAlertJobIfUnused(call);
  }
  world.changed();
  return 0;
});

const deleteSecondaryPrimary = ls('sp_delete_log_shipping_secondary_primary', (call) => {
  const { inst, world } = runtimeOf(call);
  const server = String(call.arg('@primary_server'));
  const db = String(call.arg('@primary_database'));
  const cfg = rows(inst, 'log_shipping_secondary').find(
    (r) => sameText(r.primary_server, server) && sameText(r.primary_database, db),
  );
  if (!cfg) {
    call.raise(sqlError(32023, [server, db]));
    return 1;
  }
  deleteSecondaryPrimaryConfig(call, cfg.secondary_id ?? null);
  deleteAlertJobIfUnused(call);
  world.changed();
  return 0;
});

const deleteAlertJob: ProcDef = {
  name: 'sp_delete_log_shipping_alert_job',
  home: 'sys',
  params: [],
  permission: 'ls',
  run: (call) => {
    const { inst, world } = runtimeOf(call);
    for (const a of rows(inst, 'log_shipping_monitor_alert')) deleteJob(inst, String(a.alert_job_id));
    remove(inst, 'log_shipping_monitor_alert', () => true);
    world.changed();
    return 0;
  },
};

function applySupplied(
  call: ProcCall,
  target: Record<string, LabValue> | undefined,
  mapping: Record<string, string>,
): void {
  if (!target) return;
  for (const [param, column] of Object.entries(mapping))
    if (call.supplied.has(param)) target[column] = call.arg(param);
}

const changePrimary = ls('sp_change_log_shipping_primary_database', (call) => {
  const { inst, world } = runtimeOf(call);
  const database = String(call.arg('@database'));
  const cfg = rows(inst, 'log_shipping_primary_databases').find((r) =>
    sameText(r.primary_database, database),
  );
  if (!cfg) {
    call.raise(sqlError(32010, [database]));
    return 1;
  }
  applySupplied(call, cfg, {
    '@backup_directory': 'backup_directory',
    '@backup_share': 'backup_share',
    '@backup_retention_period': 'backup_retention_period',
    '@backup_compression': 'backup_compression',
    '@monitor_server_security_mode': 'monitor_server_security_mode',
  });
  const mon = rows(inst, 'log_shipping_monitor_primary').find((r) => sameText(r.primary_id, cfg.primary_id));
  applySupplied(call, mon, {
    '@backup_threshold': 'backup_threshold',
    '@threshold_alert': 'threshold_alert',
    '@threshold_alert_enabled': 'threshold_alert_enabled',
    '@history_retention_period': 'history_retention_period',
  });
  world.changed();
  return 0;
});

const changeSecondaryPrimary = ls('sp_change_log_shipping_secondary_primary', (call) => {
  const { inst, world } = runtimeOf(call);
  const server = String(call.arg('@primary_server'));
  const db = String(call.arg('@primary_database'));
  const cfg = rows(inst, 'log_shipping_secondary').find(
    (r) => sameText(r.primary_server, server) && sameText(r.primary_database, db),
  );
  if (!cfg) {
    call.raise(sqlError(32023, [server, db]));
    return 1;
  }
  applySupplied(call, cfg, {
    '@backup_source_directory': 'backup_source_directory',
    '@backup_destination_directory': 'backup_destination_directory',
    '@file_retention_period': 'file_retention_period',
    '@monitor_server_security_mode': 'monitor_server_security_mode',
  });
  world.changed();
  return 0;
});

const changeSecondaryDatabase = ls('sp_change_log_shipping_secondary_database', (call) => {
  const { inst, world } = runtimeOf(call);
  const sdb = String(call.arg('@secondary_database'));
  const row = rows(inst, 'log_shipping_secondary_databases').find((r) => sameText(r.secondary_database, sdb));
  if (!row) {
    call.raise(sqlError(32014, [sdb]));
    return 1;
  }
  applySupplied(call, row, {
    '@restore_delay': 'restore_delay',
    '@restore_all': 'restore_all',
    '@restore_mode': 'restore_mode',
    '@disconnect_users': 'disconnect_users',
    '@block_size': 'block_size',
    '@buffer_count': 'buffer_count',
    '@max_transfer_size': 'max_transfer_size',
  });
  const mon = rows(inst, 'log_shipping_monitor_secondary').find((r) => sameText(r.secondary_database, sdb));
  applySupplied(call, mon, {
    '@restore_threshold': 'restore_threshold',
    '@threshold_alert': 'threshold_alert',
    '@threshold_alert_enabled': 'threshold_alert_enabled',
    '@history_retention_period': 'history_retention_period',
  });
  world.changed();
  return 0;
});

function minutesSince(now: number, d: LabValue | undefined): number | null {
  return d instanceof Date ? Math.floor((now - d.getTime()) / 60000) : null;
}

const helpMonitor = ls('sp_help_log_shipping_monitor', (call) => {
  const { inst, world } = runtimeOf(call);
  const now = world.clock.nowMs();
  const out: (LabValue | undefined)[][] = [];
  for (const p of rows(inst, 'log_shipping_monitor_primary')) {
    const since = minutesSince(now, p.last_backup_date);
    const lastOutcomeFailed =
      rows(inst, 'log_shipping_monitor_history_detail')
        .filter((h) => sameText(h.agent_id, p.primary_id) && h.agent_type === 0)
        .slice(-1)[0]?.session_status === 3;
    const late =
      since === null
        ? Math.floor((now - Number(p.created_ms ?? now)) / 60000) > Number(p.backup_threshold)
        : since > Number(p.backup_threshold);
    out.push([
      late || lastOutcomeFailed ? 1 : 0,
      1,
      p.primary_server,
      p.primary_database,
      since,
      p.last_backup_file,
      p.backup_threshold,
      p.threshold_alert_enabled,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  }
  for (const s of rows(inst, 'log_shipping_monitor_secondary')) {
    const since = minutesSince(now, s.last_restored_date);
    const failed =
      rows(inst, 'log_shipping_monitor_history_detail')
        .filter((h) => sameText(h.agent_id, s.secondary_id) && h.agent_type !== 0)
        .slice(-1)[0]?.session_status === 3;
    const late =
      since === null
        ? Math.floor((now - Number(s.created_ms ?? now)) / 60000) > Number(s.restore_threshold)
        : since > Number(s.restore_threshold);
    out.push([
      late || failed ? 1 : 0,
      0,
      s.secondary_server,
      s.secondary_database,
      null,
      null,
      null,
      null,
      minutesSince(now, s.last_copied_date),
      s.last_copied_file,
      since,
      s.last_restored_file,
      s.last_restored_latency,
      s.restore_threshold,
      s.threshold_alert_enabled,
    ]);
  }
  call.resultSet(
    [
      { name: 'status', type: T.bit },
      { name: 'is_primary', type: T.bit },
      { name: 'server', type: T.sysname },
      { name: 'database_name', type: T.sysname },
      { name: 'time_since_last_backup', type: T.int },
      { name: 'last_backup_file', type: T.nvarchar(500) },
      { name: 'backup_threshold', type: T.int },
      { name: 'is_backup_alert_enabled', type: T.bit },
      { name: 'time_since_last_copy', type: T.int },
      { name: 'last_copied_file', type: T.nvarchar(500) },
      { name: 'time_since_last_restore', type: T.int },
      { name: 'last_restored_file', type: T.nvarchar(500) },
      { name: 'last_restored_latency', type: T.int },
      { name: 'restore_threshold', type: T.int },
      { name: 'is_restore_alert_enabled', type: T.bit },
    ],
    out,
  );
  return 0;
});

const helpPrimary = ls('sp_help_log_shipping_primary_database', (call) => {
  const { inst } = runtimeOf(call);
  const db = call.arg('@database');
  const id = call.arg('@primary_id');
  if (db === null && id === null) {
    call.raise(sqlError(32010, ['(null)']));
    return 1;
  }
  const cfg = rows(inst, 'log_shipping_primary_databases').find((r) =>
    id !== null ? sameText(r.primary_id, id) : sameText(r.primary_database, db),
  );
  if (!cfg) {
    call.raise(sqlError(32010, [String(db ?? id)]));
    return 1;
  }
  const mon =
    rows(inst, 'log_shipping_monitor_primary').find((r) => sameText(r.primary_id, cfg.primary_id)) ?? {};
  call.resultSet(
    [
      { name: 'primary_id', type: T.guid },
      { name: 'primary_database', type: T.sysname },
      { name: 'backup_directory', type: T.nvarchar(500) },
      { name: 'backup_share', type: T.nvarchar(500) },
      { name: 'backup_retention_period', type: T.int },
      { name: 'backup_compression', type: T.tinyint },
      { name: 'backup_job_id', type: T.guid },
      { name: 'monitor_server', type: T.sysname },
      { name: 'monitor_server_security_mode', type: T.bit },
      { name: 'backup_threshold', type: T.int },
      { name: 'threshold_alert', type: T.int },
      { name: 'threshold_alert_enabled', type: T.bit },
      { name: 'last_backup_file', type: T.nvarchar(500) },
      { name: 'last_backup_date', type: T.datetime },
      { name: 'last_backup_date_utc', type: T.datetime },
      { name: 'history_retention_period', type: T.int },
    ],
    [
      [
        cfg.primary_id ?? null,
        cfg.primary_database ?? null,
        cfg.backup_directory ?? null,
        cfg.backup_share ?? null,
        cfg.backup_retention_period ?? null,
        cfg.backup_compression ?? null,
        cfg.backup_job_id ?? null,
        cfg.monitor_server ?? null,
        cfg.monitor_server_security_mode ?? null,
        mon.backup_threshold ?? null,
        mon.threshold_alert ?? null,
        mon.threshold_alert_enabled ?? null,
        mon.last_backup_file ?? null,
        mon.last_backup_date ?? null,
        mon.last_backup_date_utc ?? null,
        mon.history_retention_period ?? null,
      ],
    ],
  );
  return 0;
});

const helpSecondary = ls('sp_help_log_shipping_secondary_database', (call) => {
  const { inst } = runtimeOf(call);
  const sdb = call.arg('@secondary_database');
  const sid = call.arg('@secondary_id');
  const dbs = rows(inst, 'log_shipping_secondary_databases').filter((r) =>
    sid !== null ? sameText(r.secondary_id, sid) : sameText(r.secondary_database, sdb),
  );
  if (dbs.length === 0) {
    call.raise(sqlError(32014, [String(sdb ?? sid)]));
    return 1;
  }
  const out: LabValue[][] = [];
  for (const d of dbs) {
    const sec =
      rows(inst, 'log_shipping_secondary').find((r) => sameText(r.secondary_id, d.secondary_id)) ?? {};
    const mon =
      rows(inst, 'log_shipping_monitor_secondary').find((r) =>
        sameText(r.secondary_database, d.secondary_database),
      ) ?? {};
    out.push([
      sec.secondary_id ?? null,
      sec.primary_server ?? null,
      sec.primary_database ?? null,
      sec.backup_source_directory ?? null,
      sec.backup_destination_directory ?? null,
      sec.file_retention_period ?? null,
      sec.copy_job_id ?? null,
      sec.restore_job_id ?? null,
      sec.monitor_server ?? null,
      sec.monitor_server_security_mode ?? null,
      d.secondary_database ?? null,
      d.restore_delay ?? null,
      d.restore_all ?? null,
      d.restore_mode ?? null,
      d.disconnect_users ?? null,
      d.block_size ?? null,
      d.buffer_count ?? null,
      d.max_transfer_size ?? null,
      mon.restore_threshold ?? null,
      mon.threshold_alert ?? null,
      mon.threshold_alert_enabled ?? null,
      mon.last_copied_file ?? null,
      mon.last_copied_date ?? null,
      mon.last_copied_date_utc ?? null,
      mon.last_restored_file ?? null,
      mon.last_restored_date ?? null,
      mon.last_restored_date_utc ?? null,
      mon.history_retention_period ?? null,
      mon.last_restored_latency ?? null,
    ]);
  }
  const cols: [string, ReturnType<typeof T.nvarchar>][] = [
    ['secondary_id', T.guid],
    ['primary_server', T.sysname],
    ['primary_database', T.sysname],
    ['backup_source_directory', T.nvarchar(500)],
    ['backup_destination_directory', T.nvarchar(500)],
    ['file_retention_period', T.int],
    ['copy_job_id', T.guid],
    ['restore_job_id', T.guid],
    ['monitor_server', T.sysname],
    ['monitor_server_security_mode', T.bit],
    ['secondary_database', T.sysname],
    ['restore_delay', T.int],
    ['restore_all', T.bit],
    ['restore_mode', T.bit],
    ['disconnect_users', T.bit],
    ['block_size', T.int],
    ['buffer_count', T.int],
    ['max_transfer_size', T.int],
    ['restore_threshold', T.int],
    ['threshold_alert', T.int],
    ['threshold_alert_enabled', T.bit],
    ['last_copied_file', T.nvarchar(500)],
    ['last_copied_date', T.datetime],
    ['last_copied_date_utc', T.datetime],
    ['last_restored_file', T.nvarchar(500)],
    ['last_restored_date', T.datetime],
    ['last_restored_date_utc', T.datetime],
    ['history_retention_period', T.int],
    ['last_restored_latency', T.int],
  ];
  call.resultSet(
    cols.map(([name, type]) => ({ name, type })),
    out,
  );
  return 0;
});

const refreshMonitor: ProcDef = {
  name: 'sp_refresh_log_shipping_monitor',
  home: 'sys',
  permission: 'ls',
  params: params([
    ['@agent_id', 'uniqueidentifier', { required: true }],
    ['@agent_type', 'tinyint', { required: true }],
    ['@database', 'sysname'],
    ['@mode', 'tinyint', { default: 1 }],
  ]),
  run: () => 0,
};

const cleanupHistory: ProcDef = {
  name: 'sp_cleanup_log_shipping_history',
  home: 'sys',
  permission: 'ls',
  params: params([
    ['@agent_id', 'uniqueidentifier', { required: true }],
    ['@agent_type', 'tinyint', { required: true }],
  ]),
  run: (call) => {
    const { inst, world } = runtimeOf(call);
    const agentId = call.arg('@agent_id');
    const mon = [
      ...rows(inst, 'log_shipping_monitor_primary'),
      ...rows(inst, 'log_shipping_monitor_secondary'),
    ].find((r) => sameText(r.primary_id ?? r.secondary_id, agentId));
    const retention = Number(mon?.history_retention_period ?? 14420) * 60000;
    const cutoff = world.clock.nowMs() - retention;
    for (const t of ['log_shipping_monitor_history_detail', 'log_shipping_monitor_error_detail'])
      remove(
        inst,
        t,
        (r) => sameText(r.agent_id, agentId) && r.log_time instanceof Date && r.log_time.getTime() < cutoff,
      );
    world.changed();
    return 0;
  },
};

const processMonitorPrimary: ProcDef = {
  name: 'sp_processlogshippingmonitorprimary',
  home: 'msdb',
  permission: 'ls',
  params: documentedParams('msdb.dbo.sp_processlogshippingmonitorprimary'),
  run: (call) => {
    const { inst, world } = runtimeOf(call);
    const id = call.arg('@primary_id');
    remove(
      inst,
      'log_shipping_monitor_primary',
      (r) => sameText(r.primary_id, id) && sameText(r.primary_server, call.arg('@primary_server')),
    );
    if (call.arg('@mode') === 1)
      insert(inst, 'log_shipping_monitor_primary', {
        primary_id: id,
        primary_server: call.arg('@primary_server'),
        primary_database: call.arg('@primary_database'),
        backup_threshold: call.arg('@backup_threshold'),
        threshold_alert: call.arg('@threshold_alert'),
        threshold_alert_enabled: call.arg('@threshold_alert_enabled'),
        history_retention_period: call.arg('@history_retention_period'),
        created_ms: world.clock.nowMs(),
      });
    world.changed();
    return 0;
  },
};

const processMonitorSecondary: ProcDef = {
  name: 'sp_processlogshippingmonitorsecondary',
  home: 'msdb',
  permission: 'ls',
  params: documentedParams('msdb.dbo.sp_processlogshippingmonitorsecondary'),
  run: (call) => {
    const { inst, world } = runtimeOf(call);
    const id = call.arg('@secondary_id');
    remove(
      inst,
      'log_shipping_monitor_secondary',
      (r) => sameText(r.secondary_id, id) && sameText(r.secondary_database, call.arg('@secondary_database')),
    );
    if (call.arg('@mode') === 1)
      insert(inst, 'log_shipping_monitor_secondary', {
        secondary_server: call.arg('@secondary_server'),
        secondary_database: call.arg('@secondary_database'),
        secondary_id: id,
        primary_server: call.arg('@primary_server'),
        primary_database: call.arg('@primary_database'),
        restore_threshold: call.arg('@restore_threshold'),
        threshold_alert: call.arg('@threshold_alert'),
        threshold_alert_enabled: call.arg('@threshold_alert_enabled'),
        history_retention_period: call.arg('@history_retention_period'),
        created_ms: world.clock.nowMs(),
      });
    world.changed();
    return 0;
  },
};

export const LOG_SHIPPING_PROCS: ProcDef[] = [
  addPrimary,
  addPrimarySecondary,
  addAlertJob,
  addSecondaryPrimary,
  addSecondaryDatabase,
  deletePrimarySecondary,
  deletePrimary,
  deleteSecondaryDatabase,
  deleteSecondaryPrimary,
  deleteAlertJob,
  changePrimary,
  changeSecondaryPrimary,
  changeSecondaryDatabase,
  helpMonitor,
  helpPrimary,
  helpSecondary,
  refreshMonitor,
  cleanupHistory,
  processMonitorPrimary,
  processMonitorSecondary,
];
