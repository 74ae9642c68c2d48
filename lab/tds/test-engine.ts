// A small engine double for testing the TDS front end on its own: it knows a handful of statements and procedures,
// enough to exercise every token the protocol layer sends. The real engine is lab/engine (createLabWorld).
import type {
  LabColumn,
  LabColumnType,
  LabInstanceEngine,
  LabLoginResult,
  LabSession,
  LabValue,
  ResultSink,
  RpcParam,
} from '../engine/contract';

export interface TestEngineOptions {
  serverName?: string;
  saPassword: string;
  domainPasswords?: Record<string, string>;
}

interface Scalar {
  type: LabColumnType;
  value: LabValue;
  maxLength?: number;
}

const DATABASES = ['master', 'msdb', 'tempdb', 'model', 'mgc'];

/** Splits on `;` and newlines outside string literals. */
function splitStatements(sql: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  let cur = '';
  let line = 1;
  let startLine = 1;
  let inString = false;
  for (const ch of sql) {
    if (ch === "'") inString = !inString;
    if (!inString && (ch === ';' || ch === '\n')) {
      if (cur.trim()) out.push({ text: cur.trim(), line: startLine });
      cur = '';
      if (ch === '\n') line++;
      startLine = line;
      continue;
    }
    if (ch === '\n') line++;
    cur += ch;
  }
  if (cur.trim()) out.push({ text: cur.trim(), line: startLine });
  return out;
}

function splitTopLevel(list: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let depth = 0;
  let inString = false;
  for (const ch of list) {
    if (ch === "'") inString = !inString;
    if (!inString && ch === '(') depth++;
    if (!inString && ch === ')') depth--;
    if (!inString && depth === 0 && ch === ',') {
      parts.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur.trim()) parts.push(cur.trim());
  return parts;
}

export class TestEngine implements LabInstanceEngine {
  readonly serverName: string;
  readonly version = 'Microsoft SQL Server 2019 (RTM-CU22) - 15.0.4322.2 (X64) (lab test engine)';
  /** Every batch text and RPC name received, for assertions. */
  readonly journal: string[] = [];

  constructor(private readonly options: TestEngineOptions) {
    this.serverName = options.serverName ?? 'SQL01\\PCHAT';
  }

  loginSql(user: string, password: string): LabLoginResult {
    const ok =
      (user === 'sa' && password === this.options.saPassword) ||
      (user === 'labuser' && password === `${this.options.saPassword}-user`);
    if (!ok) {
      return {
        ok: false,
        error: { number: 18456, state: 8, class: 14, line: 1, message: `Login failed for user '${user}'.` },
      };
    }
    return { ok: true, isSysadmin: user === 'sa', defaultDatabase: 'master' };
  }

  loginWindows(domainUser: string): LabLoginResult {
    if (domainUser.toUpperCase() === 'LAB\\SQLADMIN')
      return { ok: true, isSysadmin: true, defaultDatabase: 'master' };
    return {
      ok: false,
      error: {
        number: 18456,
        state: 5,
        class: 14,
        line: 1,
        message: `Login failed for user '${domainUser}'.`,
      },
    };
  }

  domainAccountPassword(domainUser: string): string | undefined {
    const map = this.options.domainPasswords ?? {};
    const key = Object.keys(map).find((k) => k.toUpperCase() === domainUser.toUpperCase());
    return key === undefined ? undefined : map[key];
  }

  async executeBatch(session: LabSession, sql: string, sink: ResultSink, signal: AbortSignal): Promise<void> {
    this.journal.push(sql);
    await this.runStatements(session, sql, new Map(), sink, signal, false);
  }

  async executeRpc(
    session: LabSession,
    procName: string,
    params: RpcParam[],
    sink: ResultSink,
    signal: AbortSignal,
  ): Promise<void> {
    this.journal.push(`RPC ${procName}`);
    const name = procName.toLowerCase().replace(/^(\w*\.){0,2}/, '');
    if (name === 'sp_executesql') {
      const [statement, , ...values] = params;
      const vars = new Map<string, Scalar>();
      values.forEach((p) => vars.set(p.name.toLowerCase(), { type: p.type, value: p.value }));
      await this.runStatements(session, String(statement?.value ?? ''), vars, sink, signal, true);
      values.forEach((p, i) => {
        if (!p.output) return;
        const v = vars.get(p.name.toLowerCase()) as Scalar;
        sink.returnValue({ name: p.name, type: v.type, value: v.value, ordinal: i + 2 });
      });
      sink.returnStatus(0);
      return;
    }
    if (name === 'lab_proc') {
      const n = Number(params.find((p) => p.name === '@n')?.value ?? 0);
      const who = String(params.find((p) => p.name === '@who')?.value ?? 'nobody');
      sink.info({
        number: 0,
        state: 1,
        class: 0,
        line: 3,
        procName: 'lab_proc',
        message: `lab_proc called for ${who}`,
      });
      sink.columns([
        { name: 'who', type: 'nvarchar', maxLength: 128 },
        { name: 'n', type: 'int' },
      ]);
      sink.row([who, n]);
      sink.done({ rowCount: 1, inProc: true });
      params.forEach((p, ordinal) => {
        if (!p.output) return;
        if (p.name === '@doubled') sink.returnValue({ name: p.name, type: 'int', value: n * 2, ordinal });
        if (p.name === '@greeting')
          sink.returnValue({ name: p.name, type: 'nvarchar', value: `hello ${who}`, ordinal });
        if (p.name === '@id') {
          sink.returnValue({
            name: p.name,
            type: 'uniqueidentifier',
            value: 'ED183D9C-0A6B-4F0B-9E1E-4C3D2B1A0F99',
            ordinal,
          });
        }
      });
      sink.returnStatus(7);
      return;
    }
    if (name === 'sp_delete_job') {
      sink.error({
        number: 14262,
        state: 1,
        class: 16,
        line: 67,
        procName: 'sp_verify_job_identifiers',
        message: `The specified @job_name ('${String(params[0]?.value)}') does not exist.`,
      });
      sink.returnStatus(1);
      return;
    }
    sink.error({
      number: 2812,
      state: 62,
      class: 16,
      line: 1,
      message: `Could not find stored procedure '${procName}'.`,
    });
  }

  private evaluate(expr: string, session: LabSession, vars: Map<string, Scalar>): Scalar {
    const e = expr.trim();
    let m: RegExpExecArray | null;
    if (/^-?\d+$/.test(e)) return { type: 'int', value: Number(e) };
    if ((m = /^N'((?:[^']|'')*)'$/i.exec(e)))
      return { type: 'nvarchar', value: (m[1] as string).replace(/''/g, "'") };
    if ((m = /^'((?:[^']|'')*)'$/.exec(e)))
      return { type: 'varchar', value: (m[1] as string).replace(/''/g, "'") };
    if (/^null$/i.test(e)) return { type: 'int', value: null };
    if (/^@@spid$/i.test(e)) return { type: 'smallint', value: session.spid };
    if (/^@@servername$/i.test(e)) return { type: 'nvarchar', value: this.serverName, maxLength: 128 };
    if (/^db_name\(\)$/i.test(e)) return { type: 'nvarchar', value: session.database, maxLength: 128 };
    if (/^suser_sname\(\)$/i.test(e)) return { type: 'nvarchar', value: session.login, maxLength: 128 };
    if ((m = /^len\((@\w+)\)$/i.exec(e)))
      return { type: 'int', value: String(vars.get((m[1] as string).toLowerCase())?.value ?? '').length };
    if ((m = /^(@\w+)\s*\*\s*(\d+)$/.exec(e))) {
      return { type: 'int', value: Number(vars.get((m[1] as string).toLowerCase())?.value) * Number(m[2]) };
    }
    if ((m = /^(@\w+)$/.exec(e))) {
      const v = vars.get((m[1] as string).toLowerCase());
      if (!v) throw new SqlError(137, 15, `Must declare the scalar variable "${m[1]}".`);
      return v;
    }
    if ((m = /^cast\((.*) as datetime\)$/i.exec(e)))
      return {
        type: 'datetime',
        value: new Date(String(this.evaluate(m[1] as string, session, vars).value)),
      };
    if ((m = /^newid\(\)$/i.exec(e)))
      return { type: 'uniqueidentifier', value: '6F9619FF-8B86-D011-B42D-00C04FC964FF' };
    throw new SqlError(102, 15, `Incorrect syntax near '${e.slice(0, 20)}'.`);
  }

  private async runStatements(
    session: LabSession,
    sql: string,
    vars: Map<string, Scalar>,
    sink: ResultSink,
    signal: AbortSignal,
    inProc: boolean,
  ): Promise<void> {
    for (const { text, line } of splitStatements(sql)) {
      if (signal.aborted) return;
      try {
        await this.statement(text, line, session, vars, sink, signal, inProc);
      } catch (e) {
        if (!(e instanceof SqlError)) throw e;
        sink.error({ number: e.number, state: 1, class: e.severity, line, message: e.message });
        sink.done({ error: true, inProc });
      }
    }
  }

  private async statement(
    text: string,
    line: number,
    session: LabSession,
    vars: Map<string, Scalar>,
    sink: ResultSink,
    signal: AbortSignal,
    inProc: boolean,
  ): Promise<void> {
    let m: RegExpExecArray | null;
    if (/^set\s+\w+/i.test(text) && !/^set\s+@/i.test(text)) {
      sink.done({ inProc });
      return;
    }
    if ((m = /^set\s+(@\w+)\s*=\s*(.+)$/i.exec(text))) {
      const name = (m[1] as string).toLowerCase();
      const value = this.evaluate(m[2] as string, session, vars);
      const old = vars.get(name);
      vars.set(name, old ? { ...old, value: value.value } : value);
      sink.done({ inProc });
      return;
    }
    if ((m = /^print\s+(.+)$/i.exec(text))) {
      sink.info({
        number: 0,
        state: 1,
        class: 0,
        line,
        message: String(this.evaluate(m[1] as string, session, vars).value),
      });
      sink.done({ inProc });
      return;
    }
    if ((m = /^raiserror\s*\(\s*(N?'(?:[^']|'')*')\s*,\s*(\d+)\s*,\s*(\d+)\s*\)$/i.exec(text))) {
      const severity = Number(m[2]);
      const message = String(this.evaluate(m[1] as string, session, vars).value);
      const msg = { number: 50000, state: Number(m[3]), class: severity, line, message };
      if (severity > 10) sink.error(msg);
      else sink.info(msg);
      sink.done({ inProc, error: severity > 10 });
      return;
    }
    if ((m = /^use\s+\[?(\w+)\]?$/i.exec(text))) {
      const db = DATABASES.find((d) => d.toLowerCase() === (m as RegExpExecArray)[1]?.toLowerCase());
      if (!db)
        throw new SqlError(
          911,
          16,
          `Database '${m[1]}' does not exist. Make sure that the name is entered correctly.`,
        );
      session.database = db;
      sink.info({ number: 5701, state: 1, class: 0, line, message: `Changed database context to '${db}'.` });
      sink.done({ inProc });
      return;
    }
    if ((m = /^waitfor\s+delay\s+'(\d\d):(\d\d):(\d\d)(?:\.(\d+))?'$/i.exec(text))) {
      const ms =
        (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 1000 +
        Number((m[4] ?? '0').padEnd(3, '0'));
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, ms);
        signal.addEventListener('abort', () => {
          clearTimeout(t);
          resolve();
        });
      });
      if (!signal.aborted) sink.done({ inProc });
      return;
    }
    if (/^select\s+lab_bad_value$/i.test(text)) {
      // An engine bug on purpose: a string in an int column.
      sink.columns([{ name: 'n', type: 'int' }]);
      sink.row(['not a number']);
      sink.done({ rowCount: 1, inProc });
      return;
    }
    if ((m = /^select\s+top\s+(\d+)\s+n\s+from\s+lab_numbers$/i.exec(text))) {
      const count = Number(m[1]);
      sink.columns([
        { name: 'n', type: 'int' },
        { name: 'label', type: 'nvarchar', maxLength: 50 },
      ]);
      for (let i = 1; i <= count && !signal.aborted; i++) sink.row([i, `row ${i}`]);
      sink.done({ rowCount: count, inProc });
      return;
    }
    if ((m = /^select\s+(.+)$/i.exec(text))) {
      const columns: LabColumn[] = [];
      const values: LabValue[] = [];
      splitTopLevel(m[1] as string).forEach((item) => {
        const am = /^(.*?)\s+as\s+\[?(\w+)\]?$/i.exec(item);
        const expr = am ? (am[1] as string) : item;
        const v = this.evaluate(expr, session, vars);
        columns.push({
          name: am ? (am[2] as string) : '',
          type: v.type,
          maxLength: v.maxLength,
          nullable: true,
        });
        values.push(v.value);
      });
      sink.columns(columns);
      sink.row(values);
      sink.done({ rowCount: 1, inProc });
      return;
    }
    throw new SqlError(102, 15, `Incorrect syntax near '${text.split(/\s+/)[0]}'.`);
  }
}

class SqlError extends Error {
  constructor(
    readonly number: number,
    readonly severity: number,
    message: string,
  ) {
    super(message);
  }
}
