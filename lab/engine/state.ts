// The lab's persistent state: instances, databases (with LSNs and chat rows), msdb tables, shares, clock, SfB docs.
import type { LabRole, LabValue } from './contract';

export type DbStateDesc = 'ONLINE' | 'RESTORING' | 'OFFLINE' | 'RECOVERY_PENDING';
export type RecoveryModel = 'FULL' | 'SIMPLE' | 'BULK_LOGGED';

export interface DbFile {
  fileId: number;
  logical: string;
  physical: string;
  type: 'ROWS' | 'LOG';
  /** Size in 8 KB pages. */
  sizePages: number;
}

export interface ChatRow {
  id: number;
  lsn: bigint;
  text: string;
  at: Date;
}

export interface MirroringState {
  role: 'PRINCIPAL' | 'MIRROR';
  partner: string;
  state: 'SYNCHRONIZED' | 'SYNCHRONIZING' | 'SUSPENDED' | 'DISCONNECTED' | 'PENDING_FAILOVER';
  guid: string;
  safety: 'FULL' | 'OFF';
  roleSequence: number;
  safetySequence: number;
}

export interface DbState {
  name: string;
  id: number;
  /** Identity of the database lineage: a restore over a database of another lineage needs REPLACE (3154). */
  familyGuid: string;
  createDate: Date;
  state: DbStateDesc;
  standby: boolean;
  recovery: RecoveryModel;
  userAccess: 'MULTI_USER' | 'SINGLE_USER' | 'RESTRICTED_USER';
  readOnly: boolean;
  system: boolean;
  files: DbFile[];
  /** Next LSN the log will write. */
  endLsn: bigint;
  /** Where the next log backup begins; undefined until the first full backup (then BACKUP LOG fails with 4214). */
  logBackupLsn?: bigint;
  /** True when log records exist that no log backup holds yet (RESTORE without REPLACE fails with 3159). */
  tailDirty: boolean;
  lastFullCheckpointLsn?: bigint;
  /** RESTORING databases: the LSN the next log backup must contain. */
  redoLsn?: bigint;
  chat: ChatRow[];
  mirroring?: MirroringState;
}

export type Row = Record<string, LabValue>;

export interface InstanceState {
  serverName: string;
  role: LabRole;
  machine: string;
  instanceName: string;
  port?: number;
  agentRunning: boolean;
  /** Its data center is down (`POST /site`): unreachable, Agent stopped, partners see the session DISCONNECTED. */
  down?: boolean;
  nextDbId: number;
  databases: DbState[];
  /** msdb tables by lower-case name (log_shipping_*, sysjobs, ...). */
  msdb: Record<string, Row[]>;
  counters: Record<string, number>;
}

export interface ShareState {
  present: boolean;
  writable: boolean;
  /** A share of a local folder on its host (e.g. `D:\\LSBackup` shared as `\\\\SQL01\\LSBackup`); else a folder of its own. */
  localPath?: string;
}

export interface WorldState {
  version: 1;
  clock: { mode: 'realtime' | 'manual'; manualMs: number; offsetMs: number };
  instances: InstanceState[];
  /** Keyed by lower-case `\\host\share`. */
  shares: Record<string, ShareState>;
  docs: Record<string, unknown>;
}

/** JSON with Date and bigint preserved. */
export function serializeState(state: unknown): string {
  return JSON.stringify(
    state,
    function (this: Record<string, unknown>, key: string, value: unknown) {
      const raw = this[key];
      if (raw instanceof Date) return { $date: raw.toISOString() };
      if (typeof raw === 'bigint') return { $big: raw.toString() };
      if (raw instanceof Uint8Array) return { $bin: Buffer.from(raw).toString('base64') };
      return value;
    },
    1,
  );
}

export function deserializeState<T>(text: string): T {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const o = value as Record<string, unknown>;
      const keys = Object.keys(o);
      if (keys.length === 1) {
        if (typeof o.$date === 'string') return new Date(o.$date);
        if (typeof o.$big === 'string') return BigInt(o.$big);
        if (typeof o.$bin === 'string') return new Uint8Array(Buffer.from(o.$bin, 'base64'));
      }
    }
    return value;
  }) as T;
}
