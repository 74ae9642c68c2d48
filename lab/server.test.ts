// The whole lab process: instances in role order, discovery file, control API routes and faults, over real sockets.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sql from 'mssql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabInstance, LabRole, LabWorld, MirroringView } from './engine/contract';
import { LabControlError, labControl, readLabDiscovery, type LabControl } from './control-client';
import { describeLab } from './main';
import { startLab, type RunningLab, type WorldFactory } from './server';
import { TestEngine } from './tds/test-engine';

/** A LabWorld over the TDS test engine: enough to start the lab without lab/engine. */
function testWorldFactory(calls: { root: string; saPassword: string }[]): WorldFactory {
  return async ({ root, saPassword }) => {
    calls.push({ root, saPassword });
    const names: [LabRole, string][] = [
      // deliberately out of order: the lab sorts by role
      ['backup', 'SQLDR01\\PCHAT'],
      ['primary', 'SQL01\\PCHAT'],
      ['backupMirror', 'SQLDR02\\PCHAT'],
      ['primaryMirror', 'SQL02\\PCHAT'],
    ];
    const instances: LabInstance[] = names.map(([role, serverName]) => ({
      role,
      serverName,
      engine: new TestEngine({ serverName, saPassword }),
    }));
    const docs = new Map<string, unknown>();
    const mirroring = new Map<string, MirroringView>();
    const world: LabWorld & { closed: boolean } = {
      root,
      instances,
      closed: false,
      instance: (n) => instances.find((i) => i.serverName.toUpperCase() === n.toUpperCase()),
      mirroring: (s, d) => mirroring.get(`${s}|${d}`),
      failoverMirroring: () => {},
      readDoc: <T>(key: string, fallback: T) => (docs.has(key) ? (docs.get(key) as T) : fallback),
      writeDoc: (key, value) => void docs.set(key, value),
      control: async (method, p, body) =>
        method === 'POST' && p.startsWith('/clock/advance')
          ? { status: 200, body: { advanced: body } }
          : undefined,
      close: async () => {
        world.closed = true;
      },
    };
    return world;
  };
}

describe('startLab with a test world', () => {
  let lab: RunningLab;
  let control: LabControl;
  const calls: { root: string; saPassword: string }[] = [];
  const root = mkdtempSync(path.join(os.tmpdir(), 'lab-root-'));

  beforeAll(async () => {
    lab = await startLab({
      root,
      basePort: 0,
      controlPort: 0,
      saPassword: 'Given-Pass-1',
      worldFactory: testWorldFactory(calls),
    });
    control = labControl(lab.controlUrl);
  });
  afterAll(async () => {
    await lab.stop();
  });

  const connectTo = (serverName: string, extra: Partial<sql.config> = {}) => {
    const inst = lab.instances.find((i) => i.serverName === serverName);
    if (!inst) throw new Error(`no ${serverName}`);
    const pool = new sql.ConnectionPool({
      server: inst.host,
      port: inst.port,
      user: 'sa',
      password: lab.saPassword,
      options: { encrypt: true, trustServerCertificate: true, maxRetriesOnTransientErrors: 0 },
      pool: { max: 1 },
      ...extra,
    });
    return pool.connect();
  };

  it('hands the world its root and sa password and lists instances in role order', () => {
    expect(calls).toEqual([{ root, saPassword: 'Given-Pass-1' }]);
    expect(lab.instances.map((i) => [i.role, i.serverName, i.host])).toEqual([
      ['primary', 'SQL01\\PCHAT', '127.0.0.1'],
      ['primaryMirror', 'SQL02\\PCHAT', '127.0.0.1'],
      ['backup', 'SQLDR01\\PCHAT', '127.0.0.1'],
      ['backupMirror', 'SQLDR02\\PCHAT', '127.0.0.1'],
    ]);
    expect(new Set(lab.instances.map((i) => i.port)).size).toBe(4);
  });

  it('writes lab.json from which a client finds the control API and the ports, but never a password it was given', () => {
    const d = readLabDiscovery(path.join(root, 'lab.json'));
    expect(d.controlUrl).toBe(lab.controlUrl);
    expect(d.saPassword).toBeUndefined();
    expect(d.instances).toEqual(lab.instances);
    expect(existsSync(lab.saPasswordFile)).toBe(false);
  });

  it('serves each instance over TDS with its own @@SERVERNAME', async () => {
    for (const inst of lab.instances) {
      const pool = await connectTo(inst.serverName);
      try {
        expect((await pool.request().query('SELECT @@SERVERNAME AS n')).recordset).toEqual([
          { n: inst.serverName },
        ]);
      } finally {
        await pool.close();
      }
    }
  });

  it('answers /health, /instances and /faults', async () => {
    expect(await control.health()).toEqual({ ok: true, instances: 4, root });
    const instances = await control.instances();
    expect(instances.map((i) => i.serverName)).toEqual(lab.instances.map((i) => i.serverName));
    expect(instances[0]?.faults).toEqual({
      down: false,
      refuseLogins: false,
      dropNextBatch: false,
      dropNextRequest: false,
      slowMs: 0,
    });
    expect(Object.keys(await control.faults())).toHaveLength(4);
  });

  it('applies faults to one instance only and clears them', async () => {
    const set = await control.setFaults('SQL02\\PCHAT', { refuseLogins: true });
    expect(set.faults.refuseLogins).toBe(true);
    await expect(connectTo('SQL02\\PCHAT')).rejects.toMatchObject({ code: 'ELOGIN' });
    const ok = await connectTo('SQL01\\PCHAT');
    await ok.close();
    await control.setFaults('sql02\\pchat', { refuseLogins: false, down: true });
    await expect(connectTo('SQL02\\PCHAT', { connectionTimeout: 3000 })).rejects.toMatchObject({
      code: 'ESOCKET',
    });
    await control.clearFaults();
    const back = await connectTo('SQL02\\PCHAT');
    await back.close();
    expect(Object.values(await control.faults()).every((f) => !f.down && !f.refuseLogins)).toBe(true);
  });

  it('rejects bad fault requests with 400 and unknown instances with 404', async () => {
    await expect(control.setFaults('SQL01\\PCHAT', { slowMs: -5 })).rejects.toMatchObject({ status: 400 });
    await expect(control.post('/faults/SQL01%5CPCHAT', { explode: true })).rejects.toMatchObject({
      status: 400,
      body: { error: 'unknown fault: explode' },
    });
    await expect(control.setFaults('SQL99\\PCHAT', { down: true })).rejects.toMatchObject({ status: 404 });
    const res = await fetch(`${lab.controlUrl}/faults/SQL01%5CPCHAT`, { method: 'POST', body: '{not json' });
    expect(res.status).toBe(400);
  });

  it('passes other routes to the world, /sfb/* to the SfB handler, and 404s the rest', async () => {
    expect(await control.post('/clock/advance', { minutes: 15 })).toEqual({ advanced: { minutes: 15 } });
    const e = await control.get('/nothing/here').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LabControlError);
    expect((e as LabControlError).status).toBe(404);
    const sfb = await fetch(`${lab.controlUrl}/sfb/no-such-route`);
    // Answered by lab/sfb/control.ts (its own 404), not by the lab's catch-all or a 503 for a missing module.
    expect(sfb.status).toBe(404);
    expect(JSON.stringify(await sfb.json())).not.toContain('no route for');
  });

  it('prints one line per instance, the control API and the login', () => {
    const lines = describeLab(lab);
    expect(lines.slice(0, 4).map((l) => l.split(/\s+/).slice(0, 3))).toEqual(
      lab.instances.map((i) => [i.role, i.serverName, `127.0.0.1,${i.port}`]),
    );
    expect(lines.join('\n')).toContain(lab.controlUrl);
    expect(lines.join('\n')).toMatch(/^login\s+sa \//m);
  });
});

describe('lab lifecycle', () => {
  it('generates an sa password once, keeps it across restarts, and removes lab.json on stop', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'lab-root-'));
    const saved = process.env.LAB_SA_PASSWORD;
    delete process.env.LAB_SA_PASSWORD;
    try {
      const first = await startLab({ root, basePort: 0, controlPort: 0, worldFactory: testWorldFactory([]) });
      expect(first.saPasswordGenerated).toBe(true);
      expect(first.saPassword).toMatch(/^Lab-/);
      await first.stop();
      expect(existsSync(path.join(root, 'lab.json'))).toBe(false);
      const second = await startLab({
        root,
        basePort: 0,
        controlPort: 0,
        worldFactory: testWorldFactory([]),
      });
      expect(second.saPasswordGenerated).toBe(false);
      expect(second.saPassword).toBe(first.saPassword);
      const port = second.instances[0]?.port;
      await second.stop();
      await expect(fetch(`${second.controlUrl}/health`)).rejects.toThrow();
      await expect(
        sql.connect({
          server: '127.0.0.1',
          port,
          user: 'sa',
          password: second.saPassword,
          options: { encrypt: false },
        }),
      ).rejects.toMatchObject({ code: 'ESOCKET' });
      const reset = await startLab({
        root,
        reset: true,
        basePort: 0,
        controlPort: 0,
        worldFactory: testWorldFactory([]),
      });
      expect(reset.saPassword).not.toBe(first.saPassword);
      expect(readFileSync(reset.saPasswordFile, 'utf8').trim()).toBe(reset.saPassword);
      await reset.stop();
    } finally {
      if (saved !== undefined) process.env.LAB_SA_PASSWORD = saved;
    }
  });
});

describe('startLab with the real engine', () => {
  it('starts createLabWorld: @@SERVERNAME on the primary, SQL and NTLM logins', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'lab-real-'));
    const lab = await startLab({
      root,
      basePort: 0,
      controlPort: 0,
      saPassword: 'Real-Pass-1',
      clock: 'manual',
    });
    try {
      const primary = lab.instances.find((i) => i.role === 'primary');
      expect(primary?.serverName).toBe('SQL01\\PCHAT');
      const pool = await new sql.ConnectionPool({
        server: '127.0.0.1',
        port: primary?.port,
        user: 'sa',
        password: 'Real-Pass-1',
        // mgc is a mirrored principal here: the login also carries its partner (ENVCHANGE 13).
        database: 'mgc',
        options: { encrypt: true, trustServerCertificate: true },
      }).connect();
      try {
        expect((await pool.request().query('SELECT DB_NAME() AS db')).recordset).toEqual([{ db: 'mgc' }]);
        expect((await pool.request().query('SELECT @@SERVERNAME AS n')).recordset).toEqual([
          { n: 'SQL01\\PCHAT' },
        ]);
      } finally {
        await pool.close();
      }
      const password = lab.world.instance('SQL01\\PCHAT')?.engine.domainAccountPassword('LAB\\sqladmin');
      expect(password).toBeTruthy();
      const ntlm = await new sql.ConnectionPool({
        server: '127.0.0.1',
        port: primary?.port,
        authentication: {
          type: 'ntlm',
          options: { domain: 'LAB', userName: 'sqladmin', password: password as string },
        },
        options: { encrypt: true, trustServerCertificate: true },
      }).connect();
      try {
        expect((await ntlm.request().query('SELECT SUSER_SNAME() AS who')).recordset).toEqual([
          { who: 'LAB\\sqladmin' },
        ]);
      } finally {
        await ntlm.close();
      }
    } finally {
      await lab.stop();
    }
  });
});

describe('data centers and sessions with the real engine', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'lab-site-'));
  let lab: RunningLab;
  let control: LabControl;
  const start = async () => {
    lab = await startLab({ root, basePort: 0, controlPort: 0, saPassword: 'Site-Pass-1', clock: 'manual' });
    control = labControl(lab.controlUrl);
  };
  beforeAll(start);
  afterAll(async () => {
    await lab.stop();
  });

  const connect = (serverName: string, database = 'master') => {
    const inst = lab.instances.find((i) => i.serverName === serverName);
    return new sql.ConnectionPool({
      server: '127.0.0.1',
      port: inst?.port,
      user: 'sa',
      password: 'Site-Pass-1',
      database,
      connectionTimeout: 3000,
      options: { encrypt: false, maxRetriesOnTransientErrors: 0 },
      pool: { max: 1 },
    }).connect();
  };
  const agentRunning = async () =>
    Object.fromEntries(
      (
        await control.get<{ instances: { serverName: string; agentRunning: boolean }[] }>('/state')
      ).instances.map((i) => [i.serverName, i.agentRunning]),
    );

  it('POST /site takes the Primary data center down (connections refused, Agent stopped) and back, across a restart', async () => {
    const status = await control.setSite('Primary', true);
    expect(status.instances.map((i) => [i.serverName, i.down, i.agentRunning, i.faults.down])).toEqual([
      ['SQL01\\PCHAT', true, false, true],
      ['SQL02\\PCHAT', true, false, true],
    ]);
    for (const name of ['SQL01\\PCHAT', 'SQL02\\PCHAT'])
      await expect(connect(name)).rejects.toMatchObject({ code: 'ESOCKET' });
    const backup = await connect('SQLDR01\\PCHAT');
    await backup.close();
    expect(await agentRunning()).toMatchObject({ 'SQL01\\PCHAT': false, 'SQLDR01\\PCHAT': true });

    await lab.stop();
    await start();
    await expect(connect('SQL01\\PCHAT')).rejects.toMatchObject({ code: 'ESOCKET' });

    const back = await control.setSite('Primary', false);
    expect(back.instances.map((i) => [i.down, i.agentRunning, i.faults.down])).toEqual([
      [false, true, false],
      [false, true, false],
    ]);
    const primary = await connect('SQL01\\PCHAT');
    try {
      expect((await primary.request().query('SELECT @@SERVERNAME AS n')).recordset).toEqual([
        { n: 'SQL01\\PCHAT' },
      ]);
    } finally {
      await primary.close();
    }
    await expect(control.post('/site', { site: 'Elsewhere', down: true })).rejects.toMatchObject({
      status: 400,
    });
  });

  it('sys.dm_exec_sessions lists the connections; the end-sessions batch KILLs the readers of mgc', async () => {
    const reader = await connect('SQLDR01\\PCHAT', 'mgc');
    const admin = await connect('SQLDR01\\PCHAT');
    try {
      const spid = (await reader.request().query('SELECT @@SPID AS spid')).recordset[0].spid as number;
      const listed = await admin
        .request()
        .query("SELECT session_id FROM sys.dm_exec_sessions WHERE database_id = DB_ID(N'mgc')");
      expect(listed.recordset).toEqual([{ session_id: spid }]);
      await admin
        .request()
        .batch(
          "DECLARE @kill nvarchar(max) = N'';\nSELECT @kill = @kill + N'KILL ' + CONVERT(nvarchar(10), session_id) + N'; '\nFROM sys.dm_exec_sessions\nWHERE database_id = DB_ID(N'mgc') AND session_id <> @@SPID;\nEXEC (@kill);\n",
        );
      const after = await admin
        .request()
        .query("SELECT COUNT(*) AS n FROM sys.dm_exec_sessions WHERE database_id = DB_ID(N'mgc')");
      expect(after.recordset).toEqual([{ n: 0 }]);
      // The pool notices its connection is gone and opens another: a new session.
      const again = (await reader.request().query('SELECT @@SPID AS spid')).recordset[0].spid as number;
      expect(again).not.toBe(spid);
    } finally {
      await reader.close().catch(() => {});
      await admin.close();
    }
  });
});
