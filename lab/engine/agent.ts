// SQL Server Agent of each instance: jobs, schedules evaluated on the lab clock, and the log-shipping job steps
// (sqllogship -Backup/-Copy/-Restore and the alert job) acting on real files.
import fs from 'node:fs';
import path from 'node:path';
import type { LabValue } from './contract';
import { backupFileSets, runBackup, runRestore, statementErrors, type InstanceContext } from './backup';
import { findDb, newGuid } from './database';
import { formatMessage, MESSAGES } from './errors';
import { agentDate, insert, nextId, remove, rows, sameText } from './msdb';
import { mapPath, osErrorText } from './paths';
import type { InstanceState, Row } from './state';
import type { WorldInternals } from './world-internals';

export const SQLLOGSHIP = '"C:\\Program Files\\Microsoft SQL Server\\130\\Tools\\Binn\\sqllogship.exe"';

export interface NewJob {
  name: string;
  enabled: boolean;
  description: string;
  stepName: string;
  subsystem: 'CmdExec' | 'TSQL';
  command: string;
  databaseName?: string;
  owner: string;
}

/** Creates a job with one step, as sp_add_job + sp_add_jobstep would. */
export function createJob(world: WorldInternals, inst: InstanceState, job: NewJob): string {
  const id = newGuid();
  const now = world.clock.now();
  insert(inst, 'sysjobs', {
    job_id: id,
    originating_server_id: 0,
    name: job.name,
    enabled: job.enabled ? 1 : 0,
    description: job.description,
    start_step_id: 1,
    category_id: 6,
    owner_sid: new Uint8Array([1]),
    notify_level_eventlog: 2,
    delete_level: 0,
    date_created: now,
    date_modified: now,
    version_number: 1,
    owner_login: job.owner,
  });
  insert(inst, 'sysjobsteps', {
    job_id: id,
    step_id: 1,
    step_name: job.stepName,
    subsystem: job.subsystem,
    command: job.command,
    database_name: job.databaseName ?? 'master',
    on_success_action: 1,
    on_fail_action: 2,
    last_run_outcome: 0,
    last_run_date: 0,
    last_run_time: 0,
  });
  return id;
}

export function findJob(inst: InstanceState, idOrName: { id?: LabValue; name?: LabValue }): Row | undefined {
  return rows(inst, 'sysjobs').find((j) =>
    idOrName.id != null ? sameText(j.job_id, idOrName.id) : sameText(j.name, idOrName.name ?? null),
  );
}

export function deleteJob(inst: InstanceState, jobId: string, deleteUnusedSchedules = true): void {
  const scheduleIds = rows(inst, 'sysjobschedules')
    .filter((r) => sameText(r.job_id, jobId))
    .map((r) => r.schedule_id);
  remove(inst, 'sysjobs', (r) => sameText(r.job_id, jobId));
  remove(inst, 'sysjobsteps', (r) => sameText(r.job_id, jobId));
  remove(inst, 'sysjobschedules', (r) => sameText(r.job_id, jobId));
  remove(inst, 'sysjobhistory', (r) => sameText(r.job_id, jobId));
  remove(inst, 'sysjobactivity', (r) => sameText(r.job_id, jobId));
  if (deleteUnusedSchedules)
    for (const sid of scheduleIds)
      if (!rows(inst, 'sysjobschedules').some((r) => r.schedule_id === sid))
        remove(inst, 'sysschedules', (r) => r.schedule_id === sid);
}

// ---- schedules ----

function ymdToUtc(ymd: number): number {
  return Date.UTC(Math.floor(ymd / 10000), (Math.floor(ymd / 100) % 100) - 1, ymd % 100);
}

function hmsToMs(hms: number): number {
  return (Math.floor(hms / 10000) * 3600 + (Math.floor(hms / 100) % 100) * 60 + (hms % 100)) * 1000;
}

/** The next time (ms) strictly after `afterMs` at which the schedule fires, or undefined. */
export function nextRunAfter(s: Row, afterMs: number): number | undefined {
  if (Number(s.enabled) !== 1) return undefined;
  const freqType = Number(s.freq_type);
  const interval = Math.max(1, Number(s.freq_interval) || 1);
  const subType = Number(s.freq_subday_type) || 1;
  const subInterval = Number(s.freq_subday_interval) || 0;
  const startDay = ymdToUtc(Number(s.active_start_date) || 19900101);
  const endDay = ymdToUtc(Number(s.active_end_date) || 99991231);
  const startTime = hmsToMs(Number(s.active_start_time) || 0);
  const endTime = hmsToMs(s.active_end_time == null ? 235959 : Number(s.active_end_time));
  if (![1, 4, 8, 16].includes(freqType)) return undefined;
  const dayMs = 86400000;
  let day = Math.max(startDay, Math.floor(afterMs / dayMs) * dayMs);
  for (let k = 0; k < 800 && day <= endDay; k++, day += dayMs) {
    const daysSince = Math.round((day - startDay) / dayMs);
    let qualifies = false;
    if (freqType === 1) qualifies = day === startDay;
    else if (freqType === 4) qualifies = daysSince % interval === 0;
    else if (freqType === 8) qualifies = (interval & (1 << new Date(day).getUTCDay())) !== 0;
    else if (freqType === 16) qualifies = new Date(day).getUTCDate() === interval;
    if (!qualifies) continue;
    if (freqType === 1 || subType === 1) {
      const t = day + startTime;
      if (t > afterMs) return t;
      if (freqType === 1) return undefined;
      continue;
    }
    const step = (subType === 2 ? 1000 : subType === 4 ? 60000 : 3600000) * Math.max(1, subInterval);
    let t = day + startTime;
    if (t <= afterMs) t += Math.ceil((afterMs - t + 1) / step) * step;
    if (t <= day + endTime) return t;
  }
  return undefined;
}

/** Recomputes sysjobschedules.next_run_* from `fromMs` (after attach, after a run, when Agent starts). */
export function refreshNextRun(inst: InstanceState, js: Row, fromMs: number): void {
  const sched = rows(inst, 'sysschedules').find((s) => s.schedule_id === js.schedule_id);
  const next = sched ? nextRunAfter(sched, fromMs) : undefined;
  js.next_run_ms = next ?? null;
  if (next === undefined) {
    js.next_run_date = 0;
    js.next_run_time = 0;
  } else {
    const d = agentDate(new Date(next));
    js.next_run_date = d.date;
    js.next_run_time = d.time;
  }
}

export function refreshAllNextRuns(inst: InstanceState, fromMs: number): void {
  for (const js of rows(inst, 'sysjobschedules')) refreshNextRun(inst, js, fromMs);
}

// ---- job execution ----

interface StepOutcome {
  ok: boolean;
  message: string;
  sqlMessageId?: number;
  sqlSeverity?: number;
}

const KIND_ORDER: Record<string, number> = { backup: 0, copy: 1, restore: 2, alert: 3, other: 4 };

export function jobKind(inst: InstanceState, jobId: LabValue | undefined): string {
  const step = rows(inst, 'sysjobsteps').find((s) => sameText(s.job_id, jobId) && s.step_id === 1);
  const cmd = String(step?.command ?? '');
  const m = / -(Backup|Copy|Restore) /i.exec(cmd);
  if (m) return m[1]!.toLowerCase();
  if (/sp_check_log_shipping_monitor_alert/i.test(cmd)) return 'alert';
  return 'other';
}

export function kindOrder(kind: string): number {
  return KIND_ORDER[kind] ?? 4;
}

/** The current SQL Server Agent session (msdb.dbo.syssessions); a new one each time Agent starts. */
export function startAgentSession(world: WorldInternals, inst: InstanceState): number {
  const id = nextId(inst, 'agent_session');
  insert(inst, 'syssessions', { session_id: id, agent_start_date: world.clock.now() });
  return id;
}

function currentAgentSession(world: WorldInternals, inst: InstanceState): number {
  return inst.counters.agent_session ?? startAgentSession(world, inst);
}

/**
 * Marks a job as running in sysjobactivity (one row per job and Agent session, as msdb keeps it): called when
 * sp_start_job queues the run, so a poll right after sees it running.
 */
export function markJobStarted(
  world: WorldInternals,
  inst: InstanceState,
  jobId: string,
  invokedBy: string,
): Row {
  const sessionId = currentAgentSession(world, inst);
  const now = world.clock.now();
  let activity = rows(inst, 'sysjobactivity').find(
    (r) => r.session_id === sessionId && sameText(r.job_id, jobId),
  );
  activity ??= insert(inst, 'sysjobactivity', { session_id: sessionId, job_id: jobId });
  if (activity.stop_execution_date === null && activity.start_execution_date instanceof Date) return activity;
  activity.run_requested_date = now;
  activity.run_requested_source = invokedBy.startsWith('Schedule') ? '1' : '4';
  activity.queued_date = null;
  activity.start_execution_date = now;
  activity.stop_execution_date = null;
  activity.last_executed_step_id = null;
  activity.last_executed_step_date = null;
  activity.job_history_id = null;
  return activity;
}

/** Runs a job to completion now and records history; `invokedBy` goes into the job outcome message. */
export function runJob(world: WorldInternals, inst: InstanceState, jobId: string, invokedBy: string): void {
  const job = findJob(inst, { id: jobId });
  if (!job) return;
  const step = rows(inst, 'sysjobsteps').find((s) => sameText(s.job_id, jobId) && s.step_id === 1);
  const start = world.clock.now();
  const activity = markJobStarted(world, inst, jobId, invokedBy);
  let outcome: StepOutcome;
  try {
    outcome = runStep(world, inst, String(step?.command ?? ''));
  } catch (e) {
    outcome = {
      ok: false,
      message: `Unhandled failure in the lab's job runner: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
  const end = world.clock.now();
  const { date, time } = agentDate(start);
  const duration = Math.round((end.getTime() - start.getTime()) / 1000);
  const stepName = String(step?.step_name ?? 'step 1');
  const stepMessage = `Executed as user: LAB\\sqlsvc. ${outcome.message}  Process Exit Code ${outcome.ok ? 0 : 1}.  The step ${outcome.ok ? 'succeeded' : 'failed'}.`;
  insert(inst, 'sysjobhistory', {
    instance_id: nextId(inst, 'jobhistory'),
    job_id: jobId,
    step_id: 1,
    step_name: stepName,
    sql_message_id: outcome.sqlMessageId ?? 0,
    sql_severity: outcome.sqlSeverity ?? 0,
    message: stepMessage.slice(0, 4000),
    run_status: outcome.ok ? 1 : 0,
    run_date: date,
    run_time: time,
    run_duration: duration,
    operator_id_emailed: 0,
    retries_attempted: 0,
    server: inst.serverName,
  });
  const historyId = nextId(inst, 'jobhistory');
  insert(inst, 'sysjobhistory', {
    instance_id: historyId,
    job_id: jobId,
    step_id: 0,
    step_name: '(Job outcome)',
    sql_message_id: 0,
    sql_severity: 0,
    message: `The job ${outcome.ok ? 'succeeded' : 'failed'}.  The Job was invoked by ${invokedBy}.  The last step to run was step 1 (${stepName}).`,
    run_status: outcome.ok ? 1 : 0,
    run_date: date,
    run_time: time,
    run_duration: duration,
    operator_id_emailed: 0,
    retries_attempted: 0,
    server: inst.serverName,
  });
  if (step) {
    step.last_run_outcome = outcome.ok ? 1 : 0;
    step.last_run_date = date;
    step.last_run_time = time;
  }
  activity.stop_execution_date = end;
  activity.last_executed_step_id = 1;
  activity.last_executed_step_date = start;
  activity.job_history_id = historyId;
  trimHistory(world, inst, jobId);
  world.changed();
}

/** Agent keeps at most 100 history rows per job and 1000 in all (its defaults); log shipping its retention period. */
function trimHistory(world: WorldInternals, inst: InstanceState, jobId: string): void {
  const all = rows(inst, 'sysjobhistory');
  const mine = all.filter((h) => sameText(h.job_id, jobId));
  const drop = new Set<Row>(mine.slice(0, Math.max(0, mine.length - 100)));
  const rest = all.filter((h) => !drop.has(h));
  inst.msdb.sysjobhistory = rest.slice(Math.max(0, rest.length - 1000));
  const now = world.clock.nowMs();
  const retention = new Map<string, number>();
  for (const m of [
    ...rows(inst, 'log_shipping_monitor_primary'),
    ...rows(inst, 'log_shipping_monitor_secondary'),
  ])
    retention.set(
      String(m.primary_id ?? m.secondary_id).toUpperCase(),
      Number(m.history_retention_period ?? 14420) * 60000,
    );
  for (const table of ['log_shipping_monitor_history_detail', 'log_shipping_monitor_error_detail'])
    remove(inst, table, (r) => {
      const keep = retention.get(String(r.agent_id).toUpperCase()) ?? 14420 * 60000;
      return r.log_time instanceof Date && r.log_time.getTime() < now - keep;
    });
}

function runStep(world: WorldInternals, inst: InstanceState, command: string): StepOutcome {
  const m = / -(Backup|Copy|Restore) ([0-9A-Fa-f-]{36})/.exec(command);
  if (m) {
    const kind = m[1]!.toLowerCase();
    const id = m[2]!.toUpperCase();
    if (kind === 'backup') return backupStep(world, inst, id);
    if (kind === 'copy') return copyStep(world, inst, id);
    return restoreStep(world, inst, id);
  }
  if (/sp_check_log_shipping_monitor_alert/i.test(command)) return alertStep(world, inst);
  return { ok: true, message: 'The lab has nothing to run for this step.' };
}

function stamp(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

function logTime(d: Date): string {
  return d.toISOString().replace('T', ' ').slice(0, 22);
}

/** Writes a row to log_shipping_monitor_history_detail (and error_detail for errors). */
function lsLog(
  world: WorldInternals,
  inst: InstanceState,
  agentId: string,
  agentType: 0 | 1 | 2,
  sessionId: number,
  db: string,
  status: 0 | 1 | 2 | 3 | 4,
  message: string,
): void {
  const now = world.clock.now();
  insert(inst, 'log_shipping_monitor_history_detail', {
    agent_id: agentId,
    agent_type: agentType,
    session_id: sessionId,
    database_name: db,
    session_status: status,
    log_time: now,
    log_time_utc: now,
    message,
  });
  if (status === 3) {
    insert(inst, 'log_shipping_monitor_error_detail', {
      agent_id: agentId,
      agent_type: agentType,
      session_id: sessionId,
      database_name: db,
      sequence_number: nextId(inst, 'ls_error_seq'),
      log_time: now,
      log_time_utc: now,
      message,
      source: agentType === 0 ? 'Microsoft.SqlServer.Management.LogShipping' : '.Net SqlClient Data Provider',
      help_url: null,
    });
  }
}

function ctxOf(world: WorldInternals, inst: InstanceState): InstanceContext {
  return { world, inst, login: 'LAB\\sqlsvc' };
}

function backupStep(world: WorldInternals, inst: InstanceState, primaryId: string): StepOutcome {
  const cfg = rows(inst, 'log_shipping_primary_databases').find((r) => sameText(r.primary_id, primaryId));
  if (!cfg)
    return {
      ok: false,
      message: `*** Error: The specified agent_id ${primaryId} or agent_type 0 do not form a valid pair for log shipping monitoring processing.`,
    };
  const dbName = String(cfg.primary_database);
  const session = nextId(inst, 'ls_session');
  const now = world.clock.now();
  lsLog(
    world,
    inst,
    primaryId,
    0,
    session,
    dbName,
    0,
    'Starting transaction log backup. Secondary ID: ' + primaryId,
  );
  const db = findDb(inst, dbName);
  if (db && db.state === 'RESTORING' && db.mirroring?.role === 'MIRROR') {
    const msg = `Skipping log backup for primary database '${dbName}' because it is a database mirroring mirror in the RESTORING state (the backup job runs on whichever partner is the principal).`;
    lsLog(world, inst, primaryId, 0, session, dbName, 2, msg);
    return { ok: true, message: msg };
  }
  const dir = String(cfg.backup_directory).replace(/\\+$/, '');
  // Two partners back up into the same share, and a manual lab clock can stand still between runs: a file name must
  // still be newer than every .trn already there, or the copy job (which goes by name) would never pick it up.
  const file = `${dbName}_${stamp(new Date(Math.max(now.getTime(), newestTrnTime(world, inst, dir, dbName) + 1000)))}.trn`;
  const device = `${dir}\\${file}`;
  const options = new Map<string, LabValue | true>();
  if (Number(cfg.backup_compression) === 1) options.set('COMPRESSION', true);
  try {
    runBackup(ctxOf(world, inst), 'LOG', dbName, [device], options, undefined);
  } catch (e) {
    const errs = statementErrors(e);
    const text = errs.map((x) => x.message).join(' ') || String(e);
    lsLog(
      world,
      inst,
      primaryId,
      0,
      session,
      dbName,
      3,
      `*** Error: Backup failed for Server '${inst.serverName}'. (Microsoft.SqlServer.SmoExtended) *** ${text}`,
    );
    return {
      ok: false,
      message: `${logTime(now)}\t*** Error: ${text}`,
      sqlMessageId: errs[0]?.number ?? 0,
      sqlSeverity: errs[0]?.severity ?? 16,
    };
  }
  // Retention: delete this database's .trn files older than backup_retention_period minutes.
  const retentionMs = Number(cfg.backup_retention_period ?? 4320) * 60000;
  const mapped = mapPath(world.pathContext(), inst.machine, dir, 'write');
  if (mapped.ok) deleteOlderThan(mapped.hostPath, dbName, now.getTime() - retentionMs);
  cfg.last_backup_file = device;
  cfg.last_backup_date = now;
  for (const mon of rows(inst, 'log_shipping_monitor_primary').filter((r) =>
    sameText(r.primary_id, primaryId),
  )) {
    mon.last_backup_file = device;
    mon.last_backup_date = now;
    mon.last_backup_date_utc = now;
  }
  lsLog(world, inst, primaryId, 0, session, dbName, 2, `Backed up transaction log to file ${device}.`);
  return {
    ok: true,
    message: `${logTime(now)}\tBacked up transaction log of database '${dbName}' to file '${device}'.`,
  };
}

/** The newest <db>_<yyyyMMddHHmmss>.trn time in a backup folder, or -Infinity when there is none. */
function newestTrnTime(world: WorldInternals, inst: InstanceState, dir: string, db: string): number {
  const mapped = mapPath(world.pathContext(), inst.machine, dir, 'write');
  if (!mapped.ok || !fs.existsSync(mapped.hostPath)) return Number.NEGATIVE_INFINITY;
  return Math.max(
    Number.NEGATIVE_INFINITY,
    ...fs.readdirSync(mapped.hostPath).map((n) => trnTime(n, db) ?? Number.NEGATIVE_INFINITY),
  );
}

/** Parses <db>_<yyyyMMddHHmmss>.trn into a UTC time. */
function trnTime(name: string, db: string): number | undefined {
  const m = new RegExp(`^${db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}_(\\d{14})\\.trn$`, 'i').exec(name);
  if (!m) return undefined;
  const s = m[1]!;
  return Date.UTC(
    Number(s.slice(0, 4)),
    Number(s.slice(4, 6)) - 1,
    Number(s.slice(6, 8)),
    Number(s.slice(8, 10)),
    Number(s.slice(10, 12)),
    Number(s.slice(12, 14)),
  );
}

function listTrn(hostDir: string, db: string): string[] {
  try {
    return fs
      .readdirSync(hostDir)
      .filter((f) => trnTime(f, db) !== undefined)
      .sort();
  } catch {
    return [];
  }
}

function deleteOlderThan(hostDir: string, db: string, cutoffMs: number): void {
  for (const f of listTrn(hostDir, db))
    if ((trnTime(f, db) ?? Infinity) < cutoffMs) fs.rmSync(path.join(hostDir, f), { force: true });
}

function copyStep(world: WorldInternals, inst: InstanceState, secondaryId: string): StepOutcome {
  const cfg = rows(inst, 'log_shipping_secondary').find((r) => sameText(r.secondary_id, secondaryId));
  if (!cfg) return { ok: false, message: `*** Error: secondary id ${secondaryId} is not configured.` };
  const db = String(cfg.primary_database);
  const session = nextId(inst, 'ls_session');
  const now = world.clock.now();
  lsLog(
    world,
    inst,
    secondaryId,
    1,
    session,
    db,
    0,
    'Starting transaction log copy. Secondary ID: ' + secondaryId,
  );
  const srcDir = String(cfg.backup_source_directory).replace(/\\+$/, '');
  const dstDir = String(cfg.backup_destination_directory).replace(/\\+$/, '');
  const src = mapPath(world.pathContext(), inst.machine, srcDir, 'read');
  const dst = mapPath(world.pathContext(), inst.machine, dstDir, 'write');
  const problem = !src.ok
    ? `Could not find a part of the path '${srcDir}'. ${osErrorText(src.osError)}`
    : !fs.existsSync(src.hostPath)
      ? `Could not find a part of the path '${srcDir}'.`
      : !dst.ok
        ? `Access to the path '${dstDir}' is denied. ${osErrorText(dst.osError)}`
        : !fs.existsSync(dst.hostPath)
          ? `Could not find a part of the path '${dstDir}'.`
          : undefined;
  if (problem || !src.ok || !dst.ok) {
    const msg = `*** Error: ${problem ?? 'path error'}(mscorlib) ***`;
    lsLog(world, inst, secondaryId, 1, session, db, 3, msg);
    return { ok: false, message: `${logTime(now)}\t${msg}` };
  }
  const lastCopied = cfg.last_copied_file
    ? path.win32.basename(String(cfg.last_copied_file)).toLowerCase()
    : '';
  let copied = 0;
  for (const f of listTrn(src.hostPath, db)) {
    if (f.toLowerCase() <= lastCopied) continue;
    fs.copyFileSync(path.join(src.hostPath, f), path.join(dst.hostPath, f));
    copied++;
    const destFile = `${dstDir}\\${f}`;
    cfg.last_copied_file = destFile;
    cfg.last_copied_date = now;
    for (const mon of rows(inst, 'log_shipping_monitor_secondary').filter((r) =>
      sameText(r.secondary_id, secondaryId),
    )) {
      mon.last_copied_file = destFile;
      mon.last_copied_date = now;
      mon.last_copied_date_utc = now;
    }
    lsLog(world, inst, secondaryId, 1, session, db, 1, `Copied file '${srcDir}\\${f}' to '${destFile}'.`);
  }
  const retention = Number(cfg.file_retention_period ?? 14420) * 60000;
  deleteOlderThan(dst.hostPath, db, now.getTime() - retention);
  const msg = `The copy operation was successful. Number of files copied: ${copied}.`;
  lsLog(world, inst, secondaryId, 1, session, db, 2, msg);
  return { ok: true, message: `${logTime(now)}\t${msg}` };
}

function restoreStep(world: WorldInternals, inst: InstanceState, secondaryId: string): StepOutcome {
  const cfg = rows(inst, 'log_shipping_secondary').find((r) => sameText(r.secondary_id, secondaryId));
  if (!cfg) return { ok: false, message: `*** Error: secondary id ${secondaryId} is not configured.` };
  const primaryDb = String(cfg.primary_database);
  const dstDir = String(cfg.backup_destination_directory).replace(/\\+$/, '');
  const dst = mapPath(world.pathContext(), inst.machine, dstDir, 'read');
  const now = world.clock.now();
  const messages: string[] = [];
  let ok = true;
  let firstError: { number: number; severity: number } | undefined;
  for (const sdb of rows(inst, 'log_shipping_secondary_databases').filter((r) =>
    sameText(r.secondary_id, secondaryId),
  )) {
    const dbName = String(sdb.secondary_database);
    const session = nextId(inst, 'ls_session');
    lsLog(
      world,
      inst,
      secondaryId,
      2,
      session,
      dbName,
      0,
      'Starting transaction log restore. Secondary ID: ' + secondaryId,
    );
    const db = findDb(inst, dbName);
    if (!dst.ok || !db) {
      ok = false;
      const msg = !db
        ? `*** Error: The database '${dbName}' does not exist on ${inst.serverName}.`
        : `*** Error: Could not find a part of the path '${dstDir}'.(mscorlib) ***`;
      lsLog(world, inst, secondaryId, 2, session, dbName, 3, msg);
      messages.push(msg);
      continue;
    }
    const delayMs = Number(sdb.restore_delay ?? 0) * 60000;
    let restored = 0;
    let lastError: string | undefined;
    for (const f of listTrn(dst.hostPath, primaryDb)) {
      const sets = backupFileSets(path.join(dst.hostPath, f));
      const set = sets?.find((s) => s.type === 'L');
      if (!set) continue;
      const redo = db.redoLsn ?? db.endLsn;
      if (set.lastLsn <= redo) {
        lsLog(
          world,
          inst,
          secondaryId,
          2,
          session,
          dbName,
          1,
          `Skipped log backup file '${dstDir}\\${f}'. It has already been applied.`,
        );
        continue;
      }
      if (set.finish.getTime() + delayMs > now.getTime()) break;
      if (db.state !== 'RESTORING' && !db.standby) {
        lastError = `*** Error: The database '${dbName}' is not in a restoring or standby state; log shipping cannot restore to it.`;
        break;
      }
      const options = new Map<string, LabValue | true>();
      if (Number(sdb.restore_mode) === 1) {
        const dataFile = db.files.find((x) => x.type === 'ROWS')?.physical ?? 'D:\\';
        options.set('STANDBY', `${path.win32.dirname(dataFile)}\\${dbName}_${stamp(now)}.tuf`);
      } else options.set('NORECOVERY', true);
      try {
        runRestore(ctxOf(world, inst), 'LOG', dbName, [`${dstDir}\\${f}`], options, [], undefined);
      } catch (e) {
        const errs = statementErrors(e);
        lastError = `*** Error: ${errs.map((x) => x.message).join(' ')}(.Net SqlClient Data Provider) ***`;
        firstError ??= errs[0] ? { number: errs[0].number, severity: errs[0].severity } : undefined;
        break;
      }
      restored++;
      const file = `${dstDir}\\${f}`;
      sdb.last_restored_file = file;
      sdb.last_restored_date = now;
      const latency = Math.max(0, Math.round((now.getTime() - set.finish.getTime()) / 60000));
      for (const mon of rows(inst, 'log_shipping_monitor_secondary').filter(
        (r) => sameText(r.secondary_id, secondaryId) && sameText(r.secondary_database, dbName),
      )) {
        mon.last_restored_file = file;
        mon.last_restored_date = now;
        mon.last_restored_date_utc = now;
        mon.last_restored_latency = latency;
      }
      lsLog(
        world,
        inst,
        secondaryId,
        2,
        session,
        dbName,
        1,
        `Restored log backup file. Secondary DB: '${dbName}', File: '${file}'`,
      );
    }
    if (lastError) {
      ok = false;
      lsLog(world, inst, secondaryId, 2, session, dbName, 3, lastError);
      messages.push(lastError);
      continue;
    }
    const msg =
      restored === 0
        ? `Could not find a log backup file that could be applied to secondary database '${dbName}'.`
        : `The restore operation was successful. Secondary Database: '${dbName}', Number of log backup files restored: ${restored}`;
    lsLog(world, inst, secondaryId, 2, session, dbName, 2, msg);
    messages.push(msg);
  }
  return {
    ok,
    message: `${logTime(now)}\t${messages.join(' ')}`,
    ...(firstError ? { sqlMessageId: firstError.number, sqlSeverity: firstError.severity } : {}),
  };
}

function alertStep(world: WorldInternals, inst: InstanceState): StepOutcome {
  const now = world.clock.nowMs();
  const raised: string[] = [];
  let number = 0;
  for (const p of rows(inst, 'log_shipping_monitor_primary')) {
    if (Number(p.threshold_alert_enabled) !== 1) continue;
    const since =
      p.last_backup_date instanceof Date ? p.last_backup_date.getTime() : Number(p.created_ms ?? now);
    const minutes = Math.floor((now - since) / 60000);
    if (minutes > Number(p.backup_threshold)) {
      raised.push(
        formatMessage(MESSAGES[14420]!.text, [
          p.primary_server,
          p.primary_database,
          p.backup_threshold,
          minutes,
        ]) + ' [SQLSTATE 42000] (Error 14420)',
      );
      number = 14420;
    }
  }
  for (const s of rows(inst, 'log_shipping_monitor_secondary')) {
    if (Number(s.threshold_alert_enabled) !== 1) continue;
    const since =
      s.last_restored_date instanceof Date ? s.last_restored_date.getTime() : Number(s.created_ms ?? now);
    const minutes = Math.floor((now - since) / 60000);
    if (minutes > Number(s.restore_threshold)) {
      raised.push(
        formatMessage(MESSAGES[14421]!.text, [
          s.secondary_server,
          s.secondary_database,
          s.restore_threshold,
          minutes,
          Number(s.last_restored_latency ?? 0),
        ]) + ' [SQLSTATE 42000] (Error 14421)',
      );
      number ||= 14421;
    }
  }
  if (raised.length === 0) return { ok: true, message: 'No log shipping threshold was crossed.' };
  return { ok: false, message: raised.join('  '), sqlMessageId: number, sqlSeverity: 16 };
}

/** Due scheduled runs across instances up to `untilMs`, earliest first; ties in backup, copy, restore, alert order. */
export function dueRuns(
  insts: InstanceState[],
  untilMs: number,
): { inst: InstanceState; js: Row; at: number; order: number }[] {
  const out: { inst: InstanceState; js: Row; at: number; order: number }[] = [];
  insts.forEach((inst) => {
    if (!inst.agentRunning) return;
    for (const js of rows(inst, 'sysjobschedules')) {
      const at = js.next_run_ms;
      if (typeof at !== 'number' || at > untilMs) continue;
      out.push({ inst, js, at, order: kindOrder(jobKind(inst, js.job_id)) });
    }
  });
  return out.sort((a, b) => a.at - b.at || a.order - b.order);
}

export { stamp, trnTime };
