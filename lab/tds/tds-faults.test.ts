// Fault switches of one instance, observed through the real mssql client.
import type sql from 'mssql';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseFaultPatch } from './faults';
import type { TdsServer } from './server';
import { connect, rejection, startTestInstance } from './tds-test-helpers';

let server: TdsServer;
let port: number;

beforeAll(async () => {
  ({ server, port } = await startTestInstance());
});
afterEach(async () => {
  await server.setFaults({
    down: false,
    refuseLogins: false,
    dropNextBatch: false,
    dropNextRequest: false,
    slowMs: 0,
  });
});
afterAll(async () => {
  await server.stop();
});

const noRetry = {
  options: { maxRetriesOnTransientErrors: 0 } as sql.config['options'],
  connectionTimeout: 3000,
};

describe.each([false, true])('faults with encrypt=%s', (encrypt) => {
  it('down refuses connections and drops open ones; up accepts again on the same port', async () => {
    const pool = await connect(port, encrypt);
    try {
      await server.setFaults({ down: true });
      const dropped = await rejection(pool.request().query('SELECT 1 AS one'));
      expect(['ESOCKET', 'ECONNCLOSED', 'ENOTOPEN']).toContain(dropped.code);
      const refused = await rejection(connect(port, encrypt, noRetry));
      expect(refused.code).toBe('ESOCKET');
      expect(refused.message).toMatch(/Could not connect/);
      await server.setFaults({ down: false });
      expect((await pool.request().query('SELECT 1 AS one')).recordset).toEqual([{ one: 1 }]);
    } finally {
      await pool.close();
    }
  });

  it('refuseLogins answers every login with 18456', async () => {
    await server.setFaults({ refuseLogins: true });
    const e = await rejection(connect(port, encrypt, noRetry));
    expect(e.code).toBe('ELOGIN');
    expect(e.message).toBe("Login failed for user 'sa'.");
    await server.setFaults({ refuseLogins: false });
    const pool = await connect(port, encrypt);
    await pool.close();
  });

  it('dropNextBatch cuts the next batch after its first message reached the client, once', async () => {
    const pool = await connect(port, encrypt);
    try {
      await server.setFaults({ dropNextBatch: true });
      // Pool validation and other RPCs are not batches: they are left alone.
      expect((await pool.request().query('SELECT 1 AS rpc')).recordset).toEqual([{ rpc: 1 }]);
      const infos: string[] = [];
      const req = pool.request();
      req.on('info', (m: { message: string }) => infos.push(m.message));
      const e = await rejection(req.batch("PRINT N'first'\nSELECT 2 AS never"));
      expect(['ESOCKET', 'ECONNCLOSED', 'ECONNRESET']).toContain(e.code);
      expect(infos).toEqual(['first']);
      expect(server.faults.dropNextBatch).toBe(false);
      expect((await pool.request().batch('SELECT 3 AS three')).recordset).toEqual([{ three: 3 }]);
    } finally {
      await pool.close();
    }
  });

  it('dropNextRequest cuts the next request of any kind', async () => {
    const pool = await connect(port, encrypt, { validateConnection: false } as Partial<sql.config>);
    try {
      await server.setFaults({ dropNextRequest: true });
      const e = await rejection(pool.request().query('SELECT 1 AS one'));
      expect(['ESOCKET', 'ECONNCLOSED', 'ECONNRESET']).toContain(e.code);
      expect((await pool.request().query('SELECT 1 AS one')).recordset).toEqual([{ one: 1 }]);
    } finally {
      await pool.close();
    }
  });

  it('slowMs delays requests past a client timeout; the delay is cancellable and the connection survives', async () => {
    // Without pool validation, whose own SELECT 1 would be slowed (and time out) too.
    const pool = await connect(port, encrypt, {
      requestTimeout: 300,
      validateConnection: false,
    } as Partial<sql.config>);
    try {
      const spid = (await pool.request().query('SELECT @@SPID AS spid')).recordset[0].spid;
      await server.setFaults({ slowMs: 60_000 });
      const e = await rejection(pool.request().batch('SELECT 1 AS one'));
      expect(e.code).toBe('ETIMEOUT');
      await server.setFaults({ slowMs: 0 });
      expect((await pool.request().query('SELECT @@SPID AS spid')).recordset[0].spid).toBe(spid);
    } finally {
      await pool.close();
    }
  });
});

describe('parseFaultPatch', () => {
  it('accepts the documented switches and rejects anything else', () => {
    expect(parseFaultPatch({ down: true, slowMs: 250 })).toEqual({ down: true, slowMs: 250 });
    expect(parseFaultPatch({ down: 'yes' })).toBe('down must be a boolean');
    expect(parseFaultPatch({ slowMs: -1 })).toMatch(/slowMs/);
    expect(parseFaultPatch({ explode: true })).toBe('unknown fault: explode');
    expect(parseFaultPatch([])).toBe('body must be a JSON object');
  });
});
