// Log-shipping status (issue 5, Monitoring): read every instance and the Persistent Chat pool at once, then judge the
// readings without I/O, so the CLI, the status page and the tests share one verdict. Thresholds are judged on each
// instance's own clock.
import type { Plan, Server } from '@/lib/plan/schema';
import type { CommandOutcome } from '@/lib/shell/execute';
import { activeServersCommand, getPersistentChatStateCommand } from '@/lib/shell/generate/dr';
import { statusJobs, statusQueries } from '@/lib/sql/generate/status';
import type { ShellCommandArtifact } from './artifact';
import { type ServerRole, serverRoles } from './ids';

type Row = Record<string, unknown>;

/** What reads need of the SQL executor: `SqlExecutor.read`. */
export interface SqlReader {
  read(server: Server, text: string): Promise<Row[][]>;
}

/** What the status needs of the SfB Management Shell: `ShellExecutor.run`. */
export interface PoolShell {
  run(command: ShellCommandArtifact): Promise<CommandOutcome>;
}

/** One instance as read: every query's rows by query id, or why it could not be read. */
export type InstanceReading =
  | { role: ServerRole; server: string; ok: true; sets: Record<string, Row[]> }
  | { role: ServerRole; server: string; ok: false; error: string };

/** The Persistent Chat pool as the SfB Management Shell reports it; `unknown` with the reason when it could not. */
export interface PoolStatus {
  fqdn: string;
  state: 'Normal' | 'FailedOver' | 'unknown';
  activeServers: string[];
  inactiveServers: string[];
  /** Why the state or the servers could not be read; absent when both were. */
  error?: string;
}

export interface StatusReadings {
  instances: InstanceReading[];
  pool: PoolStatus;
}

/** Reads all four instances in parallel; an instance that fails any read is reported unreachable with the error. */
export async function readInstances(plan: Plan, sql: SqlReader): Promise<InstanceReading[]> {
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

/** How long the pool read may take: starting PowerShell and loading the module is most of it. */
export const poolReadTimeoutMs = 45_000;

const stateCmdlet = 'Get-CsPersistentChatState';
const serversCmdlet = 'Get-CsService -PersistentChatServer';

// Both read commands print one JSON array; ConvertTo-Json may still break it over several lines.
function outputRows(outcome: CommandOutcome, cmdlet: string): Row[] {
  if (outcome.status === 'unavailable') {
    throw new Error(
      `${outcome.detail} Run the status where the SfB Management Shell is installed, set the plan's shell host to a front end, or point PCHAT_HADR_PS_MODULE_PATH at the SkypeForBusiness module.`,
    );
  }
  if (outcome.status === 'failed') throw new Error(`${cmdlet} failed: ${outcome.error}`);
  if (outcome.status !== 'succeeded') throw new Error(outcome.detail);
  const text = outcome.streams.output.join('\n').trim();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${cmdlet} returned something other than JSON: ${text.slice(0, 200) || '(nothing)'}`);
  }
  return (Array.isArray(parsed) ? parsed : [parsed]).filter(
    (row): row is Row => typeof row === 'object' && row !== null,
  );
}

const stringList = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : typeof value === 'string' && value !== '' ? [value] : [];

async function readPoolNow(plan: Plan, shell: PoolShell): Promise<PoolStatus> {
  const fqdn = plan.pool.fqdn;
  const status: PoolStatus = { fqdn, state: 'unknown', activeServers: [], inactiveServers: [] };
  const errors: string[] = [];
  try {
    const stateOutcome = await shell.run(getPersistentChatStateCommand(fqdn));
    try {
      const state = outputRows(stateOutcome, stateCmdlet)[0]?.PoolState;
      if (state === 'Normal' || state === 'FailedOver') status.state = state;
      else
        errors.push(
          `${stateCmdlet} reported no Normal or FailedOver state for ${fqdn} (got ${String(state)}).`,
        );
    } catch (error) {
      errors.push((error as Error).message);
    }
    // Without the module, or with PowerShell gone, the second read would only repeat why.
    if (stateOutcome.status === 'succeeded' || stateOutcome.status === 'failed') {
      const rows = outputRows(await shell.run(activeServersCommand(fqdn)), serversCmdlet);
      if (rows.length !== 1)
        throw new Error(`${serversCmdlet} returned ${rows.length} pools named ${fqdn}, not one.`);
      status.activeServers = stringList(rows[0]?.ActiveServers);
      status.inactiveServers = stringList(rows[0]?.InactiveServers);
    }
  } catch (error) {
    errors.push((error as Error).message);
  }
  return errors.length === 0 ? status : { ...status, error: errors.join(' ') };
}

/**
 * Reads the pool state and its active servers through the SfB Management Shell. Never throws: a shell that fails,
 * lacks the module or does not answer within `timeoutMs` leaves the state unknown with the reason.
 */
export async function readPool(
  plan: Plan,
  shell: PoolShell,
  timeoutMs = poolReadTimeoutMs,
): Promise<PoolStatus> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  // A stuck shell is stopped by its own timeout or by the caller closing it; the status is not held up meanwhile.
  const deadline = new Promise<PoolStatus>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          fqdn: plan.pool.fqdn,
          state: 'unknown',
          activeServers: [],
          inactiveServers: [],
          error: `The SfB Management Shell did not answer within ${Math.round(timeoutMs / 1000)} s; check that PowerShell starts and the SkypeForBusiness module loads on this host.`,
        }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([readPoolNow(plan, shell), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Reads the instances over SQL and the pool through the shell, at the same time. */
export async function readStatus(
  plan: Plan,
  sources: { sql: SqlReader; shell: PoolShell },
): Promise<StatusReadings> {
  const [instances, pool] = await Promise.all([
    readInstances(plan, sources.sql),
    readPool(plan, sources.shell),
  ]);
  return { instances, pool };
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
  pool: PoolStatus;
  primaries: PrimaryStatus[];
  secondary: SecondaryStatus;
  mirroring: { principal: string | null; state: string | null };
  instances: InstanceStatus[];
  errors: StatusError[];
  /** Why the verdict is not healthy; empty when healthy. */
  reasons: string[];
  /** Facts worth showing that do not change the verdict. */
  notes: string[];
  /** What could not be read, leaving part of the status unjudged, without making the verdict worse. */
  warnings: string[];
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
 *
 * A pool failed over to the backup store is degraded at least: it runs without DR until dr-failback. The backup
 * store is then the principal, and what dr-failover brings about (log shipping removed, the primary data center
 * down) is noted, not asked to be fixed. A pool state that could not be read is a warning: the verdict is SQL's.
 */
export function evaluateStatus(plan: Plan, readings: StatusReadings, now: Date = new Date()): StatusReport {
  const { pool } = readings;
  const failedOver = pool.state === 'FailedOver';
  const notes: string[] = [];
  const warnings: string[] = [];
  const errors: StatusError[] = [];
  // Problems of log shipping or of the primary data center: dr-failover removes the one and may leave the other
  // down, so once the pool is failed over they are expected and become notes.
  const findings: { text: string; expectedWhenFailedOver: boolean }[] = [];
  const problem = (text: string) => findings.push({ text, expectedWhenFailedOver: false });
  const shippingProblem = (text: string) => findings.push({ text, expectedWhenFailedOver: true });
  const byRole = new Map(readings.instances.map((r) => [r.role, r]));
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
  // A failed-over pool has none there: it uses the backup store.
  const primarySide = (['primary', 'primaryMirror'] as const).map(instance);
  const principal = failedOver
    ? undefined
    : (primarySide.find((i) => i.reachable && i.mirroringRole === 'PRINCIPAL') ??
      primarySide.find((i) => i.reachable && i.mirroringRole === null && i.databaseState === 'ONLINE'));
  if (!principal && !failedOver) {
    const down = primarySide.filter((i) => !i.reachable);
    if (down.length > 0) {
      unreachable = true;
      for (const i of down) {
        problem(
          `${i.server}: cannot be read, and no readable instance holds the principal ${plan.database}: ${i.error}`,
        );
      }
    } else {
      problem(
        `Neither ${primarySide.map((i) => i.server).join(' nor ')} holds ${plan.database} as principal.`,
      );
    }
  }
  const backup = instance('backup');
  if (!backup.reachable) {
    unreachable = true;
    problem(`${backup.server} (backup store): cannot be read: ${backup.error}`);
  }
  for (const i of instances) {
    if (!i.reachable && i.role === 'backupMirror') problem(`${i.server}: cannot be read: ${i.error}`);
    if (!i.reachable && i.role !== 'backup' && i.role !== 'backupMirror' && (principal || failedOver)) {
      shippingProblem(`${i.server}: cannot be read: ${i.error}`);
    }
    if (i.reachable && i.role !== 'backupMirror' && i.agent === 'stopped') {
      shippingProblem(`${i.server}: SQL Server Agent is stopped, so no log-shipping job runs there.`);
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
      shippingProblem(
        `${i.server}: no log backup of ${plan.database} for ${minutes} minutes, over the backup threshold of ${threshold} minutes.`,
      );
    }
    if (i.reachable && !row) {
      if (active) problem(`${i.server}: ${plan.database} is not configured as a log-shipping primary.`);
      else if (!failedOver)
        notes.push(
          `${i.server}: not configured as a log-shipping primary, so shipping stops after a mirroring failover.`,
        );
    }
    if (active && row && !lastBackup) notes.push(`${i.server}: no log backup has been taken yet.`);
    if (job) jobReasons(i.server, job).forEach(shippingProblem);
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
    shippingProblem(
      `${backup.server}: ${plan.secondaryDatabase} is not configured as a log-shipping secondary.`,
    );
  if (srow && !restored) notes.push(`${backup.server}: no log has been restored yet.`);
  if (restoreCrossed) {
    shippingProblem(
      `${backup.server}: no log restored into ${plan.secondaryDatabase} for ${sinceRestore} minutes, over the restore threshold of ${restoreThreshold} minutes.`,
    );
  }
  if (srow) for (const job of secondaryJobs) jobReasons(backup.server, job).forEach(shippingProblem);
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

  for (const reading of readings.instances) {
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
    shippingProblem(
      `${server}: ${mine.length} log-shipping error(s) in the last ${recentErrorMinutes} minutes, latest: ${mine[0]!.message}`,
    );
  }

  // Failed over, the pool's database is the backup store's: it must be online, and dr-failover mirrored it.
  let poolStore = principal;
  if (failedOver && backup.reachable) {
    if (backup.databaseState === 'ONLINE') poolStore = backup;
    else {
      problem(
        `${backup.server}: the pool is failed over to it, but ${plan.secondaryDatabase} is ${backup.databaseState ?? 'missing'} there, not ONLINE: finish dr-failover so the pool can use it.`,
      );
    }
    if (poolStore && backup.mirroringRole === null) {
      problem(
        `${backup.server}: ${plan.secondaryDatabase} is not mirrored, so the failed-over pool has no high availability: check the Install-CsMirrorDatabase step of dr-failover.`,
      );
    }
  }
  const mirroringState = poolStore?.mirroringState ?? null;
  if (
    poolStore &&
    mirroringState !== null &&
    mirroringState !== 'SYNCHRONIZED' &&
    mirroringState !== 'SYNCHRONIZING'
  ) {
    problem(`${poolStore.server}: mirroring of ${poolStore.database} is ${mirroringState}.`);
  }

  const poolReasons: string[] = [];
  if (failedOver) {
    poolReasons.push(
      `The pool ${pool.fqdn} is failed over to the backup store ${backup.server}, without disaster recovery: run dr-failback once the primary data center is rebuilt.`,
    );
  }
  if (pool.state !== 'unknown' && pool.error === undefined && pool.activeServers.length === 0) {
    poolReasons.push(
      `The pool ${pool.fqdn} has no active Persistent Chat server, so none serves chat: make the servers of the data center in use active (Set-CsPersistentChatActiveServer).`,
    );
  }
  if (pool.error !== undefined) {
    warnings.push(
      pool.state === 'unknown'
        ? `The state of the pool ${pool.fqdn} could not be read, so this verdict judges SQL Server only: ${pool.error}`
        : `The active servers of the pool ${pool.fqdn} could not be read: ${pool.error}`,
    );
  }
  const expected = findings.filter((f) => failedOver && f.expectedWhenFailedOver).map((f) => f.text);
  if (expected.length > 0) {
    notes.push(
      'Expected while the pool is failed over, not to be fixed: dr-failover removed log shipping and the primary data center may be down; dr-failback and the setup stages set log shipping up again.',
      ...expected,
    );
  }
  const reasons = [
    ...poolReasons,
    ...findings.filter((f) => !(failedOver && f.expectedWhenFailedOver)).map((f) => f.text),
  ];

  const verdict: Verdict = unreachable ? 'unreachable' : reasons.length > 0 ? 'degraded' : 'healthy';
  return {
    verdict,
    pool,
    primaries,
    secondary,
    mirroring: { principal: poolStore?.server ?? null, state: mirroringState },
    instances,
    errors,
    reasons,
    notes,
    warnings,
  };
}
