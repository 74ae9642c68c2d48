// Proof that logs ship (design §3 `verify`): run backup → copy → restore once, check that the restored LSN moved,
// read the monitor. Starting a job returns at once; the executor polls the job-status batch until the run ends.
import { defaultJobNames } from '@/lib/plan/defaults';
import type { Plan } from '@/lib/plan/schema';
import type { SqlBatch } from '@/lib/stages/artifact';
import { nString } from '@/lib/sql/quote';
import { sqlBatch } from './batch';
import type { PrimaryRole } from './log-shipping';

/** The three log-shipping job names of the plan, the backup job's as it is named on `principal`. */
export function logShippingJobNames(plan: Plan, principal: PrimaryRole = 'primary') {
  const defaults = defaultJobNames(plan.servers.primary.name, plan.database);
  return {
    backup: plan.backup.jobName ?? defaultJobNames(plan.servers[principal].name, plan.database).backup,
    copy: plan.secondary.copy.jobName ?? defaults.copy,
    restore: plan.secondary.restore.jobName ?? defaults.restore,
  };
}

/** `sp_start_job` for one job: it queues the run and returns; error 22022 if the job is already running. */
export function startJobSql(jobName: string): string {
  return `EXEC msdb.dbo.sp_start_job @job_name = ${nString(jobName)};\n`;
}

/**
 * The state of a job's latest run in the current SQL Server Agent session: `is_running` while it runs, then the
 * outcome of that run (`last_run_status` 0 failed, 1 succeeded, 2 retry, 3 canceled, as in sysjobhistory).
 */
export function jobStatusSql(jobName: string): string {
  return `SELECT TOP (1)
  j.name AS job_name,
  j.enabled,
  a.run_requested_date,
  a.start_execution_date,
  a.stop_execution_date,
  CASE WHEN a.start_execution_date IS NOT NULL AND a.stop_execution_date IS NULL THEN 1 ELSE 0 END AS is_running,
  h.run_status AS last_run_status,
  h.message AS last_run_message
FROM msdb.dbo.sysjobs AS j
LEFT JOIN msdb.dbo.sysjobactivity AS a
  ON a.job_id = j.job_id
  AND a.session_id = (SELECT MAX(s.session_id) FROM msdb.dbo.syssessions AS s)
LEFT JOIN msdb.dbo.sysjobhistory AS h ON h.instance_id = a.job_history_id
WHERE j.name = ${nString(jobName)}
ORDER BY a.run_requested_date DESC;
`;
}

/** The last restore of the secondary database and the LSN range it reached: compared before and after the jobs run. */
export function restoredLsnSql(secondaryDatabase: string): string {
  return `SELECT TOP (1)
  rh.destination_database_name AS database_name,
  rh.restore_date,
  rh.restore_type,
  bs.first_lsn,
  bs.last_lsn,
  bmf.physical_device_name AS restored_file
FROM msdb.dbo.restorehistory AS rh
JOIN msdb.dbo.backupset AS bs ON bs.backup_set_id = rh.backup_set_id
LEFT JOIN msdb.dbo.backupmediafamily AS bmf ON bmf.media_set_id = bs.media_set_id
WHERE rh.destination_database_name = ${nString(secondaryDatabase)}
ORDER BY rh.restore_history_id DESC;
`;
}

/** The backup store's monitor row of the secondary database: last copy, last restore, latency, threshold. */
export function monitorSecondarySql(secondaryDatabase: string): string {
  return `SELECT
  secondary_server,
  secondary_database,
  primary_server,
  primary_database,
  last_copied_file,
  last_copied_date,
  last_restored_file,
  last_restored_date,
  last_restored_latency,
  restore_threshold
FROM msdb.dbo.log_shipping_monitor_secondary
WHERE secondary_database = ${nString(secondaryDatabase)};
`;
}

const monitorSql = 'EXEC master.dbo.sp_help_log_shipping_monitor;\n';

type LogShippingJobKind = 'backup' | 'copy' | 'restore';

const jobKindWords: Record<LogShippingJobKind, string> = {
  backup: 'log backup',
  copy: 'copy',
  restore: 'restore',
};

/**
 * Start a log-shipping job and poll it to the end of its run. `purpose` tells the operator why the job runs now;
 * `mayFail` lets a runbook go on when the job cannot do all it would (a share lost with the primary data center).
 */
export function runJobBatches(
  kind: LogShippingJobKind,
  job: string,
  options: { purpose?: string; mayFail?: string | undefined } = {},
): SqlBatch[] {
  const purpose = options.purpose ? `: ${options.purpose}` : '';
  return [
    sqlBatch({
      id: `start-${kind}-job`,
      title: `Start the ${jobKindWords[kind]} job ${job}${purpose}.`,
      sql: startJobSql(job),
      readOnly: false,
    }),
    sqlBatch({
      id: `${kind}-job-status`,
      poll: 'job-run',
      title: `Read whether ${job} is still running and how its last run ended.`,
      sql: jobStatusSql(job),
      readOnly: true,
      ...(options.mayFail ? { mayFail: options.mayFail } : {}),
    }),
  ];
}

/** Start the backup job on the current principal and poll it. */
export function verifyBackupBatches(plan: Plan, principal: PrimaryRole = 'primary'): SqlBatch[] {
  return runJobBatches('backup', logShippingJobNames(plan, principal).backup);
}

/** The backup store's reading of the last restore, taken before the jobs run. */
export function verifyRestoredBeforeBatches(plan: Plan): SqlBatch[] {
  return [
    sqlBatch({
      id: 'restored-lsn-before',
      title: 'Read the last log restored on the backup store before the jobs run.',
      sql: restoredLsnSql(plan.secondaryDatabase),
      readOnly: true,
    }),
  ];
}

/** Copy then restore on the backup store, each polled, then the restored LSN and the monitor row. */
export function verifyCopyRestoreBatches(plan: Plan): SqlBatch[] {
  const jobs = logShippingJobNames(plan);
  return [
    ...runJobBatches('copy', jobs.copy),
    ...runJobBatches('restore', jobs.restore),
    sqlBatch({
      id: 'restored-lsn-after',
      title: 'Read the last log restored on the backup store after the jobs ran: its LSN must have moved.',
      sql: restoredLsnSql(plan.secondaryDatabase),
      readOnly: true,
    }),
    sqlBatch({
      id: 'monitor-secondary',
      title: 'Read the backup store monitor row: last copied and restored files and the restore latency.',
      sql: monitorSecondarySql(plan.secondaryDatabase),
      readOnly: true,
    }),
  ];
}

/** `sp_help_log_shipping_monitor` on one instance. */
export function verifyMonitorBatches(): SqlBatch[] {
  return [
    sqlBatch({
      id: 'monitor',
      title: 'Show the log-shipping monitor as this instance sees it.',
      sql: monitorSql,
      readOnly: true,
    }),
  ];
}
