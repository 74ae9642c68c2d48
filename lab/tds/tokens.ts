// Token stream encoders for server responses ([MS-TDS] 2.2.7).
import type { LabColumn, LabMessage, LabValue } from '../engine/contract';
import { DEFAULT_COLLATION, writeTypeInfo, writeValue, type ColumnShape } from './types';
import { Writer } from './wire';

export const Token = {
  ALTMETADATA: 0x88,
  COLMETADATA: 0x81,
  DONE: 0xfd,
  DONEINPROC: 0xff,
  DONEPROC: 0xfe,
  ENVCHANGE: 0xe3,
  ERROR: 0xaa,
  FEATUREEXTACK: 0xae,
  INFO: 0xab,
  LOGINACK: 0xad,
  NBCROW: 0xd2,
  RETURNSTATUS: 0x79,
  RETURNVALUE: 0xac,
  ROW: 0xd1,
  SSPI: 0xed,
} as const;

export const DoneStatus = {
  FINAL: 0x00,
  MORE: 0x01,
  ERROR: 0x02,
  INXACT: 0x04,
  COUNT: 0x10,
  ATTN: 0x20,
  SRVERROR: 0x100,
} as const;

export const EnvChange = {
  DATABASE: 1,
  LANGUAGE: 2,
  PACKET_SIZE: 4,
  COLLATION: 7,
  MIRRORING_PARTNER: 13,
  BEGIN_TRAN: 8,
  COMMIT_TRAN: 9,
  ROLLBACK_TRAN: 10,
} as const;

/** DONE, DONEPROC or DONEINPROC with a u64 row count (TDS 7.2+). */
export function done(w: Writer, token: number, status: number, curCmd: number, rowCount: number): void {
  w.u8(token).u16(status).u16(curCmd).u64(BigInt(rowCount));
}

/** ENVCHANGE with B_VARCHAR new/old values. */
export function envChangeString(w: Writer, type: number, newValue: string, oldValue: string): void {
  const body = new Writer().u8(type).bVarchar(newValue).bVarchar(oldValue).toBuffer();
  w.u8(Token.ENVCHANGE).u16(body.length).bytes(body);
}

/** ENVCHANGE with B_VARBYTE new/old values (collation, transaction descriptors). */
export function envChangeBytes(w: Writer, type: number, newValue: Buffer, oldValue: Buffer): void {
  const body = new Writer()
    .u8(type)
    .u8(newValue.length)
    .bytes(newValue)
    .u8(oldValue.length)
    .bytes(oldValue)
    .toBuffer();
  w.u8(Token.ENVCHANGE).u16(body.length).bytes(body);
}

export function collationEnvChange(w: Writer): void {
  envChangeBytes(w, EnvChange.COLLATION, DEFAULT_COLLATION, Buffer.alloc(0));
}

/** INFO (class <= 10) or ERROR token. */
export function message(w: Writer, m: LabMessage, serverName: string): void {
  const isError = m.class > 10;
  // The token length is a u16: keep the text short enough for the whole token to fit.
  const text = m.message.slice(0, 30_000);
  const body = new Writer()
    .i32(m.number)
    .u8(m.state)
    .u8(m.class)
    .usVarchar(text)
    .bVarchar(serverName)
    .bVarchar(m.procName ?? '')
    .i32(m.line)
    .toBuffer();
  w.u8(isError ? Token.ERROR : Token.INFO)
    .u16(body.length)
    .bytes(body);
}

/** LOGINACK: interface SQL_TSQL, the negotiated TDS version (big-endian on the wire), program name and version. */
export function loginAck(
  w: Writer,
  tdsVersion: number,
  progName: string,
  version: [number, number, number],
): void {
  const body = new Writer()
    .u8(1)
    .u32be(tdsVersion)
    .bVarchar(progName)
    .u8(version[0])
    .u8(version[1])
    .u8((version[2] >> 8) & 0xff)
    .u8(version[2] & 0xff)
    .toBuffer();
  w.u8(Token.LOGINACK).u16(body.length).bytes(body);
}

/** FEATUREEXTACK acknowledging the given features (id, data) then the terminator. */
export function featureExtAck(w: Writer, features: { id: number; data: Buffer }[]): void {
  w.u8(Token.FEATUREEXTACK);
  for (const f of features) w.u8(f.id).u32(f.data.length).bytes(f.data);
  w.u8(0xff);
}

export function sspi(w: Writer, data: Buffer): void {
  w.u8(Token.SSPI).u16(data.length).bytes(data);
}

export function returnStatus(w: Writer, value: number): void {
  w.u8(Token.RETURNSTATUS).i32(value);
}

/** COLMETADATA for lab columns. */
export function colMetadata(w: Writer, columns: LabColumn[]): void {
  w.u8(Token.COLMETADATA).u16(columns.length);
  for (const c of columns) {
    w.u32(0); // UserType
    w.u16(c.nullable === false ? 0x0000 : 0x0001); // fNullable; fUpdatable=0 (read-only)
    writeTypeInfo(w, c);
    w.bVarchar(c.name);
  }
}

/** ROW, or NBCROW when the row has NULLs (the null bitmap saves their bytes, as SQL Server does). */
export function row(w: Writer, columns: ColumnShape[], values: LabValue[]): void {
  const hasNull = values.some((v) => v === null || v === undefined);
  if (!hasNull) {
    w.u8(Token.ROW);
    columns.forEach((c, i) => writeValue(w, c, values[i] as LabValue));
    return;
  }
  w.u8(Token.NBCROW);
  const bitmap = Buffer.alloc(Math.ceil(columns.length / 8));
  columns.forEach((_, i) => {
    const v = values[i];
    if (v === null || v === undefined) bitmap[i >> 3] = (bitmap[i >> 3] as number) | (1 << (i & 7));
  });
  w.bytes(bitmap);
  columns.forEach((c, i) => {
    const v = values[i];
    if (v !== null && v !== undefined) writeValue(w, c, v);
  });
}

/** RETURNVALUE for an OUTPUT parameter. */
export function returnValue(
  w: Writer,
  ordinal: number,
  name: string,
  shape: ColumnShape,
  value: LabValue,
): void {
  const paramName = name === '' || name.startsWith('@') ? name : `@${name}`;
  w.u8(Token.RETURNVALUE).u16(ordinal).bVarchar(paramName).u8(0x01).u32(0).u16(0x0001);
  writeTypeInfo(w, shape);
  writeValue(w, shape, value);
}
