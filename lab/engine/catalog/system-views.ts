// Catalog views and DMVs computed from the instance's state, plus the msdb tables and each user database's chat table.
import fs from 'node:fs';
import type { LabValue } from '../contract';
import { findDb } from '../database';
import { mapPath } from '../paths';
import type { DbState, InstanceState } from '../state';
import type { SqlType } from '../tsql/ast';
import type { Table } from '../tsql/host';
import { T, toColumn, type TV } from '../tsql/values';
import type { WorldInternals } from '../world-internals';
import { MSDB_TABLES } from './msdb-schema';

function table(cols: [string, SqlType][], rows: LabValue[][]): Table {
  return { columns: cols.map(([n, t]) => toColumn(n, t)), types: cols.map(([, t]) => t), rows };
}

const STATE_CODE: Record<string, number> = {
  ONLINE: 0,
  RESTORING: 1,
  RECOVERING: 2,
  RECOVERY_PENDING: 3,
  SUSPECT: 4,
  EMERGENCY: 5,
  OFFLINE: 6,
};

function databases(inst: InstanceState): Table {
  return table(
    [
      ['name', T.sysname],
      ['database_id', T.int],
      ['source_database_id', T.int],
      ['create_date', T.datetime],
      ['compatibility_level', T.tinyint],
      ['collation_name', T.sysname],
      ['user_access', T.tinyint],
      ['user_access_desc', T.nvarchar(60)],
      ['is_read_only', T.bit],
      ['state', T.tinyint],
      ['state_desc', T.nvarchar(60)],
      ['is_in_standby', T.bit],
      ['recovery_model', T.tinyint],
      ['recovery_model_desc', T.nvarchar(60)],
      ['log_reuse_wait_desc', T.nvarchar(60)],
      ['is_encrypted', T.bit],
    ],
    inst.databases.map((d) => [
      d.name,
      d.id,
      null,
      d.createDate,
      150,
      'SQL_Latin1_General_CP1_CI_AS',
      d.userAccess === 'MULTI_USER' ? 0 : d.userAccess === 'SINGLE_USER' ? 1 : 2,
      d.userAccess,
      d.readOnly ? 1 : 0,
      STATE_CODE[d.state] ?? 0,
      d.state,
      d.standby ? 1 : 0,
      d.recovery === 'FULL' ? 1 : d.recovery === 'BULK_LOGGED' ? 2 : 3,
      d.recovery,
      d.mirroring ? 'DATABASE_MIRRORING' : d.recovery === 'FULL' && d.tailDirty ? 'LOG_BACKUP' : 'NOTHING',
      0,
    ]),
  );
}

const MIRROR_STATE: Record<string, number> = {
  SUSPENDED: 0,
  DISCONNECTED: 1,
  SYNCHRONIZING: 2,
  PENDING_FAILOVER: 3,
  SYNCHRONIZED: 4,
};

function partnerAddress(serverName: string): string {
  const host = serverName.split('\\')[0]!.toLowerCase();
  return `TCP://${host}.lab.local:5022`;
}

function databaseMirroring(inst: InstanceState): Table {
  return table(
    [
      ['database_id', T.int],
      ['mirroring_guid', T.guid],
      ['mirroring_state', T.tinyint],
      ['mirroring_state_desc', T.nvarchar(60)],
      ['mirroring_role', T.tinyint],
      ['mirroring_role_desc', T.nvarchar(60)],
      ['mirroring_role_sequence', T.int],
      ['mirroring_safety_level', T.tinyint],
      ['mirroring_safety_level_desc', T.nvarchar(60)],
      ['mirroring_safety_sequence', T.int],
      ['mirroring_partner_name', T.nvarchar(128)],
      ['mirroring_partner_instance', T.nvarchar(128)],
      ['mirroring_witness_name', T.nvarchar(128)],
      ['mirroring_witness_state', T.tinyint],
      ['mirroring_witness_state_desc', T.nvarchar(60)],
      ['mirroring_failover_lsn', T.lsn],
      ['mirroring_connection_timeout', T.int],
      ['mirroring_redo_queue', T.int],
      ['mirroring_redo_queue_type', T.nvarchar(60)],
      ['mirroring_end_of_log_lsn', T.lsn],
      ['mirroring_replication_lsn', T.lsn],
    ],
    inst.databases.map((d) => {
      const m = d.mirroring;
      if (!m)
        return [
          d.id,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
        ];
      return [
        d.id,
        m.guid,
        MIRROR_STATE[m.state] ?? 4,
        m.state,
        m.role === 'PRINCIPAL' ? 1 : 2,
        m.role,
        m.roleSequence,
        m.safety === 'FULL' ? 2 : 1,
        m.safety,
        m.safetySequence,
        partnerAddress(m.partner),
        m.partner,
        '',
        0,
        'UNKNOWN',
        d.endLsn,
        10,
        0,
        'UNLIMITED',
        d.endLsn,
        d.endLsn,
      ];
    }),
  );
}

function serverServices(world: WorldInternals, inst: InstanceState): Table {
  const started = new Date(world.clock.nowMs() - 86400000);
  return table(
    [
      ['servicename', T.nvarchar(256)],
      ['startup_type', T.int],
      ['startup_type_desc', T.nvarchar(256)],
      ['status', T.int],
      ['status_desc', T.nvarchar(256)],
      ['process_id', T.int],
      ['last_startup_time', T.datetime2],
      ['service_account', T.nvarchar(256)],
      ['filename', T.nvarchar(256)],
      ['is_clustered', T.nvarchar(1)],
      ['cluster_nodename', T.nvarchar(256)],
      ['instant_file_initialization_enabled', T.nvarchar(1)],
    ],
    [
      [
        `SQL Server (${inst.instanceName})`,
        2,
        'Automatic',
        4,
        'Running',
        4100,
        started,
        'LAB\\sqlsvc',
        `"C:\\Program Files\\Microsoft SQL Server\\MSSQL13.${inst.instanceName}\\MSSQL\\Binn\\sqlservr.exe" -s${inst.instanceName}`,
        'N',
        null,
        'Y',
      ],
      [
        `SQL Server Agent (${inst.instanceName})`,
        2,
        'Automatic',
        inst.agentRunning ? 4 : 1,
        inst.agentRunning ? 'Running' : 'Stopped',
        inst.agentRunning ? 4200 : null,
        inst.agentRunning ? started : null,
        'LAB\\sqlsvc',
        `"C:\\Program Files\\Microsoft SQL Server\\MSSQL13.${inst.instanceName}\\MSSQL\\Binn\\SQLAGENT.EXE" -i ${inst.instanceName}`,
        'N',
        null,
        'N',
      ],
    ],
  );
}

function masterFiles(inst: InstanceState, only?: DbState): Table {
  const rows: LabValue[][] = [];
  for (const d of only ? [only] : inst.databases)
    for (const f of d.files)
      rows.push([
        d.id,
        f.fileId,
        f.type === 'ROWS' ? 0 : 1,
        f.type,
        f.type === 'ROWS' ? 1 : 0,
        f.logical,
        f.physical,
        d.state === 'RESTORING' ? 'RESTORING' : 'ONLINE',
        f.sizePages,
        -1,
        8192,
        0,
      ]);
  return table(
    [
      ['database_id', T.int],
      ['file_id', T.int],
      ['type', T.tinyint],
      ['type_desc', T.nvarchar(60)],
      ['data_space_id', T.int],
      ['name', T.sysname],
      ['physical_name', T.nvarchar(260)],
      ['state_desc', T.nvarchar(60)],
      ['size', T.int],
      ['max_size', T.int],
      ['growth', T.int],
      ['is_percent_growth', T.bit],
    ],
    rows,
  );
}

/** A connected session as sys.dm_exec_sessions shows it (the TDS layer reports logins and disconnects). */
export interface LiveSession {
  spid: number;
  login: string;
  database: string;
  hostName?: string;
  appName?: string;
  loginTime: Date;
  /** The session asking: `running`; the others `sleeping`. */
  running: boolean;
}

function execSessions(inst: InstanceState, sessions: LiveSession[]): Table {
  return table(
    [
      ['session_id', T.smallint],
      ['login_time', T.datetime],
      ['host_name', T.nvarchar(128)],
      ['program_name', T.nvarchar(128)],
      ['login_name', T.nvarchar(128)],
      ['status', T.nvarchar(30)],
      ['database_id', T.smallint],
      ['is_user_process', T.bit],
    ],
    [...sessions]
      .sort((a, b) => a.spid - b.spid)
      .map((x) => [
        x.spid,
        x.loginTime,
        x.hostName ?? null,
        x.appName ?? null,
        x.login,
        x.running ? 'running' : 'sleeping',
        findDb(inst, x.database)?.id ?? null,
        1,
      ]),
  );
}

function msdbTable(inst: InstanceState, name: string): Table | undefined {
  const def = MSDB_TABLES[name];
  if (!def) return undefined;
  const data = inst.msdb[name] ?? [];
  return table(
    def.columns.map((c) => [c.name, c.type]),
    data.map((r) => def.columns.map((c) => r[c.name] ?? null)),
  );
}

function chatTable(db: DbState): Table {
  return table(
    [
      ['id', T.int],
      ['message', T.nvarchar(4000)],
      ['posted_at', T.datetime],
      ['lsn', T.lsn],
    ],
    db.chat.map((r) => [r.id, r.text, r.at, r.lsn]),
  );
}

export interface CatalogError {
  /** 927/954/942 when the database exists but cannot be read. */
  unavailable?: DbState;
}

/**
 * Resolves a table name. `currentDb` is the session database. Returns undefined for unknown names (Msg 208) and
 * `{ unavailable }` when the target database cannot be opened.
 */
export function resolveTable(
  world: WorldInternals,
  inst: InstanceState,
  currentDb: string,
  parts: string[],
  sessions: LiveSession[] = [],
): Table | CatalogError | undefined {
  const p = parts.map((x) => x.toLowerCase());
  let db = currentDb.toLowerCase();
  let schema = 'dbo';
  let name: string;
  if (p.length === 1) name = p[0]!;
  else if (p.length === 2) {
    schema = p[0]!;
    name = p[1]!;
  } else if (p.length === 3) {
    db = p[0]!;
    schema = p[1]! || 'dbo';
    name = p[2]!;
  } else return undefined;
  const target = findDb(inst, db);
  if (!target) return undefined;
  if (target.state !== 'ONLINE') return { unavailable: target };
  if (schema === 'sys' || (schema === 'dbo' && db === 'master' && ['sysdatabases'].includes(name))) {
    switch (name) {
      case 'databases':
      case 'sysdatabases':
        return databases(inst);
      case 'database_mirroring':
        return databaseMirroring(inst);
      case 'dm_server_services':
        return serverServices(world, inst);
      case 'master_files':
        return masterFiles(inst);
      case 'database_files':
        return masterFiles(inst, target);
      case 'dm_exec_sessions':
        return execSessions(inst, sessions);
      default:
        return undefined;
    }
  }
  if (schema !== 'dbo') return undefined;
  if (db === 'msdb' && name === 'syscategories')
    return table(
      [
        ['category_id', T.int],
        ['category_class', T.int],
        ['category_type', T.tinyint],
        ['name', T.sysname],
      ],
      [
        [0, 1, 1, '[Uncategorized (Local)]'],
        [1, 1, 2, '[Uncategorized (Multi-Server)]'],
        [2, 1, 1, '[Uncategorized]'],
        [3, 1, 1, 'Database Maintenance'],
        [6, 1, 1, 'Log Shipping'],
        [98, 2, 3, '[Uncategorized]'],
        [99, 3, 3, '[Uncategorized]'],
      ],
    );
  if (db === 'msdb') return msdbTable(inst, name);
  if (!target.system && name === 'chat') return chatTable(target);
  return undefined;
}

/** Table-valued functions: sys.dm_os_file_exists(path), sys.dm_os_volume_stats(db_id, file_id). */
export function resolveTvf(
  world: WorldInternals,
  inst: InstanceState,
  parts: string[],
  args: TV[],
): Table | undefined {
  const name = parts[parts.length - 1]!.toLowerCase();
  if (name === 'dm_os_file_exists') {
    const p = String(args[0]?.value ?? '');
    const m = mapPath(world.pathContext(), inst.machine, p, 'read');
    let exists = 0;
    let dir = 0;
    let parent = 0;
    if (m.ok) {
      try {
        const st = fs.statSync(m.hostPath);
        exists = st.isFile() ? 1 : 0;
        dir = st.isDirectory() ? 1 : 0;
      } catch {
        // missing
      }
      try {
        parent = fs.statSync(m.hostPath.replace(/[\\/][^\\/]*$/, '')).isDirectory() ? 1 : 0;
      } catch {
        parent = 0;
      }
    }
    return table(
      [
        ['file_exists', T.bit],
        ['file_is_a_directory', T.bit],
        ['parent_directory_exists', T.bit],
      ],
      [[exists, dir, parent]],
    );
  }
  if (name === 'dm_os_volume_stats') {
    const dbId = Number(args[0]?.value ?? 0);
    const fileId = Number(args[1]?.value ?? 0);
    const db = inst.databases.find((d) => d.id === dbId);
    const f = db?.files.find((x) => x.fileId === fileId);
    if (!db || !f) return table([['database_id', T.int]], []);
    const drive = /^([A-Za-z]):/.exec(f.physical)?.[1]?.toUpperCase() ?? 'C';
    const total = 536870912000n;
    return table(
      [
        ['database_id', T.int],
        ['file_id', T.int],
        ['volume_mount_point', T.nvarchar(512)],
        ['volume_id', T.nvarchar(512)],
        ['logical_volume_name', T.nvarchar(512)],
        ['file_system_type', T.nvarchar(512)],
        ['total_bytes', T.bigint],
        ['available_bytes', T.bigint],
        ['supports_compression', T.tinyint],
        ['is_read_only', T.tinyint],
      ],
      [
        [
          dbId,
          fileId,
          `${drive}:\\`,
          `\\\\?\\Volume{${drive}}\\`,
          drive === 'C' ? 'System' : 'Data',
          'NTFS',
          total,
          drive === 'C' ? 64424509440n : 429496729600n,
          1,
          0,
        ],
      ],
    );
  }
  return undefined;
}

export { partnerAddress };
