// Read-only queries behind `pchat-hadr status` and the status page: what each instance knows of log shipping.
// Each query returns one result set with named columns; the evaluation reads them by query id and column name.
import type { Plan } from '@/lib/plan/schema';
import type { ServerRole } from '@/lib/stages/ids';
import { nString } from '@/lib/sql/quote';
import { databasesSql, servicesSql } from './preflight';
import { jobStatusSql, logShippingJobNames, monitorSecondarySql } from './verify';

/** One read of the status: its id (how the evaluation finds it) and the query text. */
export interface StatusQuery {
  id: string;
  sql: string;
}

// The instance's own clock: thresholds are minutes on the server's clock, as SQL Server's alert job computes them.
export const clockSql = `SELECT
  GETDATE() AS server_now,
  GETUTCDATE() AS server_utc_now;
`;

/** The monitor row of a log-shipping primary database: last backup and the backup alert threshold. */
export function monitorPrimarySql(database: string): string {
  return `SELECT
  primary_server,
  primary_database,
  backup_threshold,
  threshold_alert_enabled,
  last_backup_file,
  last_backup_date,
  last_backup_date_utc
FROM msdb.dbo.log_shipping_monitor_primary
WHERE primary_database = ${nString(database)};
`;
}

/** The latest errors the log-shipping agents recorded for `database` (agent_type 0 backup, 1 copy, 2 restore). */
export function monitorErrorsSql(database: string, limit = 20): string {
  return `SELECT TOP (${Math.trunc(limit)})
  agent_id,
  agent_type,
  session_id,
  database_name,
  sequence_number,
  log_time,
  log_time_utc,
  message,
  source
FROM msdb.dbo.log_shipping_monitor_error_detail
WHERE database_name = ${nString(database)}
ORDER BY log_time_utc DESC;
`;
}

/** The log-shipping jobs an instance runs in `plan`: the backup job on either primary, copy and restore on the backup store. */
export function statusJobs(
  plan: Plan,
  role: ServerRole,
): { kind: 'backup' | 'copy' | 'restore'; name: string }[] {
  if (role === 'primary' || role === 'primaryMirror') {
    return [{ kind: 'backup', name: logShippingJobNames(plan, role).backup }];
  }
  if (role === 'backup') {
    const jobs = logShippingJobNames(plan);
    return [
      { kind: 'copy', name: jobs.copy },
      { kind: 'restore', name: jobs.restore },
    ];
  }
  return [];
}

/** Every status read of one instance, in the order they are sent. */
export function statusQueries(plan: Plan, role: ServerRole): StatusQuery[] {
  const onBackupSide = role === 'backup' || role === 'backupMirror';
  const database = onBackupSide ? plan.secondaryDatabase : plan.database;
  const queries: StatusQuery[] = [
    { id: 'clock', sql: clockSql },
    { id: 'services', sql: servicesSql },
    { id: 'databases', sql: databasesSql([database]) },
  ];
  if (role === 'primary' || role === 'primaryMirror') {
    queries.push({ id: 'monitor-primary', sql: monitorPrimarySql(plan.database) });
  }
  if (role === 'backup') {
    queries.push({ id: 'monitor-secondary', sql: monitorSecondarySql(plan.secondaryDatabase) });
  }
  if (role !== 'backupMirror') queries.push({ id: 'errors', sql: monitorErrorsSql(database) });
  for (const job of statusJobs(plan, role))
    queries.push({ id: `job-${job.kind}`, sql: jobStatusSql(job.name) });
  return queries;
}
