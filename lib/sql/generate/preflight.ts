// Read-only checks of every instance before anything is changed (design §3 `preflight`). Each batch returns one
// result set with named columns, so the executor reads it by batch id and column name.
import { defaultJobNames } from '@/lib/plan/defaults';
import type { Plan } from '@/lib/plan/schema';
import type { SqlBatch } from '@/lib/stages/artifact';
import type { ServerRole } from '@/lib/stages/ids';
import { nString } from '@/lib/sql/quote';
import { sqlBatch } from './batch';

/** The databases preflight looks at: the principal and its backup copy, and mgccomp when compliance is on. */
export function watchedDatabases(plan: Plan): string[] {
  const names = [plan.database, plan.secondaryDatabase, ...(plan.pool.compliance ? ['mgccomp'] : [])];
  return names.filter(
    (name, i) => names.findIndex((other) => other.toLowerCase() === name.toLowerCase()) === i,
  );
}

const instanceSql = `SELECT
  @@SERVERNAME AS server_name,
  CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128)) AS product_version,
  CAST(SERVERPROPERTY('ProductLevel') AS nvarchar(128)) AS product_level,
  CAST(SERVERPROPERTY('Edition') AS nvarchar(128)) AS edition,
  CAST(SERVERPROPERTY('EngineEdition') AS int) AS engine_edition,
  CAST(SERVERPROPERTY('Collation') AS nvarchar(128)) AS server_collation,
  CAST(SERVERPROPERTY('InstanceDefaultDataPath') AS nvarchar(4000)) AS default_data_path,
  CAST(SERVERPROPERTY('InstanceDefaultLogPath') AS nvarchar(4000)) AS default_log_path,
  IS_SRVROLEMEMBER(N'sysadmin') AS is_sysadmin;
`;

// The service accounts matter too: an engine running as Local System cannot write to the share (design §2).
/** The engine and Agent services of the instance and their state (`sys.dm_server_services`). */
export const servicesSql = `SELECT
  servicename AS service_name,
  CASE
    WHEN servicename LIKE N'SQL Server Agent%' THEN N'agent'
    WHEN servicename LIKE N'SQL Server (%' THEN N'engine'
    ELSE N'other'
  END AS service_kind,
  status_desc,
  startup_type_desc,
  service_account
FROM sys.dm_server_services;
`;

const inList = (names: readonly string[]) => names.map(nString).join(', ');

/** State, recovery model and mirroring role of the named databases. */
export function databasesSql(names: readonly string[]): string {
  return `SELECT
  d.name AS database_name,
  d.state_desc,
  d.recovery_model_desc,
  d.user_access_desc,
  d.is_read_only,
  d.is_in_standby,
  d.collation_name,
  m.mirroring_role_desc,
  m.mirroring_state_desc,
  m.mirroring_partner_name,
  m.mirroring_partner_instance,
  m.mirroring_witness_name,
  m.mirroring_safety_level_desc
FROM sys.databases AS d
LEFT JOIN sys.database_mirroring AS m ON m.database_id = d.database_id
WHERE d.name IN (${inList(names)});
`;
}

// Logical names feed RESTORE ... MOVE; sizes and volume space tell whether the full backup and the restore fit.
function databaseFilesSql(names: readonly string[]): string {
  return `SELECT
  DB_NAME(f.database_id) AS database_name,
  f.file_id,
  f.type_desc,
  f.name AS logical_name,
  f.physical_name,
  CAST(f.size AS bigint) * 8192 AS size_bytes,
  v.volume_mount_point,
  v.total_bytes AS volume_total_bytes,
  v.available_bytes AS volume_available_bytes
FROM sys.master_files AS f
CROSS APPLY sys.dm_os_volume_stats(f.database_id, f.file_id) AS v
WHERE f.database_id IN (${names.map((name) => `DB_ID(${nString(name)})`).join(', ')});
`;
}

const fixedDrivesSql = `DECLARE @drives TABLE (drive nchar(1) NOT NULL, mb_free int NOT NULL);
INSERT INTO @drives EXEC master.dbo.xp_fixeddrives;
SELECT drive, CAST(mb_free AS bigint) * 1048576 AS free_bytes FROM @drives;
`;

// xp_fileexist runs as the SQL Server service account, so it answers what the service (not the operator) can see;
// it exists on every version SfB supports, unlike sys.dm_os_file_exists (2017+).
function pathSql(path: string): string {
  return `DECLARE @result TABLE (file_exists int NOT NULL, is_directory int NOT NULL, parent_directory_exists int NOT NULL);
INSERT INTO @result EXEC master.dbo.xp_fileexist ${nString(path)};
SELECT ${nString(path)} AS path, file_exists, is_directory, parent_directory_exists FROM @result;
`;
}

const logShippingSql = {
  'ls-primary-databases': `SELECT
  primary_id,
  primary_database,
  backup_directory,
  backup_share,
  backup_retention_period,
  backup_job_id,
  monitor_server,
  monitor_server_security_mode,
  backup_compression,
  last_backup_file,
  last_backup_date
FROM msdb.dbo.log_shipping_primary_databases;
`,
  'ls-primary-secondaries': `SELECT
  ps.primary_id,
  pd.primary_database,
  ps.secondary_server,
  ps.secondary_database
FROM msdb.dbo.log_shipping_primary_secondaries AS ps
LEFT JOIN msdb.dbo.log_shipping_primary_databases AS pd ON pd.primary_id = ps.primary_id;
`,
  'ls-secondary': `SELECT
  secondary_id,
  primary_server,
  primary_database,
  backup_source_directory,
  backup_destination_directory,
  file_retention_period,
  copy_job_id,
  restore_job_id,
  monitor_server,
  monitor_server_security_mode,
  last_copied_file,
  last_copied_date
FROM msdb.dbo.log_shipping_secondary;
`,
  'ls-secondary-databases': `SELECT
  secondary_database,
  secondary_id,
  restore_delay,
  restore_mode,
  disconnect_users,
  last_restored_file,
  last_restored_date
FROM msdb.dbo.log_shipping_secondary_databases;
`,
} as const;

function jobsSql(names: readonly string[]): string {
  return `SELECT
  j.job_id,
  j.name AS job_name,
  j.enabled,
  c.name AS category_name
FROM msdb.dbo.sysjobs AS j
LEFT JOIN msdb.dbo.syscategories AS c ON c.category_id = j.category_id
WHERE j.name IN (${inList(names)}) OR j.name LIKE N'LSAlert[_]%';
`;
}

/** The folders (and file) each role's SQL Server service must see, with the batch id suffix naming each. */
export function preflightPaths(plan: Plan, role: ServerRole): { purpose: string; path: string }[] {
  const share = { purpose: 'backup-share', path: plan.backup.share };
  const local = plan.backup.localPath ? [{ purpose: 'backup-local-path', path: plan.backup.localPath }] : [];
  switch (role) {
    case 'primary':
    case 'primaryMirror':
      // The mirror gets the same @backup_directory when it becomes a primary, so its view of the path counts too.
      return [share, ...local];
    case 'backup': {
      const init = plan.secondary.initialise;
      return [
        share,
        { purpose: 'copy-destination', path: plan.secondary.copy.destinationFolder },
        ...(init.mode !== 'already-initialised' && init.dataFolder
          ? [{ purpose: 'restore-data-folder', path: init.dataFolder }]
          : []),
        ...(init.mode !== 'already-initialised' && init.logFolder
          ? [{ purpose: 'restore-log-folder', path: init.logFolder }]
          : []),
        ...(init.mode === 'restore-existing'
          ? [{ purpose: 'existing-backup-file', path: init.backupFile }]
          : []),
      ];
    }
    case 'backupMirror':
      return [];
  }
}

/** The read-only preflight batches for one instance. */
export function preflightBatches(plan: Plan, role: ServerRole): SqlBatch[] {
  const names = watchedDatabases(plan);
  const jobs = [
    plan.backup.jobName ?? defaultJobNames(plan.servers[role].name, plan.database).backup,
    plan.secondary.copy.jobName ?? defaultJobNames(plan.servers.primary.name, plan.database).copy,
    plan.secondary.restore.jobName ?? defaultJobNames(plan.servers.primary.name, plan.database).restore,
  ];
  const read = (id: string, title: string, sql: string) => sqlBatch({ id, title, sql, readOnly: true });
  return [
    read(
      'instance',
      'Read the server name, version, edition, collation and default folders, and whether this login is sysadmin.',
      instanceSql,
    ),
    read(
      'services',
      'Read the state and account of the SQL Server and SQL Server Agent services.',
      servicesSql,
    ),
    read(
      'databases',
      'Read state, recovery model and mirroring role of the Persistent Chat databases.',
      databasesSql(names),
    ),
    read(
      'database-files',
      'Read the files of the Persistent Chat databases, their sizes and the free space of their volumes.',
      databaseFilesSql(names),
    ),
    read('fixed-drives', 'Read the free space of every fixed drive.', fixedDrivesSql),
    ...preflightPaths(plan, role).map(({ purpose, path }) =>
      read(
        `path-${purpose}`,
        `Check that the SQL Server service sees the ${purpose.replace(/-/g, ' ')}.`,
        pathSql(path),
      ),
    ),
    ...Object.entries(logShippingSql).map(([id, sql]) =>
      read(id, `Read the existing log-shipping configuration (${id.slice(3).replace(/-/g, ' ')}).`, sql),
    ),
    read(
      'jobs',
      'Look for log-shipping jobs that already exist under the names this plan uses.',
      jobsSql(jobs),
    ),
  ];
}
