// Splits T-SQL text into tokens with their 1-based line, skipping comments and whitespace.
import { sqlError } from '../errors';

export type TokenKind = 'ident' | 'qident' | 'var' | 'sysvar' | 'number' | 'string' | 'binary' | 'op' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Raw text for idents/ops/numbers; the unescaped value for strings and bracketed identifiers. */
  text: string;
  line: number;
  /** True for N'...' literals. */
  unicode?: boolean;
  /** Offset in the source, so a statement's text can be recovered. */
  pos: number;
}

const TWO_CHAR_OPS = new Set(['<=', '>=', '<>', '!=', '!<', '!>', '+=', '-=', '*=', '/=', '::']);

/** Tokenizes a batch; unterminated strings and comments raise SQL Server's compile errors. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    if (c === '\n') {
      line++;
      i++;
      continue;
    }
    if (
      c === ' ' ||
      c === '\t' ||
      c === '\r' ||
      c === '\f' ||
      c === '\v' ||
      c === '\u00a0' ||
      c === '\ufeff'
    ) {
      i++;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql[i] === '\n') line++;
        if (sql[i] === '/' && sql[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (sql[i] === '*' && sql[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      }
      if (depth > 0) throw sqlError(113, [], { abortBatch: true, line });
      continue;
    }
    const start = i;
    const startLine = line;
    if ((c === 'N' || c === 'n') && sql[i + 1] === "'") {
      i++;
      const s = readQuoted(sql, i, "'");
      if (!s) throw sqlError(105, [sql.slice(i + 1)], { abortBatch: true, line: startLine });
      line += countNewlines(sql, i, s.end);
      tokens.push({ kind: 'string', text: s.value, line: startLine, unicode: true, pos: start });
      i = s.end;
      continue;
    }
    if (c === "'") {
      const s = readQuoted(sql, i, "'");
      if (!s) throw sqlError(105, [sql.slice(i + 1)], { abortBatch: true, line: startLine });
      line += countNewlines(sql, i, s.end);
      tokens.push({ kind: 'string', text: s.value, line: startLine, pos: start });
      i = s.end;
      continue;
    }
    if (c === '[') {
      const s = readQuoted(sql, i, ']');
      if (!s) throw sqlError(105, [sql.slice(i + 1)], { abortBatch: true, line: startLine });
      line += countNewlines(sql, i, s.end);
      tokens.push({ kind: 'qident', text: s.value, line: startLine, pos: start });
      i = s.end;
      continue;
    }
    if (c === '"') {
      const s = readQuoted(sql, i, '"');
      if (!s) throw sqlError(105, [sql.slice(i + 1)], { abortBatch: true, line: startLine });
      tokens.push({ kind: 'qident', text: s.value, line: startLine, pos: start });
      i = s.end;
      continue;
    }
    if (c === '0' && (sql[i + 1] === 'x' || sql[i + 1] === 'X')) {
      i += 2;
      while (i < n && /[0-9a-fA-F]/.test(sql[i]!)) i++;
      tokens.push({ kind: 'binary', text: sql.slice(start, i), line, pos: start });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      while (i < n && /[0-9]/.test(sql[i]!)) i++;
      if (sql[i] === '.') {
        i++;
        while (i < n && /[0-9]/.test(sql[i]!)) i++;
      }
      if ((sql[i] === 'e' || sql[i] === 'E') && /[-+0-9]/.test(sql[i + 1] ?? '')) {
        i += 2;
        while (i < n && /[0-9]/.test(sql[i]!)) i++;
      }
      tokens.push({ kind: 'number', text: sql.slice(start, i), line, pos: start });
      continue;
    }
    if (c === '@') {
      const sys = sql[i + 1] === '@';
      i += sys ? 2 : 1;
      while (i < n && isIdentChar(sql[i]!)) i++;
      tokens.push({ kind: sys ? 'sysvar' : 'var', text: sql.slice(start, i), line, pos: start });
      continue;
    }
    if (isIdentStart(c)) {
      while (i < n && isIdentChar(sql[i]!)) i++;
      tokens.push({ kind: 'ident', text: sql.slice(start, i), line, pos: start });
      continue;
    }
    const two = sql.slice(i, i + 2);
    if (TWO_CHAR_OPS.has(two)) {
      tokens.push({ kind: 'op', text: two, line, pos: start });
      i += 2;
      continue;
    }
    tokens.push({ kind: 'op', text: c, line, pos: start });
    i++;
  }
  tokens.push({ kind: 'eof', text: '', line, pos: n });
  return tokens;
}

function isIdentStart(c: string): boolean {
  return /[A-Za-z_#\u0080-\uffff]/.test(c);
}

function isIdentChar(c: string): boolean {
  return /[A-Za-z0-9_@#$\u0080-\uffff]/.test(c);
}

function countNewlines(s: string, from: number, to: number): number {
  let k = 0;
  for (let j = from; j < to; j++) if (s[j] === '\n') k++;
  return k;
}

/** Reads a quoted run starting at the opening quote; a doubled closing quote is an escaped one. */
function readQuoted(s: string, openAt: number, close: string): { value: string; end: number } | undefined {
  let j = openAt + 1;
  let value = '';
  while (j < s.length) {
    const ch = s[j]!;
    if (ch === close) {
      if (s[j + 1] === close) {
        value += close;
        j += 2;
        continue;
      }
      return { value, end: j + 1 };
    }
    value += ch;
    j++;
  }
  return undefined;
}
