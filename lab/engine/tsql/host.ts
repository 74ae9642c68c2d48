// What the interpreter needs from the instance it runs in: catalog, procedures, BACKUP/RESTORE, database state.
import type { LabColumn, LabSession, LabValue, ResultSink } from '../contract';
import type { SqlError } from '../errors';
import type { SqlType, Stmt } from './ast';
import type { TV } from './values';

export interface Table {
  columns: LabColumn[];
  /** SqlTypes parallel to columns (for expression typing). */
  types: SqlType[];
  rows: LabValue[][];
}

export interface ProcParam {
  name: string;
  type: SqlType;
  required: boolean;
  output: boolean;
  default?: LabValue;
}

/** Everything a procedure body can do. */
export interface ProcCall {
  readonly host: InstanceHost;
  readonly session: LabSession;
  readonly sink: ResultSink;
  readonly procName: string;
  /** Bound arguments by lower-case parameter name (defaults applied). */
  readonly args: Map<string, LabValue>;
  /** Parameters the caller passed explicitly. */
  readonly supplied: Set<string>;
  arg<T extends LabValue = LabValue>(name: string): T;
  setOutput(name: string, value: LabValue): void;
  /** Reports an error from inside the procedure; the caller's batch goes on. */
  raise(err: SqlError): void;
  info(text: string, number?: number): void;
  resultSet(columns: { name: string; type: SqlType }[], rows: (LabValue | undefined)[][]): void;
  /** Runs T-SQL text (sp_executesql, EXEC (@sql)) in a nested scope. */
  runSql?(
    sql: string,
    params: { name: string; type: SqlType; value: LabValue; output: boolean }[],
  ): Promise<Map<string, LabValue>>;
}

export interface ProcDef {
  name: string;
  /** 'sys' procedures resolve from any database; 'msdb' only from msdb. */
  home: 'sys' | 'msdb';
  params: ProcParam[];
  /** 'ls' = log-shipping procs (15247 when not sysadmin); 'agent' = msdb Agent procs (229). */
  permission?: 'ls' | 'agent';
  /** Accepts any parameters (sp_executesql). */
  variadic?: boolean;
  /** Groups of which at least one must be supplied (sp_update_job @job_id | @job_name). */
  oneOf?: string[][];
  run(call: ProcCall): Promise<number | void> | number | void;
}

export interface InstanceHost {
  readonly serverName: string;
  readonly version: string;
  readonly machine: string;
  readonly instanceName: string;
  now(): Date;
  /** Resolves a (1-3 part) table name in the session's database; undefined when it does not exist. */
  table(session: LabSession, parts: string[]): Table | undefined;
  tvf(session: LabSession, parts: string[], args: TV[]): Table | undefined;
  proc(session: LabSession, parts: string[]): ProcDef | undefined;
  /** Throws 911/927/954 when the database cannot be used. */
  useDatabase(session: LabSession, name: string): void;
  databaseId(name: string): number | undefined;
  databaseName(id: number): string | undefined;
  databaseProperty(name: string, property: string): LabValue;
  serverProperty(name: string): TV;
  /** KILL `spid` from `session`: ends that connection; throws 6102/6104/6106/6107 as SQL Server refuses it. */
  kill(session: LabSession, spid: number): void;
  runStatement(
    session: LabSession,
    stmt: Stmt & { k: 'backup' | 'restore' | 'alterdb' },
    values: StatementValues,
    sink: ResultSink,
    emit: Emitter,
  ): Promise<void>;
}

export interface StatementValues {
  db?: string;
  devices: string[];
  options: Map<string, LabValue | true>;
  moves: { logical: string; physical: string }[];
}

/** Streams messages and result sets from statements other than SELECT. */
export interface Emitter {
  info(text: string, number?: number): void;
  resultSet(columns: { name: string; type: SqlType }[], rows: (LabValue | undefined)[][]): void;
}
