// Bounds-checked byte reading and growable writing for TDS payloads.

/** Thrown for any malformed input; the connection that produced it is closed. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/** Sequential little-endian reader that throws ProtocolError instead of reading past the end. */
export class Reader {
  offset: number;
  constructor(
    readonly buf: Buffer,
    offset = 0,
  ) {
    this.offset = offset;
  }
  get remaining(): number {
    return this.buf.length - this.offset;
  }
  private need(n: number): void {
    if (n < 0 || this.offset + n > this.buf.length) {
      throw new ProtocolError(`truncated: need ${n} bytes at ${this.offset} of ${this.buf.length}`);
    }
  }
  u8(): number {
    this.need(1);
    return this.buf.readUInt8(this.offset++);
  }
  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16LE(this.offset);
    this.offset += 2;
    return v;
  }
  u16be(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.offset);
    this.offset += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32LE(this.offset);
    this.offset += 4;
    return v;
  }
  i32(): number {
    this.need(4);
    const v = this.buf.readInt32LE(this.offset);
    this.offset += 4;
    return v;
  }
  u64(): bigint {
    this.need(8);
    const v = this.buf.readBigUInt64LE(this.offset);
    this.offset += 8;
    return v;
  }
  i64(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64LE(this.offset);
    this.offset += 8;
    return v;
  }
  bytes(n: number): Buffer {
    this.need(n);
    const v = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return v;
  }
  /** UCS-2LE string of n characters. */
  ucs2(chars: number): string {
    return this.bytes(chars * 2).toString('utf16le');
  }
  /** B_VARCHAR: u8 character count then UCS-2LE. */
  bVarchar(): string {
    return this.ucs2(this.u8());
  }
  /** US_VARCHAR: u16 character count then UCS-2LE. */
  usVarchar(): string {
    return this.ucs2(this.u16());
  }
}

/** Growable little-endian writer. */
export class Writer {
  private buf: Buffer;
  length = 0;
  constructor(size = 256) {
    this.buf = Buffer.allocUnsafe(size);
  }
  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
  u8(v: number): this {
    this.ensure(1);
    this.buf.writeUInt8(v & 0xff, this.length);
    this.length += 1;
    return this;
  }
  u16(v: number): this {
    this.ensure(2);
    this.buf.writeUInt16LE(v, this.length);
    this.length += 2;
    return this;
  }
  u16be(v: number): this {
    this.ensure(2);
    this.buf.writeUInt16BE(v, this.length);
    this.length += 2;
    return this;
  }
  u32(v: number): this {
    this.ensure(4);
    this.buf.writeUInt32LE(v >>> 0, this.length);
    this.length += 4;
    return this;
  }
  u32be(v: number): this {
    this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, this.length);
    this.length += 4;
    return this;
  }
  i32(v: number): this {
    this.ensure(4);
    this.buf.writeInt32LE(v, this.length);
    this.length += 4;
    return this;
  }
  u64(v: bigint): this {
    this.ensure(8);
    this.buf.writeBigUInt64LE(v, this.length);
    this.length += 8;
    return this;
  }
  i64(v: bigint): this {
    this.ensure(8);
    this.buf.writeBigInt64LE(v, this.length);
    this.length += 8;
    return this;
  }
  f64(v: number): this {
    this.ensure(8);
    this.buf.writeDoubleLE(v, this.length);
    this.length += 8;
    return this;
  }
  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }
  ucs2(s: string): this {
    return this.bytes(Buffer.from(s, 'utf16le'));
  }
  /** B_VARCHAR (u8 character count), truncated to 255 characters. */
  bVarchar(s: string): this {
    const t = s.slice(0, 255);
    return this.u8(t.length).ucs2(t);
  }
  /** US_VARCHAR (u16 character count). */
  usVarchar(s: string): this {
    const t = s.slice(0, 0xffff);
    return this.u16(t.length).ucs2(t);
  }
  /** Overwrites a u16 at a position already written (token lengths). */
  patchU16(at: number, v: number): void {
    this.buf.writeUInt16LE(v, at);
  }
  toBuffer(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}
