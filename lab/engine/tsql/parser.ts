// Recursive-descent parser for the lab's T-SQL subset. Anything outside the subset is a syntax error (Msg 102/156).
import { sqlError, syntaxError, type SqlError } from '../errors';
import type {
  AlterDbAction,
  ExecArg,
  Expr,
  Select,
  SelectItem,
  Source,
  SqlType,
  Stmt,
  TableVarColumn,
  WithOption,
} from './ast';
import { tokenize, type Token } from './lexer';

/** Reserved words: a misplaced one is reported as Msg 156 ("near the keyword"). */
const RESERVED = new Set(
  (
    'ADD ALL ALTER AND ANY AS ASC BACKUP BEGIN BETWEEN BREAK BY CASE CATCH CHECK CLOSE COLUMN COMMIT CONTINUE CONVERT CREATE CROSS ' +
    'CURRENT DATABASE DECLARE DEFAULT DELETE DESC DISTINCT DROP ELSE END EXEC EXECUTE EXISTS FETCH FILE FOR FROM FULL FUNCTION GO GOTO GRANT GROUP ' +
    'HAVING IF IN INDEX INNER INSERT INTO IS JOIN KEY KILL LEFT LIKE MERGE NOT NULL OF OFF ON OPEN OR ORDER OUTER PRINT PROC PROCEDURE RAISERROR RESTORE RETURN ' +
    'RIGHT ROLLBACK SELECT SET TABLE THEN TO TOP TRAN TRANSACTION TRUNCATE UNION UPDATE USE VALUES VIEW WAITFOR WHEN WHERE WHILE WITH'
  ).split(' '),
);

const STATEMENT_KEYWORDS = new Set([
  'DECLARE',
  'SET',
  'SELECT',
  'EXEC',
  'EXECUTE',
  'IF',
  'BEGIN',
  'WHILE',
  'BREAK',
  'CONTINUE',
  'RETURN',
  'PRINT',
  'RAISERROR',
  'THROW',
  'USE',
  'BACKUP',
  'RESTORE',
  'ALTER',
  'COMMIT',
  'ROLLBACK',
  'WAITFOR',
  'END',
  'ELSE',
  'INSERT',
  'KILL',
]);

const BACKUP_OPTIONS = new Set(
  (
    'INIT NOINIT FORMAT NOFORMAT COMPRESSION NO_COMPRESSION STATS NORECOVERY STANDBY NO_TRUNCATE COPY_ONLY CHECKSUM NO_CHECKSUM ' +
    'CONTINUE_AFTER_ERROR STOP_ON_ERROR NAME DESCRIPTION SKIP NOSKIP REWIND NOREWIND UNLOAD NOUNLOAD MEDIANAME MEDIADESCRIPTION ' +
    'BLOCKSIZE BUFFERCOUNT MAXTRANSFERSIZE EXPIREDATE RETAINDAYS DIFFERENTIAL'
  ).split(' '),
);
const RESTORE_OPTIONS = new Set(
  (
    'RECOVERY NORECOVERY STANDBY MOVE REPLACE RESTART STATS FILE PASSWORD MEDIANAME MEDIAPASSWORD CHECKSUM NO_CHECKSUM ' +
    'CONTINUE_AFTER_ERROR STOP_ON_ERROR KEEP_REPLICATION KEEP_CDC ENABLE_BROKER ERROR_BROKER_CONVERSATIONS NEW_BROKER ' +
    'RESTRICTED_USER STOPAT STOPATMARK STOPBEFOREMARK PARTIAL UNLOAD NOUNLOAD REWIND NOREWIND BLOCKSIZE BUFFERCOUNT MAXTRANSFERSIZE'
  ).split(' '),
);
/** Valid in SQL Server, outside what the lab models: refused loudly rather than ignored. */
const LAB_UNSUPPORTED_OPTIONS = new Set([
  'DIFFERENTIAL',
  'STOPAT',
  'STOPATMARK',
  'STOPBEFOREMARK',
  'PARTIAL',
  'NO_TRUNCATE',
]);

const TYPE_ALIASES: Record<string, Omit<SqlType, 'name'>> = {
  int: { base: 'int' },
  integer: { base: 'int' },
  bigint: { base: 'bigint' },
  smallint: { base: 'smallint' },
  tinyint: { base: 'tinyint' },
  bit: { base: 'bit' },
  float: { base: 'float' },
  real: { base: 'float' },
  decimal: { base: 'decimal', precision: 18, scale: 0 },
  numeric: { base: 'decimal', precision: 18, scale: 0 },
  money: { base: 'decimal', precision: 19, scale: 4 },
  nvarchar: { base: 'nvarchar', length: 1 },
  nchar: { base: 'nvarchar', length: 1 },
  varchar: { base: 'varchar', length: 1 },
  char: { base: 'varchar', length: 1 },
  sysname: { base: 'nvarchar', length: 128 },
  ntext: { base: 'nvarchar', length: 'max' },
  text: { base: 'varchar', length: 'max' },
  sql_variant: { base: 'nvarchar', length: 4000 },
  datetime: { base: 'datetime' },
  smalldatetime: { base: 'datetime' },
  date: { base: 'datetime2' },
  time: { base: 'datetime2' },
  datetime2: { base: 'datetime2' },
  datetimeoffset: { base: 'datetime2' },
  uniqueidentifier: { base: 'uniqueidentifier' },
  varbinary: { base: 'varbinary', length: 1 },
  binary: { base: 'varbinary', length: 1 },
};

export function typeFromName(name: string): SqlType | undefined {
  const t = TYPE_ALIASES[name.toLowerCase()];
  return t ? { ...t, name: name.toLowerCase() } : undefined;
}

/** Parses a whole batch into statements; throws SqlError (abortBatch) for syntax errors. */
export function parseBatch(sql: string): Stmt[] {
  return new Parser(tokenize(sql)).parseAll();
}

/** Parses the @params declaration list of sp_executesql ("@a int, @b nvarchar(10) OUTPUT"). */
export function parseParamDecls(text: string): { name: string; type: SqlType; output: boolean }[] {
  const p = new Parser(tokenize(text));
  const out: { name: string; type: SqlType; output: boolean }[] = [];
  while (!p.atEof()) {
    const name = p.expectKind('var').text;
    p.acceptWord('AS');
    const type = p.parseType();
    const output = p.acceptWord('OUTPUT') || p.acceptWord('OUT');
    out.push({ name, type, output });
    if (!p.acceptOp(',')) break;
  }
  if (!p.atEof()) throw p.unexpected();
  return out;
}

class Parser {
  private i = 0;
  private statementCount = 0;

  constructor(private readonly t: Token[]) {}

  atEof(): boolean {
    return this.peek().kind === 'eof';
  }

  peek(o = 0): Token {
    return this.t[Math.min(this.i + o, this.t.length - 1)]!;
  }

  next(): Token {
    const tok = this.peek();
    if (tok.kind !== 'eof') this.i++;
    return tok;
  }

  isWord(word: string, o = 0): boolean {
    const tok = this.peek(o);
    return tok.kind === 'ident' && tok.text.toUpperCase() === word;
  }

  acceptWord(word: string): boolean {
    if (this.isWord(word)) {
      this.i++;
      return true;
    }
    return false;
  }

  expectWord(word: string): Token {
    if (!this.isWord(word)) throw this.unexpected();
    return this.next();
  }

  isOp(op: string, o = 0): boolean {
    const tok = this.peek(o);
    return tok.kind === 'op' && tok.text === op;
  }

  acceptOp(op: string): boolean {
    if (this.isOp(op)) {
      this.i++;
      return true;
    }
    return false;
  }

  expectOp(op: string): Token {
    if (!this.isOp(op)) throw this.unexpected();
    return this.next();
  }

  expectKind(kind: Token['kind']): Token {
    if (this.peek().kind !== kind) throw this.unexpected();
    return this.next();
  }

  /** SQL Server names the offending token; at the end of the batch it names the last one. */
  unexpected(): SqlError {
    let tok = this.peek();
    if (tok.kind === 'eof') {
      const prev = this.t[this.i - 1];
      if (prev) tok = prev;
      else return syntaxError('', tok.line);
    }
    const text = tok.kind === 'string' ? tok.text : tok.kind === 'qident' ? tok.text : tok.text;
    const keyword = tok.kind === 'ident' && RESERVED.has(tok.text.toUpperCase());
    return syntaxError(text, tok.line, keyword);
  }

  parseAll(): Stmt[] {
    const out: Stmt[] = [];
    while (!this.atEof()) {
      if (this.acceptOp(';')) continue;
      out.push(this.statement());
    }
    return out;
  }

  private identifierText(): string {
    const tok = this.peek();
    if (tok.kind === 'ident' || tok.kind === 'qident') {
      this.i++;
      return tok.text;
    }
    throw this.unexpected();
  }

  /** a.b.c with empty parts allowed (msdb..sysjobs). */
  private multipartName(): string[] {
    const parts = [this.identifierText()];
    while (this.isOp('.')) {
      this.i++;
      if (this.isOp('.')) {
        parts.push('');
        continue;
      }
      parts.push(this.identifierText());
    }
    return parts;
  }

  statement(): Stmt {
    const tok = this.peek();
    const first = this.statementCount++ === 0;
    const line = tok.line;
    if (tok.kind !== 'ident') {
      throw this.unexpected();
    }
    const w = tok.text.toUpperCase();
    switch (w) {
      case 'DECLARE':
        return this.declare();
      case 'SET':
        return this.set();
      case 'SELECT':
        return { k: 'select', q: this.select(), line };
      case 'EXEC':
      case 'EXECUTE':
        this.next();
        return this.exec(line);
      case 'IF': {
        this.next();
        const cond = this.expr();
        const then = this.statementInBody();
        // `IF c stmt; ELSE stmt`: the terminator of the THEN statement may stand before ELSE.
        if (this.isOp(';') && this.isWord('ELSE', 1)) this.next();
        let elseStmt: Stmt | undefined;
        if (this.acceptWord('ELSE')) elseStmt = this.statementInBody();
        return { k: 'if', cond, then, ...(elseStmt ? { else: elseStmt } : {}), line };
      }
      case 'WHILE': {
        this.next();
        const cond = this.expr();
        return { k: 'while', cond, body: this.statementInBody(), line };
      }
      case 'BEGIN':
        return this.begin();
      case 'BREAK':
        this.next();
        return { k: 'break', line };
      case 'CONTINUE':
        this.next();
        return { k: 'continue', line };
      case 'RETURN': {
        this.next();
        if (this.startsExpression()) return { k: 'return', e: this.expr(), line };
        return { k: 'return', line };
      }
      case 'PRINT':
        this.next();
        return { k: 'print', e: this.expr(), line };
      case 'RAISERROR':
        return this.raiserror();
      case 'THROW': {
        this.next();
        if (!this.startsExpression()) return { k: 'throw', line };
        const args = [this.expr()];
        this.expectOp(',');
        args.push(this.expr());
        this.expectOp(',');
        args.push(this.expr());
        return { k: 'throw', args, line };
      }
      case 'USE': {
        this.next();
        return { k: 'use', db: this.identifierText(), line };
      }
      case 'COMMIT':
      case 'ROLLBACK': {
        this.next();
        if (this.acceptWord('TRAN') || this.acceptWord('TRANSACTION') || this.acceptWord('WORK')) {
          if (this.peek().kind === 'ident' && !this.isStatementStart()) this.next();
        }
        return { k: 'tran', op: w === 'COMMIT' ? 'commit' : 'rollback', line };
      }
      case 'WAITFOR': {
        this.next();
        this.expectWord('DELAY');
        return { k: 'waitfor', delay: this.primary(), line };
      }
      case 'INSERT':
        return this.insert();
      case 'KILL': {
        this.next();
        const spid = this.expectKind('number');
        if (!/^\d+$/.test(spid.text)) {
          this.i--;
          throw this.unexpected();
        }
        return { k: 'kill', spid: Number(spid.text), line };
      }
      case 'BACKUP':
        return this.backup();
      case 'RESTORE':
        return this.restore();
      case 'ALTER':
        return this.alter();
      default:
        break;
    }
    if (RESERVED.has(w)) throw this.unexpected();
    if (first) return this.exec(line); // a procedure name as the first statement of a batch runs it, as in SQL Server
    throw this.unexpected();
  }

  private isStatementStart(): boolean {
    const tok = this.peek();
    return tok.kind === 'ident' && STATEMENT_KEYWORDS.has(tok.text.toUpperCase());
  }

  private statementInBody(): Stmt {
    while (this.acceptOp(';'));
    if (this.atEof()) throw this.unexpected();
    this.statementCount++;
    return this.statement();
  }

  private begin(): Stmt {
    const line = this.next().line;
    if (this.acceptWord('TRAN') || this.acceptWord('TRANSACTION')) {
      if ((this.peek().kind === 'ident' && !this.isStatementStart()) || this.peek().kind === 'var')
        this.next();
      return { k: 'tran', op: 'begin', line };
    }
    if (this.acceptWord('TRY')) {
      const body = this.blockUntil(() => this.isWord('END') && this.isWord('TRY', 1));
      this.expectWord('END');
      this.expectWord('TRY');
      while (this.acceptOp(';'));
      this.expectWord('BEGIN');
      this.expectWord('CATCH');
      const handler = this.blockUntil(() => this.isWord('END') && this.isWord('CATCH', 1));
      this.expectWord('END');
      this.expectWord('CATCH');
      return { k: 'try', body, handler, line };
    }
    const body = this.blockUntil(() => this.isWord('END'));
    this.expectWord('END');
    return { k: 'block', body, line };
  }

  private blockUntil(done: () => boolean): Stmt[] {
    const body: Stmt[] = [];
    for (;;) {
      if (this.acceptOp(';')) continue;
      if (this.atEof()) throw this.unexpected();
      if (done()) return body;
      this.statementCount++;
      body.push(this.statement());
    }
  }

  private declare(): Stmt {
    const line = this.next().line;
    const vars: { name: string; type: SqlType; init?: Expr; line: number }[] = [];
    do {
      const v = this.expectKind('var');
      this.acceptWord('AS');
      if (this.isWord('TABLE') && vars.length === 0) {
        this.next();
        const table = this.tableColumns();
        const t: SqlType = { base: 'nvarchar', name: 'table' };
        return { k: 'declare', vars: [{ name: v.text, type: t, table, line: v.line }], line };
      }
      if (this.isWord('TABLE') || this.isWord('CURSOR')) throw this.unexpected();
      const type = this.parseType();
      const init = this.acceptOp('=') ? this.expr() : undefined;
      vars.push({ name: v.text, type, ...(init ? { init } : {}), line: v.line });
    } while (this.acceptOp(','));
    return { k: 'declare', vars, line };
  }

  /** ( name type [NULL | NOT NULL] [PRIMARY KEY], ... ) of DECLARE @t TABLE. */
  private tableColumns(): TableVarColumn[] {
    this.expectOp('(');
    const cols: TableVarColumn[] = [];
    do {
      const name = this.identifierText();
      const type = this.parseType();
      let nullable = true;
      for (;;) {
        if (this.acceptWord('NULL')) nullable = true;
        else if (this.isWord('NOT') && this.isWord('NULL', 1)) {
          this.i += 2;
          nullable = false;
        } else if (this.isWord('PRIMARY') && this.isWord('KEY', 1)) {
          this.i += 2;
          nullable = false;
        } else break;
      }
      cols.push({ name, type, nullable });
    } while (this.acceptOp(','));
    this.expectOp(')');
    return cols;
  }

  private insert(): Stmt {
    const line = this.next().line;
    this.acceptWord('INTO');
    let target: string[];
    let targetIsVariable = false;
    if (this.peek().kind === 'var') {
      target = [this.next().text];
      targetIsVariable = true;
    } else target = this.multipartName();
    let columns: string[] | undefined;
    if (this.isOp('(')) {
      this.next();
      columns = [];
      do columns.push(this.identifierText());
      while (this.acceptOp(','));
      this.expectOp(')');
    }
    const base = { k: 'insert' as const, target, targetIsVariable, ...(columns ? { columns } : {}), line };
    if (this.acceptWord('VALUES')) {
      const rows: Expr[][] = [];
      do {
        this.expectOp('(');
        const row = [this.expr()];
        while (this.acceptOp(',')) row.push(this.expr());
        this.expectOp(')');
        rows.push(row);
      } while (this.acceptOp(','));
      return { ...base, source: { k: 'values', rows } };
    }
    if (this.isWord('SELECT')) return { ...base, source: { k: 'select', q: this.select() } };
    if (this.isWord('EXEC') || this.isWord('EXECUTE')) {
      const execLine = this.next().line;
      const exec = this.exec(execLine);
      if (exec.k !== 'exec') throw this.unexpected();
      return { ...base, source: { k: 'exec', exec } };
    }
    throw this.unexpected();
  }

  parseType(): SqlType {
    const tok = this.peek();
    if (tok.kind !== 'ident' && tok.kind !== 'qident') throw this.unexpected();
    let name = tok.text;
    this.next();
    if (name.toLowerCase() === 'sys' && this.acceptOp('.')) name = this.identifierText();
    if (name.toLowerCase() === 'double' && this.acceptWord('PRECISION')) name = 'float';
    const base = typeFromName(name);
    if (!base) throw sqlError(2715, [1, name], { abortBatch: true, line: tok.line });
    const type: SqlType = { ...base };
    if (this.acceptOp('(')) {
      if (this.acceptWord('MAX')) type.length = 'max';
      else {
        const a = Number(this.expectKind('number').text);
        if (type.base === 'decimal') {
          type.precision = a;
          type.scale = this.acceptOp(',') ? Number(this.expectKind('number').text) : 0;
        } else if (type.base === 'float' || type.base === 'datetime2') {
          // float(53), datetime2(7): precision only
        } else type.length = a;
      }
      this.expectOp(')');
    }
    return type;
  }

  private set(): Stmt {
    const line = this.next().line;
    const tok = this.peek();
    if (tok.kind === 'var') {
      this.next();
      const opTok = this.next();
      if (opTok.kind !== 'op' || !['=', '+=', '-=', '*=', '/='].includes(opTok.text)) {
        this.i--;
        throw this.unexpected();
      }
      return { k: 'set', name: tok.text, op: opTok.text, e: this.expr(), line };
    }
    if (tok.kind !== 'ident') throw this.unexpected();
    const options: string[] = [this.next().text.toUpperCase()];
    if (options[0] === 'TRANSACTION') {
      this.expectWord('ISOLATION');
      this.expectWord('LEVEL');
      const words: string[] = [];
      while (
        this.peek().kind === 'ident' &&
        ['READ', 'COMMITTED', 'UNCOMMITTED', 'REPEATABLE', 'SERIALIZABLE', 'SNAPSHOT'].includes(
          this.peek().text.toUpperCase(),
        )
      )
        words.push(this.next().text.toUpperCase());
      return { k: 'setopt', option: 'TRANSACTION ISOLATION LEVEL', value: words.join(' '), line };
    }
    while (this.acceptOp(',')) options.push(this.identifierText().toUpperCase());
    const v = this.next();
    if (v.kind === 'eof') throw this.unexpected();
    return { k: 'setopt', option: options.join(','), value: v.text, line };
  }

  private exec(line: number): Stmt {
    if (this.isOp('(')) {
      this.next();
      const e = this.expr();
      this.expectOp(')');
      return { k: 'execdyn', e, line };
    }
    let rcVar: string | undefined;
    if (this.peek().kind === 'var' && this.isOp('=', 1)) {
      rcVar = this.next().text;
      this.next();
    }
    const startTok = this.peek();
    const proc = this.multipartName();
    const procText = proc.join('.');
    const args: ExecArg[] = [];
    if (startTok.line === this.peek().line || !this.isStatementStart()) {
      if (this.startsExecArg()) {
        do {
          args.push(this.execArg());
        } while (this.acceptOp(','));
      }
    }
    if (this.acceptWord('WITH')) {
      this.expectWord('RECOMPILE');
    }
    return { k: 'exec', ...(rcVar ? { rcVar } : {}), proc, procText, args, line };
  }

  private startsExecArg(): boolean {
    const tok = this.peek();
    if (tok.kind === 'var' || tok.kind === 'string' || tok.kind === 'number' || tok.kind === 'binary')
      return true;
    if (tok.kind === 'op' && (tok.text === '-' || tok.text === '+')) return true;
    if (tok.kind === 'qident') return true;
    if (tok.kind === 'ident') {
      const w = tok.text.toUpperCase();
      if (w === 'DEFAULT' || w === 'NULL') return true;
      return !RESERVED.has(w) && !STATEMENT_KEYWORDS.has(w) && w !== 'THROW';
    }
    return false;
  }

  private execArg(): ExecArg {
    const line = this.peek().line;
    let name: string | undefined;
    if (this.peek().kind === 'var' && this.isOp('=', 1)) {
      name = this.next().text;
      this.next();
    }
    let value: Expr | 'DEFAULT';
    const tok = this.peek();
    if (tok.kind === 'ident' && tok.text.toUpperCase() === 'DEFAULT') {
      this.next();
      value = 'DEFAULT';
    } else if (tok.kind === 'var') {
      this.next();
      value = { k: 'var', name: tok.text, line: tok.line };
    } else if (tok.kind === 'ident' && tok.text.toUpperCase() === 'NULL') {
      this.next();
      value = { k: 'lit', value: null, type: { base: 'int', name: 'int' } };
    } else if (tok.kind === 'ident' || tok.kind === 'qident') {
      // A bare identifier is a character string argument: EXEC sp_delete_log_shipping_secondary_database mgc
      this.next();
      value = { k: 'lit', value: tok.text, type: { base: 'nvarchar', length: 128, name: 'nvarchar' } };
    } else if (tok.kind === 'op' && (tok.text === '-' || tok.text === '+')) {
      this.next();
      const num = this.peek();
      if (num.kind !== 'number') throw this.unexpected();
      const lit = this.literal();
      value = tok.text === '-' ? { k: 'unary', op: '-', e: lit } : lit;
    } else {
      value = this.literal();
    }
    const output = this.acceptWord('OUTPUT') || this.acceptWord('OUT');
    return { ...(name ? { name } : {}), value, output, line };
  }

  private literal(): Expr {
    const tok = this.next();
    if (tok.kind === 'string') {
      return {
        k: 'lit',
        value: tok.text,
        type: tok.unicode
          ? { base: 'nvarchar', length: Math.max(1, tok.text.length), name: 'nvarchar' }
          : { base: 'varchar', length: Math.max(1, tok.text.length), name: 'varchar' },
      };
    }
    if (tok.kind === 'number') return numberLiteral(tok.text);
    if (tok.kind === 'binary') {
      const hex = tok.text.slice(2);
      const bytes = new Uint8Array(Math.ceil(hex.length / 2));
      for (let j = 0; j < bytes.length; j++) bytes[j] = parseInt(hex.slice(j * 2, j * 2 + 2) || '0', 16);
      return { k: 'lit', value: bytes, type: { base: 'varbinary', length: bytes.length, name: 'varbinary' } };
    }
    this.i--;
    throw this.unexpected();
  }

  private raiserror(): Stmt {
    const line = this.next().line;
    this.expectOp('(');
    const args = [this.expr()];
    while (this.acceptOp(',')) args.push(this.expr());
    this.expectOp(')');
    const options: string[] = [];
    if (this.acceptWord('WITH')) {
      do {
        const o = this.identifierText().toUpperCase();
        if (!['NOWAIT', 'LOG', 'SETERROR'].includes(o)) {
          this.i--;
          throw this.unexpected();
        }
        options.push(o);
      } while (this.acceptOp(','));
    }
    if (args.length < 3) throw syntaxError(')', line);
    return { k: 'raiserror', args, options, line };
  }

  private backup(): Stmt {
    const line = this.next().line;
    const whatTok = this.identifierText().toUpperCase();
    if (whatTok !== 'DATABASE' && whatTok !== 'LOG') {
      this.i--;
      throw this.unexpected();
    }
    const db = this.dbNameOrVar();
    this.expectWord('TO');
    const to = this.deviceList();
    const options = this.withOptions('BACKUP');
    return { k: 'backup', what: whatTok, db, to, options, line };
  }

  private restore(): Stmt {
    const line = this.next().line;
    const what = this.identifierText().toUpperCase();
    if (!['DATABASE', 'LOG', 'HEADERONLY', 'FILELISTONLY', 'VERIFYONLY', 'LABELONLY'].includes(what)) {
      this.i--;
      throw this.unexpected();
    }
    let db: Expr | undefined;
    if (what === 'DATABASE' || what === 'LOG') db = this.dbNameOrVar();
    let from: Expr[] = [];
    if (this.acceptWord('FROM')) from = this.deviceList();
    else if (what !== 'DATABASE') throw this.unexpected();
    const options = this.withOptions('RESTORE');
    return {
      k: 'restore',
      what: what as 'DATABASE' | 'LOG' | 'HEADERONLY' | 'FILELISTONLY' | 'VERIFYONLY' | 'LABELONLY',
      ...(db ? { db } : {}),
      from,
      options,
      line,
    };
  }

  private dbNameOrVar(): Expr {
    const tok = this.peek();
    if (tok.kind === 'var') {
      this.next();
      return { k: 'var', name: tok.text, line: tok.line };
    }
    const name = this.identifierText();
    return { k: 'lit', value: name, type: { base: 'nvarchar', length: 128, name: 'sysname' } };
  }

  private deviceList(): Expr[] {
    const out: Expr[] = [];
    do {
      const kind = this.identifierText().toUpperCase();
      if (kind !== 'DISK' && kind !== 'URL' && kind !== 'TAPE') {
        this.i--;
        throw this.unexpected();
      }
      this.expectOp('=');
      const tok = this.peek();
      if (tok.kind === 'var') {
        this.next();
        out.push({ k: 'var', name: tok.text, line: tok.line });
      } else out.push(this.literal());
    } while (this.acceptOp(','));
    return out;
  }

  private withOptions(kind: 'BACKUP' | 'RESTORE'): WithOption[] {
    const options: WithOption[] = [];
    if (!this.acceptWord('WITH')) return options;
    do {
      const tok = this.peek();
      const name = this.identifierText().toUpperCase();
      if (!(kind === 'BACKUP' ? BACKUP_OPTIONS : RESTORE_OPTIONS).has(name))
        throw sqlError(155, [tok.text, kind], { abortBatch: true, line: tok.line });
      if (LAB_UNSUPPORTED_OPTIONS.has(name))
        throw sqlError(50000, [`The lab does not support ${kind} ... WITH ${name}.`], {
          abortBatch: true,
          line: tok.line,
        });
      if (name === 'MOVE') {
        const from = this.execValue();
        this.expectWord('TO');
        options.push({ name, value: from, moveTo: this.execValue() });
      } else if (this.acceptOp('=')) {
        options.push({ name, value: this.execValue() });
      } else options.push({ name });
    } while (this.acceptOp(','));
    return options;
  }

  private execValue(): Expr {
    const tok = this.peek();
    if (tok.kind === 'var') {
      this.next();
      return { k: 'var', name: tok.text, line: tok.line };
    }
    if (tok.kind === 'ident' || tok.kind === 'qident') {
      this.next();
      return { k: 'lit', value: tok.text, type: { base: 'nvarchar', length: 128, name: 'nvarchar' } };
    }
    return this.literal();
  }

  private alter(): Stmt {
    const line = this.next().line;
    this.expectWord('DATABASE');
    let db: string;
    let dbIsCurrent = false;
    if (this.acceptWord('CURRENT')) {
      db = '';
      dbIsCurrent = true;
    } else db = this.identifierText();
    if (!this.isWord('SET')) throw this.unexpected();
    this.next();
    const opt = this.identifierText().toUpperCase();
    let action: AlterDbAction;
    if (opt === 'RECOVERY') {
      const m = this.identifierText().toUpperCase();
      if (m !== 'FULL' && m !== 'SIMPLE' && m !== 'BULK_LOGGED') {
        this.i--;
        throw this.unexpected();
      }
      action = { k: 'recovery', model: m };
    } else if (opt === 'PARTNER') {
      if (this.acceptOp('=')) {
        const addr = this.literal();
        action = { k: 'partner', op: 'ADDRESS', address: String((addr as { value: unknown }).value) };
      } else if (this.acceptWord('SAFETY')) {
        const lvl = this.identifierText().toUpperCase();
        if (lvl !== 'FULL' && lvl !== 'OFF') {
          this.i--;
          throw this.unexpected();
        }
        action = { k: 'safety', level: lvl };
      } else {
        const op = this.identifierText().toUpperCase();
        if (!['FAILOVER', 'OFF', 'SUSPEND', 'RESUME', 'FORCE_SERVICE_ALLOW_DATA_LOSS'].includes(op)) {
          this.i--;
          throw this.unexpected();
        }
        action = { k: 'partner', op: op as 'FAILOVER' };
      }
    } else if (opt === 'SINGLE_USER' || opt === 'MULTI_USER' || opt === 'RESTRICTED_USER') {
      let termination: string | undefined;
      if (this.acceptWord('WITH')) {
        if (this.acceptWord('ROLLBACK')) {
          if (this.acceptWord('IMMEDIATE')) termination = 'ROLLBACK IMMEDIATE';
          else {
            this.expectWord('AFTER');
            termination = `ROLLBACK AFTER ${this.expectKind('number').text}`;
            this.acceptWord('SECONDS');
          }
        } else {
          this.expectWord('NO_WAIT');
          termination = 'NO_WAIT';
        }
      }
      action = { k: 'access', mode: opt, ...(termination ? { termination } : {}) };
    } else if (opt === 'ONLINE' || opt === 'OFFLINE' || opt === 'READ_ONLY' || opt === 'READ_WRITE') {
      action = { k: 'state', mode: opt };
      if (this.acceptWord('WITH')) {
        if (this.acceptWord('ROLLBACK')) {
          if (!this.acceptWord('IMMEDIATE')) {
            this.expectWord('AFTER');
            this.expectKind('number');
            this.acceptWord('SECONDS');
          }
        } else this.expectWord('NO_WAIT');
      }
    } else {
      this.i--;
      throw this.unexpected();
    }
    return { k: 'alterdb', db, dbIsCurrent, action, line };
  }

  // ---- SELECT ----

  select(): Select {
    const line = this.expectWord('SELECT').line;
    const distinct = this.acceptWord('DISTINCT');
    this.acceptWord('ALL');
    let top: Expr | undefined;
    if (this.acceptWord('TOP')) {
      if (this.acceptOp('(')) {
        top = this.expr();
        this.expectOp(')');
      } else top = this.literal();
    }
    const items: SelectItem[] = [];
    do items.push(this.selectItem());
    while (this.acceptOp(','));
    const q: Select = { distinct, items, from: [], line, ...(top ? { top } : {}) };
    if (this.acceptWord('FROM')) {
      q.from.push(this.source());
      for (;;) {
        if (this.acceptOp(',')) {
          q.from.push({ ...this.source(), join: 'cross' });
          continue;
        }
        let join: Source['join'] | undefined;
        if (this.isWord('JOIN')) {
          this.next();
          join = 'inner';
        } else if (this.isWord('INNER') && this.isWord('JOIN', 1)) {
          this.i += 2;
          join = 'inner';
        } else if (this.isWord('LEFT')) {
          this.next();
          this.acceptWord('OUTER');
          this.expectWord('JOIN');
          join = 'left';
        } else if (this.isWord('CROSS') && this.isWord('JOIN', 1)) {
          this.i += 2;
          join = 'cross';
        } else if (this.isWord('CROSS') && this.isWord('APPLY', 1)) {
          this.i += 2;
          join = 'cross apply';
        } else if (this.isWord('OUTER') && this.isWord('APPLY', 1)) {
          this.i += 2;
          join = 'outer apply';
        }
        if (!join) break;
        const src = this.source();
        src.join = join;
        if (join === 'inner' || join === 'left') {
          this.expectWord('ON');
          src.on = this.expr();
        }
        q.from.push(src);
      }
    }
    if (this.acceptWord('WHERE')) q.where = this.expr();
    if (this.isWord('GROUP')) {
      this.next();
      this.expectWord('BY');
      q.groupBy = [];
      do q.groupBy.push(this.expr());
      while (this.acceptOp(','));
    }
    if (this.isWord('ORDER')) {
      this.next();
      this.expectWord('BY');
      q.orderBy = [];
      do {
        const e = this.expr();
        const desc = this.acceptWord('DESC');
        if (!desc) this.acceptWord('ASC');
        q.orderBy.push({ e, desc });
      } while (this.acceptOp(','));
    }
    if (
      this.isWord('UNION') ||
      this.isWord('HAVING') ||
      this.isWord('INTO') ||
      this.isWord('FOR') ||
      this.isWord('OPTION')
    )
      throw this.unexpected();
    return q;
  }

  private selectItem(): SelectItem {
    const tok = this.peek();
    if (tok.kind === 'op' && tok.text === '*') {
      this.next();
      return { k: 'star' };
    }
    if ((tok.kind === 'ident' || tok.kind === 'qident') && this.isOp('.', 1) && this.isOp('*', 2)) {
      this.i += 3;
      return { k: 'star', qualifier: tok.text };
    }
    if (tok.kind === 'var' && this.isOp('=', 1)) {
      this.i += 2;
      return { k: 'assign', name: tok.text, e: this.expr(), line: tok.line };
    }
    if (
      (tok.kind === 'ident' || tok.kind === 'qident') &&
      this.isOp('=', 1) &&
      !RESERVED.has(tok.text.toUpperCase())
    ) {
      this.i += 2;
      return { k: 'expr', alias: tok.text, e: this.expr() };
    }
    if (tok.kind === 'string' && this.isOp('=', 1)) {
      this.i += 2;
      return { k: 'expr', alias: tok.text, e: this.expr() };
    }
    const e = this.expr();
    let alias: string | undefined;
    if (this.acceptWord('AS')) {
      const a = this.next();
      if (a.kind !== 'ident' && a.kind !== 'qident' && a.kind !== 'string') {
        this.i--;
        throw this.unexpected();
      }
      alias = a.text;
    } else {
      const a = this.peek();
      if (
        a.kind === 'qident' ||
        a.kind === 'string' ||
        (a.kind === 'ident' && !RESERVED.has(a.text.toUpperCase()) && !this.isClauseWord())
      ) {
        this.next();
        alias = a.text;
      }
    }
    return { k: 'expr', e, ...(alias !== undefined ? { alias } : {}) };
  }

  private isClauseWord(): boolean {
    const tok = this.peek();
    if (tok.kind !== 'ident') return false;
    return (
      ['CROSS', 'OUTER', 'APPLY', 'INNER', 'LEFT', 'JOIN', 'THROW', 'ELSE', 'END'].includes(
        tok.text.toUpperCase(),
      ) || STATEMENT_KEYWORDS.has(tok.text.toUpperCase())
    );
  }

  private source(): Source {
    const line = this.peek().line;
    if (this.isOp('(')) throw this.unexpected();
    if (this.peek().kind === 'var') {
      const v = this.next();
      const src: Source = { name: [v.text], variable: true, line };
      if (this.acceptWord('AS')) src.alias = this.identifierText();
      else if (
        this.peek().kind === 'ident' &&
        !RESERVED.has(this.peek().text.toUpperCase()) &&
        !this.isClauseWord()
      )
        src.alias = this.next().text;
      return src;
    }
    const name = this.multipartName();
    const src: Source = { name, line };
    if (this.acceptOp('(')) {
      src.fnArgs = [];
      if (!this.isOp(')')) {
        do src.fnArgs.push(this.expr());
        while (this.acceptOp(','));
      }
      this.expectOp(')');
    }
    if (this.acceptWord('AS')) src.alias = this.identifierText();
    else {
      const a = this.peek();
      if (
        a.kind === 'qident' ||
        (a.kind === 'ident' && !RESERVED.has(a.text.toUpperCase()) && !this.isClauseWord())
      ) {
        this.next();
        src.alias = a.text;
      }
    }
    if (this.isWord('WITH') && this.isOp('(', 1)) {
      // table hints such as WITH (NOLOCK)
      this.i += 2;
      while (!this.isOp(')') && !this.atEof()) this.next();
      this.expectOp(')');
    }
    return src;
  }

  // ---- expressions ----

  private startsExpression(): boolean {
    const tok = this.peek();
    if (tok.kind === 'eof') return false;
    if (tok.kind === 'op')
      return tok.text === '(' || tok.text === '-' || tok.text === '+' || tok.text === '~';
    if (tok.kind === 'ident') {
      const w = tok.text.toUpperCase();
      if (w === 'NULL' || w === 'CASE' || w === 'CAST' || w === 'CONVERT' || w === 'NOT' || w === 'EXISTS')
        return true;
      if (STATEMENT_KEYWORDS.has(w) || RESERVED.has(w)) return false;
      return true;
    }
    return true;
  }

  expr(): Expr {
    return this.orExpr();
  }

  private orExpr(): Expr {
    let l = this.andExpr();
    while (this.acceptWord('OR')) l = { k: 'bin', op: 'OR', l, r: this.andExpr() };
    return l;
  }

  private andExpr(): Expr {
    let l = this.notExpr();
    while (this.acceptWord('AND')) l = { k: 'bin', op: 'AND', l, r: this.notExpr() };
    return l;
  }

  private notExpr(): Expr {
    if (this.acceptWord('NOT')) return { k: 'unary', op: 'NOT', e: this.notExpr() };
    return this.predicate();
  }

  private predicate(): Expr {
    const l = this.additive();
    const tok = this.peek();
    if (tok.kind === 'op' && ['=', '<>', '!=', '<', '>', '<=', '>=', '!<', '!>'].includes(tok.text)) {
      this.next();
      return { k: 'bin', op: tok.text, l, r: this.additive() };
    }
    if (this.acceptWord('IS')) {
      const not = this.acceptWord('NOT');
      this.expectWord('NULL');
      return { k: 'isnull', e: l, not };
    }
    let not = false;
    if (this.isWord('NOT') && (this.isWord('IN', 1) || this.isWord('LIKE', 1) || this.isWord('BETWEEN', 1))) {
      this.next();
      not = true;
    }
    if (this.acceptWord('IN')) {
      this.expectOp('(');
      if (this.isWord('SELECT')) {
        const sub = this.select();
        this.expectOp(')');
        return { k: 'in', e: l, sub, not };
      }
      const list = [this.expr()];
      while (this.acceptOp(',')) list.push(this.expr());
      this.expectOp(')');
      return { k: 'in', e: l, list, not };
    }
    if (this.acceptWord('LIKE')) return { k: 'like', e: l, pattern: this.additive(), not };
    if (this.acceptWord('BETWEEN')) {
      const lo = this.additive();
      this.expectWord('AND');
      return { k: 'between', e: l, lo, hi: this.additive(), not };
    }
    if (not) throw this.unexpected();
    return l;
  }

  private additive(): Expr {
    let l = this.multiplicative();
    for (;;) {
      const tok = this.peek();
      if (tok.kind === 'op' && ['+', '-', '&', '|', '^'].includes(tok.text)) {
        this.next();
        l = { k: 'bin', op: tok.text, l, r: this.multiplicative() };
      } else return l;
    }
  }

  private multiplicative(): Expr {
    let l = this.unary();
    for (;;) {
      const tok = this.peek();
      if (tok.kind === 'op' && ['*', '/', '%'].includes(tok.text)) {
        this.next();
        l = { k: 'bin', op: tok.text, l, r: this.unary() };
      } else return l;
    }
  }

  private unary(): Expr {
    const tok = this.peek();
    if (tok.kind === 'op' && (tok.text === '-' || tok.text === '+' || tok.text === '~')) {
      this.next();
      return { k: 'unary', op: tok.text as '-', e: this.unary() };
    }
    return this.primary();
  }

  primary(): Expr {
    const tok = this.peek();
    switch (tok.kind) {
      case 'string':
      case 'number':
      case 'binary':
        return this.literal();
      case 'var':
        this.next();
        return { k: 'var', name: tok.text, line: tok.line };
      case 'sysvar':
        this.next();
        return { k: 'sysvar', name: tok.text.toUpperCase(), line: tok.line };
      case 'op':
        if (tok.text === '(') {
          this.next();
          if (this.isWord('SELECT')) {
            const q = this.select();
            this.expectOp(')');
            return { k: 'subquery', q };
          }
          const e = this.expr();
          this.expectOp(')');
          return e;
        }
        throw this.unexpected();
      case 'qident':
        return this.columnOrCall();
      case 'ident': {
        const w = tok.text.toUpperCase();
        if (w === 'NULL') {
          this.next();
          return { k: 'lit', value: null, type: { base: 'int', name: 'null' } };
        }
        if (w === 'CASE') return this.caseExpr();
        if (w === 'EXISTS') {
          this.next();
          this.expectOp('(');
          const q = this.select();
          this.expectOp(')');
          return { k: 'exists', q };
        }
        if (w === 'CAST' && this.isOp('(', 1)) {
          this.i += 2;
          const e = this.expr();
          this.expectWord('AS');
          const type = this.parseType();
          this.expectOp(')');
          return { k: 'cast', e, type };
        }
        if (w === 'CONVERT' && this.isOp('(', 1)) {
          this.i += 2;
          const type = this.parseType();
          this.expectOp(',');
          const e = this.expr();
          const style = this.acceptOp(',') ? this.expr() : undefined;
          this.expectOp(')');
          return { k: 'convert', type, e, ...(style ? { style } : {}) };
        }
        if (RESERVED.has(w) && !(this.isOp('(', 1) && (w === 'LEFT' || w === 'RIGHT')))
          throw this.unexpected();
        return this.columnOrCall();
      }
      default:
        throw this.unexpected();
    }
  }

  private caseExpr(): Expr {
    this.next();
    const operand = this.isWord('WHEN') ? undefined : this.expr();
    const whens: { when: Expr; then: Expr }[] = [];
    while (this.acceptWord('WHEN')) {
      const when = this.expr();
      this.expectWord('THEN');
      whens.push({ when, then: this.expr() });
    }
    if (whens.length === 0) throw this.unexpected();
    const elseE = this.acceptWord('ELSE') ? this.expr() : undefined;
    this.expectWord('END');
    return { k: 'case', ...(operand ? { operand } : {}), whens, ...(elseE ? { else: elseE } : {}) };
  }

  private columnOrCall(): Expr {
    const line = this.peek().line;
    const parts = this.multipartName();
    if (this.isOp('(')) {
      this.next();
      const name = parts.join('.').toUpperCase();
      const args: Expr[] = [];
      let star = false;
      let distinct = false;
      if (this.isOp('*')) {
        this.next();
        star = true;
      } else if (!this.isOp(')')) {
        distinct = this.acceptWord('DISTINCT');
        do args.push(this.expr());
        while (this.acceptOp(','));
      }
      this.expectOp(')');
      return { k: 'call', name, args, line, ...(star ? { star } : {}), ...(distinct ? { distinct } : {}) };
    }
    return { k: 'col', parts, line };
  }
}

function numberLiteral(text: string): Expr {
  if (/^\d+$/.test(text)) {
    const n = BigInt(text);
    if (n <= 2147483647n) return { k: 'lit', value: Number(n), type: { base: 'int', name: 'int' } };
    return {
      k: 'lit',
      value: n,
      type: { base: 'decimal', precision: text.length, scale: 0, name: 'numeric' },
    };
  }
  if (/e/i.test(text)) return { k: 'lit', value: Number(text), type: { base: 'float', name: 'float' } };
  const scale = text.split('.')[1]?.length ?? 0;
  return { k: 'lit', value: Number(text), type: { base: 'decimal', precision: 38, scale, name: 'numeric' } };
}
