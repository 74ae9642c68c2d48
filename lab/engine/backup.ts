// BACKUP and RESTORE with LSNs and a log chain; backup files are real JSON files under the lab root.
import fs from 'node:fs';
import path from 'node:path';
import type { LabValue } from './contract';
import { appendMessage, findDb, LSN_STEP, newGuid } from './database';
import { formatMessage, MESSAGES, SqlError, sqlError } from './errors';
import { agentDate, insert, nextId } from './msdb';
import { mapPath, osErrorText, parentExists } from './paths';
import type { ChatRow, DbFile, DbState, InstanceState, RecoveryModel } from './state';
import { deserializeState, serializeState } from './state';
import type { Emitter } from './tsql/host';
import { T } from './tsql/values';
import type { WorldInternals } from './world-internals';

export const BACKUP_FORMAT = 'pchat-hadr-lab-backup/1';

export interface BackupSetFile {
  position: number;
  name: string | null;
  type: 'D' | 'L';
  databaseName: string;
  serverName: string;
  machineName: string;
  familyGuid: string;
  backupSetGuid: string;
  firstLsn: bigint;
  lastLsn: bigint;
  checkpointLsn: bigint;
  databaseBackupLsn: bigint;
  start: Date;
  finish: Date;
  compressed: boolean;
  copyOnly: boolean;
  checksum: boolean;
  recoveryModel: RecoveryModel;
  databaseCreationDate: Date;
  files: DbFile[];
  pages: number;
  /** D: all rows; L: rows logged within [firstLsn, lastLsn). */
  chat: ChatRow[];
}

interface BackupFile {
  format: string;
  sets: BackupSetFile[];
}

export interface InstanceContext {
  world: WorldInternals;
  inst: InstanceState;
  login: string;
}

function terminating(kind: string): SqlError {
  return sqlError(3013, [kind]);
}

/** Throws the first error followed by 3013, as SQL Server reports a failed BACKUP/RESTORE. */
class StatementFailure extends Error {
  constructor(readonly errors: SqlError[]) {
    super(errors[0]?.message ?? 'failure');
  }
}

export function isStatementFailure(e: unknown): e is StatementFailure {
  return e instanceof StatementFailure;
}

export function statementErrors(e: unknown): SqlError[] {
  if (e instanceof StatementFailure) return e.errors;
  if (e instanceof SqlError) return [e];
  const list = (e as { errors?: unknown } | null)?.errors;
  return Array.isArray(list) && list.every((x) => x instanceof SqlError) ? (list as SqlError[]) : [];
}

function fail(kind: string, ...errs: SqlError[]): never {
  throw new StatementFailure([...errs, terminating(kind)]);
}

function readBackupFile(
  ctx: InstanceContext,
  device: string,
  kind: string,
): { file: BackupFile; hostPath: string } {
  const m = mapPath(ctx.world.pathContext(), ctx.inst.machine, device, 'read');
  if (!m.ok) fail(kind, sqlError(3201, [device, osErrorText(m.osError)], { state: 2 }));
  if (!fs.existsSync(m.hostPath))
    fail(kind, sqlError(3201, [device, osErrorText(parentExists(m.hostPath) ? 2 : 3)], { state: 2 }));
  try {
    const file = deserializeState<BackupFile>(fs.readFileSync(m.hostPath, 'utf8'));
    if (file.format !== BACKUP_FORMAT) throw new Error('format');
    return { file, hostPath: m.hostPath };
  } catch {
    fail(kind, sqlError(3241, [device]));
  }
}

function pagesFor(set: { type: 'D' | 'L'; chat: ChatRow[]; firstLsn: bigint; lastLsn: bigint }): {
  data: number;
  log: number;
} {
  if (set.type === 'D') return { data: 328 + set.chat.length, log: 2 };
  return { data: 0, log: Number((set.lastLsn - set.firstLsn) / LSN_STEP) + 1 + set.chat.length };
}

function timing(pages: number): { seconds: string; rate: string } {
  const secs = Math.max(0.003, Math.round((0.004 + pages * 0.00012) * 1000) / 1000);
  const mb = (pages * 8192) / 1048576 / secs;
  return { seconds: secs.toFixed(3), rate: mb.toFixed(3) };
}

function emitStats(emit: Emitter, stats: LabValue | true | undefined): void {
  if (stats === undefined) return;
  const step = stats === true ? 10 : Math.max(1, Math.min(100, Number(stats)));
  for (let p = step; p <= 100; p += step) emit.info(formatMessage(MESSAGES[3211]!.text, [p]), 3211);
  if (100 % step !== 0) emit.info(formatMessage(MESSAGES[3211]!.text, [100]), 3211);
}

function dbUnavailable(db: DbState): SqlError | undefined {
  if (db.state === 'RESTORING')
    return db.mirroring?.role === 'MIRROR' ? sqlError(954, [db.name]) : sqlError(927, [db.name]);
  if (db.state === 'OFFLINE') return sqlError(942, [db.name]);
  return undefined;
}

export interface BackupResult {
  set: BackupSetFile;
  hostPath: string;
}

/** BACKUP DATABASE / BACKUP LOG. Throws StatementFailure with SQL Server's errors. */
export function runBackup(
  ctx: InstanceContext,
  what: 'DATABASE' | 'LOG',
  dbName: string,
  devices: string[],
  options: Map<string, LabValue | true>,
  emit: Emitter | undefined,
): BackupResult {
  const kind = `BACKUP ${what}`;
  const db = findDb(ctx.inst, dbName);
  if (!db) fail(kind, sqlError(911, [dbName]));
  const unavailable = dbUnavailable(db);
  if (unavailable) fail(kind, unavailable);
  // A tail-log backup would take the principal out of service under its mirror ("Backup of the principal database
  // is allowed, but BACKUP LOG WITH NORECOVERY is not allowed"): mirroring has to be removed first.
  if (what === 'LOG' && options.has('NORECOVERY') && db.mirroring) fail(kind, sqlError(1468, [db.name]));
  if (what === 'LOG') {
    if (db.recovery === 'SIMPLE') fail(kind, sqlError(4208));
    if (db.logBackupLsn === undefined) fail(kind, sqlError(4214));
  }
  if (db.name.toLowerCase() === 'tempdb') fail(kind, sqlError(3147));
  const device = devices[0]!;
  const m = mapPath(ctx.world.pathContext(), ctx.inst.machine, device, 'write');
  if (!m.ok) fail(kind, sqlError(3201, [device, osErrorText(m.osError)]));
  if (!parentExists(m.hostPath)) fail(kind, sqlError(3201, [device, osErrorText(3)]));
  let existing: BackupFile | undefined;
  const overwrite = options.has('INIT') || options.has('FORMAT');
  if (!overwrite && fs.existsSync(m.hostPath)) {
    try {
      existing = deserializeState<BackupFile>(fs.readFileSync(m.hostPath, 'utf8'));
      if (existing.format !== BACKUP_FORMAT) existing = undefined;
    } catch {
      existing = undefined;
    }
  }
  const now = ctx.world.clock.now();
  const copyOnly = options.has('COPY_ONLY');
  let firstLsn: bigint;
  let lastLsn: bigint;
  let checkpointLsn: bigint;
  let chat: ChatRow[];
  const databaseBackupLsn = db.lastFullCheckpointLsn ?? 0n;
  if (what === 'DATABASE') {
    firstLsn = db.endLsn;
    checkpointLsn = db.endLsn + LSN_STEP;
    lastLsn = db.endLsn + 2n * LSN_STEP;
    db.endLsn += 3n * LSN_STEP;
    chat = db.chat.map((r) => ({ ...r }));
  } else {
    firstLsn = db.logBackupLsn!;
    db.endLsn += LSN_STEP; // the backup's own log records
    lastLsn = db.endLsn;
    checkpointLsn = db.lastFullCheckpointLsn ?? firstLsn;
    chat = db.chat.filter((r) => r.lsn >= firstLsn && r.lsn < lastLsn).map((r) => ({ ...r }));
  }
  const set: BackupSetFile = {
    position: (existing?.sets.length ?? 0) + 1,
    name: options.has('NAME') ? String(options.get('NAME')) : null,
    type: what === 'DATABASE' ? 'D' : 'L',
    databaseName: db.name,
    serverName: '',
    machineName: ctx.inst.machine,
    familyGuid: db.familyGuid,
    backupSetGuid: newGuid(),
    firstLsn,
    lastLsn,
    checkpointLsn,
    databaseBackupLsn,
    start: now,
    finish: now,
    compressed: options.has('COMPRESSION'),
    copyOnly,
    checksum: options.has('CHECKSUM'),
    recoveryModel: db.recovery,
    databaseCreationDate: db.createDate,
    files: db.files.map((f) => ({ ...f })),
    pages: 0,
    chat,
  };
  set.serverName = ctx.inst.serverName;
  const pages = pagesFor(set);
  set.pages = pages.data + pages.log;
  const file: BackupFile = { format: BACKUP_FORMAT, sets: [...(existing?.sets ?? []), set] };
  try {
    fs.writeFileSync(m.hostPath, serializeState(file));
  } catch {
    fail(kind, sqlError(3201, [device, osErrorText(5)]));
  }
  // The backup succeeded: only now does the database's log chain move.
  if (what === 'DATABASE') {
    if (!copyOnly) db.lastFullCheckpointLsn = checkpointLsn;
    if (db.logBackupLsn === undefined && db.recovery !== 'SIMPLE') db.logBackupLsn = firstLsn;
  } else if (!copyOnly) {
    db.logBackupLsn = lastLsn;
    db.tailDirty = false;
  }
  if (what === 'LOG' && options.has('NORECOVERY')) {
    db.state = 'RESTORING';
    db.redoLsn = lastLsn;
  }
  if (emit) {
    emitStats(emit, options.get('STATS'));
    const dataFile = db.files.find((f) => f.type === 'ROWS')!;
    const logFile = db.files.find((f) => f.type === 'LOG')!;
    if (what === 'DATABASE')
      emit.info(
        formatMessage(MESSAGES[4035]!.text, [pages.data, db.name, dataFile.logical, set.position]),
        4035,
      );
    emit.info(formatMessage(MESSAGES[4035]!.text, [pages.log, db.name, logFile.logical, set.position]), 4035);
    const t = timing(set.pages);
    emit.info(formatMessage(MESSAGES[3014]!.text, [kind, set.pages, t.seconds, t.rate]), 3014);
  }
  recordBackupHistory(ctx, set, device);
  ctx.world.syncMirror(ctx.inst, db);
  ctx.world.changed();
  return { set, hostPath: m.hostPath };
}

/** backupset + backupmediafamily rows, written by BACKUP and (for the set it read) by RESTORE; returns backup_set_id. */
function recordBackupHistory(ctx: InstanceContext, set: BackupSetFile, device: string): number {
  const backupSetId = nextId(ctx.inst, 'backup_set_id');
  const mediaSetId = nextId(ctx.inst, 'media_set_id');
  insert(ctx.inst, 'backupmediafamily', {
    media_set_id: mediaSetId,
    family_sequence_number: 1,
    physical_device_name: device,
    device_type: 2,
  });
  insert(ctx.inst, 'backupset', {
    backup_set_id: backupSetId,
    backup_set_uuid: set.backupSetGuid,
    media_set_id: mediaSetId,
    position: set.position,
    name: set.name,
    user_name: ctx.login,
    database_name: set.databaseName,
    server_name: set.serverName,
    machine_name: set.machineName,
    type: set.type,
    backup_start_date: set.start,
    backup_finish_date: set.finish,
    first_lsn: set.firstLsn,
    last_lsn: set.lastLsn,
    checkpoint_lsn: set.checkpointLsn,
    database_backup_lsn: set.databaseBackupLsn,
    recovery_model: set.recoveryModel,
    is_copy_only: set.copyOnly ? 1 : 0,
    backup_size: BigInt(set.pages * 8192),
    compressed_backup_size: BigInt(Math.round(set.pages * 8192 * (set.compressed ? 0.3 : 1))),
    has_backup_checksums: set.checksum ? 1 : 0,
    family_guid: set.familyGuid,
  });
  return backupSetId;
}

export interface RestoreResult {
  set?: BackupSetFile;
  db: DbState;
}

/** RESTORE DATABASE / RESTORE LOG. Throws StatementFailure with SQL Server's errors. */
export function runRestore(
  ctx: InstanceContext,
  what: 'DATABASE' | 'LOG',
  dbName: string,
  devices: string[],
  options: Map<string, LabValue | true>,
  moves: { logical: string; physical: string }[],
  emit: Emitter | undefined,
): RestoreResult {
  const kind = `RESTORE ${what}`;
  const existing = findDb(ctx.inst, dbName);
  const recovery = options.has('NORECOVERY') ? 'NORECOVERY' : options.has('STANDBY') ? 'STANDBY' : 'RECOVERY';
  if (existing?.system) fail(kind, sqlError(3108));
  if (devices.length === 0) {
    // RESTORE DATABASE x WITH RECOVERY: finish recovery of a restoring database.
    if (!existing) fail(kind, sqlError(911, [dbName]));
    if (existing.mirroring) fail(kind, sqlError(3104, [existing.name]));
    if (existing.state !== 'RESTORING' && !existing.standby) fail(kind, sqlError(3148));
    if (recovery === 'RECOVERY') recover(existing);
    if (emit) {
      const t = timing(0);
      emit.info(formatMessage(MESSAGES[3014]!.text, [kind, 0, t.seconds, '0.000']), 3014);
    }
    ctx.world.changed();
    return { db: existing };
  }
  if (existing?.mirroring) fail(kind, sqlError(3104, [existing.name]));
  const { file } = readBackupFile(ctx, devices[0]!, kind);
  const position = options.has('FILE') ? Number(options.get('FILE')) : 1;
  const set = file.sets.find((s) => s.position === position);
  if (!set) fail(kind, sqlError(3246, [devices[0]!]));
  const replace = options.has('REPLACE');
  let db: DbState;
  if (what === 'DATABASE') {
    if (set.type !== 'D') fail(kind, sqlError(3135, [devices[0]!, 'BACKUP LOG']));
    if (existing && !replace) {
      if (existing.familyGuid !== set.familyGuid) fail(kind, sqlError(3154, [existing.name]));
      if (existing.state === 'ONLINE' && existing.recovery !== 'SIMPLE' && existing.tailDirty)
        fail(kind, sqlError(3159, [existing.name]));
    }
    const files: DbFile[] = set.files.map((f) => ({ ...f }));
    for (const mv of moves) {
      const f = files.find((x) => x.logical.toLowerCase() === mv.logical.toLowerCase());
      if (!f) fail(kind, sqlError(3234, [mv.logical, set.databaseName]));
      f.physical = mv.physical;
    }
    const planning: SqlError[] = [];
    for (const f of files) {
      const m = mapPath(ctx.world.pathContext(), ctx.inst.machine, f.physical, 'write');
      if (!m.ok || !parentExists(m.hostPath))
        planning.push(sqlError(5133, [f.physical, osErrorText(m.ok ? 3 : m.osError)]));
    }
    if (planning.length > 0) fail(kind, ...planning, sqlError(3119));
    db = existing ?? {
      name: dbName,
      id: ctx.inst.nextDbId++,
      familyGuid: set.familyGuid,
      createDate: ctx.world.clock.now(),
      state: 'RESTORING',
      standby: false,
      recovery: set.recoveryModel,
      userAccess: 'MULTI_USER',
      readOnly: false,
      system: false,
      files,
      endLsn: set.lastLsn,
      tailDirty: false,
      chat: [],
    };
    db.files = files;
    db.familyGuid = set.familyGuid;
    db.recovery = set.recoveryModel;
    db.chat = set.chat.map((r) => ({ ...r }));
    db.endLsn = set.lastLsn;
    db.redoLsn = set.lastLsn;
    db.logBackupLsn = set.lastLsn;
    db.lastFullCheckpointLsn = set.checkpointLsn;
    db.tailDirty = false;
    db.state = 'RESTORING';
    db.standby = false;
    db.readOnly = false;
    if (!existing) ctx.inst.databases.push(db);
  } else {
    if (!existing) fail(kind, sqlError(911, [dbName]));
    db = existing;
    if (set.type !== 'L') fail(kind, sqlError(3135, [devices[0]!, 'BACKUP DATABASE']));
    if (db.state !== 'RESTORING' && !db.standby) fail(kind, sqlError(3117));
    if (db.familyGuid !== set.familyGuid) fail(kind, sqlError(4330));
    const redo = db.redoLsn ?? db.endLsn;
    if (set.firstLsn > redo) fail(kind, sqlError(4305, [set.firstLsn.toString(), redo.toString()]));
    if (set.lastLsn <= redo) fail(kind, sqlError(4326, [set.lastLsn.toString(), redo.toString()]));
    for (const r of set.chat) if (r.lsn >= redo) db.chat.push({ ...r });
    db.redoLsn = set.lastLsn;
    db.endLsn = set.lastLsn;
    db.logBackupLsn = set.lastLsn;
    db.state = 'RESTORING';
    db.standby = false;
  }
  if (recovery === 'STANDBY') {
    const undo = String(options.get('STANDBY'));
    const m = mapPath(ctx.world.pathContext(), ctx.inst.machine, undo, 'write');
    if (!m.ok || !parentExists(m.hostPath))
      fail(kind, sqlError(3201, [undo, osErrorText(m.ok ? 3 : m.osError)]));
    fs.writeFileSync(m.hostPath, `standby undo file for ${db.name}\n`);
    db.standby = true;
    db.readOnly = true;
    db.state = 'ONLINE';
  } else if (recovery === 'RECOVERY') recover(db);
  if (emit) {
    emitStats(emit, options.get('STATS'));
    const pages = pagesFor(set);
    const dataFile = db.files.find((f) => f.type === 'ROWS')!;
    const logFile = db.files.find((f) => f.type === 'LOG')!;
    // RESTORE LOG reports the data file too, with 0 pages, as SQL Server does.
    emit.info(
      formatMessage(MESSAGES[4035]!.text, [pages.data, db.name, dataFile.logical, set.position]),
      4035,
    );
    emit.info(formatMessage(MESSAGES[4035]!.text, [pages.log, db.name, logFile.logical, set.position]), 4035);
    const t = timing(pages.data + pages.log);
    emit.info(formatMessage(MESSAGES[3014]!.text, [kind, pages.data + pages.log, t.seconds, t.rate]), 3014);
  }
  insert(ctx.inst, 'restorehistory', {
    restore_history_id: nextId(ctx.inst, 'restore_history_id'),
    restore_date: ctx.world.clock.now(),
    destination_database_name: db.name,
    user_name: ctx.login,
    backup_set_id: recordBackupHistory(ctx, set, devices[0]!),
    restore_type: set.type,
    replace: replace ? 1 : 0,
    recovery: recovery === 'RECOVERY' ? 1 : 0,
    restart: 0,
    device_count: 1,
    stop_before: 0,
  });
  ctx.world.changed();
  return { set, db };
}

function recover(db: DbState): void {
  db.state = 'ONLINE';
  db.standby = false;
  db.readOnly = false;
  db.redoLsn = undefined;
  db.endLsn += LSN_STEP;
  db.tailDirty = true;
}

/** RESTORE HEADERONLY / FILELISTONLY / VERIFYONLY / LABELONLY. */
export function restoreInfo(
  ctx: InstanceContext,
  what: 'HEADERONLY' | 'FILELISTONLY' | 'VERIFYONLY' | 'LABELONLY',
  devices: string[],
  options: Map<string, LabValue | true>,
  emit: Emitter,
): void {
  const kind = what === 'VERIFYONLY' ? 'VERIFY DATABASE' : `RESTORE ${what}`;
  const { file } = readBackupFile(ctx, devices[0]!, kind);
  if (what === 'HEADERONLY') {
    emit.resultSet(
      [
        { name: 'BackupName', type: T.nvarchar(128) },
        { name: 'BackupDescription', type: T.nvarchar(255) },
        { name: 'BackupType', type: T.smallint },
        { name: 'ExpirationDate', type: T.datetime },
        { name: 'Compressed', type: T.bit },
        { name: 'Position', type: T.smallint },
        { name: 'DeviceType', type: T.tinyint },
        { name: 'UserName', type: T.nvarchar(128) },
        { name: 'ServerName', type: T.nvarchar(128) },
        { name: 'DatabaseName', type: T.nvarchar(128) },
        { name: 'DatabaseVersion', type: T.int },
        { name: 'DatabaseCreationDate', type: T.datetime },
        { name: 'BackupSize', type: T.lsn },
        { name: 'FirstLSN', type: T.lsn },
        { name: 'LastLSN', type: T.lsn },
        { name: 'CheckpointLSN', type: T.lsn },
        { name: 'DatabaseBackupLSN', type: T.lsn },
        { name: 'BackupStartDate', type: T.datetime },
        { name: 'BackupFinishDate', type: T.datetime },
        { name: 'MachineName', type: T.nvarchar(128) },
        { name: 'FamilyGUID', type: T.guid },
        { name: 'IsCopyOnly', type: T.bit },
        { name: 'RecoveryModel', type: T.nvarchar(60) },
        { name: 'BackupTypeDescription', type: T.nvarchar(60) },
        { name: 'BackupSetGUID', type: T.guid },
        { name: 'HasBackupChecksums', type: T.bit },
      ],
      file.sets.map((s) => [
        s.name,
        null,
        s.type === 'D' ? 1 : 2,
        null,
        s.compressed ? 1 : 0,
        s.position,
        2,
        ctx.login,
        s.serverName,
        s.databaseName,
        904,
        s.databaseCreationDate,
        BigInt(s.pages * 8192),
        s.firstLsn,
        s.lastLsn,
        s.checkpointLsn,
        s.databaseBackupLsn,
        s.start,
        s.finish,
        s.machineName,
        s.familyGuid,
        s.copyOnly ? 1 : 0,
        s.recoveryModel,
        s.type === 'D' ? 'Database' : 'Transaction Log',
        s.backupSetGuid,
        s.checksum ? 1 : 0,
      ]),
    );
    return;
  }
  const position = options.has('FILE') ? Number(options.get('FILE')) : 1;
  const set = file.sets.find((s) => s.position === position) ?? file.sets[0]!;
  if (what === 'FILELISTONLY') {
    emit.resultSet(
      [
        { name: 'LogicalName', type: T.nvarchar(128) },
        { name: 'PhysicalName', type: T.nvarchar(260) },
        { name: 'Type', type: T.varchar(1) },
        { name: 'FileGroupName', type: T.nvarchar(128) },
        { name: 'Size', type: T.lsn },
        { name: 'MaxSize', type: T.lsn },
        { name: 'FileId', type: T.bigint },
        { name: 'BackupSizeInBytes', type: T.bigint },
        { name: 'IsReadOnly', type: T.bit },
        { name: 'IsPresent', type: T.bit },
      ],
      set.files.map((f) => [
        f.logical,
        f.physical,
        f.type === 'ROWS' ? 'D' : 'L',
        f.type === 'ROWS' ? 'PRIMARY' : null,
        BigInt(f.sizePages * 8192),
        35184372080640n,
        BigInt(f.fileId),
        BigInt(f.sizePages * 8192),
        0,
        1,
      ]),
    );
    return;
  }
  if (what === 'VERIFYONLY') {
    emit.info(formatMessage(MESSAGES[3262]!.text, [set.position]), 3262);
    return;
  }
  emit.resultSet(
    [
      { name: 'MediaName', type: T.nvarchar(128) },
      { name: 'FamilyCount', type: T.int },
      { name: 'FamilySequenceNumber', type: T.int },
      { name: 'MediaSetId', type: T.guid },
    ],
    [[null, 1, 1, set.familyGuid]],
  );
}

/** Applies a chat message at the next LSN of a principal/online database (control route). */
export function insertMessages(ctx: InstanceContext, dbName: string, count: number): DbState {
  const db = findDb(ctx.inst, dbName);
  if (!db) throw sqlError(911, [dbName]);
  const unavailable = dbUnavailable(db);
  if (unavailable) throw unavailable;
  if (db.readOnly) throw sqlError(3906, [db.name]);
  const now = ctx.world.clock.now();
  for (let i = 0; i < count; i++)
    appendMessage(db, `Lab message ${db.chat.length + 1} at ${agentDate(now).date}`, now);
  ctx.world.syncMirror(ctx.inst, db);
  ctx.world.changed();
  return db;
}

export function backupFileSets(hostPath: string): BackupSetFile[] | undefined {
  try {
    const f = deserializeState<BackupFile>(fs.readFileSync(hostPath, 'utf8'));
    return f.format === BACKUP_FORMAT ? f.sets : undefined;
  } catch {
    return undefined;
  }
}

export function ensureDir(p: string): void {
  fs.mkdirSync(path.dirname(p), { recursive: true });
}

export { dbUnavailable };
