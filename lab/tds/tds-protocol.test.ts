// What goes on the wire, checked byte by byte where mssql is lenient, and what happens to malformed input.
import type sql from 'mssql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PacketType } from './packet';
import { buildPrelogin, parsePrelogin } from './requests';
import { RawClient, login7, sqlBatch, tokens } from './raw-client';
import type { TdsServer } from './server';
import { SA_PASSWORD, connect, startTestInstance } from './tds-test-helpers';

let server: TdsServer;
let port: number;

beforeAll(async () => {
  ({ server, port } = await startTestInstance('SQL01\\PCHAT', {
    mirroringPartner: (db) => (db === 'mgc' ? 'SQL02\\PCHAT' : undefined),
  }));
});
afterAll(async () => {
  await server.stop();
});

async function loggedIn(): Promise<RawClient> {
  const c = await RawClient.connect(port);
  await c.prelogin();
  const ack = await c.login('sa', SA_PASSWORD);
  expect(ack && tokens(ack.payload).some((t) => t.type === 0xad)).toBe(true);
  return c;
}

describe('login response', () => {
  it('answers PRELOGIN with the version and ENCRYPT_NOT_SUP for a client without encryption', async () => {
    const c = await RawClient.connect(port);
    try {
      const m = await c.prelogin(2);
      expect(m?.type).toBe(PacketType.TABULAR_RESULT);
      const p = m?.payload as Buffer;
      // option table: VERSION, ENCRYPTION, INSTOPT, THREADID, MARS, terminator
      expect([p[0], p[5], p[10], p[15], p[20], p[25]]).toEqual([0, 1, 2, 3, 4, 0xff]);
      expect(p.readUInt16BE(8)).toBe(1);
      expect(p[p.readUInt16BE(6)]).toBe(2);
      expect(p[p.readUInt16BE(1)]).toBe(15);
    } finally {
      c.close();
    }
  });

  it.each([
    ['PCHAT', 0],
    ['pchat', 0],
    ['MSSQLSERVER', 0],
    ['OTHER', 1],
  ])('answers INSTOPT %s with %i', async (instance, expected) => {
    const c = await RawClient.connect(port);
    try {
      c.send(
        PacketType.PRELOGIN,
        buildPrelogin([
          [0, Buffer.from([16, 0, 0, 0, 0, 0])],
          [1, Buffer.from([2])],
          [2, Buffer.from(`${instance}\0`, 'latin1')],
        ]),
      );
      const options = parsePrelogin((await c.next())?.payload as Buffer);
      expect(options.get(2)).toEqual(Buffer.from([expected]));
    } finally {
      c.close();
    }
  });

  it('sends the tokens SQL Server sends, in order, with LOGINACK for TDS 7.4', async () => {
    const c = await RawClient.connect(port);
    try {
      await c.prelogin();
      const m = await c.login('sa', SA_PASSWORD);
      const t = tokens(m?.payload as Buffer);
      expect(
        t.map((x) =>
          x.type === 0xe3 ? `ENV${x.envType}` : x.number !== undefined ? `INFO${x.number}` : x.type,
        ),
      ).toEqual(['ENV1', 'INFO5701', 'ENV7', 'ENV2', 'INFO5703', 0xad, 'ENV4', 0xfd]);
      const ack = t.find((x) => x.type === 0xad)?.body as Buffer;
      expect(ack[0]).toBe(1);
      expect(ack.subarray(1, 5)).toEqual(Buffer.from([0x74, 0x00, 0x00, 0x04]));
      expect(ack.subarray(6, 6 + ack[5]! * 2).toString('utf16le')).toBe('Microsoft SQL Server');
      expect(t.at(-1)).toMatchObject({ status: 0, rowCount: 0n });
    } finally {
      c.close();
    }
  });

  it('acknowledges an older client with its own TDS version (7.3B) and refuses one before 7.2', async () => {
    const c = await RawClient.connect(port);
    try {
      await c.prelogin();
      c.send(PacketType.LOGIN7, login7('sa', SA_PASSWORD, 0x730b0003));
      const ack = tokens((await c.next())?.payload as Buffer).find((x) => x.type === 0xad)?.body as Buffer;
      expect(ack.subarray(1, 5)).toEqual(Buffer.from([0x73, 0x0b, 0x00, 0x03]));
    } finally {
      c.close();
    }
    const old = await RawClient.connect(port);
    await old.prelogin();
    old.send(PacketType.LOGIN7, login7('sa', SA_PASSWORD, 0x71000001));
    const t = tokens((await old.next())?.payload as Buffer);
    expect(t.map((x) => [x.type, x.number])).toEqual([
      [0xaa, 18456],
      [0xfd, undefined],
    ]);
    await old.whenClosed();
  });

  it('names the mirroring partner (ENVCHANGE 13) when the login database is a mirrored principal', async () => {
    const c = await RawClient.connect(port);
    try {
      await c.prelogin();
      c.send(PacketType.LOGIN7, login7('sa', SA_PASSWORD, undefined, 'mgc'));
      const t = tokens((await c.next())?.payload as Buffer);
      const env13 = t.find((x) => x.envType === 13)?.body as Buffer;
      expect(env13.subarray(2, 2 + env13[1]! * 2).toString('utf16le')).toBe('SQL02\\PCHAT');
      expect(t.findIndex((x) => x.envType === 13)).toBeLessThan(t.findIndex((x) => x.type === 0xad));
    } finally {
      c.close();
    }
  });

  it('answers an unknown login database with 4060 then 18456, as SQL Server does', async () => {
    const c = await RawClient.connect(port);
    await c.prelogin();
    c.send(PacketType.LOGIN7, login7('sa', SA_PASSWORD, undefined, 'nosuchdb'));
    const t = tokens((await c.next())?.payload as Buffer);
    expect(t.map((x) => [x.type, x.number])).toEqual([
      [0xaa, 4060],
      [0xaa, 18456],
      [0xfd, undefined],
    ]);
    await c.whenClosed();
  });

  it('answers a wrong password with ERROR 18456 then DONE(ERROR) and closes', async () => {
    const c = await RawClient.connect(port);
    await c.prelogin();
    const m = await c.login('sa', 'nope');
    const t = tokens(m?.payload as Buffer);
    expect(t.map((x) => x.type)).toEqual([0xaa, 0xfd]);
    expect(t[0]?.number).toBe(18456);
    expect(t[1]?.status).toBe(0x02);
    await c.whenClosed();
  });
});

describe('responses', () => {
  it('sets DONE_MORE on every DONE but the last, and DONE_COUNT with the row count', async () => {
    const c = await loggedIn();
    try {
      const m = await c.batch("PRINT N'a'\nSELECT 1 AS one, 2 AS two\nRAISERROR(N'x', 16, 1)");
      const t = tokens(m?.payload as Buffer);
      expect(t.map((x) => x.type)).toEqual([0xab, 0xfd, 0x81, 0xd1, 0xfd, 0xaa, 0xfd]);
      const dones = t.filter((x) => x.type === 0xfd).map((x) => [x.status, x.rowCount]);
      // MORE | (COUNT, 1 row) | final with ERROR
      expect(dones).toEqual([
        [0x01, 0n],
        [0x11, 1n],
        [0x02, 0n],
      ]);
    } finally {
      c.close();
    }
  });

  it("reports a USE with ENVCHANGE(database) ahead of the engine's INFO 5701, once", async () => {
    const c = await loggedIn();
    try {
      const m = await c.batch('USE msdb');
      const t = tokens(m?.payload as Buffer);
      expect(
        t.map((x) =>
          x.type === 0xe3 ? `ENV${x.envType}` : x.number !== undefined ? `INFO${x.number}` : x.type,
        ),
      ).toEqual(['ENV1', 'INFO5701', 0xfd]);
      const env = t[0]?.body as Buffer;
      expect(env.subarray(2, 2 + env[1]! * 2).toString('utf16le')).toBe('msdb');
    } finally {
      c.close();
    }
  });

  it('acknowledges RESETCONNECTION with ENVCHANGE 18 and restores the login database', async () => {
    const c = await loggedIn();
    try {
      await c.batch('USE msdb');
      c.send(PacketType.SQL_BATCH, sqlBatch("PRINT N'after reset'"), 0x01 | 0x08);
      const t = tokens((await c.next())?.payload as Buffer);
      expect(t.map((x) => (x.type === 0xe3 ? `ENV${x.envType}` : x.type))).toEqual([
        'ENV18',
        'ENV1',
        0xab,
        0xfd,
      ]);
    } finally {
      c.close();
    }
  });

  it('runs an RPC called by ProcID (10 = sp_executesql): DONEINPROC, RETURNSTATUS, DONEPROC', async () => {
    const c = await loggedIn();
    try {
      const statement = Buffer.from('SELECT 1 AS one', 'utf16le');
      const name = Buffer.from('@statement', 'utf16le');
      const rpc = Buffer.concat([
        Buffer.from([22, 0, 0, 0, 18, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]),
        Buffer.from([0xff, 0xff, 10, 0, 0, 0]),
        Buffer.from([name.length / 2]),
        name,
        Buffer.from([0, 0xe7, 0x40, 0x1f, 0x09, 0x04, 0xd0, 0x00, 0x34, statement.length, 0]),
        statement,
      ]);
      c.send(PacketType.RPC, rpc);
      const t = tokens((await c.next())?.payload as Buffer);
      expect(t.map((x) => x.type)).toEqual([0x81, 0xd1, 0xff, 0x79, 0xfe]);
      expect(t[2]).toMatchObject({ status: 0x11, rowCount: 1n });
      expect(t[3]?.body?.readInt32LE(0)).toBe(0);
      expect(t[4]).toMatchObject({ status: 0, rowCount: 0n });
    } finally {
      c.close();
    }
  });

  it('acknowledges an ATTENTION with nothing running with one DONE(ATTN)', async () => {
    const c = await loggedIn();
    try {
      c.send(PacketType.ATTENTION, Buffer.alloc(0));
      const m = await c.next();
      expect(tokens(m?.payload as Buffer)).toEqual([{ type: 0xfd, status: 0x20, rowCount: 0n }]);
    } finally {
      c.close();
    }
  });

  it('answers a message with the IGNORE bit with an empty DONE and runs nothing', async () => {
    const c = await loggedIn();
    try {
      c.send(PacketType.SQL_BATCH, sqlBatch("RAISERROR(N'must not run', 16, 1)"), 0x01 | 0x02);
      const m = await c.next();
      expect(tokens(m?.payload as Buffer)).toEqual([{ type: 0xfd, status: 0, rowCount: 0n }]);
    } finally {
      c.close();
    }
  });
});

describe('malformed input closes only that connection', () => {
  let pool: sql.ConnectionPool;
  beforeAll(async () => {
    pool = await connect(port, true);
  });
  afterAll(async () => {
    await pool.close();
  });

  const cases: [string, (c: RawClient) => Promise<void>][] = [
    [
      'a packet length below the header size',
      async (c) => void c.socket.write(Buffer.from([0x12, 1, 0, 4, 0, 0, 0, 0])),
    ],
    ['HTTP instead of TDS', async (c) => void c.socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n')],
    ['LOGIN7 before PRELOGIN', async (c) => c.send(PacketType.LOGIN7, login7('sa', SA_PASSWORD))],
    [
      'a truncated LOGIN7',
      async (c) => {
        await c.prelogin();
        c.send(PacketType.LOGIN7, login7('sa', SA_PASSWORD).subarray(0, 60));
      },
    ],
    [
      'LOGIN7 whose offsets point outside the message',
      async (c) => {
        await c.prelogin();
        const bad = login7('sa', SA_PASSWORD);
        bad.writeUInt16LE(0xfff0, 40);
        c.send(PacketType.LOGIN7, bad);
      },
    ],
    [
      'an RPC with a parameter value cut short',
      async (c) => {
        await c.prelogin();
        await c.login('sa', SA_PASSWORD);
        const rpc = Buffer.concat([
          Buffer.from([22, 0, 0, 0, 18, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]),
          Buffer.from([
            0xff, 0xff, 10, 0, 0, 0, 0, 0, 0xe7, 0x40, 0x1f, 9, 4, 0xd0, 0, 0x34, 0x10, 0x00, 0x41,
          ]),
        ]);
        c.send(PacketType.RPC, rpc);
      },
    ],
    [
      'a bulk-load packet after login',
      async (c) => {
        await c.prelogin();
        await c.login('sa', SA_PASSWORD);
        c.send(PacketType.BULK_LOAD, Buffer.from([1, 2, 3]));
      },
    ],
  ];

  it.each(cases)('%s', async (_name, act) => {
    const c = await RawClient.connect(port);
    await act(c);
    await c.whenClosed();
    expect(c.closed).toBe(true);
    const r = await pool.request().query('SELECT 1 AS still');
    expect(r.recordset).toEqual([{ still: 1 }]);
  });
});

describe('login-only encryption (client ENCRYPT_OFF)', () => {
  it('takes LOGIN7 through TLS inside PRELOGIN framing, then answers and serves in clear', async () => {
    const { Duplex } = await import('node:stream');
    const tls = await import('node:tls');
    const c = await RawClient.connect(port);
    try {
      const pre = await c.prelogin(0);
      const p = pre?.payload as Buffer;
      expect(p[p.readUInt16BE(6)]).toBe(0); // ENCRYPT_OFF: login packet encrypted only
      let handshakeDone = false;
      const transport = new Duplex({
        read() {},
        write(chunk: Buffer, _enc, cb) {
          // During the handshake TLS records go inside PRELOGIN packets; afterwards raw.
          if (handshakeDone) c.socket.write(chunk);
          else c.send(PacketType.PRELOGIN, chunk);
          cb();
        },
      });
      const secure = tls.connect({
        socket: transport as never,
        rejectUnauthorized: false,
        maxVersion: 'TLSv1.2',
      });
      const connected = new Promise<void>((resolve) => secure.once('secureConnect', resolve));
      // A full TLS 1.2 handshake has two server flights: ServerHello..ServerHelloDone, then ChangeCipherSpec+Finished.
      for (let flight = 0; flight < 2; flight++) {
        const m = await c.next();
        if (!m) throw new Error('server closed during the TLS handshake');
        expect(m.type).toBe(PacketType.PRELOGIN);
        transport.push(m.payload);
      }
      await connected;
      handshakeDone = true;
      let id = 1;
      const { packetize } = await import('./packet');
      secure.write(
        Buffer.concat(packetize(PacketType.LOGIN7, login7('sa', SA_PASSWORD), 4096, 0, () => id++, true)),
      );
      const ack = await c.next();
      expect(tokens(ack?.payload as Buffer).some((t) => t.type === 0xad)).toBe(true);
      const r = await c.batch("PRINT N'clear now'");
      expect(tokens(r?.payload as Buffer).map((t) => t.type)).toEqual([0xab, 0xfd]);
      secure.destroy();
    } finally {
      c.close();
    }
  });
});
