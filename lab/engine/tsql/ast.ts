// Syntax tree of the T-SQL subset the lab understands.
import type { LabColumnType, LabValue } from '../contract';

/** A declared SQL type. `length` undefined for fixed types, 'max' for (MAX). */
export interface SqlType {
  base: LabColumnType;
  length?: number | 'max';
  precision?: number;
  scale?: number;
  /** The name as written, for messages (e.g. 'sysname', 'nvarchar'). */
  name: string;
}

export type Expr =
  | { k: 'lit'; value: LabValue; type: SqlType }
  | { k: 'var'; name: string; line: number }
  | { k: 'sysvar'; name: string; line: number }
  | { k: 'col'; parts: string[]; line: number }
  | { k: 'unary'; op: '-' | '+' | '~' | 'NOT'; e: Expr }
  | { k: 'bin'; op: string; l: Expr; r: Expr }
  | { k: 'isnull'; e: Expr; not: boolean }
  | { k: 'in'; e: Expr; list?: Expr[]; sub?: Select; not: boolean }
  | { k: 'like'; e: Expr; pattern: Expr; not: boolean }
  | { k: 'between'; e: Expr; lo: Expr; hi: Expr; not: boolean }
  | { k: 'call'; name: string; args: Expr[]; star?: boolean; distinct?: boolean; line: number }
  | { k: 'cast'; e: Expr; type: SqlType }
  | { k: 'convert'; type: SqlType; e: Expr; style?: Expr }
  | { k: 'case'; operand?: Expr; whens: { when: Expr; then: Expr }[]; else?: Expr }
  | { k: 'subquery'; q: Select }
  | { k: 'exists'; q: Select };

export type SelectItem =
  | { k: 'expr'; e: Expr; alias?: string }
  | { k: 'star'; qualifier?: string }
  | { k: 'assign'; name: string; e: Expr; line: number };

export interface Source {
  name: string[];
  /** FROM @table_variable. */
  variable?: boolean;
  alias?: string;
  /** Table-valued function arguments, e.g. sys.dm_os_file_exists(N'...'). */
  fnArgs?: Expr[];
  join?: 'inner' | 'left' | 'cross' | 'cross apply' | 'outer apply';
  on?: Expr;
  line: number;
}

export interface Select {
  top?: Expr;
  distinct: boolean;
  items: SelectItem[];
  from: Source[];
  where?: Expr;
  groupBy?: Expr[];
  orderBy?: { e: Expr; desc: boolean }[];
  line: number;
}

/** A column of DECLARE @t TABLE (...). */
export interface TableVarColumn {
  name: string;
  type: SqlType;
  nullable: boolean;
}

export interface ExecArg {
  name?: string;
  value: Expr | 'DEFAULT';
  output: boolean;
  line: number;
}

export interface WithOption {
  name: string;
  value?: Expr;
  /** MOVE 'logical' TO 'physical'. */
  moveTo?: Expr;
}

export type Stmt = { line: number } & (
  | {
      k: 'declare';
      vars: { name: string; type: SqlType; init?: Expr; table?: TableVarColumn[]; line: number }[];
    }
  | {
      k: 'insert';
      target: string[];
      targetIsVariable: boolean;
      columns?: string[];
      source:
        | { k: 'values'; rows: Expr[][] }
        | { k: 'select'; q: Select }
        | { k: 'exec'; exec: Stmt & { k: 'exec' } };
    }
  | { k: 'set'; name: string; op: string; e: Expr }
  | { k: 'setopt'; option: string; value: string }
  | { k: 'select'; q: Select }
  | { k: 'exec'; rcVar?: string; proc: string[]; procText: string; args: ExecArg[] }
  | { k: 'execdyn'; e: Expr }
  | { k: 'if'; cond: Expr; then: Stmt; else?: Stmt }
  | { k: 'block'; body: Stmt[] }
  | { k: 'while'; cond: Expr; body: Stmt }
  | { k: 'break' }
  | { k: 'continue' }
  | { k: 'return'; e?: Expr }
  | { k: 'print'; e: Expr }
  | { k: 'raiserror'; args: Expr[]; options: string[] }
  | { k: 'throw'; args?: Expr[] }
  | { k: 'use'; db: string }
  | { k: 'try'; body: Stmt[]; handler: Stmt[] }
  | { k: 'tran'; op: 'begin' | 'commit' | 'rollback' }
  | { k: 'waitfor'; delay: Expr }
  | { k: 'kill'; spid: number }
  | { k: 'backup'; what: 'DATABASE' | 'LOG'; db: Expr; to: Expr[]; options: WithOption[] }
  | {
      k: 'restore';
      what: 'DATABASE' | 'LOG' | 'HEADERONLY' | 'FILELISTONLY' | 'VERIFYONLY' | 'LABELONLY';
      db?: Expr;
      from: Expr[];
      options: WithOption[];
    }
  | { k: 'alterdb'; db: string; dbIsCurrent: boolean; action: AlterDbAction }
);

export type AlterDbAction =
  | { k: 'recovery'; model: 'FULL' | 'SIMPLE' | 'BULK_LOGGED' }
  | {
      k: 'partner';
      op: 'FAILOVER' | 'OFF' | 'SUSPEND' | 'RESUME' | 'FORCE_SERVICE_ALLOW_DATA_LOSS' | 'ADDRESS';
      address?: string;
    }
  | { k: 'safety'; level: 'FULL' | 'OFF' }
  | { k: 'access'; mode: 'SINGLE_USER' | 'MULTI_USER' | 'RESTRICTED_USER'; termination?: string }
  | { k: 'state'; mode: 'ONLINE' | 'OFFLINE' | 'READ_ONLY' | 'READ_WRITE' };
