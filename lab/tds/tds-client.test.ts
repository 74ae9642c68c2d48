// The TDS front end driven by the real mssql/tedious client, with and without TLS.
import sql from 'mssql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TdsServer } from './server';
import type { TestEngine } from './test-engine';
import { DOMAIN_PASSWORD, SA_PASSWORD, connect, rejection, startTestInstance } from './tds-test-helpers';

let server: TdsServer;
let engine: TestEngine;
let port: number;

beforeAll(async () => {
  ({ server, engine, port } = await startTestInstance());
});
afterAll(async () => {
  await server.stop();
});

describe.each([false, true])('mssql with encrypt=%s', (encrypt) => {
  let pool: sql.ConnectionPool;
  beforeAll(async () => {
    pool = await connect(port, encrypt);
  });
  afterAll(async () => {
    await pool.close();
  });

  it('runs a batch and returns typed columns', async () => {
    const r = await pool.request().batch("SELECT 1 AS one, N'abc' AS s, NULL AS nothing");
    expect(r.recordset).toEqual([{ one: 1, s: 'abc', nothing: null }]);
    expect(r.rowsAffected).toEqual([1]);
    expect(r.recordset.columns.one?.type).toBe(sql.Int);
  });

  it('returns several result sets from one batch', async () => {
    const r = await pool
      .request()
      .batch("SELECT 1 AS a; SELECT N'x' AS b, 2 AS c\nSELECT DB_NAME() AS db, @@SERVERNAME AS srv");
    expect(r.recordsets).toEqual([[{ a: 1 }], [{ b: 'x', c: 2 }], [{ db: 'master', srv: 'SQL01\\PCHAT' }]]);
    expect(r.rowsAffected).toEqual([1, 1, 1]);
  });

  it('passes typed sp_executesql parameters both ways, including a 100k-character nvarchar(max)', async () => {
    const big = 'x'.repeat(99_997) + 'END';
    const r = await pool
      .request()
      .input('i', sql.Int, -42)
      .input('b', sql.Bit, true)
      .input('g', sql.UniqueIdentifier, '6f9619ff-8b86-d011-b42d-00c04fc964ff')
      .input('big', sql.NVarChar(sql.MAX), big)
      .query('SELECT @i AS i, @b AS b, @g AS g, @big AS big, LEN(@big) AS len');
    const row = r.recordset[0];
    expect(row.i).toBe(-42);
    expect(row.b).toBe(true);
    expect(row.g).toBe('6F9619FF-8B86-D011-B42D-00C04FC964FF');
    expect(row.big).toBe(big);
    expect(row.len).toBe(100_000);
    expect(engine.journal).toContain('RPC sp_executesql');
  });

  it('decodes the other parameter types tedious sends and echoes them back', async () => {
    const when = new Date('2026-11-26T13:45:12.347Z');
    const r = await pool
      .request()
      .input('big', sql.BigInt, '9007199254740991')
      .input('small', sql.SmallInt, -300)
      .input('tiny', sql.TinyInt, 200)
      .input('f', sql.Float, 2.5)
      .input('dec', sql.Decimal(18, 0), 123456789012345)
      .input('dt', sql.DateTime, when)
      .input('dt2', sql.DateTime2(7), when)
      .input('d', sql.Date, new Date('2026-11-26T00:00:00Z'))
      .input('vc', sql.VarChar(20), 'latin é')
      .input('bin', sql.VarBinary(10), Buffer.from([1, 2, 255]))
      .input('none', sql.NVarChar(10), null)
      .query(
        'SELECT @big AS big, @small AS small, @tiny AS tiny, @f AS f, @dec AS dec, @dt AS dt, @dt2 AS dt2, @d AS d, @vc AS vc, @bin AS bin, @none AS none',
      );
    expect(r.recordset[0]).toEqual({
      big: '9007199254740991',
      small: -300,
      tiny: 200,
      f: 2.5,
      dec: 123456789012345,
      dt: new Date('2026-11-26T13:45:12.347Z'),
      dt2: when,
      d: new Date('2026-11-26T00:00:00Z'),
      vc: 'latin é',
      bin: Buffer.from([1, 2, 255]),
      none: null,
    });
  });

  it('returns OUTPUT parameters of sp_executesql', async () => {
    const r = await pool.request().input('x', sql.Int, 21).output('y', sql.Int).query('SET @y = @x * 2');
    expect(r.output).toEqual({ y: 42 });
  });

  it('calls a stored procedure: result set, RETURN status, OUTPUT params and its PRINT', async () => {
    const infos: string[] = [];
    const req = pool.request();
    req.on('info', (m: { message: string }) => infos.push(m.message));
    const r = await req
      .input('n', sql.Int, 5)
      .input('who', sql.NVarChar(50), 'wizard')
      .output('doubled', sql.Int)
      .output('greeting', sql.NVarChar(50))
      .output('id', sql.UniqueIdentifier)
      .execute('dbo.lab_proc');
    expect(r.returnValue).toBe(7);
    expect(r.output).toEqual({
      doubled: 10,
      greeting: 'hello wizard',
      id: 'ED183D9C-0A6B-4F0B-9E1E-4C3D2B1A0F99',
    });
    expect(r.recordset).toEqual([{ who: 'wizard', n: 5 }]);
    expect(infos).toEqual(['lab_proc called for wizard']);
  });

  it('delivers PRINT as info messages with number, state, class and line', async () => {
    const infos: Record<string, unknown>[] = [];
    const req = pool.request();
    req.on('info', (m: Record<string, unknown>) => infos.push(m));
    const r = await req.batch("PRINT N'hello from the lab'\nSELECT 2 AS two");
    expect(r.recordset).toEqual([{ two: 2 }]);
    expect(infos).toHaveLength(1);
    expect(infos[0]).toMatchObject({
      message: 'hello from the lab',
      number: 0,
      state: 1,
      class: 0,
      lineNumber: 1,
    });
  });

  it('reports ERROR tokens with number, state, class, procedure, line and server name', async () => {
    const e = await rejection(
      pool.request().input('job_name', sql.NVarChar, 'LSBackup_nope').execute('msdb.dbo.sp_delete_job'),
    );
    expect(e).toMatchObject({
      name: 'RequestError',
      code: 'EREQUEST',
      number: 14262,
      state: 1,
      class: 16,
      procName: 'sp_verify_job_identifiers',
      lineNumber: 67,
      serverName: 'SQL01\\PCHAT',
    });
    expect(e.message).toBe("The specified @job_name ('LSBackup_nope') does not exist.");
    const e2 = await rejection(
      pool.request().batch("SELECT 1 AS a\nRAISERROR(N'Database mgc is not in FULL recovery', 16, 3)"),
    );
    expect(e2).toMatchObject({ number: 50000, class: 16, state: 3, lineNumber: 2 });
  });

  it('cancels a running request and keeps the connection usable', async () => {
    const spidBefore = (await pool.request().query('SELECT @@SPID AS spid')).recordset[0].spid;
    const req = pool.request();
    const running = req.batch("WAITFOR DELAY '00:00:30'");
    setTimeout(() => req.cancel(), 100);
    const e = await rejection(running);
    expect(e.code).toBe('ECANCEL');
    const after = await pool.request().query('SELECT @@SPID AS spid');
    expect(after.recordset[0].spid).toBe(spidBefore);
  });

  it('times out a request through ATTENTION and keeps the connection usable', async () => {
    const timed = await connect(port, encrypt, { requestTimeout: 200 });
    try {
      const spidBefore = (await timed.request().query('SELECT @@SPID AS spid')).recordset[0].spid;
      const e = await rejection(timed.request().batch("WAITFOR DELAY '00:00:30'"));
      expect(e.code).toBe('ETIMEOUT');
      const after = await timed.request().query('SELECT @@SPID AS spid');
      expect(after.recordset[0].spid).toBe(spidBefore);
    } finally {
      await timed.close();
    }
  });

  it.each([512, 32767])(
    'streams a large result set and a 30k-character value at packet size %i',
    async (packetSize) => {
      const small = await connect(port, encrypt, { options: { packetSize } as sql.config['options'] });
      try {
        const r = await small.request().batch('SELECT TOP 10000 n FROM lab_numbers');
        expect(r.recordset).toHaveLength(10_000);
        expect(r.recordset[9_999]).toEqual({ n: 10_000, label: 'row 10000' });
        const big = 'y'.repeat(30_000);
        const echo = await small.request().input('s', sql.NVarChar(sql.MAX), big).query('SELECT @s AS s');
        expect(echo.recordset[0].s).toBe(big);
      } finally {
        await small.close();
      }
    },
  );

  it('turns an engine value its column cannot carry into an error and keeps the connection usable', async () => {
    const e = await rejection(pool.request().batch('SELECT lab_bad_value'));
    expect(e).toMatchObject({ number: 50000, class: 16 });
    expect(e.message).toContain('[lab] internal error');
    expect((await pool.request().batch('SELECT 1 AS ok')).recordset).toEqual([{ ok: 1 }]);
  });

  it('begins and commits a transaction through the transaction manager', async () => {
    const tx = new sql.Transaction(pool);
    await tx.begin();
    const r = await new sql.Request(tx).query('SELECT 1 AS inside');
    expect(r.recordset).toEqual([{ inside: 1 }]);
    await tx.commit();
    const tx2 = new sql.Transaction(pool);
    await tx2.begin();
    await tx2.rollback();
  });

  it('switches database on USE and at login', async () => {
    const r = await pool.request().batch('USE mgc\nSELECT DB_NAME() AS db');
    expect(r.recordset).toEqual([{ db: 'mgc' }]);
    await pool.request().batch('USE master');
    const withDb = await connect(port, encrypt, { database: 'msdb' });
    try {
      expect((await withDb.request().query('SELECT DB_NAME() AS db')).recordset).toEqual([{ db: 'msdb' }]);
    } finally {
      await withDb.close();
    }
    // 4060 is transient to tedious; with the 18456 that follows it the login is not retried, but be explicit.
    const e = await rejection(
      connect(port, encrypt, {
        database: 'nosuchdb',
        options: { maxRetriesOnTransientErrors: 0 } as sql.config['options'],
      }),
    );
    expect(e.code).toBe('ELOGIN');
    expect(e.message).toBe("Login failed for user 'sa'.");
  });
});

describe('logins', () => {
  it('rejects a wrong SQL password with ELOGIN 18456', async () => {
    const e = await rejection(connect(port, true, { password: 'wrong' }));
    expect(e.code).toBe('ELOGIN');
    expect(e.message).toBe("Login failed for user 'sa'.");
    expect((e.originalError as { number?: number } | undefined)?.number ?? 18456).toBe(18456);
  });

  it('logs in a non-sysadmin SQL login', async () => {
    const pool = await connect(port, false, { user: 'labuser', password: `${SA_PASSWORD}-user` });
    try {
      expect((await pool.request().query('SELECT SUSER_SNAME() AS who')).recordset).toEqual([
        { who: 'labuser' },
      ]);
    } finally {
      await pool.close();
    }
  });

  it.each([false, true])('logs in a lab domain account over NTLM (encrypt=%s)', async (encrypt) => {
    const pool = await connect(port, encrypt, {
      user: undefined,
      password: undefined,
      authentication: {
        type: 'ntlm',
        options: { domain: 'LAB', userName: 'sqladmin', password: DOMAIN_PASSWORD },
      },
    });
    try {
      expect((await pool.request().query('SELECT SUSER_SNAME() AS who')).recordset).toEqual([
        { who: 'LAB\\sqladmin' },
      ]);
    } finally {
      await pool.close();
    }
  });

  it('rejects NTLM with a wrong password (18452) and a domain account without a login (18456)', async () => {
    const ntlm = (userName: string, password: string) =>
      connect(port, true, {
        user: undefined,
        password: undefined,
        authentication: { type: 'ntlm', options: { domain: 'LAB', userName, password } },
      });
    const wrong = await rejection(ntlm('sqladmin', 'not-the-password'));
    expect(wrong.code).toBe('ELOGIN');
    expect(wrong.message).toContain('untrusted domain');
    const unknown = await rejection(ntlm('nobody', DOMAIN_PASSWORD));
    expect(unknown.code).toBe('ELOGIN');
    const noLogin = await rejection(ntlm('nologin', DOMAIN_PASSWORD));
    expect(noLogin.code).toBe('ELOGIN');
    expect(noLogin.message).toBe("Login failed for user 'LAB\\nologin'.");
  });

  it('serves 100 concurrent connections, each with its own session', async () => {
    const pools = await Promise.all(Array.from({ length: 100 }, () => connect(port, false)));
    try {
      const spids = await Promise.all(
        pools.map(async (p) => (await p.request().query('SELECT @@SPID AS spid')).recordset[0].spid),
      );
      expect(new Set(spids).size).toBe(100);
      expect(server.connectionCount).toBeGreaterThanOrEqual(100);
    } finally {
      await Promise.all(pools.map((p) => p.close()));
    }
  });
});
