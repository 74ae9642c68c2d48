// Codec pieces checked against published vectors and against tedious's own encoders (an independent implementation).
import { createRequire } from 'node:module';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { md4 } from './md4';
import { buildChallenge, parseAuthenticate, verifyNtlmV2 } from './ntlm';
import { MessageReader, packetize, type Message } from './packet';
import { decodePassword, parseLogin7, parsePrelogin } from './requests';
import { guidToBytes, guidToString, readTypeInfo, readValue, writeTypeInfo, writeValue } from './types';
import { Reader, Writer } from './wire';

const require = createRequire(import.meta.url);

describe('md4', () => {
  it('matches the RFC 1320 test suite', () => {
    const vectors: [string, string][] = [
      ['', '31d6cfe0d16ae931b73c59d7e0c089c0'],
      ['a', 'bde52cb31de33e46245e05fbdbd6fb24'],
      ['abc', 'a448017aaf21d8525fc10ae87aa6729d'],
      ['message digest', 'd9130a8164549fe818874806e1c7014b'],
      ['abcdefghijklmnopqrstuvwxyz', 'd79e1c308aa5bbcdeea8ed63df412da9'],
      [
        '12345678901234567890123456789012345678901234567890123456789012345678901234567890',
        'e33b4ddc9c38f2199c3e7b164fcc0536',
      ],
    ];
    for (const [input, hex] of vectors) expect(md4(Buffer.from(input)).toString('hex')).toBe(hex);
  });
});

describe('LOGIN7', () => {
  it('reads what tedious writes, password de-obfuscated', () => {
    const Login7Payload = require('tedious/lib/login7-payload');
    const payload = new Login7Payload({
      tdsVersion: 0x74000004,
      packetSize: 8192,
      clientProgVer: 0,
      clientPid: 1,
      connectionId: 0,
      clientTimeZone: 0,
      clientLcid: 0x409,
    });
    Object.assign(payload, {
      userName: 'sa',
      password: 'Pä$$w0rd-ünïcode',
      hostname: 'WORKSTATION',
      appName: 'pchat-hadr',
      serverName: 'SQL01\\PCHAT',
      libraryName: 'Tedious',
      language: 'us_english',
      database: 'msdb',
    });
    const login = parseLogin7(payload.toBuffer());
    expect(login).toMatchObject({
      tdsVersion: 0x74000004,
      packetSize: 8192,
      userName: 'sa',
      password: 'Pä$$w0rd-ünïcode',
      hostName: 'WORKSTATION',
      appName: 'pchat-hadr',
      serverName: 'SQL01\\PCHAT',
      database: 'msdb',
    });
    expect(login.features).toContain(0x0a);
  });

  it('undoes the [MS-TDS] 2.2.6.4 obfuscation byte by byte', () => {
    // 'a' = 0x61 0x00: swap nibbles -> 0x16 0x00, XOR 0xA5 -> 0xB3 0xA5
    expect(decodePassword(Buffer.from([0xb3, 0xa5]))).toBe('a');
  });
});

describe('NTLM', () => {
  function tediousAuthenticate(challenge: Buffer, password: string, userName = 'sqladmin'): Buffer {
    const NTLMResponsePayload = require('tedious/lib/ntlm-payload');
    const parseSspi = require('tedious/lib/token/sspi-token-parser');
    const token = Buffer.concat([Buffer.from([challenge.length & 0xff, challenge.length >> 8]), challenge]);
    const ntlmpacket = parseSspi(token, 0, {}).value.ntlmpacket;
    return new NTLMResponsePayload({ domain: 'LAB', userName, password, ntlmpacket }).data;
  }

  it('accepts tedious NTLMv2 for the right password only', () => {
    const ch = buildChallenge('LAB', 'SQL01');
    const good = parseAuthenticate(tediousAuthenticate(ch.message, 'Dom-pass'));
    expect(good).toMatchObject({ domain: 'LAB', user: 'sqladmin' });
    expect(verifyNtlmV2(good, ch.serverChallenge, 'Dom-pass')).toBe(true);
    expect(verifyNtlmV2(good, ch.serverChallenge, 'other')).toBe(false);
    const replayed = buildChallenge('LAB', 'SQL01');
    expect(verifyNtlmV2(good, replayed.serverChallenge, 'Dom-pass')).toBe(false);
  });

  it('accepts a standard [MS-NLMP] AUTHENTICATE whose NT response holds the whole NTLMv2 blob', () => {
    const ch = buildChallenge('LAB', 'SQL01');
    const ntHash = md4(Buffer.from('Dom-pass', 'utf16le'));
    const key = createHmac('md5', ntHash)
      .update(Buffer.from('SQLADMIN' + 'Lab', 'utf16le'))
      .digest();
    const blob = Buffer.concat([
      Buffer.from([1, 1, 0, 0, 0, 0, 0, 0]),
      Buffer.alloc(8, 7),
      Buffer.alloc(8, 9),
      Buffer.alloc(4),
      Buffer.alloc(4),
    ]);
    const proof = createHmac('md5', key)
      .update(Buffer.concat([ch.serverChallenge, blob]))
      .digest();
    const nt = Buffer.concat([proof, blob]);
    const domain = Buffer.from('Lab', 'utf16le');
    const user = Buffer.from('sqladmin', 'utf16le');
    const head = new Writer().bytes(Buffer.from('NTLMSSP\0', 'latin1')).u32(3);
    let off = 64;
    const fields = [Buffer.alloc(0), nt, domain, user, Buffer.alloc(0), Buffer.alloc(0)];
    for (const f of fields) {
      head.u16(f.length).u16(f.length).u32(off);
      off += f.length;
    }
    head.u32(0x00088201).bytes(Buffer.alloc(64 - 12 - 48 - 4));
    const msg = Buffer.concat([head.toBuffer(), ...fields]);
    const auth = parseAuthenticate(msg);
    expect(verifyNtlmV2(auth, ch.serverChallenge, 'Dom-pass')).toBe(true);
    expect(verifyNtlmV2(auth, ch.serverChallenge, 'nope')).toBe(false);
  });
});

describe('packets', () => {
  it('splits at the packet size with EOM only on the last packet and reassembles', () => {
    const payload = Buffer.from(Array.from({ length: 1500 }, (_, i) => i & 0xff));
    let id = 1;
    const parts = packetize(0x04, payload, 512, 52, () => id++, true);
    const headers = parts.filter((_, i) => i % 2 === 0) as Buffer[];
    expect(headers.map((h) => [h[1], h.readUInt16BE(2), h.readUInt16BE(4), h[6]])).toEqual([
      [0, 512, 52, 1],
      [0, 512, 52, 2],
      [1, 1500 - 2 * 504 + 8, 52, 3],
    ]);
    const got: Message[] = [];
    const reader = new MessageReader((m) => got.push(m));
    const all = Buffer.concat(parts);
    for (let i = 0; i < all.length; i += 7) reader.push(all.subarray(i, i + 7));
    expect(got).toHaveLength(1);
    expect(got[0]?.payload.equals(payload)).toBe(true);
  });

  it('parses the PRELOGIN option table', () => {
    const PreloginPayload = require('tedious/lib/prelogin-payload');
    const options = parsePrelogin(
      new PreloginPayload({ encrypt: true, version: { major: 19, minor: 2, build: 2, subbuild: 0 } }).data,
    );
    expect(options.get(1)).toEqual(Buffer.from([1]));
  });
});

describe('values', () => {
  it('round-trips GUIDs in their mixed-endian wire order', () => {
    const s = '6F9619FF-8B86-D011-B42D-00C04FC964FF';
    expect(guidToBytes(s).toString('hex')).toBe('ff19966f868b11d0b42d00c04fc964ff');
    expect(guidToString(guidToBytes(s))).toBe(s);
  });

  it.each([
    ['int', -7],
    ['bigint', 9_007_199_254_740_991],
    ['bit', true],
    ['float', 1.5],
    ['decimal', 123456789012345678901n],
    ['nvarchar', 'héllo'],
    ['uniqueidentifier', 'ED183D9C-0A6B-4F0B-9E1E-4C3D2B1A0F99'],
    ['datetime2', new Date('2026-11-26T13:45:12.345Z')],
    ['datetime', new Date('2026-11-26T13:45:12.340Z')],
    ['varbinary', new Uint8Array([1, 2, 3])],
  ] as const)('encodes %s so that the decoder reads the same value back', (type, value) => {
    const w = new Writer();
    writeTypeInfo(w, { type, maxLength: type === 'nvarchar' ? 50 : type === 'varbinary' ? 10 : undefined });
    writeValue(
      w,
      { type, maxLength: type === 'nvarchar' ? 50 : type === 'varbinary' ? 10 : undefined },
      value,
    );
    const r = new Reader(w.toBuffer());
    const decoded = readValue(r, readTypeInfo(r));
    expect(r.remaining).toBe(0);
    expect(decoded.value).toEqual(type === 'bit' ? true : value);
  });
});
