// Initialising the backup store's copy of the database, as SSMS's "Initialize Secondary Database" tab does it
// (SSMS runs these itself and does not script them): a full backup of the primary, restored WITH NORECOVERY.
import type { Plan } from '@/lib/plan/schema';
import { nString, quoteIdentifier } from '@/lib/sql/quote';
import { joinWindowsPath, utcStamp, windowsBaseName } from './format';

/** One file of the primary database, as `sys.master_files` or `RESTORE FILELISTONLY` report it. */
export interface DatabaseFile {
  logical: string;
  type: 'ROWS' | 'LOG';
  /** Full path on the primary (only its last segment is used to name the restored file). */
  physicalName: string;
}

/**
 * The files of a Persistent Chat database when preflight has not read them: the `<db>.mdf` / `<db>.ldf` files the
 * SfB documentation names, with logical names `<db>_data` / `<db>_log`. The logical names are an assumption;
 * pass the names preflight reads from `sys.master_files` instead whenever they are known.
 */
export function defaultDatabaseFiles(database: string): DatabaseFile[] {
  return [
    { logical: `${database}_data`, type: 'ROWS', physicalName: `${database}.mdf` },
    { logical: `${database}_log`, type: 'LOG', physicalName: `${database}.ldf` },
  ];
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
export function initialRestoreSql(
  plan: Plan,
  generatedFor: Date,
  files: readonly DatabaseFile[] = defaultDatabaseFiles(plan.database),
): string {
  const init = plan.secondary.initialise;
  if (init.mode === 'already-initialised')
    throw new Error('The secondary database is already initialised: nothing to restore.');
  const from =
    init.mode === 'restore-existing' ? init.backupFile : initialBackupPaths(plan, generatedFor).read;
  const moves = files.flatMap((file) => {
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
