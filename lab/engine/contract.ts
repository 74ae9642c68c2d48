// The seam between the TDS front end (lab/tds) and the engine behind each instance (lab/engine).
// The TDS layer only speaks the protocol; the engine only knows T-SQL and lab state.

/** Column types the engine can return; the TDS layer maps each to a TDS type (e.g. nvarchar -> NVARCHARTYPE/PLP). */
export type LabColumnType =
  | 'int'
  | 'bigint'
  | 'smallint'
  | 'tinyint'
  | 'bit'
  | 'decimal' // precision 25, scale 0 (LSNs as SQL Server returns them)
  | 'float'
  | 'nvarchar' // nvarchar(4000) or nvarchar(max) when maxLength is undefined
  | 'varchar'
  | 'datetime'
  | 'datetime2'
  | 'uniqueidentifier'
  | 'varbinary';

export interface LabColumn {
  name: string;
  type: LabColumnType;
  nullable?: boolean;
  /** Characters for nvarchar/varchar; undefined means MAX. */
  maxLength?: number;
}

/** A JS value the engine puts in a row or an output parameter. Dates are Date, GUIDs upper-case strings, decimals bigint. */
export type LabValue = null | number | bigint | string | boolean | Date | Uint8Array;

/** A server message as SQL Server sends it in an INFO (class <= 10) or ERROR (class > 10) token. */
export interface LabMessage {
  number: number;
  state: number;
  class: number;
  message: string;
  procName?: string;
  /** 1-based line within the batch (or procedure). */
  line: number;
}

/** Where the engine writes results, in order, as they happen (so PRINT and STATS progress stream live). */
export interface ResultSink {
  /** Starts a result set (COLMETADATA). */
  columns(columns: LabColumn[]): void;
  row(values: LabValue[]): void;
  /** Ends a statement: DONE / DONEINPROC with a row count when the statement produced one. */
  done(info: { rowCount?: number; inProc?: boolean; error?: boolean }): void;
  info(message: LabMessage): void;
  error(message: LabMessage): void;
  /** RPC only: the procedure's RETURN status (RETURNSTATUS token). */
  returnStatus(value: number): void;
  /** RPC only: an OUTPUT parameter's value (RETURNVALUE token), in declaration order. */
  returnValue(param: { name: string; type: LabColumnType; value: LabValue; ordinal: number }): void;
}

/** Who is connected, as established by LOGIN7. */
export interface LabSession {
  spid: number;
  login: string; // 'sa', 'LAB\\sqladmin', ...
  isSysadmin: boolean;
  database: string; // current database (ENVCHANGE on USE)
  appName?: string;
  hostName?: string;
}

/** A typed RPC parameter as decoded by the TDS layer. */
export interface RpcParam {
  name: string; // '@database', or '' for positional
  type: LabColumnType;
  value: LabValue;
  output: boolean;
}

export interface LabLoginResult {
  ok: boolean;
  /** Message for Msg 18456 and kin when ok is false. */
  error?: LabMessage;
  isSysadmin?: boolean;
  defaultDatabase?: string;
}

/** One SQL Server instance's engine. */
export interface LabInstanceEngine {
  /** `@@SERVERNAME`, e.g. `SQL01\PCHAT`. */
  readonly serverName: string;
  /** 'Microsoft SQL Server 2019 (RTM-CU...) ...' */
  readonly version: string;
  /** SQL login (name + password) check. */
  loginSql(user: string, password: string): LabLoginResult;
  /** Windows login after a successful NTLM exchange for DOMAIN\user. */
  loginWindows(domainUser: string): LabLoginResult;
  /** NT hash source for NTLM: the password of a lab domain account, or undefined when unknown. */
  domainAccountPassword(domainUser: string): string | undefined;
  /** Runs a SQL batch. Resolves when the batch ends; never rejects for T-SQL errors (they go to the sink). */
  executeBatch(session: LabSession, sql: string, sink: ResultSink, signal: AbortSignal): Promise<void>;
  /** Runs an RPC: a stored procedure by name or sp_executesql / sp_prepare... */
  executeRpc(
    session: LabSession,
    procName: string,
    params: RpcParam[],
    sink: ResultSink,
    signal: AbortSignal,
  ): Promise<void>;
  /**
   * A connection finished its login (sys.dm_exec_sessions lists it); `kill` ends it (KILL from another session).
   * Optional: an engine without session tracking ignores it.
   */
  sessionStarted?(session: LabSession, kill: () => void): void;
  /** The connection of `session` closed. */
  sessionEnded?(session: LabSession): void;
}

/** The roles of the four lab instances (same ids as the plan's server roles). */
export type LabRole = 'primary' | 'primaryMirror' | 'backup' | 'backupMirror';

/** The two data centers of the stretched pool; each holds a store and its mirror. */
export type LabSite = 'Primary' | 'Backup';

/** Which data center each instance stands in (the SfB topology's sites). */
export const labSiteOf: Record<LabRole, LabSite> = {
  primary: 'Primary',
  primaryMirror: 'Primary',
  backup: 'Backup',
  backupMirror: 'Backup',
};

export interface LabInstance {
  role: LabRole;
  /** `@@SERVERNAME`, e.g. `SQL01\PCHAT`. */
  serverName: string;
  engine: LabInstanceEngine;
}

export interface MirroringView {
  database: string;
  role: 'PRINCIPAL' | 'MIRROR';
  /** sys.database_mirroring.mirroring_state_desc */
  state: 'SYNCHRONIZED' | 'SYNCHRONIZING' | 'SUSPENDED' | 'DISCONNECTED' | 'PENDING_FAILOVER';
  partnerServerName: string;
}

/**
 * Everything in the lab that outlives a connection: instances, databases, msdb, Agent, the clock, folders.
 * Created by lab/engine/world.ts `createLabWorld`; driven by the TDS front end and the control API.
 */
export interface LabWorld {
  readonly root: string;
  readonly instances: LabInstance[];
  instance(serverName: string): LabInstance | undefined;
  /** Mirroring of `database` as seen from `serverName`, or undefined when not mirrored there. */
  mirroring(serverName: string, database: string): MirroringView | undefined;
  /** Manual failover of a mirrored database to its partner (ALTER DATABASE ... SET PARTNER FAILOVER semantics). */
  failoverMirroring(database: string, newPrincipalServerName: string): void;
  /** A small JSON document the SfB side keeps (pool state, active servers), persisted under the lab root. */
  readDoc<T>(key: string, fallback: T): T;
  writeDoc<T>(key: string, value: T): void;
  /** Engine-side control routes (clock, agent, shares, data); returns undefined for a route it does not know. */
  control(
    method: string,
    path: string,
    body: unknown,
  ): Promise<{ status: number; body: unknown } | undefined>;
  /** Stops the Agent timers and flushes state. */
  close(): Promise<void>;
}
