// SQL values: typed values, conversions with SQL Server's errors, comparisons (case-insensitive collation), formatting.
import type { LabColumn, LabValue } from '../contract';
import { sqlError } from '../errors';
import type { SqlType } from './ast';

export interface TV {
  type: SqlType;
  value: LabValue;
}

export const T = {
  int: { base: 'int', name: 'int' } as SqlType,
  bigint: { base: 'bigint', name: 'bigint' } as SqlType,
  bit: { base: 'bit', name: 'bit' } as SqlType,
  tinyint: { base: 'tinyint', name: 'tinyint' } as SqlType,
  smallint: { base: 'smallint', name: 'smallint' } as SqlType,
  float: { base: 'float', name: 'float' } as SqlType,
  lsn: { base: 'decimal', precision: 25, scale: 0, name: 'numeric' } as SqlType,
  datetime: { base: 'datetime', name: 'datetime' } as SqlType,
  datetime2: { base: 'datetime2', name: 'datetime2' } as SqlType,
  guid: { base: 'uniqueidentifier', name: 'uniqueidentifier' } as SqlType,
  sysname: { base: 'nvarchar', length: 128, name: 'nvarchar' } as SqlType,
  nvarchar: (length: number | 'max' = 4000): SqlType => ({ base: 'nvarchar', length, name: 'nvarchar' }),
  varchar: (length: number | 'max' = 8000): SqlType => ({ base: 'varchar', length, name: 'varchar' }),
};

export function isStringType(t: SqlType): boolean {
  return t.base === 'nvarchar' || t.base === 'varchar';
}

export function isNumericType(t: SqlType): boolean {
  return ['int', 'bigint', 'smallint', 'tinyint', 'bit', 'decimal', 'float'].includes(t.base);
}

/** The type name SQL Server puts in conversion messages. */
export function typeDisplayName(t: SqlType): string {
  if (t.base === 'decimal') return t.name === 'numeric' ? 'numeric' : 'decimal';
  if (t.base === 'datetime2' && (t.name === 'date' || t.name === 'time' || t.name === 'datetimeoffset'))
    return t.name;
  return t.base;
}

export function toColumn(name: string, t: SqlType): LabColumn {
  const col: LabColumn = { name, type: t.base, nullable: true };
  if (isStringType(t) && t.length !== 'max') col.maxLength = typeof t.length === 'number' ? t.length : 4000;
  if (t.base === 'varbinary' && t.length !== 'max')
    col.maxLength = typeof t.length === 'number' ? t.length : 8000;
  return col;
}

/** Maps an msdb-tables.json type string ("nvarchar(500)", "sysname") to a SqlType. */
export function typeFromCatalog(text: string): SqlType {
  const m = /^(\w+)(?:\((\d+|max)\))?/i.exec(text.trim());
  const name = (m?.[1] ?? 'nvarchar').toLowerCase();
  const len = m?.[2];
  switch (name) {
    case 'sysname':
      return T.sysname;
    case 'nvarchar':
      return T.nvarchar(len ? (len.toLowerCase() === 'max' ? 'max' : Number(len)) : 'max');
    case 'varchar':
      return T.varchar(len ? (len.toLowerCase() === 'max' ? 'max' : Number(len)) : 'max');
    case 'int':
      return T.int;
    case 'bigint':
      return T.bigint;
    case 'tinyint':
      return T.tinyint;
    case 'smallint':
      return T.smallint;
    case 'bit':
      return T.bit;
    case 'datetime':
      return T.datetime;
    case 'uniqueidentifier':
      return T.guid;
    case 'numeric':
    case 'decimal':
      return T.lsn;
    case 'float':
      return T.float;
    default:
      return T.nvarchar();
  }
}

const GUID_RE = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;

export function valueToText(v: LabValue, style?: number): string {
  if (v === null) return '';
  if (v instanceof Date) return formatDate(v, style ?? 0);
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (v instanceof Uint8Array) return '0x' + Buffer.from(v).toString('hex').toUpperCase();
  return String(v);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The lab's clock is UTC, so local time and UTC coincide. */
export function formatDate(d: Date, style: number): string {
  const p2 = (n: number) => String(n).padStart(2, '0');
  const y = d.getUTCFullYear();
  const mo = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  const h = d.getUTCHours();
  const mi = d.getUTCMinutes();
  const s = d.getUTCSeconds();
  const ms = String(d.getUTCMilliseconds()).padStart(3, '0');
  switch (style) {
    case 112:
      return `${y}${p2(mo)}${p2(day)}`;
    case 23:
      return `${y}-${p2(mo)}-${p2(day)}`;
    case 108:
    case 8:
      return `${p2(h)}:${p2(mi)}:${p2(s)}`;
    case 120:
    case 20:
      return `${y}-${p2(mo)}-${p2(day)} ${p2(h)}:${p2(mi)}:${p2(s)}`;
    case 121:
    case 21:
      return `${y}-${p2(mo)}-${p2(day)} ${p2(h)}:${p2(mi)}:${p2(s)}.${ms}`;
    case 126:
    case 127:
      return `${y}-${p2(mo)}-${p2(day)}T${p2(h)}:${p2(mi)}:${p2(s)}.${ms}`;
    case 101:
      return `${p2(mo)}/${p2(day)}/${y}`;
    case 103:
      return `${p2(day)}/${p2(mo)}/${y}`;
    default: {
      const h12 = h % 12 === 0 ? 12 : h % 12;
      return `${MONTHS[mo - 1]} ${String(day).padStart(2, ' ')} ${y} ${String(h12).padStart(2, ' ')}:${p2(mi)}${h < 12 ? 'AM' : 'PM'}`;
    }
  }
}

function parseDate(text: string): Date | undefined {
  const t = text.trim();
  let m = /^(\d{4})(\d{2})(\d{2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?$/.exec(t);
  if (!m) m = /^(\d{4})-(\d{2})-(\d{2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?Z?$/.exec(t);
  if (!m) return undefined;
  const ms = m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0;
  const d = new Date(
    Date.UTC(
      Number(m[1]),
      Number(m[2]) - 1,
      Number(m[3]),
      Number(m[4] ?? 0),
      Number(m[5] ?? 0),
      Number(m[6] ?? 0),
      ms,
    ),
  );
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export interface ConvertOptions {
  /** 'assign' = Msg 245 on failure (statements); 'param' = Msg 8114 (procedure arguments). */
  mode?: 'assign' | 'param';
  style?: number;
}

/** Converts a value to the target type as SQL Server's implicit/explicit conversion does. */
export function convert(tv: TV, target: SqlType, opts: ConvertOptions = {}): LabValue {
  const v = tv.value;
  if (v === null) return null;
  const fail = (): never => {
    if (opts.mode === 'param') throw sqlError(8114, [typeDisplayName(tv.type), typeDisplayName(target)]);
    if (target.base === 'uniqueidentifier') throw sqlError(8169, [], { abortBatch: true });
    throw sqlError(245, [typeDisplayName(tv.type), valueToText(v), typeDisplayName(target)], {
      abortBatch: true,
    });
  };
  switch (target.base) {
    case 'int':
    case 'smallint':
    case 'tinyint':
    case 'bigint': {
      let n: bigint;
      if (typeof v === 'number') n = BigInt(Math.trunc(v));
      else if (typeof v === 'bigint') n = v;
      else if (typeof v === 'boolean') n = v ? 1n : 0n;
      else if (typeof v === 'string') {
        const s = v.trim();
        if (!/^[-+]?\d+$/.test(s)) {
          if (/^[-+]?\d*\.\d+$/.test(s) && opts.mode === 'param') n = BigInt(Math.trunc(Number(s)));
          else return fail();
        } else n = BigInt(s);
      } else return fail();
      if (target.base === 'bigint') return n;
      return Number(n);
    }
    case 'bit': {
      if (typeof v === 'number') return v === 0 ? 0 : 1;
      if (typeof v === 'bigint') return v === 0n ? 0 : 1;
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (typeof v === 'string') {
        const s = v.trim().toLowerCase();
        if (s === 'true') return 1;
        if (s === 'false') return 0;
        if (/^[-+]?\d+$/.test(s)) return BigInt(s) === 0n ? 0 : 1;
      }
      return fail();
    }
    case 'decimal': {
      if (typeof v === 'bigint') return target.scale ? Number(v) : v;
      if (typeof v === 'number') return target.scale ? v : BigInt(Math.round(v));
      if (typeof v === 'boolean') return v ? 1n : 0n;
      if (typeof v === 'string') {
        const s = v.trim();
        if (/^[-+]?\d+$/.test(s)) return target.scale ? Number(s) : BigInt(s);
        if (/^[-+]?\d*\.\d+$/.test(s)) return target.scale ? Number(s) : BigInt(Math.round(Number(s)));
      }
      return fail();
    }
    case 'float': {
      if (typeof v === 'number') return v;
      if (typeof v === 'bigint') return Number(v);
      if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
      return fail();
    }
    case 'nvarchar':
    case 'varchar': {
      let s: string;
      if (typeof v === 'string') s = v;
      else if (v instanceof Date) s = formatDate(v, opts.style ?? 0);
      else if (v instanceof Uint8Array)
        s = Buffer.from(v).toString(target.base === 'nvarchar' ? 'utf16le' : 'latin1');
      else s = valueToText(v);
      const len = target.length ?? 30;
      return len === 'max' ? s : s.slice(0, len);
    }
    case 'datetime':
    case 'datetime2': {
      if (v instanceof Date) return v;
      if (typeof v === 'string') return parseDate(v) ?? fail();
      if (typeof v === 'number') return new Date(Date.UTC(1900, 0, 1) + v * 86400000);
      return fail();
    }
    case 'uniqueidentifier': {
      if (typeof v === 'string') {
        const m = GUID_RE.exec(v.trim());
        if (!m) return fail();
        return m[1]!.toUpperCase();
      }
      return fail();
    }
    case 'varbinary': {
      if (v instanceof Uint8Array) return v;
      if (typeof v === 'string')
        return new Uint8Array(Buffer.from(v, tv.type.base === 'nvarchar' ? 'utf16le' : 'latin1'));
      return fail();
    }
    default:
      return fail();
  }
}

/** Three-way comparison under a case-insensitive, trailing-space-insensitive collation; undefined when either is NULL. */
export function compareValues(a: LabValue, b: LabValue): number | undefined {
  if (a === null || b === null) return undefined;
  if (typeof a === 'boolean') a = a ? 1 : 0;
  if (typeof b === 'boolean') b = b ? 1 : 0;
  if (a instanceof Date || b instanceof Date) {
    const ta = a instanceof Date ? a.getTime() : (parseDate(String(a))?.getTime() ?? NaN);
    const tb = b instanceof Date ? b.getTime() : (parseDate(String(b))?.getTime() ?? NaN);
    return ta < tb ? -1 : ta > tb ? 1 : 0;
  }
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) {
    if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
    const na = Number(a);
    const nb = Number(b);
    return na < nb ? -1 : na > nb ? 1 : 0;
  }
  if (typeof a === 'number' || typeof a === 'bigint') {
    const nb = Number(String(b).trim());
    if (Number.isNaN(nb)) throw sqlError(245, ['varchar', String(b), 'int'], { abortBatch: true });
    return Number(a) < nb ? -1 : Number(a) > nb ? 1 : 0;
  }
  if (typeof b === 'number' || typeof b === 'bigint') return -(compareValues(b, a) ?? 0);
  const sa = valueToText(a).replace(/ +$/, '').toLowerCase();
  const sb = valueToText(b).replace(/ +$/, '').toLowerCase();
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** LIKE with %, _ and [...] under a case-insensitive collation. */
export function likeMatch(value: string, pattern: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        let cls = pattern.slice(i + 1, end);
        if (cls.startsWith('^')) cls = '^' + cls.slice(1).replace(/[\\\]]/g, '\\$&');
        else cls = cls.replace(/[\\\]]/g, '\\$&');
        re += `[${cls}]`;
        i = end;
      }
    } else re += c.replace(/[.*+?^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(re + '$', 'i').test(value.replace(/ +$/, ''));
}

/** The wider of two types for arithmetic and CASE results (SQL Server's data type precedence, simplified). */
export function widerType(a: SqlType, b: SqlType): SqlType {
  const rank = (t: SqlType) =>
    ({
      datetime: 10,
      datetime2: 11,
      float: 9,
      decimal: 8,
      bigint: 7,
      int: 6,
      smallint: 5,
      tinyint: 4,
      bit: 3,
      uniqueidentifier: 2,
      nvarchar: 1,
      varchar: 0,
      varbinary: -1,
    })[t.base] ?? 0;
  return rank(a) >= rank(b) ? a : b;
}
