// MD4 (RFC 1320) for the NTLM NT hash: Node 20's OpenSSL 3 keeps MD4 in the legacy provider, which is off by default.

function rotl(x: number, n: number): number {
  return (x << n) | (x >>> (32 - n));
}

/** MD4 digest of `data` (16 bytes). */
export function md4(data: Uint8Array): Buffer {
  const bitLen = BigInt(data.length) * 8n;
  const padded = Buffer.alloc(((data.length + 8) >> 6) * 64 + 64);
  padded.set(data);
  padded[data.length] = 0x80;
  padded.writeBigUInt64LE(bitLen, padded.length - 8);
  let a = 0x67452301;
  let b = 0xefcdab89;
  let c = 0x98badcfe;
  let d = 0x10325476;
  const x = new Array<number>(16);
  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i++) x[i] = padded.readUInt32LE(off + i * 4);
    const [aa, bb, cc, dd] = [a, b, c, d];
    const f = (p: number, q: number, r: number) => (p & q) | (~p & r);
    const g = (p: number, q: number, r: number) => (p & q) | (p & r) | (q & r);
    const h = (p: number, q: number, r: number) => p ^ q ^ r;
    const xi = (i: number) => x[i] as number;
    for (const i of [0, 4, 8, 12]) {
      a = rotl((a + f(b, c, d) + xi(i)) | 0, 3);
      d = rotl((d + f(a, b, c) + xi(i + 1)) | 0, 7);
      c = rotl((c + f(d, a, b) + xi(i + 2)) | 0, 11);
      b = rotl((b + f(c, d, a) + xi(i + 3)) | 0, 19);
    }
    for (const i of [0, 1, 2, 3]) {
      a = rotl((a + g(b, c, d) + xi(i) + 0x5a827999) | 0, 3);
      d = rotl((d + g(a, b, c) + xi(i + 4) + 0x5a827999) | 0, 5);
      c = rotl((c + g(d, a, b) + xi(i + 8) + 0x5a827999) | 0, 9);
      b = rotl((b + g(c, d, a) + xi(i + 12) + 0x5a827999) | 0, 13);
    }
    for (const i of [0, 2, 1, 3]) {
      a = rotl((a + h(b, c, d) + xi(i) + 0x6ed9eba1) | 0, 3);
      d = rotl((d + h(a, b, c) + xi(i + 8) + 0x6ed9eba1) | 0, 9);
      c = rotl((c + h(d, a, b) + xi(i + 4) + 0x6ed9eba1) | 0, 11);
      b = rotl((b + h(c, d, a) + xi(i + 12) + 0x6ed9eba1) | 0, 15);
    }
    a = (a + aa) | 0;
    b = (b + bb) | 0;
    c = (c + cc) | 0;
    d = (d + dd) | 0;
  }
  const out = Buffer.alloc(16);
  out.writeInt32LE(a, 0);
  out.writeInt32LE(b, 4);
  out.writeInt32LE(c, 8);
  out.writeInt32LE(d, 12);
  return out;
}
