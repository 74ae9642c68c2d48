// TDS packet framing ([MS-TDS] 2.2.3.1): 8-byte header, big-endian length, messages end at the EOM packet.
import { ProtocolError } from './wire';

export const PacketType = {
  SQL_BATCH: 0x01,
  RPC: 0x03,
  TABULAR_RESULT: 0x04,
  ATTENTION: 0x06,
  BULK_LOAD: 0x07,
  FEDAUTH_TOKEN: 0x08,
  TRANSACTION_MANAGER: 0x0e,
  LOGIN7: 0x10,
  SSPI: 0x11,
  PRELOGIN: 0x12,
} as const;

export const Status = {
  EOM: 0x01,
  IGNORE: 0x02,
  RESET_CONNECTION: 0x08,
  RESET_CONNECTION_SKIP_TRAN: 0x10,
} as const;

export const HEADER_LENGTH = 8;
const KNOWN_TYPES = new Set([0x01, 0x02, 0x03, 0x04, 0x06, 0x07, 0x08, 0x0e, 0x0f, 0x10, 0x11, 0x12]);
const KNOWN_STATUS_BITS = 0x01 | 0x02 | 0x08 | 0x10;
/** Largest packet the spec allows (negotiated packet size tops out at 32767). */
const MAX_PACKET = 32768;
/** Largest request message we reassemble: far above anything the wizard sends, small enough to bound memory. */
const MAX_MESSAGE = 64 * 1024 * 1024;

export interface Message {
  type: number;
  /** Status bits of the last (EOM) packet, plus RESETCONNECTION seen on the first one. */
  status: number;
  payload: Buffer;
}

/** Reassembles packets from a byte stream into messages; throws ProtocolError on a malformed header. */
export class MessageReader {
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private parts: Buffer[] = [];
  private partsLength = 0;
  private partsType = -1;
  private firstStatus = 0;

  /** Largest message accepted; lowered before login so that an unauthenticated peer cannot make us buffer much. */
  maxMessage = MAX_MESSAGE;

  constructor(private readonly onMessage: (m: Message) => void) {}

  push(chunk: Buffer): void {
    this.pending.push(chunk);
    this.pendingLength += chunk.length;
    while (this.pendingLength >= HEADER_LENGTH) {
      const head = this.peek(HEADER_LENGTH);
      const length = head.readUInt16BE(2);
      if (length < HEADER_LENGTH || length > MAX_PACKET)
        throw new ProtocolError(`bad packet length ${length}`);
      // Checked before waiting for the body, so that a stream that is not TDS at all is dropped at once.
      if (!KNOWN_TYPES.has(head.readUInt8(0)))
        throw new ProtocolError(`unknown packet type ${head.readUInt8(0)}`);
      if (head.readUInt8(1) & ~KNOWN_STATUS_BITS)
        throw new ProtocolError(`bad packet status ${head.readUInt8(1)}`);
      if (this.pendingLength < length) return;
      const packet = this.take(length);
      this.onPacket(packet);
    }
  }

  private peek(n: number): Buffer {
    if (this.pending.length > 1) this.pending = [Buffer.concat(this.pending)];
    return (this.pending[0] as Buffer).subarray(0, n);
  }

  private take(n: number): Buffer {
    const all = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending);
    const packet = all.subarray(0, n);
    const rest = all.subarray(n);
    this.pending = rest.length ? [rest] : [];
    this.pendingLength = rest.length;
    return packet;
  }

  private onPacket(packet: Buffer): void {
    const type = packet.readUInt8(0);
    const status = packet.readUInt8(1);
    if (this.partsType === -1) {
      this.partsType = type;
      this.firstStatus = status;
    } else if (type !== this.partsType) {
      throw new ProtocolError(`packet type ${type} inside a message of type ${this.partsType}`);
    }
    const data = packet.subarray(HEADER_LENGTH);
    this.parts.push(data);
    this.partsLength += data.length;
    if (this.partsLength > this.maxMessage) throw new ProtocolError('message too large');
    if (status & Status.EOM) {
      const payload =
        this.parts.length === 1 ? Buffer.from(this.parts[0] as Buffer) : Buffer.concat(this.parts);
      const message: Message = {
        type,
        status: status | (this.firstStatus & (Status.RESET_CONNECTION | Status.RESET_CONNECTION_SKIP_TRAN)),
        payload,
      };
      this.parts = [];
      this.partsLength = 0;
      this.partsType = -1;
      this.onMessage(message);
    }
  }
}

/** Splits a payload into packets of at most `packetSize` bytes; `last` marks the final one EOM. */
export function packetize(
  type: number,
  payload: Buffer,
  packetSize: number,
  spid: number,
  nextId: () => number,
  last: boolean,
): Buffer[] {
  const room = packetSize - HEADER_LENGTH;
  const out: Buffer[] = [];
  let offset = 0;
  do {
    const size = Math.min(room, payload.length - offset);
    const isLast = offset + size >= payload.length;
    const header = Buffer.alloc(HEADER_LENGTH);
    header.writeUInt8(type, 0);
    header.writeUInt8(isLast && last ? Status.EOM : 0, 1);
    header.writeUInt16BE(size + HEADER_LENGTH, 2);
    header.writeUInt16BE(spid & 0xffff, 4);
    header.writeUInt8(nextId(), 6);
    header.writeUInt8(0, 7);
    out.push(header, payload.subarray(offset, offset + size));
    offset += size;
  } while (offset < payload.length);
  return out;
}
