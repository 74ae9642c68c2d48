// Log-shipping status (issue 5, Monitoring): read every instance at once, then judge the readings without I/O, so
// the CLI, the status page and the tests share one verdict. Thresholds are judged on each instance's own clock.
import type { Plan, Server } from '@/lib/plan/schema';
import { statusJobs, statusQueries } from '@/lib/sql/generate/status';
import { type ServerRole, serverRoles } from './ids';

type Row = Record<string, unknown>;

/** What the status needs of the SQL executor: `SqlExecutor.read`. */
export interface StatusReader {
  read(server: Server, text: string): Promise<Row[][]>;
}

/** One instance as read: every query's rows by query id, or why it could not be read. */
export type InstanceReading =
  | { role: ServerRole; server: string; ok: true; sets: Record<string, Row[]> }
  | { role: ServerRole; server: string; ok: false; error: string };

/** Reads all four instances in parallel; an instance that fails any read is reported unreachable with the error. */
export async function readStatus(plan: Plan, sql: StatusReader): Promise<InstanceReading[]> {
  return Promise.all(
    serverRoles.map(async (role): Promise<InstanceReading> => {
      const server = plan.servers[role];
      try {
        const sets: Record<string, Row[]> = {};
        for (const query of statusQueries(plan, role))
          sets[query.id] = (await sql.read(server, query.sql))[0] ?? [];
        return { role, server: server.name, ok: true, sets };
      } catch (error) {
        return { role, server: server.name, ok: false, error: (error as Error).message };
      }
    }),
  );
}

export type Verdict = 'healthy' | 'degraded' | 'unreachable';

export interface JobState {
  kind: 'backup' | 'copy' | 'restore';
  name: string;
  found: boolean;
  enabled: boolean | null;
  running: boolean;
  /** Outcome of the latest run in this Agent session: null when it has not run since Agent started. */
  lastRun: 'failed' | 'succeeded' | 'retry' | 'canceled' | null;
  lastRunMessage: string | null;
}

export interface PrimaryStatus {
  role: 'primary' | 'primaryMirror';
  server: string;
  reachable: boolean;
  /** `PRINCIPAL`, `MIRROR`, or null when the database is not mirrored or could not be read. */
  mirroringRole: string | null;
  /** Whether this instance is the one whose backups count now (the principal). */
  active: boolean;
  configured: boolean;
  lastBackupFile: string | null;
  /** Server wall-clock time, as the instance reports it. */
  lastBackupAt: string | null;
  minutesSinceBackup: number | null;
  threshold: number | null;
  alertEnabled: boolean | null;
  crossed: boolean;
  job: JobState | null;
}

export interface SecondaryStatus {
  server: string;
  reachable: boolean;
  configured: boolean;
  lastCopiedFile: string | null;
  lastCopiedAt: string | null;
  minutesSinceCopy: number | null;
  lastRestoredFile: string | null;
  lastRestoredAt: string | null;
  minutesSinceRestore: number | null;
  latencyMinutes: number | null;
  threshold: number | null;
  crossed: boolean;
  jobs: JobState[];
}

export interface InstanceStatus {
  role: ServerRole;
  server: string;
  reachable: boolean;
  error: string | null;
  agent: 'running' | 'stopped' | 'unknown';
  serverNow: string | null;
  database: string;
  databaseState: string | null;
  mirroringRole: string | null;
  mirroringState: string | null;
}

export interface StatusError {
  server: string;
  agent: 'backup' | 'copy' | 'restore';
  at: string | null;
  minutesAgo: number | null;
  message: string;
  source: string | null;
}

export interface StatusReport {
  verdict: Verdict;
  primaries: PrimaryStatus[];
  secondary: SecondaryStatus;
  mirroring: { principal: string | null; state: string | null };
  instances: InstanceStatus[];
  errors: StatusError[];
  /** Why the verdict is not healthy; empty when healthy. */
  reasons: string[];
  /** Facts worth showing that do not change the verdict. */
  notes: string[];
}

/** Errors logged this recently (minutes, on the instance's clock) make the status degraded. */
export const recentErrorMinutes = 60;

const runStatus = { 0: 'failed', 1: 'succeeded', 2: 'retry', 3: 'canceled' } as const;
const agentTypes = { 0: 'backup', 1: 'copy', 2: 'restore' } as const;

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number | null => (v === null || v === undefined || v === '' ? null : Number(v));
const bool = (v: unknown): boolean | null =>
  v === null || v === undefined ? null : v === true || Number(v) === 1;
const date = (v: unknown): Date | null =>
  v instanceof Date ? v : typeof v === 'string' ? new Date(v) : null;

// mssql hands datetime values over as if they were UTC, so the UTC fields are the server's wall clock.
const wallClock = (d: Date | null): string | null =>
  d ? d.toISOString().slice(0, 19).replace('T', ' ') : null;

/** DATEDIFF(minute, from, to): minute boundaries crossed, as SQL Server's alert job counts them. */
export function datediffMinutes(from: Date, to: Date): number {
  return Math.floor(to.getTime() / 60000) - Math.floor(from.getTime() / 60000);
}

function jobState(sets: Record<string, Row[]>, job: { kind: JobState['kind']; name: string }): JobState {
  const row = sets[`job-${job.kind}`]?.[0];
  if (!row)
    return { ...job, found: false, enabled: null, running: false, lastRun: null, lastRunMessage: null };
  const status = num(row.last_run_status);
  return {
    ...job,
    found: true,
    enabled: bool(row.enabled),
    running: bool(row.is_running) === true,
    lastRun: status === null ? null : (runStatus[status as keyof typeof runStatus] ?? null),
    lastRunMessage: text(row.last_run_message),
  };
}

function jobReasons(server: string, job: JobState): string[] {
  if (!job.found) return [`${server}: the ${job.kind} job ${job.name} does not exist.`];
  const reasons: string[] = [];
  if (job.enabled === false) reasons.push(`${server}: the ${job.kind} job ${job.name} is disabled.`);
  if (job.lastRun === 'failed') {
    reasons.push(
      `${server}: the last run of ${job.name} failed${job.lastRunMessage ? `: ${job.lastRunMessage}` : '.'}`,
    );
  }
  return reasons;
}

/**
 * Judges the readings: unreachable when the principal or the backup store cannot be read; degraded when a threshold
 * is crossed, a log-shipping job is missing, disabled or failed last, Agent is stopped, an agent logged an error in
 * the last hour, or another instance cannot be read. `now` stands in for an instance whose clock could not be read.
 */
export function evaluateStatus(
  plan: Plan,
  readings: InstanceReading[],
  now: Date = new Date(),
): StatusReport {
  const reasons: string[] = [];
  const notes: string[] = [];
  const errors: StatusError[] = [];
  const byRole = new Map(readings.map((r) => [r.role, r]));
  let unreachable = false;

  const instances: InstanceStatus[] = serverRoles.map((role) => {
    const reading = byRole.get(role);
    const database = role === 'backup' || role === 'backupMirror' ? plan.secondaryDatabase : plan.database;
    const base = { role, server: plan.servers[role].name, database };
    if (!reading || !reading.ok) {
      return {
        ...base,
        reachable: false,
        error: reading && !reading.ok ? reading.error : 'not read',
        agent: 'unknown',
        serverNow: null,
        databaseState: null,
        mirroringRole: null,
        mirroringState: null,
      };
    }
    const agentRow = reading.sets.services?.find((r) => r.service_kind === 'agent');
    const dbRow = reading.sets.databases?.find(
      (r) => String(r.database_name).toLowerCase() === database.toLowerCase(),
    );
    return {
      ...base,
      reachable: true,
      error: null,
      agent: !agentRow ? 'unknown' : agentRow.status_desc === 'Running' ? 'running' : 'stopped',
      serverNow: wallClock(date(reading.sets.clock?.[0]?.server_now)),
      databaseState: text(dbRow?.state_desc),
      mirroringRole: text(dbRow?.mirroring_role_desc),
      mirroringState: text(dbRow?.mirroring_state_desc),
    };
  });
  const instance = (role: ServerRole) => instances.find((i) => i.role === role)!;
  const clockOf = (role: ServerRole): Date => {
    const reading = byRole.get(role);
    return (reading?.ok ? date(reading.sets.clock?.[0]?.server_now) : null) ?? now;
  };

  // The principal: the primary-side instance that says PRINCIPAL, else an unmirrored primary store that is online.
  const primarySide = (['primary', 'primaryMirror'] as const).map(instance);
  const principal =
    primarySide.find((i) => i.reachable && i.mirroringRole === 'PRINCIPAL') ??
    primarySide.find((i) => i.reachable && i.mirroringRole === null && i.databaseState === 'ONLINE');
  if (!principal) {
    const down = primarySide.filter((i) => !i.reachable);
    if (down.length > 0) {
      unreachable = true;
      reasons.push(
        ...down.map(
          (i) =>
            `${i.server}: cannot be read, and no readable instance holds the principal ${plan.database}: ${i.error}`,
        ),
      );
    } else {
      reasons.push(
        `Neither ${primarySide.map((i) => i.server).join(' nor ')} holds ${plan.database} as principal.`,
      );
    }
  }
  const backup = instance('backup');
  if (!backup.reachable) {
    unreachable = true;
    reasons.push(`${backup.server} (backup store): cannot be read: ${backup.error}`);
  }
  for (const i of instances) {
    if (!i.reachable && i.role !== 'backup' && (principal || i.role === 'backupMirror')) {
      reasons.push(`${i.server}: cannot be read: ${i.error}`);
    }
    if (i.reachable && i.role !== 'backupMirror' && i.agent === 'stopped') {
      reasons.push(`${i.server}: SQL Server Agent is stopped, so no log-shipping job runs there.`);
    }
  }

  const primaries: PrimaryStatus[] = primarySide.map((i) => {
    const role = i.role as 'primary' | 'primaryMirror';
    const reading = byRole.get(role);
    const active = principal?.role === role;
    const sets = reading?.ok ? reading.sets : undefined;
    const row = sets?.['monitor-primary']?.[0];
    const lastBackup = date(row?.last_backup_date);
    const threshold = num(row?.backup_threshold);
    const minutes = lastBackup ? datediffMinutes(lastBackup, clockOf(role)) : null;
    const [jobSpec] = statusJobs(plan, role);
    const job = sets && jobSpec && row ? jobState(sets, jobSpec) : null;
    // Only the principal backs up: the mirror's job runs and succeeds without a backup while its copy is RESTORING.
    const crossed = active && minutes !== null && threshold !== null && minutes > threshold;
    if (active && crossed) {
      reasons.push(
        `${i.server}: no log backup of ${plan.database} for ${minutes} minutes, over the backup threshold of ${threshold} minutes.`,
      );
    }
    if (i.reachable && !row) {
      if (active) reasons.push(`${i.server}: ${plan.database} is not configured as a log-shipping primary.`);
      else
        notes.push(
          `${i.server}: not configured as a log-shipping primary, so shipping stops after a mirroring failover.`,
        );
    }
    if (active && row && !lastBackup) notes.push(`${i.server}: no log backup has been taken yet.`);
    if (job) reasons.push(...jobReasons(i.server, job));
    return {
      role,
      server: i.server,
      reachable: i.reachable,
      mirroringRole: i.mirroringRole,
      active,
      configured: row !== undefined,
      lastBackupFile: text(row?.last_backup_file),
      lastBackupAt: wallClock(lastBackup),
      minutesSinceBackup: minutes,
      threshold,
      alertEnabled: bool(row?.threshold_alert_enabled),
      crossed,
      job,
    };
  });

  const backupReading = byRole.get('backup');
  const backupSets = backupReading?.ok ? backupReading.sets : undefined;
  const srow = backupSets?.['monitor-secondary']?.[0];
  const backupNow = clockOf('backup');
  const copied = date(srow?.last_copied_date);
  const restored = date(srow?.last_restored_date);
  const restoreThreshold = num(srow?.restore_threshold);
  const sinceRestore = restored ? datediffMinutes(restored, backupNow) : null;
  const restoreCrossed =
    sinceRestore !== null && restoreThreshold !== null && sinceRestore > restoreThreshold;
  const secondaryJobs = backupSets ? statusJobs(plan, 'backup').map((j) => jobState(backupSets, j)) : [];
  if (backup.reachable && !srow)
    reasons.push(
      `${backup.server}: ${plan.secondaryDatabase} is not configured as a log-shipping secondary.`,
    );
  if (srow && !restored) notes.push(`${backup.server}: no log has been restored yet.`);
  if (restoreCrossed) {
    reasons.push(
      `${backup.server}: no log restored into ${plan.secondaryDatabase} for ${sinceRestore} minutes, over the restore threshold of ${restoreThreshold} minutes.`,
    );
  }
  if (srow) for (const job of secondaryJobs) reasons.push(...jobReasons(backup.server, job));
  const secondary: SecondaryStatus = {
    server: backup.server,
    reachable: backup.reachable,
    configured: srow !== undefined,
    lastCopiedFile: text(srow?.last_copied_file),
    lastCopiedAt: wallClock(copied),
    minutesSinceCopy: copied ? datediffMinutes(copied, backupNow) : null,
    lastRestoredFile: text(srow?.last_restored_file),
    lastRestoredAt: wallClock(restored),
    minutesSinceRestore: sinceRestore,
    latencyMinutes: num(srow?.last_restored_latency),
    threshold: restoreThreshold,
    crossed: restoreCrossed,
    jobs: secondaryJobs,
  };

  for (const reading of readings) {
    if (!reading.ok) continue;
    const serverNow = clockOf(reading.role);
    for (const row of reading.sets.errors ?? []) {
      const at = date(row.log_time);
      const minutesAgo = at ? datediffMinutes(at, serverNow) : null;
      const agent = agentTypes[num(row.agent_type) as keyof typeof agentTypes] ?? 'backup';
      errors.push({
        server: reading.server,
        agent,
        at: wallClock(at),
        minutesAgo,
        message: text(row.message) ?? '',
        source: text(row.source),
      });
    }
  }
  const recent = errors.filter((e) => e.minutesAgo !== null && e.minutesAgo <= recentErrorMinutes);
  for (const server of [...new Set(recent.map((e) => e.server))]) {
    const mine = recent.filter((e) => e.server === server);
    reasons.push(
      `${server}: ${mine.length} log-shipping error(s) in the last ${recentErrorMinutes} minutes, latest: ${mine[0]!.message}`,
    );
  }

  const mirroringState = principal?.mirroringState ?? null;
  if (
    principal &&
    mirroringState !== null &&
    mirroringState !== 'SYNCHRONIZED' &&
    mirroringState !== 'SYNCHRONIZING'
  ) {
    reasons.push(`${principal.server}: mirroring of ${plan.database} is ${mirroringState}.`);
  }

  const verdict: Verdict = unreachable ? 'unreachable' : reasons.length > 0 ? 'degraded' : 'healthy';
  return {
    verdict,
    primaries,
    secondary,
    mirroring: { principal: principal?.server ?? null, state: mirroringState },
    instances,
    errors,
    reasons,
    notes,
  };
}
