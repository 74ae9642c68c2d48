// TYPE_INFO and value encoding ([MS-TDS] 2.2.5.4-2.2.5.6): decoding typed RPC parameters, encoding the lab's column types.
import type { LabColumnType, LabValue } from '../engine/contract';
import { ProtocolError, Reader, type Writer } from './wire';

/** SQL_Latin1_General_CP1_CI_AS, the default collation of a SQL Server installed with US English settings. */
export const DEFAULT_COLLATION = Buffer.from([0x09, 0x04, 0xd0, 0x00, 0x34]);

export const T = {
  NULL: 0x1f,
  INT1: 0x30,
  BIT: 0x32,
  INT2: 0x34,
  INT4: 0x38,
  DATETIM4: 0x3a,
  FLT4: 0x3b,
  MONEY: 0x3c,
  DATETIME: 0x3d,
  FLT8: 0x3e,
  MONEY4: 0x7a,
  INT8: 0x7f,
  GUID: 0x24,
  INTN: 0x26,
  DECIMAL: 0x37,
  NUMERIC: 0x3f,
  BITN: 0x68,
  DECIMALN: 0x6a,
  NUMERICN: 0x6c,
  FLTN: 0x6d,
  MONEYN: 0x6e,
  DATETIMN: 0x6f,
  DATEN: 0x28,
  TIMEN: 0x29,
  DATETIME2N: 0x2a,
  DATETIMEOFFSETN: 0x2b,
  CHAR: 0x2f,
  VARCHAR: 0x27,
  BINARY: 0x2d,
  VARBINARY: 0x25,
  BIGVARBINARY: 0xa5,
  BIGVARCHAR: 0xa7,
  BIGBINARY: 0xad,
  BIGCHAR: 0xaf,
  NVARCHAR: 0xe7,
  NCHAR: 0xef,
  XML: 0xf1,
  UDT: 0xf0,
  TVP: 0xf3,
  TEXT: 0x23,
  IMAGE: 0x22,
  NTEXT: 0x63,
  SSVARIANT: 0x62,
} as const;

const FIXED_LENGTH: Record<number, number> = {
  [T.NULL]: 0,
  [T.INT1]: 1,
  [T.BIT]: 1,
  [T.INT2]: 2,
  [T.INT4]: 4,
  [T.DATETIM4]: 4,
  [T.FLT4]: 4,
  [T.MONEY]: 8,
  [T.DATETIME]: 8,
  [T.FLT8]: 8,
  [T.MONEY4]: 4,
  [T.INT8]: 8,
};

/** A parameter type we cannot decode: answered with Msg 8009, not by closing the connection. */
export class UnsupportedTypeError extends Error {
  constructor(readonly typeId: number) {
    super(`data type 0x${typeId.toString(16).toUpperCase().padStart(2, '0')} is unknown`);
  }
}

export interface TypeInfo {
  id: number;
  /** Declared maximum length in bytes (0xFFFF for MAX on USHORTLEN types). */
  maxLength: number;
  precision: number;
  scale: number;
  plp: boolean;
}

/** Reads TYPE_INFO. */
export function readTypeInfo(r: Reader): TypeInfo {
  const id = r.u8();
  const info: TypeInfo = { id, maxLength: 0, precision: 0, scale: 0, plp: false };
  if (id in FIXED_LENGTH) {
    info.maxLength = FIXED_LENGTH[id] as number;
    return info;
  }
  switch (id) {
    case T.GUID:
    case T.INTN:
    case T.BITN:
    case T.FLTN:
    case T.MONEYN:
    case T.DATETIMN:
    case T.CHAR:
    case T.VARCHAR:
    case T.BINARY:
    case T.VARBINARY:
      info.maxLength = r.u8();
      return info;
    case T.DECIMAL:
    case T.NUMERIC:
    case T.DECIMALN:
    case T.NUMERICN:
      info.maxLength = r.u8();
      info.precision = r.u8();
      info.scale = r.u8();
      return info;
    case T.DATEN:
      info.maxLength = 3;
      return info;
    case T.TIMEN:
    case T.DATETIME2N:
    case T.DATETIMEOFFSETN:
      info.scale = r.u8();
      if (info.scale > 7) throw new ProtocolError(`bad time scale ${info.scale}`);
      return info;
    case T.BIGVARBINARY:
    case T.BIGBINARY:
      info.maxLength = r.u16();
      info.plp = info.maxLength === 0xffff;
      return info;
    case T.BIGVARCHAR:
    case T.BIGCHAR:
    case T.NVARCHAR:
    case T.NCHAR:
      info.maxLength = r.u16();
      info.plp = info.maxLength === 0xffff;
      r.bytes(5);
      return info;
    case T.TEXT:
    case T.NTEXT:
      info.maxLength = r.u32();
      r.bytes(5);
      return info;
    case T.IMAGE:
      info.maxLength = r.u32();
      return info;
    case T.XML: {
      info.plp = true;
      info.maxLength = 0xffff;
      if (r.u8() === 1) {
        r.bVarchar();
        r.bVarchar();
        r.usVarchar();
      }
      return info;
    }
    case T.SSVARIANT:
      info.maxLength = r.u32();
      return info;
    default:
      throw new UnsupportedTypeError(id);
  }
}

/** Reads a PLP value; null when the total length is PLP_NULL. */
export function readPlp(r: Reader): Buffer | null {
  const total = r.u64();
  if (total === 0xffffffffffffffffn) return null;
  const parts: Buffer[] = [];
  for (;;) {
    const len = r.u32();
    if (len === 0) break;
    parts.push(r.bytes(len));
  }
  const all = Buffer.concat(parts);
  if (total !== 0xfffffffffffffffen && BigInt(all.length) !== total) {
    throw new ProtocolError('PLP length does not match its chunks');
  }
  return all;
}

export interface DecodedValue {
  type: LabColumnType;
  value: LabValue;
  /** Characters for string types (undefined = MAX), so an OUTPUT parameter comes back with the declared type. */
  maxLength?: number;
}

const DAY_MS = 86_400_000;
const DAYS_0001_TO_1970 = 719_162;
const DAYS_1900_TO_1970 = 25_567;

function intOrBig(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** GUID bytes (mixed-endian on the wire) to the upper-case string form. */
export function guidToString(b: Buffer): string {
  const h = (i: number) => (b[i] as number).toString(16).padStart(2, '0');
  const s = [3, 2, 1, 0].map(h).join('') + '-' + [5, 4].map(h).join('') + '-' + [7, 6].map(h).join('') + '-';
  return (s + [8, 9].map(h).join('') + '-' + [10, 11, 12, 13, 14, 15].map(h).join('')).toUpperCase();
}

/** Upper- or lower-case GUID string to wire bytes. */
export function guidToBytes(s: string): Buffer {
  const hex = s.replace(/[{}-]/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new TypeError(`not a uniqueidentifier: ${s}`);
  const raw = Buffer.from(hex, 'hex');
  const order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
  return Buffer.from(order.map((i) => raw[i] as number));
}

function readUIntLE(b: Buffer): number {
  let v = 0;
  for (let i = b.length - 1; i >= 0; i--) v = v * 256 + (b[i] as number);
  return v;
}

function decodeTime(b: Buffer, scale: number): number {
  // 10^-scale second units since midnight, to milliseconds.
  return (readUIntLE(b) / 10 ** scale) * 1000;
}

function decodeDays0001(b: Buffer): number {
  return (readUIntLE(b) - DAYS_0001_TO_1970) * DAY_MS;
}

function decodeMagnitude(b: Buffer): bigint {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i] as number);
  return v;
}

function decodeFixed(id: number, data: Buffer, info: TypeInfo): DecodedValue {
  const r = new Reader(data);
  switch (id) {
    case T.INT1:
      return { type: 'tinyint', value: r.u8() };
    case T.INT2:
      return { type: 'smallint', value: data.readInt16LE(0) };
    case T.INT4:
      return { type: 'int', value: r.i32() };
    case T.INT8:
      return { type: 'bigint', value: intOrBig(r.i64()) };
    case T.BIT:
      return { type: 'bit', value: r.u8() !== 0 };
    case T.FLT4:
      return { type: 'float', value: data.readFloatLE(0) };
    case T.FLT8:
      return { type: 'float', value: data.readDoubleLE(0) };
    case T.MONEY: {
      const hi = BigInt(data.readInt32LE(0));
      const lo = BigInt(data.readUInt32LE(4));
      return { type: 'float', value: Number((hi << 32n) | lo) / 10000 };
    }
    case T.MONEY4:
      return { type: 'float', value: data.readInt32LE(0) / 10000 };
    case T.DATETIME: {
      const days = data.readInt32LE(0);
      const ticks = data.readUInt32LE(4);
      return {
        type: 'datetime',
        value: new Date((days - DAYS_1900_TO_1970) * DAY_MS + Math.round((ticks * 10) / 3)),
      };
    }
    case T.DATETIM4: {
      const days = data.readUInt16LE(0);
      const minutes = data.readUInt16LE(2);
      return { type: 'datetime', value: new Date((days - DAYS_1900_TO_1970) * DAY_MS + minutes * 60_000) };
    }
    default:
      return decodeVariable(id, data, info);
  }
}

function decodeVariable(id: number, data: Buffer, info: TypeInfo): DecodedValue {
  const chars = info.plp || info.maxLength >= 0x7fffffff ? undefined : info.maxLength;
  switch (id) {
    case T.INTN:
      return data.length === 8
        ? decodeFixed(T.INT8, data, info)
        : decodeFixed(
            ({ 1: T.INT1, 2: T.INT2, 4: T.INT4 } as Record<number, number>)[data.length] ?? -1,
            data,
            info,
          );
    case T.BITN:
      return { type: 'bit', value: (data[0] ?? 0) !== 0 };
    case T.FLTN:
      return decodeFixed(data.length === 4 ? T.FLT4 : T.FLT8, data, info);
    case T.MONEYN:
      return decodeFixed(data.length === 4 ? T.MONEY4 : T.MONEY, data, info);
    case T.DATETIMN:
      return decodeFixed(data.length === 4 ? T.DATETIM4 : T.DATETIME, data, info);
    case T.GUID:
      if (data.length !== 16) throw new ProtocolError('GUID value must be 16 bytes');
      return { type: 'uniqueidentifier', value: guidToString(data) };
    case T.DECIMAL:
    case T.NUMERIC:
    case T.DECIMALN:
    case T.NUMERICN: {
      const sign = data[0] === 1 ? 1n : -1n;
      const magnitude = decodeMagnitude(data.subarray(1)) * sign;
      if (info.scale === 0) return { type: 'decimal', value: magnitude };
      return { type: 'float', value: Number(magnitude) / 10 ** info.scale };
    }
    case T.DATEN:
      return { type: 'datetime2', value: new Date(decodeDays0001(data)) };
    case T.TIMEN:
      return {
        type: 'datetime2',
        value: new Date(-DAYS_1900_TO_1970 * DAY_MS + decodeTime(data, info.scale)),
      };
    case T.DATETIME2N: {
      const timeLen = data.length - 3;
      return {
        type: 'datetime2',
        value: new Date(
          decodeDays0001(data.subarray(timeLen)) + decodeTime(data.subarray(0, timeLen), info.scale),
        ),
      };
    }
    case T.DATETIMEOFFSETN: {
      const timeLen = data.length - 5;
      return {
        type: 'datetime2',
        value: new Date(
          decodeDays0001(data.subarray(timeLen, timeLen + 3)) +
            decodeTime(data.subarray(0, timeLen), info.scale),
        ),
      };
    }
    case T.NVARCHAR:
    case T.NCHAR:
    case T.NTEXT:
    case T.XML:
      return {
        type: 'nvarchar',
        value: data.toString('utf16le'),
        maxLength: chars === undefined ? undefined : chars / 2,
      };
    case T.BIGVARCHAR:
    case T.BIGCHAR:
    case T.VARCHAR:
    case T.CHAR:
    case T.TEXT:
      return { type: 'varchar', value: data.toString('latin1'), maxLength: chars };
    case T.BIGVARBINARY:
    case T.BIGBINARY:
    case T.VARBINARY:
    case T.BINARY:
    case T.IMAGE:
      return { type: 'varbinary', value: new Uint8Array(data), maxLength: chars };
    case T.SSVARIANT: {
      const r = new Reader(data);
      const base = r.u8();
      const propLen = r.u8();
      const props = new Reader(r.bytes(propLen));
      const inner: TypeInfo = { id: base, maxLength: 0, precision: 0, scale: 0, plp: false };
      if (base === T.DECIMALN || base === T.NUMERICN) {
        inner.precision = props.u8();
        inner.scale = props.u8();
      } else if (base === T.TIMEN || base === T.DATETIME2N || base === T.DATETIMEOFFSETN) {
        inner.scale = props.u8();
      }
      const rest = r.bytes(r.remaining);
      return base in FIXED_LENGTH ? decodeFixed(base, rest, inner) : decodeVariable(base, rest, inner);
    }
    default:
      throw new UnsupportedTypeError(id);
  }
}

/** Reads a TYPE_VARBYTE value for the given TYPE_INFO (RPC parameters). */
export function readValue(r: Reader, info: TypeInfo): DecodedValue {
  const nullOf = (): DecodedValue => ({ ...decodeNullType(info), value: null });
  const id = info.id;
  if (id === T.NULL) return { type: 'int', value: null };
  if (id in FIXED_LENGTH) return decodeFixed(id, r.bytes(info.maxLength), info);
  if (info.plp) {
    const data = readPlp(r);
    return data === null ? nullOf() : decodeVariable(id, data, info);
  }
  switch (id) {
    case T.BIGVARBINARY:
    case T.BIGBINARY:
    case T.BIGVARCHAR:
    case T.BIGCHAR:
    case T.NVARCHAR:
    case T.NCHAR: {
      const len = r.u16();
      return len === 0xffff ? nullOf() : decodeVariable(id, r.bytes(len), info);
    }
    case T.TEXT:
    case T.NTEXT:
    case T.IMAGE:
    case T.SSVARIANT: {
      const len = r.u32();
      if (len === 0xffffffff || (id === T.SSVARIANT && len === 0)) return nullOf();
      return decodeVariable(id, r.bytes(len), info);
    }
    default: {
      const len = r.u8();
      return len === 0 ? nullOf() : decodeVariable(id, r.bytes(len), info);
    }
  }
}

function decodeNullType(info: TypeInfo): Omit<DecodedValue, 'value'> {
  switch (info.id) {
    case T.INTN:
      return {
        type:
          ({ 1: 'tinyint', 2: 'smallint', 8: 'bigint' } as Record<number, LabColumnType>)[info.maxLength] ??
          'int',
      };
    case T.BITN:
      return { type: 'bit' };
    case T.GUID:
      return { type: 'uniqueidentifier' };
    case T.FLTN:
    case T.MONEYN:
      return { type: 'float' };
    case T.DATETIMN:
      return { type: 'datetime' };
    case T.DATEN:
    case T.TIMEN:
    case T.DATETIME2N:
    case T.DATETIMEOFFSETN:
      return { type: 'datetime2' };
    case T.DECIMALN:
    case T.NUMERICN:
      return { type: info.scale === 0 ? 'decimal' : 'float' };
    case T.NVARCHAR:
    case T.NCHAR:
    case T.NTEXT:
    case T.XML:
      return { type: 'nvarchar', maxLength: info.plp ? undefined : info.maxLength / 2 };
    case T.BIGVARCHAR:
    case T.BIGCHAR:
    case T.TEXT:
      return { type: 'varchar', maxLength: info.plp ? undefined : info.maxLength };
    default:
      return { type: 'varbinary', maxLength: info.plp ? undefined : info.maxLength };
  }
}

// ---- encoding -------------------------------------------------------------------------------------------------------

export interface ColumnShape {
  type: LabColumnType;
  maxLength?: number;
}

function stringMax(shape: ColumnShape, bytesPerChar: number): number {
  if (shape.maxLength === undefined) return 0xffff;
  const bytes = shape.maxLength * bytesPerChar;
  return bytes > 8000 ? 0xffff : Math.max(bytesPerChar, bytes);
}

/** True when values of this column travel as PLP. */
export function isPlp(shape: ColumnShape): boolean {
  if (shape.type === 'nvarchar') return stringMax(shape, 2) === 0xffff;
  if (shape.type === 'varchar' || shape.type === 'varbinary') return stringMax(shape, 1) === 0xffff;
  return false;
}

/** Writes TYPE_INFO for a lab column type. */
export function writeTypeInfo(w: Writer, shape: ColumnShape): void {
  switch (shape.type) {
    case 'int':
      w.u8(T.INTN).u8(4);
      return;
    case 'bigint':
      w.u8(T.INTN).u8(8);
      return;
    case 'smallint':
      w.u8(T.INTN).u8(2);
      return;
    case 'tinyint':
      w.u8(T.INTN).u8(1);
      return;
    case 'bit':
      w.u8(T.BITN).u8(1);
      return;
    case 'decimal':
      w.u8(T.DECIMALN).u8(13).u8(25).u8(0);
      return;
    case 'float':
      w.u8(T.FLTN).u8(8);
      return;
    case 'nvarchar':
      w.u8(T.NVARCHAR).u16(stringMax(shape, 2)).bytes(DEFAULT_COLLATION);
      return;
    case 'varchar':
      w.u8(T.BIGVARCHAR).u16(stringMax(shape, 1)).bytes(DEFAULT_COLLATION);
      return;
    case 'datetime':
      w.u8(T.DATETIMN).u8(8);
      return;
    case 'datetime2':
      w.u8(T.DATETIME2N).u8(7);
      return;
    case 'uniqueidentifier':
      w.u8(T.GUID).u8(16);
      return;
    case 'varbinary':
      w.u8(T.BIGVARBINARY).u16(stringMax(shape, 1));
      return;
  }
}

function toBytes(shape: ColumnShape, value: Exclude<LabValue, null>): Buffer {
  switch (shape.type) {
    case 'nvarchar':
      return Buffer.from(String(value), 'utf16le');
    case 'varchar':
      return Buffer.from(String(value), 'latin1');
    case 'varbinary':
      if (value instanceof Uint8Array) return Buffer.from(value);
      return Buffer.from(String(value), 'utf8');
    default:
      throw new Error('not a byte type');
  }
}

function writePlp(w: Writer, data: Buffer | null): void {
  if (data === null) {
    w.u64(0xffffffffffffffffn);
    return;
  }
  w.u64(BigInt(data.length));
  // One chunk per 32 KiB keeps chunks well inside any packet size a reader might buffer.
  for (let off = 0; off < data.length; off += 32_768) {
    const chunk = data.subarray(off, off + 32_768);
    w.u32(chunk.length).bytes(chunk);
  }
  w.u32(0);
}

function asNumber(v: Exclude<LabValue, null>): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.getTime();
  const n = Number(v);
  if (Number.isNaN(n)) throw new TypeError(`not a number: ${String(v)}`);
  return n;
}

function asBigInt(v: Exclude<LabValue, null>): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'string') return BigInt(v);
  return BigInt(Math.trunc(asNumber(v)));
}

function asDate(v: Exclude<LabValue, null>): Date {
  const d = v instanceof Date ? v : new Date(typeof v === 'bigint' ? Number(v) : (v as string | number));
  if (Number.isNaN(d.getTime())) throw new TypeError(`not a date: ${String(v)}`);
  return d;
}

/** Writes a value in TYPE_VARBYTE form for its column (PLP for MAX types). */
export function writeValue(w: Writer, shape: ColumnShape, value: LabValue): void {
  if (isPlp(shape)) {
    writePlp(w, value === null ? null : toBytes(shape, value));
    return;
  }
  if (value === null) {
    if (shape.type === 'nvarchar' || shape.type === 'varchar' || shape.type === 'varbinary') w.u16(0xffff);
    else w.u8(0);
    return;
  }
  switch (shape.type) {
    case 'int':
      w.u8(4).i32(asNumber(value));
      return;
    case 'bigint':
      w.u8(8).i64(asBigInt(value));
      return;
    case 'smallint': {
      const b = Buffer.alloc(2);
      b.writeInt16LE(asNumber(value));
      w.u8(2).bytes(b);
      return;
    }
    case 'tinyint':
      w.u8(1).u8(asNumber(value));
      return;
    case 'bit':
      w.u8(1).u8(asNumber(value) ? 1 : 0);
      return;
    case 'decimal': {
      const v = asBigInt(value);
      let mag = v < 0n ? -v : v;
      w.u8(13).u8(v < 0n ? 0 : 1);
      for (let i = 0; i < 12; i++) {
        w.u8(Number(mag & 0xffn));
        mag >>= 8n;
      }
      return;
    }
    case 'float':
      w.u8(8).f64(asNumber(value));
      return;
    case 'nvarchar':
    case 'varchar':
    case 'varbinary': {
      const data = toBytes(shape, value);
      const max = stringMax(shape, shape.type === 'nvarchar' ? 2 : 1);
      const clipped = data.subarray(0, max);
      w.u16(clipped.length).bytes(clipped);
      return;
    }
    case 'datetime': {
      const ms = asDate(value).getTime() + DAYS_1900_TO_1970 * DAY_MS;
      let days = Math.floor(ms / DAY_MS);
      let ticks = Math.round(((ms - days * DAY_MS) * 300) / 1000);
      if (ticks >= 25_920_000) {
        days += 1;
        ticks = 0;
      }
      w.u8(8).i32(days).u32(ticks);
      return;
    }
    case 'datetime2': {
      const ms = asDate(value).getTime();
      const days = Math.floor(ms / DAY_MS);
      const time = BigInt(ms - days * DAY_MS) * 10_000n;
      const b = Buffer.alloc(8);
      b.writeUIntLE(Number(time & 0xffffffffffn), 0, 5);
      b.writeUIntLE(days + DAYS_0001_TO_1970, 5, 3);
      w.u8(8).bytes(b);
      return;
    }
    case 'uniqueidentifier':
      w.u8(16).bytes(guidToBytes(String(value)));
      return;
  }
}
