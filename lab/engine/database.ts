// Databases as the lab keeps them: LSNs, a small `chat` table standing for Persistent Chat messages, mirroring.
import { randomUUID } from 'node:crypto';
import type { DbFile, DbState, InstanceState } from './state';

/** One log block in the lab's LSN arithmetic (LSN = VLF * 10^15 + block * 10^5 + slot). */
export const LSN_STEP = 100000n;
export const INITIAL_LSN = 34000000016000001n;

export function newGuid(): string {
  return randomUUID().toUpperCase();
}

export function systemDatabases(createDate: Date): DbState[] {
  const sys = (name: string, id: number, recovery: DbState['recovery']): DbState => ({
    name,
    id,
    familyGuid: newGuid(),
    createDate,
    state: 'ONLINE',
    standby: false,
    recovery,
    userAccess: 'MULTI_USER',
    readOnly: false,
    system: true,
    files: [
      {
        fileId: 1,
        logical:
          name === 'master'
            ? 'master'
            : name === 'tempdb'
              ? 'tempdev'
              : name === 'model'
                ? 'modeldev'
                : 'MSDBData',
        physical: `C:\\Program Files\\Microsoft SQL Server\\MSSQL13.PCHAT\\MSSQL\\DATA\\${name}.mdf`,
        type: 'ROWS',
        sizePages: 1024,
      },
      {
        fileId: 2,
        logical:
          name === 'master'
            ? 'mastlog'
            : name === 'tempdb'
              ? 'templog'
              : name === 'model'
                ? 'modellog'
                : 'MSDBLog',
        physical: `C:\\Program Files\\Microsoft SQL Server\\MSSQL13.PCHAT\\MSSQL\\DATA\\${name}log.ldf`,
        type: 'LOG',
        sizePages: 256,
      },
    ],
    endLsn: INITIAL_LSN,
    tailDirty: false,
    chat: [],
  });
  return [
    sys('master', 1, 'SIMPLE'),
    sys('tempdb', 2, 'SIMPLE'),
    sys('model', 3, 'FULL'),
    sys('msdb', 4, 'SIMPLE'),
  ];
}

/** Where Install-CsDatabase puts a Persistent Chat store's files: D:\CsData\PersistentChatStore\<instance>. */
export function pchatDataDir(instanceName: string): string {
  return `D:\\CsData\\PersistentChatStore\\${instanceName}`;
}

export function pchatFiles(name: string, instanceName = 'PCHAT'): DbFile[] {
  const dir = pchatDataDir(instanceName);
  return [
    {
      fileId: 1,
      logical: name,
      physical: `${dir}\\${name}.mdf`,
      type: 'ROWS',
      sizePages: 4096,
    },
    {
      fileId: 2,
      logical: `${name}_log`,
      physical: `${dir}\\${name}_log.ldf`,
      type: 'LOG',
      sizePages: 1024,
    },
  ];
}

/** A Persistent Chat store database as Install-CsDatabase creates it (FULL recovery), with a few seed messages. */
export function pchatDatabase(
  name: string,
  id: number,
  createDate: Date,
  familyGuid: string,
  seedMessages: number,
  instanceName = 'PCHAT',
): DbState {
  const db: DbState = {
    name,
    id,
    familyGuid,
    createDate,
    state: 'ONLINE',
    standby: false,
    recovery: 'FULL',
    userAccess: 'MULTI_USER',
    readOnly: false,
    system: false,
    files: pchatFiles(name, instanceName),
    endLsn: INITIAL_LSN,
    tailDirty: false,
    chat: [],
  };
  for (let i = 0; i < seedMessages; i++)
    appendMessage(db, `Welcome to the lab, message ${i + 1}`, createDate);
  return db;
}

/** Writes one chat message at the next LSN. */
export function appendMessage(db: DbState, text: string, at: Date): void {
  const id = (db.chat[db.chat.length - 1]?.id ?? 0) + 1;
  db.chat.push({ id, lsn: db.endLsn, text, at });
  db.endLsn += LSN_STEP;
  db.tailDirty = true;
}

export function findDb(inst: InstanceState, name: string): DbState | undefined {
  const lower = name.toLowerCase();
  return inst.databases.find((d) => d.name.toLowerCase() === lower);
}

/** Copies what the principal's log carries to the mirror (synchronous mirroring, SAFETY FULL). */
export function copyToMirror(principal: DbState, mirror: DbState): void {
  mirror.chat = principal.chat.map((r) => ({ ...r }));
  mirror.endLsn = principal.endLsn;
  mirror.logBackupLsn = principal.logBackupLsn;
  mirror.lastFullCheckpointLsn = principal.lastFullCheckpointLsn;
  mirror.tailDirty = principal.tailDirty;
  mirror.recovery = principal.recovery;
  mirror.familyGuid = principal.familyGuid;
  mirror.redoLsn = principal.endLsn;
}
