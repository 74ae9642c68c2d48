// A minimal hand-rolled TDS client for tests that check bytes mssql would hide (token order, status bits) and
// send what mssql never would (malformed packets). Clear text only.
import net from 'node:net';
import { once } from 'node:events';
import { MessageReader, PacketType, packetize, type Message } from './packet';
import { Reader, Writer } from './wire';

export class RawClient {
  readonly messages: Message[] = [];
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(readonly socket: net.Socket) {
    const reader = new MessageReader((m) => {
      this.messages.push(m);
      this.waiters.splice(0).forEach((w) => w());
    });
    socket.on('data', (d) => reader.push(d));
    socket.on('close', () => {
      this.closed = true;
      this.waiters.splice(0).forEach((w) => w());
    });
    socket.on('error', () => {});
  }

  static async connect(port: number): Promise<RawClient> {
    const socket = net.connect(port, '127.0.0.1');
    await once(socket, 'connect');
    return new RawClient(socket);
  }

  send(type: number, payload: Buffer, status = 0x01): void {
    let id = 1;
    const parts = packetize(type, payload, 4096, 0, () => id++, (status & 0x01) !== 0);
    if (status & ~0x01) {
      for (let i = 0; i < parts.length; i += 2) {
        const header = parts[i] as Buffer;
        header.writeUInt8(header.readUInt8(1) | (status & ~0x01), 1);
      }
    }
    this.socket.write(Buffer.concat(parts));
  }

  /** Resolves with the next message, or undefined when the server closes the connection first. */
  async next(): Promise<Message | undefined> {
    while (this.messages.length === 0 && !this.closed) await new Promise<void>((r) => this.waiters.push(r));
    return this.messages.shift();
  }

  /** Resolves when the server has closed the socket. */
  async whenClosed(): Promise<void> {
    while (!this.closed) await new Promise<void>((r) => this.waiters.push(r));
  }

  async prelogin(encryption = 2): Promise<Message | undefined> {
    const w = new Writer();
    w.u8(0).u16be(11).u16be(6).u8(1).u16be(17).u16be(1).u8(0xff);
    w.bytes(Buffer.from([0x0f, 0, 0, 0, 0, 0])).u8(encryption);
    this.send(PacketType.PRELOGIN, w.toBuffer());
    return this.next();
  }

  async login(user: string, password: string): Promise<Message | undefined> {
    this.send(PacketType.LOGIN7, login7(user, password));
    return this.next();
  }

  async batch(sql: string): Promise<Message | undefined> {
    this.send(PacketType.SQL_BATCH, sqlBatch(sql));
    return this.next();
  }

  close(): void {
    this.socket.destroy();
  }
}

export function sqlBatch(sql: string): Buffer {
  const w = new Writer();
  w.u32(22).u32(18).u16(2).bytes(Buffer.alloc(8)).u32(1);
  w.ucs2(sql);
  return w.toBuffer();
}

/** LOGIN7 for TDS 7.4 with a SQL login, obfuscating the password as [MS-TDS] 2.2.6.4 says. */
export function login7(user: string, password: string, tdsVersion = 0x74000004, database = ''): Buffer {
  const fields = ['host', user, '', 'raw-client', '127.0.0.1', '', 'raw', '', database];
  const fixed = Buffer.alloc(94);
  let offset = 94;
  const data: Buffer[] = [];
  fixed.writeUInt32LE(tdsVersion, 4);
  fixed.writeUInt32LE(4096, 8);
  fixed.writeUInt8(0xe0, 24);
  fixed.writeUInt8(0x03, 25);
  let pos = 36;
  fields.forEach((value, i) => {
    const bytes: Buffer =
      i === 2
        ? Buffer.from(Buffer.from(password, 'utf16le').map((b) => (((b << 4) & 0xf0) | (b >> 4)) ^ 0xa5))
        : Buffer.from(value, 'utf16le');
    fixed.writeUInt16LE(offset, pos);
    fixed.writeUInt16LE(i === 2 ? password.length : value.length, pos + 2);
    pos += 4;
    data.push(bytes);
    offset += bytes.length;
  });
  fixed.writeUInt16LE(offset, 78); // ibSSPI
  fixed.writeUInt16LE(offset, 82); // ibAtchDBFile
  fixed.writeUInt16LE(offset, 86); // ibChangePassword
  const all = Buffer.concat([fixed, ...data]);
  all.writeUInt32LE(all.length, 0);
  return all;
}

export interface RawToken {
  type: number;
  /** DONE family */
  status?: number;
  rowCount?: bigint;
  /** INFO / ERROR */
  number?: number;
  /** ENVCHANGE type */
  envType?: number;
  body?: Buffer;
}

/** Splits a token stream made of tokens this lab's tests use (length-prefixed ones, DONE family, RETURNSTATUS). */
export function tokens(payload: Buffer): RawToken[] {
  const r = new Reader(payload);
  const out: RawToken[] = [];
  let columns = 0;
  while (r.remaining > 0) {
    const type = r.u8();
    if (type === 0xfd || type === 0xfe || type === 0xff) {
      const status = r.u16();
      r.u16();
      out.push({ type, status, rowCount: r.u64() });
    } else if (type === 0x81) {
      // COLMETADATA with INTN columns only (what these tests select)
      const count = r.u16();
      columns = count;
      for (let i = 0; i < count; i++) {
        r.u32();
        r.u16();
        if (r.u8() !== 0x26) throw new Error('raw client reads INTN columns only');
        r.u8();
        r.bVarchar();
      }
      out.push({ type });
    } else if (type === 0xd1) {
      for (let i = 0; i < columns; i++) r.bytes(r.u8());
      out.push({ type });
    } else if (type === 0x79) {
      out.push({ type, body: r.bytes(4) });
    } else if (type === 0xae) {
      for (;;) {
        const id = r.u8();
        if (id === 0xff) break;
        r.bytes(r.u32());
      }
      out.push({ type });
    } else if ([0xaa, 0xab, 0xad, 0xe3, 0xed].includes(type)) {
      const body = r.bytes(r.u16());
      const t: RawToken = { type, body };
      if (type === 0xaa || type === 0xab) t.number = body.readInt32LE(0);
      if (type === 0xe3) t.envType = body.readUInt8(0);
      out.push(t);
    } else {
      throw new Error(`raw client cannot split token 0x${type.toString(16)}`);
    }
  }
  return out;
}
