// Runs parsed T-SQL: statements with SQL Server's error semantics (@@ERROR per statement, statement- vs batch-abort),
// expressions, and SELECT over the instance's catalog tables.
import { randomUUID } from 'node:crypto';
import type { LabSession, LabValue, ResultSink, RpcParam } from '../contract';
import { formatMessage, MESSAGES, SqlError, sqlError } from '../errors';
import type { ExecArg, Expr, Select, SelectItem, SqlType, Stmt, TableVarColumn } from './ast';
import type { InstanceHost, ProcCall, ProcDef, Table } from './host';
import { parseBatch, parseParamDecls } from './parser';
import {
  compareValues,
  convert,
  isNumericType,
  isStringType,
  likeMatch,
  T,
  toColumn,
  typeDisplayName,
  valueToText,
  widerType,
  type TV,
} from './values';

interface Variable {
  name: string;
  type: SqlType;
  value: LabValue;
  /** DECLARE @t TABLE (...): its columns and rows. */
  table?: { cols: TableVarColumn[]; rows: LabValue[][] };
}

class ReturnSignal {
  constructor(readonly value: number) {}
}
class BreakSignal {}
class ContinueSignal {}
/** Ends the batch after an error that SQL Server treats as batch-aborting; the error was already reported. */
class BatchAbort {
  constructor(readonly error: SqlError) {}
}

interface CaughtError {
  number: number;
  message: string;
  severity: number;
  state: number;
  line: number;
  procName?: string;
}

/** One batch, procedure body or sp_executesql scope. */
class Scope {
  vars = new Map<string, Variable>();
  error = 0;
  rowcount = 0;
  tryDepth = 0;
  caught?: CaughtError;
  constructor(
    readonly inProc: boolean,
    readonly procName?: string,
  ) {}
}

/** Session-wide state the interpreter keeps between batches (per connection). */
export interface SessionExtras {
  trancount: number;
}

const sessionExtras = new WeakMap<LabSession, SessionExtras>();

function extras(session: LabSession): SessionExtras {
  let e = sessionExtras.get(session);
  if (!e) {
    e = { trancount: 0 };
    sessionExtras.set(session, e);
  }
  return e;
}

interface Frame {
  alias: string;
  table: Table;
  names: string[];
  row: LabValue[] | null;
}

interface RowCtx {
  frames: Frame[];
  group?: Frame[][];
  aliases?: Map<string, TV>;
}

const AGGREGATES = new Set(['COUNT', 'COUNT_BIG', 'MAX', 'MIN', 'SUM', 'AVG']);

export class Interpreter {
  constructor(
    private readonly host: InstanceHost,
    private readonly session: LabSession,
    private readonly sink: ResultSink,
    private readonly signal: AbortSignal,
  ) {}

  /** Runs a batch text. Never throws for T-SQL errors: they go to the sink. */
  async runBatch(sql: string): Promise<void> {
    let stmts: Stmt[];
    try {
      stmts = parseBatch(sql);
      checkDeclarations(stmts, new Set());
    } catch (e) {
      if (e instanceof SqlError) {
        this.sink.error(e.toMessage(1));
        this.sink.done({ error: true });
        return;
      }
      throw e;
    }
    const scope = new Scope(false);
    try {
      await this.runList(stmts, scope);
    } catch (e) {
      if (
        e instanceof BatchAbort ||
        e instanceof ReturnSignal ||
        e instanceof BreakSignal ||
        e instanceof ContinueSignal
      )
        return;
      throw e;
    }
  }

  /** Runs an RPC request: a procedure by name, or sp_executesql. */
  async runRpc(procName: string, params: RpcParam[]): Promise<void> {
    const parts = splitName(procName);
    const def = this.host.proc(this.session, parts);
    const scope = new Scope(true);
    if (!def) {
      this.sink.error(sqlError(2812, [procName]).toMessage(1));
      return;
    }
    const args = params.map((p) => ({
      name: p.name || undefined,
      tv: { type: rpcType(p), value: p.value },
      output: p.output,
    }));
    const result = await this.callProc(def, args, scope, true);
    if (!result) return;
    this.sink.returnStatus(result.rc);
    let ordinal = 0;
    for (const p of params) {
      if (p.output) {
        const name = p.name || def.params[ordinal]?.name || '';
        const value = result.outputs.get(name.toLowerCase()) ?? null;
        this.sink.returnValue({ name, type: p.type, value, ordinal });
      }
      ordinal++;
    }
  }

  // ---- statements ----

  private async runList(stmts: Stmt[], scope: Scope): Promise<void> {
    for (const s of stmts) await this.runStmt(s, scope);
  }

  private async runStmt(s: Stmt, scope: Scope): Promise<void> {
    if (this.signal.aborted) throw new BatchAbort(sqlError(50000, ['Query cancelled.']));
    try {
      await this.exec(s, scope);
    } catch (e) {
      if (e instanceof SqlError) {
        this.reportError(e, s.line, scope);
        return;
      }
      throw e;
    }
  }

  private reportError(e: SqlError, line: number, scope: Scope): void {
    if (scope.tryDepth > 0 && e.severity > 10) {
      throw new CatchSignal({
        number: e.number,
        message: e.message,
        severity: e.severity,
        state: e.state,
        line: e.line || line,
        ...(e.procName ? { procName: e.procName } : {}),
      });
    }
    if (e.severity <= 10) {
      this.sink.info(e.toMessage(line));
      scope.error = 0;
      return;
    }
    if (!e.procName && scope.procName && scope.inProc) e.procName = scope.procName;
    this.sink.error(e.toMessage(line));
    scope.error = e.number;
    if (e.abortBatch) {
      this.sink.done({ error: true, ...(scope.inProc ? { inProc: true } : {}) });
      throw new BatchAbort(e);
    }
    this.sink.done({ error: true, ...(scope.inProc ? { inProc: true } : {}) });
  }

  private async exec(s: Stmt, scope: Scope): Promise<void> {
    switch (s.k) {
      case 'declare':
        for (const v of s.vars) {
          const key = v.name.toLowerCase();
          scope.vars.set(key, {
            name: v.name,
            type: v.type,
            value: null,
            ...(v.table ? { table: { cols: v.table, rows: [] } } : {}),
          });
          if (v.init) {
            const tv = await this.eval(v.init, scope, { frames: [] });
            scope.vars.get(key)!.value = convert(tv, v.type);
            scope.error = 0;
          }
        }
        return;
      case 'insert':
        await this.runInsert(s, scope);
        return;
      case 'set': {
        const target = this.variable(scope, s.name, s.line);
        let tv = await this.eval(s.e, scope, { frames: [] });
        if (s.op !== '=') tv = arith(s.op[0]!, { type: target.type, value: target.value }, tv);
        target.value = convert(tv, target.type);
        scope.error = 0;
        scope.rowcount = 1;
        return;
      }
      case 'setopt':
        scope.error = 0;
        return;
      case 'select':
        await this.runSelect(s.q, scope);
        scope.error = 0;
        return;
      case 'exec':
        await this.runExec(s, scope);
        return;
      case 'execdyn': {
        const tv = await this.eval(s.e, scope, { frames: [] });
        await this.runNested(valueToText(tv.value), [], scope);
        return;
      }
      case 'if': {
        const cond = await this.predicate(s.cond, scope, { frames: [] });
        scope.error = 0;
        if (cond === true) await this.runStmt(s.then, scope);
        else if (s.else) await this.runStmt(s.else, scope);
        return;
      }
      case 'while': {
        let guard = 0;
        while ((await this.predicate(s.cond, scope, { frames: [] })) === true) {
          if (++guard > 100000) throw sqlError(50000, ['WHILE loop limit reached in the lab']);
          try {
            await this.runStmt(s.body, scope);
          } catch (e) {
            if (e instanceof BreakSignal) break;
            if (e instanceof ContinueSignal) continue;
            throw e;
          }
        }
        scope.error = 0;
        return;
      }
      case 'block':
        await this.runList(s.body, scope);
        return;
      case 'break':
        throw new BreakSignal();
      case 'continue':
        throw new ContinueSignal();
      case 'return': {
        let v = 0;
        if (s.e) v = Number(convert(await this.eval(s.e, scope, { frames: [] }), T.int) ?? 0);
        throw new ReturnSignal(v);
      }
      case 'print': {
        const tv = await this.eval(s.e, scope, { frames: [] });
        this.sink.info({
          number: 0,
          state: 1,
          class: 0,
          message: valueToText(convert(tv, T.nvarchar('max'))),
          line: s.line,
          ...(scope.inProc && scope.procName ? { procName: scope.procName } : {}),
        });
        scope.error = 0;
        return;
      }
      case 'raiserror':
        await this.raiserror(s, scope);
        return;
      case 'throw': {
        if (!s.args) {
          if (!scope.caught) throw sqlError(10704, [], { abortBatch: true });
          const c = scope.caught;
          throw new SqlError(c.number, c.severity, c.state, c.message, true, c.line, c.procName);
        }
        const [n, m, st] = await Promise.all(s.args.map((a) => this.eval(a, scope, { frames: [] })));
        throw new SqlError(
          Number(convert(n!, T.int)),
          16,
          Number(convert(st!, T.int)),
          valueToText(m!.value),
          true,
          s.line,
        );
      }
      case 'use':
        this.host.useDatabase(this.session, s.db);
        this.sink.info({
          number: 5701,
          state: 1,
          class: 0,
          message: formatMessage(MESSAGES[5701]!.text, [this.session.database]),
          line: s.line,
        });
        scope.error = 0;
        return;
      case 'try': {
        scope.tryDepth++;
        try {
          await this.runList(s.body, scope);
          scope.tryDepth--;
        } catch (e) {
          scope.tryDepth--;
          if (!(e instanceof CatchSignal)) throw e;
          const prev = scope.caught;
          scope.caught = e.info;
          try {
            await this.runList(s.handler, scope);
          } finally {
            scope.caught = prev;
          }
        }
        return;
      }
      case 'tran': {
        const x = extras(this.session);
        if (s.op === 'begin') x.trancount++;
        else if (s.op === 'commit') x.trancount = Math.max(0, x.trancount - 1);
        else x.trancount = 0;
        scope.error = 0;
        return;
      }
      case 'waitfor':
        scope.error = 0;
        return;
      case 'kill':
        this.host.kill(this.session, s.spid);
        scope.error = 0;
        return;
      case 'backup':
      case 'restore':
      case 'alterdb': {
        const values = await this.statementValues(s, scope);
        await this.host.runStatement(this.session, s, values, this.sink, {
          info: (text, number = 0) =>
            this.sink.info({ number, state: 1, class: 0, message: text, line: s.line }),
          resultSet: (cols, rows) => this.emitResultSet(cols, rows, scope),
        });
        scope.error = 0;
        return;
      }
    }
  }

  private async statementValues(s: Stmt & { k: 'backup' | 'restore' | 'alterdb' }, scope: Scope) {
    const options = new Map<string, LabValue | true>();
    const moves: { logical: string; physical: string }[] = [];
    const devices: string[] = [];
    let db: string | undefined;
    if (s.k === 'alterdb') return { db: s.db, devices, options, moves };
    if (s.db) db = valueToText((await this.eval(s.db, scope, { frames: [] })).value);
    for (const d of s.k === 'backup' ? s.to : s.from)
      devices.push(valueToText((await this.eval(d, scope, { frames: [] })).value));
    for (const o of s.options) {
      if (o.name === 'MOVE' && o.value && o.moveTo) {
        moves.push({
          logical: valueToText((await this.eval(o.value, scope, { frames: [] })).value),
          physical: valueToText((await this.eval(o.moveTo, scope, { frames: [] })).value),
        });
      } else options.set(o.name, o.value ? (await this.eval(o.value, scope, { frames: [] })).value : true);
    }
    return { ...(db !== undefined ? { db } : {}), devices, options, moves };
  }

  private async raiserror(s: Stmt & { k: 'raiserror' }, scope: Scope): Promise<void> {
    const vals = [];
    for (const a of s.args) vals.push(await this.eval(a, scope, { frames: [] }));
    const [msgTv, sevTv, stateTv, ...rest] = vals;
    const severity = Number(convert(sevTv!, T.int));
    const state = Number(convert(stateTv!, T.int));
    const args = rest.map((r) => r.value);
    let number = 50000;
    let text: string;
    if (isNumericType(msgTv!.type)) {
      number = Number(msgTv!.value);
      const def = MESSAGES[number];
      if (number < 13000 || number === 50000) throw sqlError(2732, [number, 13000, 2147483647]);
      text = def
        ? formatMessage(def.text, args)
        : formatMessage(MESSAGES[18054]!.text, [number, severity, state]);
      if (!def) number = 18054;
    } else text = formatMessage(valueToText(msgTv!.value), args);
    const err = new SqlError(
      number,
      severity,
      state,
      text,
      false,
      s.line,
      scope.inProc ? scope.procName : undefined,
    );
    if (severity <= 10) {
      this.sink.info(err.toMessage(s.line));
      scope.error = s.options.includes('SETERROR') ? number : 0;
      return;
    }
    throw err;
  }

  private variable(scope: Scope, name: string, line: number): Variable {
    const v = scope.vars.get(name.toLowerCase());
    if (!v) throw sqlError(137, [name], { abortBatch: true, line });
    return v;
  }

  // ---- EXEC ----

  private async runExec(s: Stmt & { k: 'exec' }, scope: Scope): Promise<void> {
    const def = this.host.proc(this.session, s.proc);
    if (!def) throw sqlError(2812, [s.procText]);
    const args: { name?: string; tv: TV | 'DEFAULT'; output: boolean; variable?: string }[] = [];
    for (const a of s.args) args.push(await this.execArg(a, scope));
    const result = await this.callProc(def, args, scope, false);
    if (!result) return;
    for (const a of args) {
      if (a.output && a.variable && a.name) {
        const v = scope.vars.get(a.variable.toLowerCase())!;
        const out = result.outputs.get(a.name.toLowerCase());
        if (out !== undefined) v.value = convert({ type: paramType(def, a.name), value: out }, v.type);
      } else if (a.output && a.variable && !a.name) {
        // positional OUTPUT
        const idx = args.indexOf(a);
        const p = def.params[idx];
        const v = scope.vars.get(a.variable.toLowerCase())!;
        const out = p ? result.outputs.get(p.name.toLowerCase()) : undefined;
        if (out !== undefined && p) v.value = convert({ type: p.type, value: out }, v.type);
      }
    }
    if (s.rcVar) this.variable(scope, s.rcVar, s.line).value = result.rc;
    scope.error = result.error;
    if (!this.capture) this.sink.done({});
  }

  private async execArg(
    a: ExecArg,
    scope: Scope,
  ): Promise<{ name?: string; tv: TV | 'DEFAULT'; output: boolean; variable?: string }> {
    const base = { ...(a.name ? { name: a.name } : {}), output: a.output };
    if (a.value === 'DEFAULT') return { ...base, tv: 'DEFAULT' };
    if (a.value.k === 'var') {
      const v = this.variable(scope, a.value.name, a.line);
      return { ...base, tv: { type: v.type, value: v.value }, variable: v.name };
    }
    return { ...base, tv: await this.eval(a.value, scope, { frames: [] }) };
  }

  /** Binds arguments as SQL Server does (8145, 201, 8114, 8162, 119, 8144), checks permission, runs the body. */
  private async callProc(
    def: ProcDef,
    args: { name?: string | undefined; tv: TV | 'DEFAULT'; output: boolean }[],
    scope: Scope,
    rpc: boolean,
  ): Promise<{ rc: number; outputs: Map<string, LabValue>; error: number } | undefined> {
    const procName = def.name;
    const fail = (e: SqlError) => {
      e.procName = procName;
      e.line = 0;
      if (rpc) this.sink.error(e.toMessage(0));
      else throw e;
      return undefined;
    };
    if (def.permission && !this.session.isSysadmin) {
      if (def.permission === 'agent') return fail(sqlError(229, ['EXECUTE', procName, 'msdb', 'dbo']));
      const e = sqlError(15247);
      e.procName = procName;
      e.line = 1;
      if (rpc) {
        this.sink.error(e.toMessage(1));
        return { rc: 1, outputs: new Map(), error: 15247 };
      }
      this.sink.error(e.toMessage(1));
      this.sink.done({ error: true, inProc: true });
      return { rc: 1, outputs: new Map(), error: 15247 };
    }
    const bound = new Map<string, LabValue>();
    const supplied = new Set<string>();
    const outputs = new Map<string, LabValue>();
    let namedSeen = false;
    if (def.variadic) {
      let pos = 0;
      for (const a of args) {
        const key = a.name ? a.name.toLowerCase() : `#${pos++}`;
        bound.set(key, a.tv === 'DEFAULT' ? null : a.tv.value);
        supplied.add(key);
      }
    } else {
      let position = 0;
      for (const a of args) {
        let p: (typeof def.params)[number] | undefined;
        if (a.name) {
          namedSeen = true;
          p = def.params.find((x) => x.name.toLowerCase() === a.name!.toLowerCase());
          if (!p) return fail(sqlError(8145, [a.name, procName]));
        } else {
          if (namedSeen) return fail(sqlError(119, [position + 1], { abortBatch: false }));
          p = def.params[position];
          if (!p) return fail(sqlError(8144, [procName]));
        }
        position++;
        if (a.output && !p.output) return fail(sqlError(8162, [p.name]));
        const key = p.name.toLowerCase();
        supplied.add(key);
        if (a.tv === 'DEFAULT') {
          bound.set(key, p.default ?? null);
          continue;
        }
        try {
          bound.set(key, convert(a.tv, p.type, { mode: 'param' }));
        } catch (e) {
          if (e instanceof SqlError) return fail(e);
          throw e;
        }
      }
      for (const p of def.params) {
        const key = p.name.toLowerCase();
        if (!supplied.has(key)) {
          if (p.required) return fail(sqlError(201, [procName, p.name]));
          bound.set(key, p.default ?? null);
        }
      }
    }
    let procError = 0;
    const call: ProcCall = {
      host: this.host,
      session: this.session,
      sink: this.sink,
      procName,
      args: bound,
      supplied,
      arg: <V extends LabValue>(name: string) => (bound.get(name.toLowerCase()) ?? null) as V,
      setOutput: (name, value) => {
        outputs.set(name.toLowerCase(), value);
      },
      raise: (err) => {
        if (!err.procName) err.procName = procName;
        if (!err.line) err.line = 1;
        if (err.severity <= 10) this.sink.info(err.toMessage(1));
        else {
          this.sink.error(err.toMessage(1));
          this.sink.done({ error: true, inProc: true });
          procError = err.number;
        }
      },
      info: (text, number = 0) =>
        this.sink.info({ number, state: 1, class: 0, message: text, line: 1, procName }),
      resultSet: (cols, rows) => this.emitResultSet(cols, rows, new Scope(true, procName)),
      runSql: (sql, params) => this.runNested(sql, params, scope),
    };
    let rc = 0;
    try {
      const r = await def.run(call);
      rc = typeof r === 'number' ? r : 0;
    } catch (e) {
      if (e instanceof SqlError) {
        call.raise(e);
        rc = e.abortBatch ? rc : 1;
        if (e.abortBatch && !rpc) throw new BatchAbort(e);
      } else if (e instanceof BatchAbort) {
        if (!rpc) throw e;
      } else throw e;
    }
    return { rc, outputs, error: procError };
  }

  /** sp_executesql and EXEC(@sql): a nested batch with its own variables; OUTPUT values come back. */
  private async runNested(
    sql: string,
    params: { name: string; type: SqlType; value: LabValue; output: boolean }[],
    outer: Scope,
  ): Promise<Map<string, LabValue>> {
    const scope = new Scope(true, outer.procName);
    for (const p of params)
      scope.vars.set(p.name.toLowerCase(), { name: p.name, type: p.type, value: p.value });
    let stmts: Stmt[];
    try {
      stmts = parseBatch(sql);
      checkDeclarations(stmts, new Set(params.map((p) => p.name.toLowerCase())));
    } catch (e) {
      if (e instanceof SqlError) {
        this.sink.error(e.toMessage(1));
        return new Map();
      }
      throw e;
    }
    try {
      await this.runList(stmts, scope);
    } catch (e) {
      if (!(e instanceof BatchAbort || e instanceof ReturnSignal)) throw e;
      if (e instanceof BatchAbort) throw e;
    }
    const out = new Map<string, LabValue>();
    for (const p of params)
      if (p.output) out.set(p.name.toLowerCase(), scope.vars.get(p.name.toLowerCase())?.value ?? null);
    return out;
  }

  /** sp_executesql as a procedure: @stmt, @params, then the declared parameters. */
  static executesqlProc(): ProcDef {
    return {
      name: 'sp_executesql',
      home: 'sys',
      params: [],
      variadic: true,
      run: async (call) => {
        const stmt = call.args.get('@stmt') ?? call.args.get('@statement') ?? call.args.get('#0') ?? null;
        const decl = call.args.get('@params') ?? call.args.get('#1') ?? null;
        if (stmt === null) return 0;
        const decls = decl === null ? [] : parseParamDecls(valueToText(decl));
        const values: { name: string; type: SqlType; value: LabValue; output: boolean }[] = [];
        let pos = 2;
        for (const d of decls) {
          let v: LabValue = null;
          if (call.supplied.has(d.name.toLowerCase())) v = call.args.get(d.name.toLowerCase()) ?? null;
          else if (call.supplied.has(`#${pos}`)) v = call.args.get(`#${pos}`) ?? null;
          pos++;
          values.push({
            name: d.name,
            type: d.type,
            value: convert({ type: guessType(v), value: v }, d.type, { mode: 'param' }),
            output: d.output,
          });
        }
        const out = await call.runSql!(valueToText(stmt), values);
        for (const [k, v] of out) call.setOutput(k, v);
        return 0;
      },
    };
  }

  // ---- INSERT into a table variable ----

  private capture: { cols: { name: string; type: SqlType }[]; rows: LabValue[][] }[] | undefined;

  private async runInsert(s: Stmt & { k: 'insert' }, scope: Scope): Promise<void> {
    const targetName = s.target.join('.');
    if (!s.targetIsVariable) throw sqlError(208, [targetName], { abortBatch: true, line: s.line });
    const target = scope.vars.get(targetName.toLowerCase())?.table;
    if (!target) throw sqlError(1087, [targetName], { abortBatch: true, line: s.line });
    const indexes = s.columns
      ? s.columns.map((c) => {
          const i = target.cols.findIndex((col) => col.name.toLowerCase() === c.toLowerCase());
          if (i < 0) throw sqlError(207, [c], { abortBatch: true, line: s.line });
          return i;
        })
      : target.cols.map((_c, i) => i);
    let incoming: TV[][];
    if (s.source.k === 'values') {
      incoming = [];
      for (const row of s.source.rows)
        incoming.push(await Promise.all(row.map((e) => this.eval(e, scope, { frames: [] }))));
    } else if (s.source.k === 'select') incoming = (await this.evaluateSelect(s.source.q, scope)).rows;
    else {
      const outer = this.capture;
      this.capture = [];
      try {
        await this.runExec(s.source.exec, scope);
        incoming = this.capture.flatMap((rs) =>
          rs.rows.map((r) => r.map((value, i) => ({ type: rs.cols[i]?.type ?? T.nvarchar(), value }))),
        );
      } finally {
        this.capture = outer;
      }
    }
    const rows: LabValue[][] = [];
    for (const r of incoming) {
      if (r.length !== indexes.length)
        throw sqlError(213, [], { abortBatch: s.source.k !== 'exec', line: s.line });
      const row: LabValue[] = target.cols.map(() => null);
      indexes.forEach((ti, i) => {
        row[ti] = convert(r[i]!, target.cols[ti]!.type);
      });
      target.cols.forEach((c, i) => {
        if (!c.nullable && row[i] === null) throw sqlError(515, [c.name, targetName], { line: s.line });
      });
      rows.push(row);
    }
    target.rows.push(...rows);
    scope.rowcount = rows.length;
    scope.error = 0;
    this.sink.done({ rowCount: rows.length, ...(scope.inProc ? { inProc: true } : {}) });
  }

  // ---- SELECT ----

  private emitResultSet(
    cols: { name: string; type: SqlType }[],
    rows: (LabValue | undefined)[][],
    scope: Scope,
  ): void {
    if (this.capture) {
      // INSERT ... EXEC: the procedure's result sets become the inserted rows.
      this.capture.push({ cols, rows: rows.map((r) => r.map((v) => v ?? null)) });
      return;
    }
    this.sink.columns(cols.map((c) => toColumn(c.name, c.type)));
    for (const r of rows) this.sink.row(r.map((v) => v ?? null));
    this.sink.done({ rowCount: rows.length, ...(scope.inProc ? { inProc: true } : {}) });
    scope.rowcount = rows.length;
  }

  private resolveSource(src: Select['from'][number], args: TV[] | undefined, scope: Scope): Table {
    if (src.variable) {
      const v = scope.vars.get(src.name[0]!.toLowerCase());
      if (!v?.table) throw sqlError(1087, [src.name[0]!], { abortBatch: true, line: src.line });
      return {
        columns: v.table.cols.map((c) => toColumn(c.name, c.type)),
        types: v.table.cols.map((c) => c.type),
        rows: v.table.rows,
      };
    }
    const t = src.fnArgs
      ? this.host.tvf(this.session, src.name, args ?? [])
      : this.host.table(this.session, src.name);
    if (!t) throw sqlError(208, [src.name.join('.')], { abortBatch: true, line: src.line });
    return t;
  }

  /** Produces the joined row contexts of a FROM clause, filtered by WHERE. */
  private async fromRows(
    q: Select,
    scope: Scope,
    outer?: RowCtx,
  ): Promise<{ ctxs: RowCtx[]; frameMeta: Frame[] }> {
    let ctxs: RowCtx[] = [{ frames: outer ? [...outer.frames] : [] }];
    const frameMeta: Frame[] = [];
    for (const src of q.from) {
      const alias = (src.alias ?? src.name[src.name.length - 1] ?? '').toLowerCase();
      const staticTable =
        src.fnArgs && (src.join === 'cross apply' || src.join === 'outer apply')
          ? undefined
          : this.resolveSource(
              src,
              src.fnArgs
                ? await Promise.all(src.fnArgs.map((a) => this.eval(a, scope, { frames: [] })))
                : undefined,
              scope,
            );
      // Describe the source even when no row reaches it, so columns and * still resolve on empty results.
      if (staticTable)
        frameMeta.push({
          alias,
          table: staticTable,
          names: staticTable.columns.map((col) => col.name.toLowerCase()),
          row: null,
        });
      const next: RowCtx[] = [];
      for (const c of ctxs) {
        const table =
          staticTable ??
          this.resolveSource(src, await Promise.all(src.fnArgs!.map((a) => this.eval(a, scope, c))), scope);
        const names = table.columns.map((col) => col.name.toLowerCase());
        if (frameMeta.length < q.from.length && !frameMeta.some((f) => f.alias === alias))
          frameMeta.push({ alias, table, names, row: null });
        let matched = false;
        for (const row of table.rows) {
          const candidate: RowCtx = { frames: [...c.frames, { alias, table, names, row }] };
          if (src.on && (await this.predicate(src.on, scope, candidate)) !== true) continue;
          matched = true;
          next.push(candidate);
        }
        if (!matched && (src.join === 'left' || src.join === 'outer apply'))
          next.push({ frames: [...c.frames, { alias, table, names, row: null }] });
      }
      ctxs = next;
    }
    if (q.where) {
      const kept: RowCtx[] = [];
      for (const c of ctxs) if ((await this.predicate(q.where, scope, c)) === true) kept.push(c);
      ctxs = kept;
    }
    return { ctxs, frameMeta };
  }

  /** Evaluates a SELECT into columns and rows (no output). */
  private async evaluateSelect(
    q: Select,
    scope: Scope,
    outer?: RowCtx,
  ): Promise<{ cols: { name: string; type: SqlType }[]; rows: TV[][]; ctxs: RowCtx[] }> {
    const { ctxs, frameMeta } = await this.fromRows(q, scope, outer);
    const items: SelectItem[] = [];
    for (const it of q.items) {
      if (it.k === 'star') {
        const frames = it.qualifier
          ? frameMeta.filter((f) => f.alias === it.qualifier!.toLowerCase())
          : frameMeta;
        if (frames.length === 0)
          throw sqlError(it.qualifier ? 107 : 263, [it.qualifier ?? '*'], { abortBatch: true, line: q.line });
        for (const f of frames)
          for (const col of f.table.columns)
            items.push({
              k: 'expr',
              e: { k: 'col', parts: [f.alias, col.name], line: q.line },
              alias: col.name,
            });
      } else items.push(it);
    }
    const hasAgg = items.some((it) => it.k !== 'star' && containsAggregate(it.e));
    let groups: RowCtx[];
    if (q.groupBy || hasAgg) {
      const map = new Map<string, RowCtx[]>();
      for (const c of ctxs) {
        const key = q.groupBy
          ? JSON.stringify(
              await Promise.all(
                q.groupBy.map(async (g) => valueToText((await this.eval(g, scope, c)).value).toLowerCase()),
              ),
            )
          : '';
        const list = map.get(key) ?? [];
        list.push(c);
        map.set(key, list);
      }
      if (map.size === 0 && !q.groupBy) map.set('', []);
      groups = [...map.values()].map((list) => ({
        frames: list[0]?.frames ?? frameMeta.map((f) => ({ ...f, row: null })),
        group: list.map((l) => l.frames),
      }));
    } else groups = ctxs;
    const rows: TV[][] = [];
    for (const c of groups) {
      const row: TV[] = [];
      for (const it of items) if (it.k !== 'star') row.push(await this.eval(it.e, scope, c));
      rows.push(row);
    }
    // Column types: from a null row so that empty results still describe their columns.
    const nullCtx: RowCtx = { frames: frameMeta.map((f) => ({ ...f, row: null })), group: [] };
    const cols: { name: string; type: SqlType }[] = [];
    let idx = 0;
    for (const it of items) {
      if (it.k === 'star') continue;
      let type: SqlType;
      const first = rows.find((r) => r[idx]!.value !== null)?.[idx];
      if (first) type = first.type;
      else {
        try {
          type = (await this.eval(it.e, scope, nullCtx)).type;
        } catch {
          type = T.nvarchar();
        }
      }
      const name =
        it.k === 'assign' ? '' : (it.alias ?? (it.e.k === 'col' ? it.e.parts[it.e.parts.length - 1]! : ''));
      cols.push({ name, type });
      idx++;
    }
    let order = rows.map((r, i) => ({ r, c: groups[i]! }));
    if (q.orderBy) {
      const keyed: { r: TV[]; c: RowCtx; keys: LabValue[] }[] = [];
      for (const o of order) {
        const aliases = new Map<string, TV>();
        cols.forEach((col, i) => col.name && aliases.set(col.name.toLowerCase(), o.r[i]!));
        const keys: LabValue[] = [];
        for (const ob of q.orderBy) {
          if (ob.e.k === 'lit' && typeof ob.e.value === 'number')
            keys.push(o.r[ob.e.value - 1]?.value ?? null);
          else keys.push((await this.eval(ob.e, scope, { ...o.c, aliases })).value);
        }
        keyed.push({ ...o, keys });
      }
      keyed.sort((a, b) => {
        for (let i = 0; i < q.orderBy!.length; i++) {
          const av = a.keys[i] ?? null;
          const bv = b.keys[i] ?? null;
          let cmp: number;
          if (av === null && bv === null) cmp = 0;
          else if (av === null) cmp = -1;
          else if (bv === null) cmp = 1;
          else cmp = compareValues(av, bv) ?? 0;
          if (cmp !== 0) return q.orderBy![i]!.desc ? -cmp : cmp;
        }
        return 0;
      });
      order = keyed;
    }
    let outRows = order.map((o) => o.r);
    let outCtx = order.map((o) => o.c);
    if (q.distinct) {
      const seen = new Set<string>();
      const keep: number[] = [];
      outRows.forEach((r, i) => {
        const k = JSON.stringify(r.map((v) => valueToText(v.value).toLowerCase()));
        if (!seen.has(k)) {
          seen.add(k);
          keep.push(i);
        }
      });
      outRows = keep.map((i) => outRows[i]!);
      outCtx = keep.map((i) => outCtx[i]!);
    }
    if (q.top) {
      const n = Number(convert(await this.eval(q.top, scope, { frames: [] }), T.bigint));
      outRows = outRows.slice(0, n);
      outCtx = outCtx.slice(0, n);
    }
    return { cols, rows: outRows, ctxs: outCtx };
  }

  private async runSelect(q: Select, scope: Scope): Promise<void> {
    const assigns = q.items.filter((i) => i.k === 'assign');
    if (assigns.length > 0 && assigns.length !== q.items.length)
      throw sqlError(141, [], { abortBatch: true, line: q.line });
    const { cols, rows, ctxs } = await this.evaluateSelect(q, scope);
    if (assigns.length > 0) {
      // Row by row, each assignment seeing the previous ones: SELECT @s = @s + name FROM ... concatenates.
      for (const c of ctxs) {
        for (const a of assigns) {
          if (a.k !== 'assign') continue;
          const v = this.variable(scope, a.name, a.line);
          v.value = convert(await this.eval(a.e, scope, c), v.type);
        }
      }
      scope.rowcount = rows.length;
      return;
    }
    this.emitResultSet(
      cols,
      rows.map((r) => r.map((tv, i) => outputValue(tv, cols[i]!.type))),
      scope,
    );
  }

  // ---- expressions ----

  private async predicate(e: Expr, scope: Scope, ctx: RowCtx): Promise<boolean | null> {
    switch (e.k) {
      case 'bin':
        if (e.op === 'AND') {
          const l = await this.predicate(e.l, scope, ctx);
          if (l === false) return false;
          const r = await this.predicate(e.r, scope, ctx);
          if (r === false) return false;
          return l === null || r === null ? null : true;
        }
        if (e.op === 'OR') {
          const l = await this.predicate(e.l, scope, ctx);
          if (l === true) return true;
          const r = await this.predicate(e.r, scope, ctx);
          if (r === true) return true;
          return l === null || r === null ? null : false;
        }
        if (['=', '<>', '!=', '<', '>', '<=', '>=', '!<', '!>'].includes(e.op)) {
          const l = await this.eval(e.l, scope, ctx);
          const r = await this.eval(e.r, scope, ctx);
          const cmp = compareTyped(l, r);
          if (cmp === undefined) return null;
          switch (e.op) {
            case '=':
              return cmp === 0;
            case '<>':
            case '!=':
              return cmp !== 0;
            case '<':
            case '!>':
              return e.op === '<' ? cmp < 0 : cmp <= 0;
            case '>':
            case '!<':
              return e.op === '>' ? cmp > 0 : cmp >= 0;
            case '<=':
              return cmp <= 0;
            case '>=':
              return cmp >= 0;
          }
        }
        break;
      case 'unary':
        if (e.op === 'NOT') {
          const v = await this.predicate(e.e, scope, ctx);
          return v === null ? null : !v;
        }
        break;
      case 'isnull': {
        const v = await this.eval(e.e, scope, ctx);
        return (v.value === null) !== e.not;
      }
      case 'in': {
        const v = await this.eval(e.e, scope, ctx);
        if (v.value === null) return null;
        let candidates: TV[];
        if (e.sub) candidates = (await this.evaluateSelect(e.sub, scope, ctx)).rows.map((r) => r[0]!);
        else candidates = await Promise.all(e.list!.map((x) => this.eval(x, scope, ctx)));
        let sawNull = false;
        for (const c of candidates) {
          const cmp = compareTyped(v, c);
          if (cmp === undefined) sawNull = true;
          else if (cmp === 0) return !e.not;
        }
        return sawNull ? null : e.not;
      }
      case 'like': {
        const v = await this.eval(e.e, scope, ctx);
        const p = await this.eval(e.pattern, scope, ctx);
        if (v.value === null || p.value === null) return null;
        return likeMatch(valueToText(v.value), valueToText(p.value)) !== e.not;
      }
      case 'between': {
        const v = await this.eval(e.e, scope, ctx);
        const lo = compareTyped(v, await this.eval(e.lo, scope, ctx));
        const hi = compareTyped(v, await this.eval(e.hi, scope, ctx));
        if (lo === undefined || hi === undefined) return null;
        return (lo >= 0 && hi <= 0) !== e.not;
      }
      case 'exists': {
        const r = await this.evaluateSelect(e.q, scope, ctx);
        return r.rows.length > 0;
      }
      default:
        break;
    }
    const v = await this.eval(e, scope, ctx);
    if (v.value === null) return null;
    // A bare non-boolean expression in a condition is a syntax error in SQL Server.
    throw sqlError(4145, [')'], { abortBatch: true });
  }

  async eval(e: Expr, scope: Scope, ctx: RowCtx): Promise<TV> {
    switch (e.k) {
      case 'lit':
        return { type: e.type, value: e.value };
      case 'var': {
        const v = this.variable(scope, e.name, e.line);
        return { type: v.type, value: v.value };
      }
      case 'sysvar':
        return this.sysvar(e.name, scope, e.line);
      case 'col':
        return this.column(e.parts, ctx, e.line);
      case 'unary': {
        if (e.op === 'NOT') {
          const p = await this.predicate(e.e, scope, ctx);
          return { type: T.bit, value: p === null ? null : p ? 0 : 1 };
        }
        const v = await this.eval(e.e, scope, ctx);
        if (v.value === null || e.op === '+') return v;
        if (e.op === '~')
          return { type: v.type, value: typeof v.value === 'bigint' ? ~v.value : ~Number(v.value) };
        if (typeof v.value === 'bigint') return { type: v.type, value: -v.value };
        return { type: v.type, value: -Number(convert(v, T.float)) };
      }
      case 'bin': {
        if (['AND', 'OR', '=', '<>', '!=', '<', '>', '<=', '>=', '!<', '!>'].includes(e.op)) {
          const p = await this.predicate(e, scope, ctx);
          return { type: T.bit, value: p === null ? null : p ? 1 : 0 };
        }
        return arith(e.op, await this.eval(e.l, scope, ctx), await this.eval(e.r, scope, ctx));
      }
      case 'isnull':
      case 'in':
      case 'like':
      case 'between':
      case 'exists': {
        const p = await this.predicate(e, scope, ctx);
        return { type: T.bit, value: p === null ? null : p ? 1 : 0 };
      }
      case 'cast':
        return { type: e.type, value: convert(await this.eval(e.e, scope, ctx), e.type) };
      case 'convert': {
        const style = e.style ? Number(convert(await this.eval(e.style, scope, ctx), T.int)) : undefined;
        return {
          type: e.type,
          value: convert(await this.eval(e.e, scope, ctx), e.type, style !== undefined ? { style } : {}),
        };
      }
      case 'case': {
        const results: Expr[] = [...e.whens.map((w) => w.then), ...(e.else ? [e.else] : [])];
        let chosen: Expr | undefined;
        if (e.operand) {
          const op = await this.eval(e.operand, scope, ctx);
          for (const w of e.whens) {
            if (compareTyped(op, await this.eval(w.when, scope, ctx)) === 0) {
              chosen = w.then;
              break;
            }
          }
        } else {
          for (const w of e.whens) {
            if ((await this.predicate(w.when, scope, ctx)) === true) {
              chosen = w.then;
              break;
            }
          }
        }
        chosen ??= e.else;
        let type: SqlType | undefined;
        for (const r of results)
          if (r.k === 'lit' && r.value !== null) type = type ? widerType(type, r.type) : r.type;
        const v = chosen ? await this.eval(chosen, scope, ctx) : { type: type ?? T.int, value: null };
        const finalType = type ? widerType(type, v.type) : v.type;
        return { type: finalType, value: v.value === null ? null : convert(v, finalType) };
      }
      case 'subquery': {
        const r = await this.evaluateSelect(e.q, scope, ctx);
        if (r.rows.length > 1) throw sqlError(512);
        return r.rows[0]?.[0] ?? { type: r.cols[0]?.type ?? T.int, value: null };
      }
      case 'exists': {
        const r = await this.evaluateSelect(e.q, scope, ctx);
        return { type: T.bit, value: r.rows.length > 0 ? 1 : 0 };
      }
      case 'call':
        return this.call(e, scope, ctx);
    }
  }

  private sysvar(name: string, scope: Scope, line: number): TV {
    switch (name) {
      case '@@ERROR':
        return { type: T.int, value: scope.error };
      case '@@ROWCOUNT':
        return { type: T.int, value: scope.rowcount };
      case '@@SERVERNAME':
        return { type: T.sysname, value: this.host.serverName };
      case '@@SERVICENAME':
        return { type: T.sysname, value: this.host.instanceName };
      case '@@VERSION':
        return { type: T.nvarchar(300), value: this.host.version };
      case '@@SPID':
        return { type: T.smallint, value: this.session.spid };
      case '@@TRANCOUNT':
        return { type: T.int, value: extras(this.session).trancount };
      case '@@LANGUAGE':
        return { type: T.sysname, value: 'us_english' };
      case '@@MAX_PRECISION':
        return { type: T.tinyint, value: 38 };
      case '@@OPTIONS':
        return { type: T.int, value: 5496 };
      case '@@LOCK_TIMEOUT':
        return { type: T.int, value: -1 };
      default:
        throw sqlError(137, [name], { abortBatch: true, line });
    }
  }

  private column(parts: string[], ctx: RowCtx, line: number): TV {
    if (ctx.aliases && parts.length === 1) {
      const a = ctx.aliases.get(parts[0]!.toLowerCase());
      if (a) return a;
    }
    const col = parts[parts.length - 1]!.toLowerCase();
    const qualifier = parts.length > 1 ? parts[parts.length - 2]!.toLowerCase() : undefined;
    let found: { f: Frame; i: number } | undefined;
    for (const f of ctx.frames) {
      if (qualifier && f.alias !== qualifier) continue;
      const i = f.names.indexOf(col);
      if (i < 0) continue;
      if (found && !qualifier) throw sqlError(209, [parts[parts.length - 1]!], { abortBatch: true, line });
      found = { f, i };
    }
    if (!found) {
      if (ctx.frames.length === 0 && parts.length === 1)
        throw sqlError(207, [parts[0]!], { abortBatch: true, line });
      if (qualifier && !ctx.frames.some((f) => f.alias === qualifier))
        throw sqlError(4104, [parts.join('.')], { abortBatch: true, line });
      throw sqlError(207, [parts[parts.length - 1]!], { abortBatch: true, line });
    }
    return {
      type: found.f.table.types[found.i]!,
      value: found.f.row ? (found.f.row[found.i] ?? null) : null,
    };
  }

  private async call(e: Expr & { k: 'call' }, scope: Scope, ctx: RowCtx): Promise<TV> {
    const name = e.name.replace(/^(SYS\.|DBO\.|MASTER\.DBO\.|MASTER\.SYS\.)/, '');
    if (AGGREGATES.has(name)) return this.aggregate(name, e, scope, ctx);
    const args: TV[] = [];
    // The first argument of DATEADD/DATEDIFF/DATEPART is a keyword (minute, hh...), not an expression.
    const datepartFirst = name === 'DATEADD' || name === 'DATEDIFF' || name === 'DATEPART';
    for (const [i, a] of e.args.entries())
      args.push(
        datepartFirst && i === 0 ? { type: T.nvarchar(), value: null } : await this.eval(a, scope, ctx),
      );
    const a0 = args[0];
    const str = (i: number) =>
      args[i]?.value === null || args[i] === undefined ? null : valueToText(args[i]!.value);
    const need = (n: number) => {
      if (args.length < n) throw sqlError(174, [name.toLowerCase(), n], { abortBatch: true, line: e.line });
    };
    const now = this.host.now();
    switch (name) {
      case 'GETDATE':
      case 'CURRENT_TIMESTAMP':
      case 'GETUTCDATE':
        return { type: T.datetime, value: now };
      case 'SYSDATETIME':
      case 'SYSUTCDATETIME':
      case 'SYSDATETIMEOFFSET':
        return { type: T.datetime2, value: now };
      case 'SERVERPROPERTY':
        need(1);
        return this.host.serverProperty(str(0) ?? '');
      case 'DATABASEPROPERTYEX':
        need(2);
        return { type: T.nvarchar(128), value: this.host.databaseProperty(str(0) ?? '', str(1) ?? '') };
      case 'DB_ID': {
        if (args.length === 0)
          return { type: T.int, value: this.host.databaseId(this.session.database) ?? null };
        return { type: T.int, value: a0!.value === null ? null : (this.host.databaseId(str(0)!) ?? null) };
      }
      case 'DB_NAME': {
        if (args.length === 0) return { type: T.sysname, value: this.session.database };
        return {
          type: T.sysname,
          value: a0!.value === null ? null : (this.host.databaseName(Number(convert(a0!, T.int))) ?? null),
        };
      }
      case 'SUSER_SNAME':
      case 'SUSER_NAME':
      case 'ORIGINAL_LOGIN':
      case 'SYSTEM_USER':
        return { type: T.sysname, value: this.session.login };
      case 'USER_NAME':
      case 'CURRENT_USER':
        return { type: T.sysname, value: this.session.isSysadmin ? 'dbo' : this.session.login };
      case 'HOST_NAME':
        return { type: T.sysname, value: this.session.hostName ?? null };
      case 'APP_NAME':
        return { type: T.sysname, value: this.session.appName ?? null };
      case 'IS_SRVROLEMEMBER': {
        need(1);
        const role = (str(0) ?? '').toLowerCase();
        if (role === 'sysadmin') return { type: T.int, value: this.session.isSysadmin ? 1 : 0 };
        if (
          [
            'serveradmin',
            'dbcreator',
            'setupadmin',
            'securityadmin',
            'processadmin',
            'diskadmin',
            'bulkadmin',
            'public',
          ].includes(role)
        )
          return { type: T.int, value: this.session.isSysadmin || role === 'public' ? 1 : 0 };
        return { type: T.int, value: null };
      }
      case 'IS_MEMBER':
        return { type: T.int, value: this.session.isSysadmin ? 1 : 0 };
      case 'HAS_PERMS_BY_NAME':
        return { type: T.int, value: this.session.isSysadmin ? 1 : 0 };
      case 'OBJECT_ID': {
        need(1);
        const parts = splitName(str(0) ?? '');
        return {
          type: T.int,
          value:
            this.host.table(this.session, parts) || this.host.proc(this.session, parts)
              ? 1000 + (parts.join('.').length % 97)
              : null,
        };
      }
      case 'ISNULL':
        need(2);
        if (a0!.type.name === 'null') return args[1]!;
        return a0!.value === null ? { type: a0!.type, value: convert(args[1]!, a0!.type) } : a0!;
      case 'COALESCE': {
        for (const a of args) if (a.value !== null) return a;
        return args[0] ?? { type: T.int, value: null };
      }
      case 'NULLIF':
        need(2);
        return compareTyped(a0!, args[1]!) === 0 ? { type: a0!.type, value: null } : a0!;
      case 'IIF':
        throw sqlError(102, ['('], { abortBatch: true, line: e.line });
      case 'LEN':
        return { type: T.int, value: str(0) === null ? null : str(0)!.replace(/ +$/, '').length };
      case 'DATALENGTH':
        return {
          type: T.int,
          value:
            a0?.value === null ? null : a0?.type.base === 'nvarchar' ? str(0)!.length * 2 : str(0)!.length,
        };
      case 'NCHAR':
      case 'CHAR': {
        need(1);
        const code = a0!.value === null ? null : Number(convert(a0!, T.int));
        // SQL Server's NULL for a code outside the character set (CHAR above 255, NCHAR above 65535).
        const max = name === 'NCHAR' ? 0xffff : 0xff;
        return {
          type: name === 'NCHAR' ? T.nvarchar(1) : T.varchar(1),
          value: code === null || code < 0 || code > max ? null : String.fromCharCode(code),
        };
      }
      case 'UPPER':
        return { type: a0!.type, value: str(0)?.toUpperCase() ?? null };
      case 'LOWER':
        return { type: a0!.type, value: str(0)?.toLowerCase() ?? null };
      case 'LTRIM':
        return { type: a0!.type, value: str(0)?.replace(/^ +/, '') ?? null };
      case 'RTRIM':
        return { type: a0!.type, value: str(0)?.replace(/ +$/, '') ?? null };
      case 'TRIM':
        return { type: a0!.type, value: str(0)?.trim() ?? null };
      case 'REPLACE': {
        need(3);
        const s0 = str(0);
        if (s0 === null || str(1) === null || str(2) === null) return { type: a0!.type, value: null };
        const re = new RegExp(str(1)!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
        return { type: T.nvarchar('max'), value: s0.replace(re, () => str(2)!) };
      }
      case 'SUBSTRING': {
        need(3);
        const s0 = str(0);
        if (s0 === null) return { type: a0!.type, value: null };
        const start = Number(convert(args[1]!, T.int));
        const len = Number(convert(args[2]!, T.int));
        const from = Math.max(1, start);
        const to = start + len;
        return { type: a0!.type, value: to <= from ? '' : s0.slice(from - 1, to - 1) };
      }
      case 'LEFT':
        need(2);
        return { type: a0!.type, value: str(0)?.slice(0, Number(convert(args[1]!, T.int))) ?? null };
      case 'RIGHT': {
        need(2);
        const n = Number(convert(args[1]!, T.int));
        return { type: a0!.type, value: str(0) === null ? null : n <= 0 ? '' : str(0)!.slice(-n) };
      }
      case 'CHARINDEX': {
        need(2);
        if (str(0) === null || str(1) === null) return { type: T.int, value: null };
        const start = args[2] ? Math.max(1, Number(convert(args[2], T.int))) : 1;
        return {
          type: T.int,
          value:
            str(1)!
              .toLowerCase()
              .indexOf(str(0)!.toLowerCase(), start - 1) + 1,
        };
      }
      case 'REVERSE':
        return { type: a0!.type, value: str(0) === null ? null : [...str(0)!].reverse().join('') };
      case 'REPLICATE':
        need(2);
        return {
          type: a0!.type,
          value: str(0) === null ? null : str(0)!.repeat(Math.max(0, Number(convert(args[1]!, T.int)))),
        };
      case 'SPACE':
        return { type: T.varchar(), value: ' '.repeat(Math.max(0, Number(convert(a0!, T.int)))) };
      case 'CONCAT':
        return {
          type: T.nvarchar('max'),
          value: args
            .map((a) => (a.value === null ? '' : valueToText(convert(a, T.nvarchar('max')))))
            .join(''),
        };
      case 'QUOTENAME': {
        const q = str(1) ?? '[';
        const s0 = str(0);
        if (s0 === null) return { type: T.nvarchar(258), value: null };
        if (q === "'") return { type: T.nvarchar(258), value: `'${s0.replace(/'/g, "''")}'` };
        if (q === '"') return { type: T.nvarchar(258), value: `"${s0.replace(/"/g, '""')}"` };
        return { type: T.nvarchar(258), value: `[${s0.replace(/]/g, ']]')}]` };
      }
      case 'NEWID':
        return { type: T.guid, value: randomUUID().toUpperCase() };
      case 'ABS':
        return a0!.value === null
          ? a0!
          : {
              type: a0!.type,
              value:
                typeof a0!.value === 'bigint'
                  ? a0!.value < 0n
                    ? -a0!.value
                    : a0!.value
                  : Math.abs(Number(a0!.value)),
            };
      case 'FLOOR':
      case 'CEILING':
      case 'ROUND': {
        if (a0!.value === null) return a0!;
        const n = Number(convert(a0!, T.float));
        const digits = args[1] ? Number(convert(args[1], T.int)) : 0;
        const f = 10 ** digits;
        const r =
          name === 'FLOOR' ? Math.floor(n) : name === 'CEILING' ? Math.ceil(n) : Math.round(n * f) / f;
        return {
          type: a0!.type,
          value:
            a0!.type.base === 'bigint' || (a0!.type.base === 'decimal' && typeof a0!.value === 'bigint')
              ? BigInt(Math.round(r))
              : r,
        };
      }
      case 'DATEADD': {
        need(3);
        const part = dateArgPart(e.args[0]!);
        const n = Number(convert(args[1]!, T.int));
        const d = convert(args[2]!, T.datetime) as Date | null;
        if (d === null) return { type: T.datetime, value: null };
        return {
          type: args[2]!.type.base === 'datetime2' ? T.datetime2 : T.datetime,
          value: dateAdd(part, n, d),
        };
      }
      case 'DATEDIFF': {
        need(3);
        const part = dateArgPart(e.args[0]!);
        const d1 = convert(args[1]!, T.datetime) as Date | null;
        const d2 = convert(args[2]!, T.datetime) as Date | null;
        if (d1 === null || d2 === null) return { type: T.int, value: null };
        return { type: T.int, value: dateDiff(part, d1, d2) };
      }
      case 'DATEPART':
      case 'YEAR':
      case 'MONTH':
      case 'DAY': {
        const part = name === 'DATEPART' ? dateArgPart(e.args[0]!) : name.toLowerCase();
        const d = convert(name === 'DATEPART' ? args[1]! : a0!, T.datetime) as Date | null;
        if (d === null) return { type: T.int, value: null };
        const map: Record<string, number> = {
          year: d.getUTCFullYear(),
          month: d.getUTCMonth() + 1,
          day: d.getUTCDate(),
          hour: d.getUTCHours(),
          minute: d.getUTCMinutes(),
          second: d.getUTCSeconds(),
        };
        return { type: T.int, value: map[part] ?? 0 };
      }
      case 'ERROR_NUMBER':
        return { type: T.int, value: scope.caught?.number ?? null };
      case 'ERROR_MESSAGE':
        return { type: T.nvarchar(4000), value: scope.caught?.message ?? null };
      case 'ERROR_SEVERITY':
        return { type: T.int, value: scope.caught?.severity ?? null };
      case 'ERROR_STATE':
        return { type: T.int, value: scope.caught?.state ?? null };
      case 'ERROR_LINE':
        return { type: T.int, value: scope.caught?.line ?? null };
      case 'ERROR_PROCEDURE':
        return { type: T.sysname, value: scope.caught?.procName ?? null };
      case 'SCOPE_IDENTITY':
        return { type: T.lsn, value: null };
      case 'FORMATMESSAGE': {
        need(1);
        const tmpl = isNumericType(a0!.type) ? (MESSAGES[Number(a0!.value)]?.text ?? null) : str(0);
        return {
          type: T.nvarchar(2048),
          value:
            tmpl === null
              ? null
              : formatMessage(
                  tmpl,
                  args.slice(1).map((a) => a.value),
                ),
        };
      }
      default:
        throw sqlError(195, [e.name.toLowerCase()], { abortBatch: true, line: e.line });
    }
  }

  private async aggregate(name: string, e: Expr & { k: 'call' }, scope: Scope, ctx: RowCtx): Promise<TV> {
    const rows = ctx.group;
    if (!rows) throw sqlError(147, [], { abortBatch: true, line: e.line });
    if (name === 'COUNT' || name === 'COUNT_BIG') {
      const type = name === 'COUNT' ? T.int : T.bigint;
      if (e.star) return { type, value: name === 'COUNT' ? rows.length : BigInt(rows.length) };
      const seen = new Set<string>();
      let n = 0;
      for (const frames of rows) {
        const v = await this.eval(e.args[0]!, scope, { frames });
        if (v.value === null) continue;
        if (e.distinct) {
          const k = valueToText(v.value).toLowerCase();
          if (seen.has(k)) continue;
          seen.add(k);
        }
        n++;
      }
      return { type, value: name === 'COUNT' ? n : BigInt(n) };
    }
    let acc: TV | undefined;
    let type: SqlType | undefined;
    let sum = 0;
    let count = 0;
    for (const frames of rows) {
      const v = await this.eval(e.args[0]!, scope, { frames });
      type ??= v.type;
      if (v.value === null) continue;
      count++;
      if (name === 'SUM' || name === 'AVG') sum += Number(v.value);
      else if (!acc) acc = v;
      else {
        const cmp = compareTyped(v, acc) ?? 0;
        if ((name === 'MAX' && cmp > 0) || (name === 'MIN' && cmp < 0)) acc = v;
      }
    }
    if (type === undefined) {
      try {
        type = (await this.eval(e.args[0]!, scope, { frames: ctx.frames })).type;
      } catch {
        type = T.int;
      }
    }
    if (name === 'SUM')
      return {
        type,
        value:
          count === 0
            ? null
            : type.base === 'bigint' || type.base === 'decimal'
              ? BigInt(Math.round(sum))
              : sum,
      };
    if (name === 'AVG')
      return {
        type,
        value:
          count === 0
            ? null
            : isNumericType(type) && type.base !== 'float'
              ? Math.trunc(sum / count)
              : sum / count,
      };
    return acc ?? { type, value: null };
  }
}

class CatchSignal {
  constructor(readonly info: CaughtError) {}
}

function containsAggregate(e: Expr): boolean {
  switch (e.k) {
    case 'call':
      return AGGREGATES.has(e.name) || e.args.some(containsAggregate);
    case 'bin':
      return containsAggregate(e.l) || containsAggregate(e.r);
    case 'unary':
    case 'cast':
    case 'convert':
    case 'isnull':
      return containsAggregate(e.e);
    case 'case':
      return (
        (e.operand ? containsAggregate(e.operand) : false) ||
        e.whens.some((w) => containsAggregate(w.when) || containsAggregate(w.then)) ||
        (e.else ? containsAggregate(e.else) : false)
      );
    default:
      return false;
  }
}

function compareTyped(a: TV, b: TV): number | undefined {
  if (a.value === null || b.value === null) return undefined;
  if (a.type.base === 'uniqueidentifier' || b.type.base === 'uniqueidentifier') {
    const ga = a.type.base === 'uniqueidentifier' ? a.value : convert(a, T.guid);
    const gb = b.type.base === 'uniqueidentifier' ? b.value : convert(b, T.guid);
    return compareValues(String(ga).toUpperCase(), String(gb).toUpperCase());
  }
  if (isNumericType(a.type) && isStringType(b.type))
    return compareValues(a.value, convert(b, a.type.base === 'bit' ? T.int : a.type));
  if (isStringType(a.type) && isNumericType(b.type))
    return compareValues(convert(a, b.type.base === 'bit' ? T.int : b.type), b.value);
  return compareValues(a.value, b.value);
}

function arith(op: string, l: TV, r: TV): TV {
  if (
    op === '+' &&
    (isStringType(l.type) || isStringType(r.type)) &&
    !(isNumericType(l.type) || isNumericType(r.type))
  ) {
    const unicode = l.type.base === 'nvarchar' || r.type.base === 'nvarchar';
    const type = unicode ? T.nvarchar('max') : T.varchar('max');
    if (l.value === null || r.value === null) return { type, value: null };
    return { type, value: valueToText(convert(l, type)) + valueToText(convert(r, type)) };
  }
  if (op === '+' && (l.type.base === 'datetime' || l.type.base === 'datetime2')) {
    if (l.value === null || r.value === null) return { type: l.type, value: null };
    return {
      type: l.type,
      value: new Date((l.value as Date).getTime() + Number(convert(r, T.float)) * 86400000),
    };
  }
  const type = widerType(l.type, r.type);
  const target = isStringType(type) ? T.int : type;
  if (l.value === null || r.value === null) return { type: target, value: null };
  const a = convert(l, target);
  const b = convert(r, target);
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    switch (op) {
      case '+':
        return { type: target, value: a + b };
      case '-':
        return { type: target, value: a - b };
      case '*':
        return { type: target, value: a * b };
      case '/':
        if (b === 0n) throw sqlError(8134);
        return { type: target, value: a / b };
      case '%':
        if (b === 0n) throw sqlError(8134);
        return { type: target, value: a % b };
      case '&':
        return { type: target, value: a & b };
      case '|':
        return { type: target, value: a | b };
      case '^':
        return { type: target, value: a ^ b };
    }
  }
  const x = Number(a);
  const y = Number(b);
  const integral = target.base !== 'float' && !(target.base === 'decimal' && target.scale);
  switch (op) {
    case '+':
      return { type: target, value: x + y };
    case '-':
      return { type: target, value: x - y };
    case '*':
      return { type: target, value: x * y };
    case '/':
      if (y === 0) throw sqlError(8134);
      return { type: target, value: integral ? Math.trunc(x / y) : x / y };
    case '%':
      if (y === 0) throw sqlError(8134);
      return { type: target, value: x % y };
    case '&':
      return { type: target, value: x & y };
    case '|':
      return { type: target, value: x | y };
    case '^':
      return { type: target, value: x ^ y };
  }
  throw sqlError(102, [op], { abortBatch: true });
}

function dateArgPart(e: Expr): string {
  const raw = e.k === 'col' ? e.parts.join('.') : e.k === 'lit' ? String(e.value) : '';
  const p = raw.toLowerCase();
  const map: Record<string, string> = {
    yy: 'year',
    yyyy: 'year',
    mm: 'month',
    m: 'month',
    dd: 'day',
    d: 'day',
    hh: 'hour',
    mi: 'minute',
    n: 'minute',
    ss: 's',
    s: 'second',
    ms: 'millisecond',
    wk: 'week',
    ww: 'week',
  };
  const v = map[p] ?? p;
  return v === 's' ? 'second' : v;
}

function dateAdd(part: string, n: number, d: Date): Date {
  const r = new Date(d.getTime());
  switch (part) {
    case 'year':
      r.setUTCFullYear(r.getUTCFullYear() + n);
      return r;
    case 'month':
      r.setUTCMonth(r.getUTCMonth() + n);
      return r;
    case 'week':
      return new Date(d.getTime() + n * 7 * 86400000);
    case 'day':
      return new Date(d.getTime() + n * 86400000);
    case 'hour':
      return new Date(d.getTime() + n * 3600000);
    case 'minute':
      return new Date(d.getTime() + n * 60000);
    case 'second':
      return new Date(d.getTime() + n * 1000);
    default:
      return new Date(d.getTime() + n);
  }
}

function dateDiff(part: string, a: Date, b: Date): number {
  const ms = b.getTime() - a.getTime();
  switch (part) {
    case 'year':
      return b.getUTCFullYear() - a.getUTCFullYear();
    case 'month':
      return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
    case 'day':
      return Math.floor(b.getTime() / 86400000) - Math.floor(a.getTime() / 86400000);
    case 'hour':
      return Math.floor(b.getTime() / 3600000) - Math.floor(a.getTime() / 3600000);
    case 'minute':
      return Math.floor(b.getTime() / 60000) - Math.floor(a.getTime() / 60000);
    case 'second':
      return Math.floor(b.getTime() / 1000) - Math.floor(a.getTime() / 1000);
    default:
      return ms;
  }
}

function outputValue(tv: TV, type: SqlType): LabValue {
  if (tv.value === null) return null;
  if (tv.type.base === type.base) return tv.value;
  return convert(tv, type);
}

function paramType(def: ProcDef, name: string): SqlType {
  return def.params.find((p) => p.name.toLowerCase() === name.toLowerCase())?.type ?? T.nvarchar();
}

function rpcType(p: RpcParam): SqlType {
  switch (p.type) {
    case 'nvarchar':
      return T.nvarchar(typeof p.value === 'string' ? Math.max(1, p.value.length) : 4000);
    case 'varchar':
      return T.varchar(typeof p.value === 'string' ? Math.max(1, p.value.length) : 8000);
    case 'decimal':
      return T.lsn;
    default:
      return { base: p.type, name: p.type };
  }
}

function guessType(v: LabValue): SqlType {
  if (v === null) return T.int;
  if (typeof v === 'number') return Number.isInteger(v) ? T.int : T.float;
  if (typeof v === 'bigint') return T.bigint;
  if (typeof v === 'boolean') return T.bit;
  if (v instanceof Date) return T.datetime;
  if (v instanceof Uint8Array) return { base: 'varbinary', length: 'max', name: 'varbinary' };
  return T.nvarchar('max');
}

/** Splits 'master.dbo.sp_x' or '[msdb].[dbo].[x]' into parts. */
export function splitName(name: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let inBracket = false;
  for (const ch of name) {
    if (ch === '[' && !inBracket) inBracket = true;
    else if (ch === ']' && inBracket) inBracket = false;
    else if (ch === '.' && !inBracket) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

/** Compile-time checks on the whole batch, as SQL Server does before running anything: 137 and 134. */
function checkDeclarations(stmts: Stmt[], declared: Set<string>): void {
  const walkExpr = (e: Expr | undefined): void => {
    if (!e) return;
    switch (e.k) {
      case 'var':
        if (!declared.has(e.name.toLowerCase()))
          throw sqlError(137, [e.name], { abortBatch: true, line: e.line });
        return;
      case 'unary':
      case 'cast':
      case 'convert':
      case 'isnull':
        walkExpr(e.e);
        return;
      case 'bin':
        walkExpr(e.l);
        walkExpr(e.r);
        return;
      case 'in':
        walkExpr(e.e);
        e.list?.forEach(walkExpr);
        if (e.sub) walkSelect(e.sub);
        return;
      case 'like':
        walkExpr(e.e);
        walkExpr(e.pattern);
        return;
      case 'between':
        walkExpr(e.e);
        walkExpr(e.lo);
        walkExpr(e.hi);
        return;
      case 'call':
        e.args.forEach(walkExpr);
        return;
      case 'case':
        walkExpr(e.operand);
        e.whens.forEach((w) => {
          walkExpr(w.when);
          walkExpr(w.then);
        });
        walkExpr(e.else);
        return;
      case 'subquery':
      case 'exists':
        walkSelect(e.q);
        return;
      default:
        return;
    }
  };
  const walkSelect = (q: Select): void => {
    walkExpr(q.top);
    q.from.forEach((f) => {
      if (f.variable && !declared.has(f.name[0]!.toLowerCase()))
        throw sqlError(1087, [f.name[0]!], { abortBatch: true, line: f.line });
      f.fnArgs?.forEach(walkExpr);
      walkExpr(f.on);
    });
    walkExpr(q.where);
    q.groupBy?.forEach(walkExpr);
    q.orderBy?.forEach((o) => walkExpr(o.e));
    for (const it of q.items) {
      if (it.k === 'expr') walkExpr(it.e);
      if (it.k === 'assign') {
        if (!declared.has(it.name.toLowerCase()))
          throw sqlError(137, [it.name], { abortBatch: true, line: it.line });
        walkExpr(it.e);
      }
    }
  };
  const walk = (s: Stmt): void => {
    switch (s.k) {
      case 'declare':
        for (const v of s.vars) {
          const key = v.name.toLowerCase();
          if (declared.has(key)) throw sqlError(134, [v.name], { abortBatch: true, line: v.line });
          walkExpr(v.init);
          declared.add(key);
        }
        return;
      case 'insert':
        if (s.targetIsVariable && !declared.has(s.target[0]!.toLowerCase()))
          throw sqlError(1087, [s.target[0]!], { abortBatch: true, line: s.line });
        if (s.source.k === 'values') s.source.rows.forEach((r) => r.forEach(walkExpr));
        else if (s.source.k === 'select') walkSelect(s.source.q);
        else walk(s.source.exec);
        return;
      case 'set':
        if (!declared.has(s.name.toLowerCase()))
          throw sqlError(137, [s.name], { abortBatch: true, line: s.line });
        walkExpr(s.e);
        return;
      case 'select':
        walkSelect(s.q);
        return;
      case 'exec':
        if (s.rcVar && !declared.has(s.rcVar.toLowerCase()))
          throw sqlError(137, [s.rcVar], { abortBatch: true, line: s.line });
        s.args.forEach((a) => a.value !== 'DEFAULT' && walkExpr(a.value));
        return;
      case 'execdyn':
      case 'print':
        walkExpr(s.e);
        return;
      case 'if':
        walkExpr(s.cond);
        walk(s.then);
        if (s.else) walk(s.else);
        return;
      case 'while':
        walkExpr(s.cond);
        walk(s.body);
        return;
      case 'block':
        s.body.forEach(walk);
        return;
      case 'try':
        s.body.forEach(walk);
        s.handler.forEach(walk);
        return;
      case 'return':
        walkExpr(s.e);
        return;
      case 'raiserror':
        s.args.forEach(walkExpr);
        return;
      case 'throw':
        s.args?.forEach(walkExpr);
        return;
      case 'backup':
        walkExpr(s.db);
        s.to.forEach(walkExpr);
        s.options.forEach((o) => {
          walkExpr(o.value);
          walkExpr(o.moveTo);
        });
        return;
      case 'restore':
        walkExpr(s.db);
        s.from.forEach(walkExpr);
        s.options.forEach((o) => {
          walkExpr(o.value);
          walkExpr(o.moveTo);
        });
        return;
      default:
        return;
    }
  };
  stmts.forEach(walk);
}

export { typeDisplayName };
