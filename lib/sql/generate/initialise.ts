// Initialising the backup store's copy of the database, as SSMS's "Initialize Secondary Database" tab does it
// (SSMS runs these itself and does not script them): a full backup of the primary, restored WITH NORECOVERY.
import type { DatabaseFile, Plan } from '@/lib/plan/schema';
import { nString, quoteIdentifier } from '@/lib/sql/quote';
import { joinWindowsPath, utcStamp, windowsBaseName } from './format';

/** The primary database's data and log files, as the restore's MOVE clauses name them. */
export function databaseFilesSql(database: string): string {
  return `SELECT f.name AS logical_name, f.type_desc, f.physical_name
FROM sys.master_files AS f
WHERE f.database_id = DB_ID(${nString(database)}) AND f.type_desc IN (N'ROWS', N'LOG')
ORDER BY f.file_id;
`;
}

/** Where the initial full backup goes: as the primary writes it and as the backup store reads it (same folder). */
export function initialBackupPaths(plan: Plan, generatedFor: Date): { written: string; read: string } {
  const file = `${plan.database}_${utcStamp(generatedFor)}.bak`;
  // A service running as Local System cannot write to a share, so it writes to the share's local folder.
  return {
    written: joinWindowsPath(plan.backup.localPath ?? plan.backup.share, file),
    read: joinWindowsPath(plan.backup.share, file),
  };
}

const compressionOption = {
  'server-default': [],
  compress: ['COMPRESSION'],
  'no-compress': ['NO_COMPRESSION'],
} as const;

/**
 * The full backup on the primary. Not COPY_ONLY: like SSMS's initialisation it is an ordinary full backup, the new
 * base the restored copy and every shipped log start from. INIT overwrites a same-named file rather than appending a
 * second backup set; CHECKSUM makes the restore verify the pages; the compression follows the log backups' choice.
 */
export function initialFullBackupSql(plan: Plan, generatedFor: Date): string {
  const options = ['INIT', ...compressionOption[plan.backup.compression], 'CHECKSUM', 'STATS = 10'];
  return [
    `BACKUP DATABASE ${quoteIdentifier(plan.database)}`,
    `  TO DISK = ${nString(initialBackupPaths(plan, generatedFor).written)}`,
    `  WITH ${options.join(', ')};`,
    '',
  ].join('\n');
}

/** The restored file's path: the folder the plan gives, the primary's file name adapted to the secondary database. */
function movedFileName(plan: Plan, file: DatabaseFile): string {
  const base = windowsBaseName(file.physicalName);
  if (plan.secondaryDatabase === plan.database) return base;
  const prefix = plan.database.toLowerCase();
  return base.toLowerCase().startsWith(prefix)
    ? plan.secondaryDatabase + base.slice(plan.database.length)
    : `${plan.secondaryDatabase}_${base}`;
}

/**
 * The restore on the backup store, always WITH NORECOVERY (standby applies to the log restores the restore job
 * runs, which can start from a RESTORING database). REPLACE because Topology Builder has already created an empty
 * database of that name there; MOVE for each file whose folder the plan gives.
 */
export function initialRestoreSql(plan: Plan, generatedFor: Date): string {
  const init = plan.secondary.initialise;
  if (init.mode === 'already-initialised')
    throw new Error('The secondary database is already initialised: nothing to restore.');
  const from =
    init.mode === 'restore-existing' ? init.backupFile : initialBackupPaths(plan, generatedFor).read;
  const moves = init.files.flatMap((file) => {
    const folder = file.type === 'ROWS' ? init.dataFolder : init.logFolder;
    return folder
      ? [`MOVE ${nString(file.logical)} TO ${nString(joinWindowsPath(folder, movedFileName(plan, file)))}`]
      : [];
  });
  const options = ['NORECOVERY', 'REPLACE', ...moves, 'STATS = 10'];
  return [
    `RESTORE DATABASE ${quoteIdentifier(plan.secondaryDatabase)}`,
    `  FROM DISK = ${nString(from)}`,
    `  WITH ${options.join(',\n    ')};`,
    '',
  ].join('\n');
}
