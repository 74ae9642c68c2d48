// Client request decoding: PRELOGIN, LOGIN7, ALL_HEADERS, SQLBatch, RPC and Transaction Manager payloads.
import type { RpcParam } from '../engine/contract';
import { readTypeInfo, readValue, type DecodedValue } from './types';
import { ProtocolError, Reader, Writer } from './wire';

export const Encrypt = { OFF: 0, ON: 1, NOT_SUP: 2, REQ: 3 } as const;

export const PreloginOption = {
  VERSION: 0,
  ENCRYPTION: 1,
  INSTOPT: 2,
  THREADID: 3,
  MARS: 4,
  TRACEID: 5,
  FEDAUTHREQUIRED: 6,
  NONCEOPT: 7,
  TERMINATOR: 0xff,
} as const;

/** PRELOGIN options as sent by the client: option token to its data. */
export function parsePrelogin(payload: Buffer): Map<number, Buffer> {
  const r = new Reader(payload);
  const options = new Map<number, Buffer>();
  for (;;) {
    const token = r.u8();
    if (token === PreloginOption.TERMINATOR) break;
    const offset = r.u16be();
    const length = r.u16be();
    if (offset + length > payload.length) throw new ProtocolError('PRELOGIN option outside payload');
    options.set(token, payload.subarray(offset, offset + length));
  }
  return options;
}

/** PRELOGIN response payload from (token, data) pairs in order. */
export function buildPrelogin(options: [number, Buffer][]): Buffer {
  const headerLength = options.length * 5 + 1;
  const w = new Writer();
  let offset = headerLength;
  for (const [token, data] of options) {
    w.u8(token).u16be(offset).u16be(data.length);
    offset += data.length;
  }
  w.u8(PreloginOption.TERMINATOR);
  for (const [, data] of options) w.bytes(data);
  return w.toBuffer();
}

export interface Login7 {
  tdsVersion: number;
  packetSize: number;
  optionFlags2: number;
  optionFlags3: number;
  hostName: string;
  userName: string;
  password: string;
  appName: string;
  serverName: string;
  libraryName: string;
  language: string;
  database: string;
  sspi: Buffer;
  /** FeatureExt feature ids requested (when fExtension is set). */
  features: number[];
}

/** Password obfuscation ([MS-TDS] 2.2.6.4): the client swaps nibbles then XORs 0xA5; undo in reverse. */
export function decodePassword(bytes: Buffer): string {
  const out = Buffer.alloc(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const x = (bytes[i] as number) ^ 0xa5;
    out[i] = ((x << 4) & 0xf0) | ((x >> 4) & 0x0f);
  }
  return out.toString('utf16le');
}

export function parseLogin7(payload: Buffer): Login7 {
  const r = new Reader(payload);
  const length = r.u32();
  if (length > payload.length || length < 94) throw new ProtocolError('LOGIN7 length');
  const tdsVersion = r.u32();
  const packetSize = r.u32();
  r.u32(); // ClientProgVer
  r.u32(); // ClientPID
  r.u32(); // ConnectionID
  r.u8(); // OptionFlags1
  const optionFlags2 = r.u8();
  r.u8(); // TypeFlags
  const optionFlags3 = r.u8();
  r.i32(); // ClientTimeZone
  r.u32(); // ClientLCID
  const str = (): { off: number; len: number } => ({ off: r.u16(), len: r.u16() });
  const host = str();
  const user = str();
  const pass = str();
  const app = str();
  const server = str();
  const ext = str();
  const lib = str();
  const lang = str();
  const db = str();
  r.bytes(6); // ClientID
  const sspiRef = str();
  str(); // AtchDBFile
  str(); // ChangePassword
  const sspiLong = r.u32();
  const text = (f: { off: number; len: number }): string => {
    if (f.len === 0) return '';
    return new Reader(payload, f.off).ucs2(f.len);
  };
  const sspiLength = sspiRef.len === 0xffff ? sspiLong : sspiRef.len;
  const sspi = sspiLength ? new Reader(payload, sspiRef.off).bytes(sspiLength) : Buffer.alloc(0);
  const features: number[] = [];
  if (optionFlags3 & 0x10 && ext.len >= 4) {
    let off = new Reader(payload, ext.off).u32();
    const fr = new Reader(payload, off);
    for (;;) {
      const id = fr.u8();
      if (id === 0xff) break;
      const len = fr.u32();
      fr.bytes(len);
      features.push(id);
      off = fr.offset;
    }
  }
  return {
    tdsVersion,
    packetSize,
    optionFlags2,
    optionFlags3,
    hostName: text(host),
    userName: text(user),
    password: pass.len ? decodePassword(new Reader(payload, pass.off).bytes(pass.len * 2)) : '',
    appName: text(app),
    serverName: text(server),
    libraryName: text(lib),
    language: text(lang),
    database: text(db),
    sspi,
    features,
  };
}

export interface AllHeaders {
  transactionDescriptor?: Buffer;
  outstandingRequestCount?: number;
}

/** ALL_HEADERS ([MS-TDS] 2.2.5.3), required on SQLBatch, RPC and TM requests from TDS 7.2. */
export function readAllHeaders(r: Reader): AllHeaders {
  const start = r.offset;
  const total = r.u32();
  if (total < 4 || start + total > r.buf.length) throw new ProtocolError('ALL_HEADERS length');
  const result: AllHeaders = {};
  while (r.offset < start + total) {
    const headerStart = r.offset;
    const length = r.u32();
    const type = r.u16();
    if (length < 6 || headerStart + length > start + total)
      throw new ProtocolError('ALL_HEADERS header length');
    if (type === 2) {
      result.transactionDescriptor = r.bytes(8);
      result.outstandingRequestCount = r.u32();
    }
    r.offset = headerStart + length;
  }
  return result;
}

export function parseSqlBatch(payload: Buffer): { headers: AllHeaders; sql: string } {
  const r = new Reader(payload);
  const headers = readAllHeaders(r);
  if ((payload.length - r.offset) % 2) throw new ProtocolError('SQLBatch text is not UCS-2');
  return { headers, sql: payload.subarray(r.offset).toString('utf16le') };
}

/** Procedure ids of the special system procedures ([MS-TDS] 2.2.6.6). */
export const PROC_IDS: Record<number, string> = {
  1: 'sp_cursor',
  2: 'sp_cursoropen',
  3: 'sp_cursorprepare',
  4: 'sp_cursorexecute',
  5: 'sp_cursorprepexec',
  6: 'sp_cursorunprepare',
  7: 'sp_cursorfetch',
  8: 'sp_cursoroption',
  9: 'sp_cursorclose',
  10: 'sp_executesql',
  11: 'sp_prepare',
  12: 'sp_execute',
  13: 'sp_prepexec',
  14: 'sp_prepexecrpc',
  15: 'sp_unprepare',
};

export interface RpcCall {
  procName: string;
  optionFlags: number;
  params: (RpcParam & { maxLength?: number; ordinal: number })[];
}

/** A parameter whose type we cannot decode: the call is answered with Msg 8009 (ordinal is 1-based). */
export class RpcParamError extends Error {
  constructor(
    readonly ordinal: number,
    readonly typeId: number,
  ) {
    super(`parameter ${ordinal}: data type 0x${typeId.toString(16)} is unknown`);
  }
}

/** RPC request: one or more calls separated by a batch flag (0x80, or 0xFF from TDS 7.2). */
export function parseRpc(payload: Buffer): { headers: AllHeaders; calls: RpcCall[] } {
  const r = new Reader(payload);
  const headers = readAllHeaders(r);
  const calls: RpcCall[] = [];
  while (r.remaining > 0) {
    const nameLength = r.u16();
    const procName = nameLength === 0xffff ? (PROC_IDS[r.u16()] ?? '') : r.ucs2(nameLength);
    if (procName === '') throw new ProtocolError('unknown RPC ProcID');
    const optionFlags = r.u16();
    const params: RpcCall['params'] = [];
    while (r.remaining > 0) {
      const next = r.buf[r.offset];
      if (next === 0x80 || next === 0xff || next === 0xfe) {
        r.u8();
        break;
      }
      const name = r.bVarchar();
      const status = r.u8();
      const typeStart = r.offset;
      let decoded: DecodedValue;
      try {
        const info = readTypeInfo(r);
        decoded = readValue(r, info);
      } catch (e) {
        if (e instanceof ProtocolError) throw e;
        throw new RpcParamError(params.length + 1, r.buf[typeStart] ?? 0);
      }
      params.push({
        name,
        type: decoded.type,
        value: decoded.value,
        output: (status & 0x01) !== 0,
        maxLength: decoded.maxLength,
        ordinal: params.length,
      });
    }
    calls.push({ procName, optionFlags, params });
  }
  return { headers, calls };
}

export const TmRequest = {
  BEGIN_XACT: 5,
  PROMOTE_XACT: 6,
  COMMIT_XACT: 7,
  ROLLBACK_XACT: 8,
  SAVE_XACT: 9,
} as const;

export function parseTransactionManager(payload: Buffer): { headers: AllHeaders; requestType: number } {
  const r = new Reader(payload);
  const headers = readAllHeaders(r);
  return { headers, requestType: r.u16() };
}
