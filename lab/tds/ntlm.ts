// Server side of NTLM ([MS-NLMP]) as carried in LOGIN7 SSPI and SSPI (0x11) messages: CHALLENGE out, AUTHENTICATE checked (NTLMv2).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { md4 } from './md4';
import { ProtocolError, Reader, Writer } from './wire';

const SIGNATURE = Buffer.from('NTLMSSP\0', 'latin1');

const FLAGS =
  0x00000001 | // NEGOTIATE_UNICODE
  0x00000004 | // REQUEST_TARGET
  0x00000200 | // NEGOTIATE_NTLM
  0x00008000 | // NEGOTIATE_ALWAYS_SIGN
  0x00010000 | // TARGET_TYPE_DOMAIN
  0x00080000 | // NEGOTIATE_EXTENDED_SESSIONSECURITY
  0x00800000 | // NEGOTIATE_TARGET_INFO
  0x02000000 | // NEGOTIATE_VERSION
  0x20000000 | // NEGOTIATE_128
  0x80000000; // NEGOTIATE_56

function checkHeader(msg: Buffer, type: number): Reader {
  const r = new Reader(msg);
  if (!r.bytes(8).equals(SIGNATURE)) throw new ProtocolError('NTLM: bad signature');
  const t = r.u32();
  if (t !== type) throw new ProtocolError(`NTLM: expected message type ${type}, got ${t}`);
  return r;
}

/** Checks that an SSPI blob is an NTLM NEGOTIATE message (type 1). */
export function parseNegotiate(msg: Buffer): void {
  const r = checkHeader(msg, 1);
  r.u32(); // flags: we answer with our own set whatever was asked
}

export interface NtlmChallenge {
  serverChallenge: Buffer;
  message: Buffer;
}

function avPair(w: Writer, id: number, value: Buffer): void {
  w.u16(id).u16(value.length).bytes(value);
}

/** Builds the CHALLENGE message (type 2) for a lab domain and computer. */
export function buildChallenge(domain: string, computer: string, now = new Date()): NtlmChallenge {
  const serverChallenge = randomBytes(8);
  const targetName = Buffer.from(domain.toUpperCase(), 'utf16le');
  const info = new Writer();
  avPair(info, 2, Buffer.from(domain.toUpperCase(), 'utf16le')); // MsvAvNbDomainName
  avPair(info, 1, Buffer.from(computer.toUpperCase(), 'utf16le')); // MsvAvNbComputerName
  avPair(info, 4, Buffer.from(`${domain.toLowerCase()}.local`, 'utf16le')); // MsvAvDnsDomainName
  avPair(info, 3, Buffer.from(`${computer.toLowerCase()}.${domain.toLowerCase()}.local`, 'utf16le'));
  const ts = Buffer.alloc(8);
  ts.writeBigUInt64LE((BigInt(now.getTime()) + 11644473600000n) * 10000n);
  avPair(info, 7, ts); // MsvAvTimestamp
  avPair(info, 0, Buffer.alloc(0)); // MsvAvEOL
  const targetInfo = info.toBuffer();
  const w = new Writer();
  const payloadStart = 56;
  w.bytes(SIGNATURE).u32(2);
  w.u16(targetName.length).u16(targetName.length).u32(payloadStart);
  w.u32(FLAGS);
  w.bytes(serverChallenge);
  w.bytes(Buffer.alloc(8));
  w.u16(targetInfo.length)
    .u16(targetInfo.length)
    .u32(payloadStart + targetName.length);
  w.u8(10)
    .u8(0)
    .u16(17763)
    .bytes(Buffer.from([0, 0, 0, 15])); // Version: Windows 10.0.17763, NTLMSSP_REVISION_W2K3
  w.bytes(targetName).bytes(targetInfo);
  return { serverChallenge, message: w.toBuffer() };
}

export interface NtlmAuthenticate {
  domain: string;
  user: string;
  workstation: string;
  lmResponse: Buffer;
  ntResponse: Buffer;
  /** Bytes after the declared NT response: tedious declares 16 bytes but appends the NTLMv2 blob right after them. */
  trailingAfterNt: Buffer;
}

function field(r: Reader, msg: Buffer): Buffer {
  const len = r.u16();
  r.u16();
  const off = r.u32();
  if (off + len > msg.length) throw new ProtocolError('NTLM: field outside message');
  return msg.subarray(off, off + len);
}

/** Parses an AUTHENTICATE message (type 3). */
export function parseAuthenticate(msg: Buffer): NtlmAuthenticate {
  const r = checkHeader(msg, 3);
  const lmResponse = field(r, msg);
  const ntStart = new Reader(msg, 24).u32();
  const ntResponse = field(r, msg);
  const domain = field(r, msg);
  const user = field(r, msg);
  const workstation = field(r, msg);
  return {
    lmResponse,
    ntResponse,
    trailingAfterNt: msg.subarray(Math.min(msg.length, ntStart + ntResponse.length)),
    domain: domain.toString('utf16le'),
    user: user.toString('utf16le'),
    workstation: workstation.toString('utf16le'),
  };
}

function hmac(key: Buffer, ...data: Buffer[]): Buffer {
  const h = createHmac('md5', key);
  for (const d of data) h.update(d);
  return h.digest();
}

/** True when the AUTHENTICATE message proves knowledge of `password` for the challenge (NTLMv2, or LMv2 alone). */
export function verifyNtlmV2(auth: NtlmAuthenticate, serverChallenge: Buffer, password: string): boolean {
  const ntHash = md4(Buffer.from(password, 'utf16le'));
  // [MS-NLMP] keeps the domain's case; some clients (tedious among them) upper-case it: accept either.
  const domains = [...new Set([auth.domain, auth.domain.toUpperCase()])];
  for (const domain of domains) {
    const key = hmac(ntHash, Buffer.from(auth.user.toUpperCase() + domain, 'utf16le'));
    if (auth.ntResponse.length > 16) {
      const proof = auth.ntResponse.subarray(0, 16);
      if (timingSafeEqual(proof, hmac(key, serverChallenge, auth.ntResponse.subarray(16)))) return true;
    } else if (auth.ntResponse.length === 16 && auth.trailingAfterNt.length >= 28) {
      if (timingSafeEqual(auth.ntResponse, hmac(key, serverChallenge, auth.trailingAfterNt))) return true;
    }
    if (auth.lmResponse.length === 24) {
      const clientChallenge = auth.lmResponse.subarray(16);
      const lm = hmac(key, serverChallenge, clientChallenge);
      if (auth.ntResponse.length <= 16 && timingSafeEqual(lm, auth.lmResponse.subarray(0, 16))) {
        // LMv2 alone is accepted only when the client sent no NTLMv2 blob at all.
        if (auth.trailingAfterNt.length < 28) return true;
      }
    }
  }
  return false;
}
