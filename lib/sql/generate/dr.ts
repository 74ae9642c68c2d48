// The T-SQL of the DR runbooks: failing over to the backup store (Microsoft's "Fail over Persistent Chat Server",
// with the tail-log backup SQL Server's "Fail Over to a Log Shipping Secondary" adds when the primary is reachable)
// and failing back to a rebuilt primary store. Pure functions of the plan and the generation instant.
import type { Plan } from '@/lib/plan/schema';
import type { SqlBatch } from '@/lib/stages/artifact';
import { nString, quoteIdentifier } from '@/lib/sql/quote';
import { sqlBatch } from './batch';
import { joinWindowsPath, utcStamp } from './format';
import type { PrimaryRole } from './log-shipping';
import { deleteSecondaryDatabaseSql } from './teardown';
import { logShippingJobNames, runJobBatches } from './verify';

/** The compliance store Topology Builder installs next to the chat database; Microsoft does not fail it over. */
export const complianceDatabase = 'mgccomp';

/** Where the tail-log backup goes: the log-shipping share, under a name the copy job does not pick up. */
export function tailLogBackupPath(plan: Plan, generatedFor: Date): string {
  return joinWindowsPath(plan.backup.share, `${plan.database}_tail_${utcStamp(generatedFor)}.trn`);
}

/** Where dr-failback's full backup of the backup store goes: the share both data centers read. */
export function failbackBackupPath(plan: Plan, generatedFor: Date): string {
  return joinWindowsPath(
    plan.backup.share,
    `${plan.secondaryDatabase}_failback_${utcStamp(generatedFor)}.bak`,
  );
}

/**
 * On each instance of the primary data center: only the copy that is principal (or online and unmirrored) holds the
 * tail of the log. SQL Server refuses BACKUP ... WITH NORECOVERY on a database in a mirroring session (1468), and the
 * site is being left, so mirroring ends first. NORECOVERY leaves the database RESTORING: nothing more is written to
 * it after the tail, which is what makes the backup store's copy complete.
 */
export function tailLogBackupSql(plan: Plan, generatedFor: Date): string {
  const db = nString(plan.database);
  return [
    'IF EXISTS (SELECT 1 FROM sys.databases AS d',
    '  LEFT JOIN sys.database_mirroring AS m ON m.database_id = d.database_id',
    `  WHERE d.name = ${db} AND d.state_desc = N'ONLINE'`,
    "    AND (m.mirroring_guid IS NULL OR m.mirroring_role_desc = N'PRINCIPAL'))",
    'BEGIN',
    `  IF EXISTS (SELECT 1 FROM sys.database_mirroring WHERE database_id = DB_ID(${db}) AND mirroring_guid IS NOT NULL)`,
    `    ALTER DATABASE ${quoteIdentifier(plan.database)} SET PARTNER OFF;`,
    `  BACKUP LOG ${quoteIdentifier(plan.database)}`,
    `    TO DISK = ${nString(tailLogBackupPath(plan, generatedFor))}`,
    '    WITH NORECOVERY, CHECKSUM, STATS = 10;',
    'END',
    'ELSE',
    `  PRINT N${nString(`${plan.database} is not the principal here: its tail is backed up on the partner.`).slice(1)};`,
    '',
  ].join('\n');
}

/** The primary data center's log backup job would fail every run against the RESTORING database: disabled. */
export function disableBackupJobSql(jobName: string): string {
  return [
    `IF EXISTS (SELECT 1 FROM msdb.dbo.sysjobs WHERE name = ${nString(jobName)})`,
    `  EXEC msdb.dbo.sp_update_job @job_name = ${nString(jobName)}, @enabled = 0;`,
    '',
  ].join('\n');
}

/**
 * The last log restored on the backup store, with the time that log was taken on the primary: everything committed
 * before that instant survived.
 */
export function survivingDataSql(secondaryDatabase: string): string {
  return `SELECT TOP (1)
  rh.destination_database_name AS database_name,
  rh.restore_date,
  bs.backup_finish_date AS backup_taken,
  bs.server_name AS backed_up_on,
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

/** State, access and mirroring of databases on one instance: the proof reads it. */
export function databaseStateSql(names: readonly string[]): string {
  return `SELECT
  d.name,
  d.state_desc,
  d.user_access_desc,
  d.is_read_only,
  m.mirroring_role_desc,
  m.mirroring_state_desc,
  m.mirroring_partner_instance
FROM sys.databases AS d
LEFT JOIN sys.database_mirroring AS m ON m.database_id = d.database_id
WHERE d.name IN (${[...new Set(names)].map(nString).join(', ')})
ORDER BY d.name;
`;
}

/** A database in STANDBY can hold readers; RESTORE ... WITH RECOVERY needs it to itself (Microsoft: sp_who2, KILL). */
export function endSessionsSql(database: string): string {
  return [
    "DECLARE @kill nvarchar(max) = N'';",
    "SELECT @kill = @kill + N'KILL ' + CONVERT(nvarchar(10), session_id) + N'; '",
    'FROM sys.dm_exec_sessions',
    `WHERE database_id = DB_ID(${nString(database)}) AND session_id <> @@SPID;`,
    'EXEC (@kill);',
    '',
  ].join('\n');
}

/** Roles of the primary data center, in the order the tail-log batch visits them. */
const primarySite: PrimaryRole[] = ['primary', 'primaryMirror'];

/** dr-failover on the primary data center (reachable only): tail-log backup on the principal, backup jobs off. */
export function drTailLogSteps(plan: Plan, generatedFor: Date): { role: PrimaryRole; batches: SqlBatch[] }[] {
  return primarySite.map((role) => ({
    role,
    batches: [
      sqlBatch({
        id: 'tail-log-backup',
        title: `If ${plan.database} is principal on ${plan.servers[role].name}: end mirroring and back up the tail of the log WITH NORECOVERY to the share, so no committed message is lost.`,
        sql: tailLogBackupSql(plan, generatedFor),
        readOnly: false,
        longRunning: true,
      }),
      sqlBatch({
        id: 'disable-backup-job',
        title: `Disable the log backup job on ${plan.servers[role].name}: the database no longer changes.`,
        sql: disableBackupJobSql(logShippingJobNames(plan, role).backup),
        readOnly: false,
      }),
    ],
  }));
}

/**
 * dr-failover on the backup store: copy and restore what is left (the jobs restore in LSN order), the tail if one was
 * taken, record what survived, remove log shipping, recover. With the primary data center lost its share may be gone
 * too, so the jobs' failures are reported and the store recovers with what it has.
 */
export function drRecoverBackupBatches(plan: Plan, generatedFor: Date): SqlBatch[] {
  const jobs = logShippingJobNames(plan);
  const db = plan.secondaryDatabase;
  const lost = !plan.dr.primaryReachable;
  const mayFail = lost
    ? 'The primary data center is lost: the backup store recovers with the logs it already has.'
    : undefined;
  const batches: SqlBatch[] = [];
  if (plan.secondary.restore.delayMinutes > 0) {
    batches.push(
      sqlBatch({
        id: 'restore-delay-zero',
        title: `Stop delaying restores (${plan.secondary.restore.delayMinutes} minutes in the plan): every copied log is restored now.`,
        sql: `EXEC master.dbo.sp_change_log_shipping_secondary_database @secondary_database = ${nString(db)}, @restore_delay = 0;\n`,
        readOnly: false,
      }),
    );
  }
  batches.push(
    ...runJobBatches('copy', jobs.copy, { purpose: 'copy what is not yet copied', mayFail }),
    ...runJobBatches('restore', jobs.restore, {
      purpose: 'restore what is not yet restored, in LSN order',
      mayFail,
    }),
  );
  if (!lost) {
    batches.push(
      sqlBatch({
        id: 'restore-tail-log',
        title: 'Restore the tail-log backup taken on the primary data center, still WITH NORECOVERY.',
        sql: [
          `RESTORE LOG ${quoteIdentifier(db)}`,
          `  FROM DISK = ${nString(tailLogBackupPath(plan, generatedFor))}`,
          '  WITH NORECOVERY, STATS = 10;',
          '',
        ].join('\n'),
        readOnly: false,
        longRunning: true,
      }),
    );
  }
  batches.push(
    sqlBatch({
      id: 'surviving-data',
      title: 'Read the last log restored and when it was taken: everything committed before that survived.',
      sql: survivingDataSql(db),
      readOnly: true,
    }),
    sqlBatch({
      id: 'delete-secondary-database',
      title:
        'Remove the backup store from log shipping (sp_delete_log_shipping_secondary_database), its copy and restore jobs with it.',
      sql: deleteSecondaryDatabaseSql(plan),
      readOnly: false,
    }),
  );
  if (plan.secondary.restore.mode === 'standby') {
    batches.push(
      sqlBatch({
        id: 'end-sessions',
        title: `End the sessions reading ${db} in standby, as Microsoft's runbook does with sp_who2 and KILL.`,
        sql: endSessionsSql(db),
        readOnly: false,
      }),
    );
  }
  batches.push(
    sqlBatch({
      id: 'recover',
      title: `Bring ${db} online on the backup store: RESTORE DATABASE WITH RECOVERY.`,
      sql: `RESTORE DATABASE ${quoteIdentifier(db)} WITH RECOVERY;\n`,
      readOnly: false,
      longRunning: true,
    }),
    sqlBatch({
      id: 'recovered-state',
      title: `Read the state of ${db}${plan.pool.compliance ? ` and ${complianceDatabase}` : ''} on the backup store.`,
      sql: databaseStateSql(plan.pool.compliance ? [db, complianceDatabase] : [db]),
      readOnly: true,
    }),
  );
  return batches;
}

/** The mirroring the backup store's new principal has after Install-CsMirrorDatabase: the proof reads it. */
export function drMirroredBatches(plan: Plan, database: string, id: string): SqlBatch[] {
  const names = plan.pool.compliance ? [database, complianceDatabase] : [database];
  return [
    sqlBatch({
      id,
      title: `Read ${names.join(' and ')}: online, principal, mirroring synchronised.`,
      sql: databaseStateSql(names),
      readOnly: true,
    }),
  ];
}

/** RAISERROR of a fixed message: severity 16 fails the batch (and the apply) with it; `%` is RAISERROR's format mark. */
function raiseErrorSql(message: string): string {
  return `RAISERROR(${nString(message.replaceAll('%', '%%'))}, 16, 1);`;
}

/**
 * dr-failover's check, before it changes anything: the backup store must be the log-shipping secondary still waiting
 * for logs. With the primary reachable, the next step takes the tail of its log and leaves it RESTORING; that is
 * only worth doing when the backup store can take over.
 */
export function drFailoverReadyBatches(plan: Plan): SqlBatch[] {
  const secondary = nString(plan.secondaryDatabase);
  return [
    sqlBatch({
      id: 'failover-ready-backup',
      title: `Check that ${plan.secondaryDatabase} on the backup store is the log-shipping secondary, waiting for logs.`,
      sql: [
        `IF NOT EXISTS (SELECT 1 FROM sys.databases WHERE name = ${secondary} AND (state_desc = N'RESTORING' OR is_in_standby = 1))`,
        `  OR NOT EXISTS (SELECT 1 FROM msdb.dbo.log_shipping_secondary_databases WHERE secondary_database = ${secondary})`,
        `  ${raiseErrorSql(`${plan.secondaryDatabase} on ${plan.servers.backup.name} is not a log-shipping secondary waiting for logs (RESTORING or STANDBY): nothing was changed. Read the status page: the backup store may already be failed over, or log shipping was never set up.`)}`,
        '',
      ].join('\n'),
      readOnly: true,
    }),
  ];
}

/**
 * dr-failback's checks, before it changes anything: it clears the active servers first, so a failure halfway leaves
 * the pool without chat until it is fixed. The backup store must hold the database online (dr-failover done); the
 * rebuilt primary store must hold the database Topology Builder reinstalled, with a file of each logical name the
 * backup holds when the plan knows them (read from the primary at setup), since the restore moves the files by name.
 */
export function drFailbackReadyBatches(plan: Plan): { backup: SqlBatch[]; primary: SqlBatch[] } {
  const backupServer = plan.servers.backup.name;
  const primaryServer = plan.servers.primary.name;
  const secondary = plan.secondaryDatabase;
  const db = plan.database;
  const files =
    plan.secondary.initialise.mode === 'already-initialised' ? [] : plan.secondary.initialise.files;
  const fileChecks = files.flatMap((file) => [
    `IF NOT EXISTS (SELECT 1 FROM sys.master_files WHERE database_id = DB_ID(${nString(db)}) AND name = ${nString(file.logical)} AND type_desc = ${nString(file.type)})`,
    `  ${raiseErrorSql(`${db} on ${primaryServer} has no ${file.type === 'ROWS' ? 'data' : 'log'} file named ${file.logical}, which the backup holds: the restore moves each file onto the reinstalled database's file of the same logical name. Rename that file (ALTER DATABASE ... MODIFY FILE (NAME = ..., NEWNAME = ${file.logical})) or reinstall ${db} with Topology Builder.`)}`,
  ]);
  return {
    backup: [
      sqlBatch({
        id: 'failback-ready-backup',
        title: `Check that ${secondary} is online on the backup store, as dr-failover left it.`,
        sql: [
          `IF NOT EXISTS (SELECT 1 FROM sys.databases WHERE name = ${nString(secondary)} AND state_desc = N'ONLINE')`,
          `  ${raiseErrorSql(`${secondary} is not online on ${backupServer}: dr-failback brings back what the backup store runs on after dr-failover. Run dr-failover first, or check the database's state.`)}`,
          '',
        ].join('\n'),
        readOnly: true,
      }),
    ],
    primary: [
      sqlBatch({
        id: 'failback-ready-primary',
        title: `Check that Topology Builder reinstalled ${db} on the rebuilt primary store, with the files the restore moves.`,
        sql: [
          `IF DB_ID(${nString(db)}) IS NULL`,
          `  ${raiseErrorSql(`${primaryServer} has no ${db}: publish the topology with Topology Builder on the rebuilt primary data center (it installs ${db}), then run dr-failback again.`)}`,
          ...(fileChecks.length > 0
            ? ['ELSE', 'BEGIN', ...fileChecks.map((line) => `  ${line}`), 'END']
            : []),
          '',
        ].join('\n'),
        readOnly: true,
      }),
    ],
  };
}

/** dr-failback on the backup store: mirroring removed (mgc and mgccomp), then the full backup to the share. */
export function drFailbackBackupBatches(plan: Plan, generatedFor: Date): SqlBatch[] {
  const names = plan.pool.compliance
    ? [plan.secondaryDatabase, complianceDatabase]
    : [plan.secondaryDatabase];
  return [
    ...names.map((name) =>
      sqlBatch({
        id: `remove-mirroring-${name}`,
        title: `Remove mirroring of ${name} on the backup store (SSMS: Tasks, Mirror, Remove Mirroring).`,
        sql: [
          `IF EXISTS (SELECT 1 FROM sys.database_mirroring WHERE database_id = DB_ID(${nString(name)}) AND mirroring_guid IS NOT NULL)`,
          'BEGIN',
          `  ALTER DATABASE ${quoteIdentifier(name)} SET PARTNER OFF;`,
          'END',
          'ELSE',
          `  PRINT ${nString(`${name} is not mirrored on this instance.`)};`,
          '',
        ].join('\n'),
        readOnly: false,
      }),
    ),
    sqlBatch({
      id: 'failback-full-backup',
      title: `Take a full backup of ${plan.secondaryDatabase} to the share, for the primary store.`,
      sql: [
        `BACKUP DATABASE ${quoteIdentifier(plan.secondaryDatabase)}`,
        `  TO DISK = ${nString(failbackBackupPath(plan, generatedFor))}`,
        '  WITH INIT, CHECKSUM, STATS = 10;',
        '',
      ].join('\n'),
      readOnly: false,
      longRunning: true,
    }),
  ];
}

/**
 * dr-failback on the rebuilt primary store: restore over the database Topology Builder reinstalled ("Overwrite the
 * existing database", "Leave the database ready to use"). The backup remembers the backup store's file paths, which
 * the plan may have moved (Restore data/log folder) and the rebuilt server may not have; so each file goes onto the
 * file of the same logical name the reinstalled database has, read from sys.master_files when the restore runs.
 * Without a reinstalled database there is nothing to go onto and the backup's own paths are kept. The statement is
 * printed before it runs, so the run's log holds the RESTORE exactly as executed.
 */
export function drFailbackRestoreBatches(plan: Plan, generatedFor: Date): SqlBatch[] {
  const db = plan.database;
  const restore = [
    `RESTORE DATABASE ${quoteIdentifier(db)}`,
    `  FROM DISK = ${nString(failbackBackupPath(plan, generatedFor))}`,
    '  WITH REPLACE, RECOVERY',
  ].join('\n');
  return [
    sqlBatch({
      id: 'failback-restore',
      title: `Restore ${db} on the primary store from the backup store's full backup onto the files of the reinstalled ${db}, overwriting it, ready to use.`,
      sql: [
        `DECLARE @restore nvarchar(max) = ${nString(restore)};`,
        // Each MOVE clause is T-SQL text inside the statement: the names' quotes are doubled there.
        String.raw`SELECT @restore = @restore + N',' + NCHAR(10) + N'    MOVE N''' + REPLACE(f.name, N'''', N'''''')`,
        String.raw`  + N''' TO N''' + REPLACE(f.physical_name, N'''', N'''''') + N''''`,
        'FROM sys.master_files AS f',
        `WHERE f.database_id = DB_ID(${nString(db)});`,
        `SET @restore = @restore + N',' + NCHAR(10) + N'    STATS = 10;';`,
        'PRINT @restore;',
        'EXEC (@restore);',
        '',
      ].join('\n'),
      readOnly: false,
      longRunning: true,
    }),
  ];
}
