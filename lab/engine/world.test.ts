import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { LAB_DOMAIN_DEFAULT_PASSWORD, LAB_USER } from './instance';
import { openWorld, run, SA_PASSWORD, tempRoot } from './testing/recording-sink';
import type { EngineLabWorld } from './world';

const P = 'SQL01\\PCHAT';
const M = 'SQL02\\PCHAT';
const worlds: EngineLabWorld[] = [];
async function open(root?: string, reset = false) {
  const w = await openWorld(root, reset);
  worlds.push(w);
  return w;
}
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
});

async function roles(world: EngineLabWorld, server: string) {
  return (
    await run(
      world,
      server,
      'SELECT d.name, m.mirroring_role_desc AS role, m.mirroring_state_desc AS state, m.mirroring_partner_instance AS partner, d.state_desc FROM sys.database_mirroring m JOIN sys.databases d ON d.database_id = m.database_id WHERE m.mirroring_guid IS NOT NULL ORDER BY d.name',
    )
  ).objects();
}

describe('starting state', () => {
  test('the four instances as Topology Builder leaves them', async () => {
    const world = await open();
    expect(world.instances.map((i) => [i.role, i.serverName])).toEqual([
      ['primary', 'SQL01\\PCHAT'],
      ['primaryMirror', 'SQL02\\PCHAT'],
      ['backup', 'SQLDR01\\PCHAT'],
      ['backupMirror', 'SQLDR02\\PCHAT'],
    ]);
    expect(await roles(world, P)).toEqual([
      { name: 'mgc', role: 'PRINCIPAL', state: 'SYNCHRONIZED', partner: M, state_desc: 'ONLINE' },
      { name: 'mgccomp', role: 'PRINCIPAL', state: 'SYNCHRONIZED', partner: M, state_desc: 'ONLINE' },
    ]);
    expect(await roles(world, M)).toEqual([
      { name: 'mgc', role: 'MIRROR', state: 'SYNCHRONIZED', partner: P, state_desc: 'RESTORING' },
      { name: 'mgccomp', role: 'MIRROR', state: 'SYNCHRONIZED', partner: P, state_desc: 'RESTORING' },
    ]);
    const backup = await run(
      world,
      'SQLDR01\\PCHAT',
      'SELECT name, state_desc, recovery_model_desc FROM sys.databases WHERE database_id > 4 ORDER BY name',
    );
    expect(backup.objects()).toEqual([
      { name: 'mgc', state_desc: 'ONLINE', recovery_model_desc: 'FULL' },
      { name: 'mgccomp', state_desc: 'ONLINE', recovery_model_desc: 'FULL' },
    ]);
    expect(
      (
        await run(world, 'SQLDR02\\PCHAT', 'SELECT COUNT(*) AS n FROM sys.databases WHERE database_id > 4')
      ).objects(),
    ).toEqual([{ n: 0 }]);
  });

  test('logins: sa, labuser, domain accounts; a wrong password is 18456', async () => {
    const world = await open();
    const e = world.instance(P)!.engine;
    expect(e.loginSql('sa', SA_PASSWORD)).toMatchObject({ ok: true, isSysadmin: true });
    expect(e.loginSql(LAB_USER.login, LAB_USER.password)).toMatchObject({ ok: true, isSysadmin: false });
    expect(e.loginSql('sa', 'wrong')).toEqual({
      ok: false,
      error: { number: 18456, state: 8, class: 14, message: "Login failed for user 'sa'.", line: 1 },
    });
    expect(e.loginWindows('LAB\\sqladmin')).toMatchObject({ ok: true, isSysadmin: true });
    expect(e.loginWindows('LAB\\nobody').ok).toBe(false);
    expect(e.domainAccountPassword('LAB\\sqlsvc')).toBe(
      process.env.LAB_DOMAIN_PASSWORD || LAB_DOMAIN_DEFAULT_PASSWORD,
    );
    expect(e.domainAccountPassword('LAB\\nobody')).toBeUndefined();
  });
});

describe('mirroring', () => {
  test('SET PARTNER FAILOVER on the principal swaps the roles of that database only', async () => {
    const world = await open();
    await world.control('POST', '/data/messages', { server: P, database: 'mgc', count: 4 });
    const sink = await run(world, P, 'ALTER DATABASE mgc SET PARTNER FAILOVER');
    expect(sink.errors).toEqual([]);
    expect(world.mirroring(M, 'mgc')).toEqual({
      database: 'mgc',
      role: 'PRINCIPAL',
      state: 'SYNCHRONIZED',
      partnerServerName: P,
    });
    expect(world.mirroring(P, 'mgc')).toMatchObject({ role: 'MIRROR' });
    expect(world.mirroring(P, 'mgccomp')).toMatchObject({ role: 'PRINCIPAL' });
    expect((await run(world, M, 'SELECT COUNT(*) AS n FROM mgc.dbo.chat')).objects()).toEqual([{ n: 7 }]);
    expect((await run(world, P, 'SELECT COUNT(*) AS n FROM mgc.dbo.chat')).errors[0]!.number).toBe(954);
  });

  test('failoverMirroring (the SfB side) and back', async () => {
    const world = await open();
    world.failoverMirroring('mgccomp', M);
    expect(world.mirroring(M, 'mgccomp')?.role).toBe('PRINCIPAL');
    world.failoverMirroring('mgccomp', P);
    expect(world.mirroring(P, 'mgccomp')?.role).toBe('PRINCIPAL');
    expect(world.mirroring('SQLDR01\\PCHAT', 'mgc')).toBeUndefined();
  });

  test('a new mirroring session from T-SQL: backup, restore WITH NORECOVERY, SET PARTNER on the mirror then the principal', async () => {
    const world = await open();
    const B = 'SQLDR01\\PCHAT';
    const BM = 'SQLDR02\\PCHAT';
    for (const sql of [
      `BACKUP DATABASE mgc TO DISK = N'\\\\FS01\\PChatLogShip\\m.bak' WITH INIT`,
      `BACKUP LOG mgc TO DISK = N'\\\\FS01\\PChatLogShip\\m.trn' WITH INIT`,
    ])
      expect((await run(world, B, sql)).errors).toEqual([]);
    for (const sql of [
      `RESTORE DATABASE mgc FROM DISK = N'\\\\FS01\\PChatLogShip\\m.bak' WITH NORECOVERY`,
      `RESTORE LOG mgc FROM DISK = N'\\\\FS01\\PChatLogShip\\m.trn' WITH NORECOVERY`,
      "ALTER DATABASE mgc SET PARTNER = N'TCP://sqldr01.lab.local:5022'",
    ])
      expect((await run(world, BM, sql)).errors).toEqual([]);
    expect(
      (await run(world, B, "ALTER DATABASE mgc SET PARTNER = N'TCP://sqldr02.lab.local:5022'")).errors,
    ).toEqual([]);
    expect(world.mirroring(B, 'mgc')).toEqual({
      database: 'mgc',
      role: 'PRINCIPAL',
      state: 'SYNCHRONIZED',
      partnerServerName: BM,
    });
    expect(world.mirroring(BM, 'mgc')).toEqual({
      database: 'mgc',
      role: 'MIRROR',
      state: 'SYNCHRONIZED',
      partnerServerName: B,
    });
    expect(
      (await run(world, B, "ALTER DATABASE mgc SET PARTNER = N'TCP://nowhere.lab.local:5022'")).errors[0]!
        .number,
    ).toBe(1418);
  });

  test('establishMirroring (Install-CsMirrorDatabase) after a DR failover mirrors the backup store', async () => {
    const world = await open();
    const B = 'SQLDR01\\PCHAT';
    const BM = 'SQLDR02\\PCHAT';
    await world.control('POST', '/data/messages', { server: B, database: 'mgc', count: 2 });
    world.establishMirroring('mgc', B, BM);
    expect(world.mirroring(B, 'mgc')).toEqual({
      database: 'mgc',
      role: 'PRINCIPAL',
      state: 'SYNCHRONIZED',
      partnerServerName: BM,
    });
    expect(
      (await run(world, BM, "SELECT state_desc FROM sys.databases WHERE name = 'mgc'")).objects(),
    ).toEqual([{ state_desc: 'RESTORING' }]);
    world.failoverMirroring('mgc', BM);
    expect((await run(world, BM, 'SELECT COUNT(*) AS n FROM mgc.dbo.chat')).objects()).toEqual([{ n: 5 }]);
    expect(() => world.establishMirroring('mgc', 'SQL01\\PCHAT', BM)).toThrow(/already mirrored/);
  });

  test('SET PARTNER FAILOVER on the mirror is refused', async () => {
    const world = await open();
    expect(
      (await run(world, M, 'ALTER DATABASE mgc SET PARTNER FAILOVER')).errors.map((e) => e.number),
    ).toEqual([5011, 5069]);
  });

  test('a suspended session cannot fail over: 1422', async () => {
    const world = await open();
    await run(world, P, 'ALTER DATABASE mgc SET PARTNER SUSPEND');
    expect((await run(world, P, 'ALTER DATABASE mgc SET PARTNER FAILOVER')).errors[0]!.number).toBe(1422);
  });
});

describe('persistence and control', () => {
  test('state survives close and reopen; reset starts clean', async () => {
    const root = tempRoot();
    const first = await open(root);
    await first.control('POST', '/data/messages', { server: P, database: 'mgc', count: 10 });
    await run(first, P, "EXEC msdb.dbo.sp_add_schedule @schedule_name = N'kept', @freq_type = 4");
    first.writeDoc('pool', { state: 'FailedOver' });
    await first.close();
    worlds.splice(worlds.indexOf(first), 1);
    expect(fs.existsSync(path.join(root, 'state', 'world.json'))).toBe(true);

    const second = await open(root);
    expect(
      (
        (await second.control(
          'GET',
          `/data/messages?server=${encodeURIComponent(P)}&database=mgc`,
          undefined,
        ))!.body as { count: number }
      ).count,
    ).toBe(13);
    expect((await run(second, P, 'SELECT name FROM msdb.dbo.sysschedules')).objects()).toEqual([
      { name: 'kept' },
    ]);
    expect(second.readDoc('pool', null)).toEqual({ state: 'FailedOver' });
    await second.close();
    worlds.splice(worlds.indexOf(second), 1);

    const third = await open(root, true);
    expect(
      (
        (await third.control(
          'GET',
          `/data/messages?server=${encodeURIComponent(P)}&database=mgc`,
          undefined,
        ))!.body as { count: number }
      ).count,
    ).toBe(3);
    expect(third.readDoc('pool', 'none')).toBe('none');
  });

  test('job history keeps the last 100 rows per job, as Agent does by default', async () => {
    const world = await open();
    expect((await run(world, P, 'EXEC master.dbo.sp_add_log_shipping_alert_job')).errors).toEqual([]);
    await world.control('POST', '/clock/advance', { minutes: 300 });
    const n = await run(world, P, 'SELECT COUNT(*) AS n, MAX(run_status) AS ok FROM msdb.dbo.sysjobhistory');
    expect(n.objects()).toEqual([{ n: 100, ok: 1 }]);
  });

  test('clock routes, unknown routes, /state and /instance/rebuild', async () => {
    const world = await open();
    const c1 = (await world.control('GET', '/clock', undefined))!.body as { now: string; mode: string };
    expect(c1.mode).toBe('manual');
    const c2 = (await world.control('POST', '/clock/advance', { minutes: 90 }))!.body as { now: string };
    expect(new Date(c2.now).getTime() - new Date(c1.now).getTime()).toBe(90 * 60000);
    expect((await world.control('POST', '/clock/advance', { minutes: -1 }))!.status).toBe(400);
    expect(await world.control('GET', '/nope', undefined)).toBeUndefined();
    const state = (await world.control('GET', '/state', undefined))!.body as {
      instances: { serverName: string; databases: { name: string }[] }[];
    };
    expect(state.instances.map((i) => i.databases.map((d) => d.name))).toEqual([
      ['mgc', 'mgccomp'],
      ['mgc', 'mgccomp'],
      ['mgc', 'mgccomp'],
      [],
    ]);
    await world.control('POST', '/instance/rebuild', { server: P });
    expect(
      (await run(world, P, "SELECT COUNT(*) AS n FROM sys.databases WHERE name = 'mgc'")).objects(),
    ).toEqual([{ n: 0 }]);
    expect(world.mirroring(M, 'mgc')).toMatchObject({ role: 'MIRROR', state: 'DISCONNECTED' });
  });
});

describe('POST /instance/rebuild with reinstall', () => {
  /** The lineage (FamilyGUID) of mgc on the primary, read from a full backup of it. */
  async function familyGuid(world: EngineLabWorld, name: string) {
    const file = `\\\\FS01\\PChatLogShip\\lineage-${name}.bak`;
    expect((await run(world, P, `BACKUP DATABASE mgc TO DISK = N'${file}' WITH INIT`)).errors).toEqual([]);
    return (await run(world, P, `RESTORE HEADERONLY FROM DISK = N'${file}'`)).objects()[0]?.FamilyGUID;
  }

  test('empty mgc and mgccomp as Topology Builder installs them: ONLINE, FULL, a new lineage, no message', async () => {
    const world = await open();
    const lineage = await familyGuid(world, 'installed');
    const reply = await world.control('POST', '/instance/rebuild', { server: P, reinstall: true });
    expect(reply).toEqual({
      status: 200,
      body: { server: P, databases: ['master', 'tempdb', 'model', 'msdb', 'mgc', 'mgccomp'] },
    });
    expect(
      (
        await run(
          world,
          P,
          'SELECT d.name, d.state_desc, d.recovery_model_desc, m.mirroring_guid FROM sys.databases d LEFT JOIN sys.database_mirroring m ON m.database_id = d.database_id WHERE d.database_id > 4 ORDER BY d.name',
        )
      ).objects(),
    ).toEqual([
      { name: 'mgc', state_desc: 'ONLINE', recovery_model_desc: 'FULL', mirroring_guid: null },
      { name: 'mgccomp', state_desc: 'ONLINE', recovery_model_desc: 'FULL', mirroring_guid: null },
    ]);
    expect(
      (
        await run(world, P, "SELECT physical_name FROM sys.master_files WHERE database_id = DB_ID(N'mgc')")
      ).objects(),
    ).toEqual([
      { physical_name: 'D:\\CsData\\PersistentChatStore\\PCHAT\\mgc.mdf' },
      { physical_name: 'D:\\CsData\\PersistentChatStore\\PCHAT\\mgc_log.ldf' },
    ]);
    expect((await run(world, P, 'SELECT COUNT(*) AS n FROM mgc.dbo.chat')).objects()).toEqual([{ n: 0 }]);
    const after = await familyGuid(world, 'reinstalled');
    expect(after).toMatch(/^[0-9A-F-]{36}$/);
    expect(after).not.toBe(lineage);
    expect(world.mirroring(M, 'mgc')).toMatchObject({ role: 'MIRROR', state: 'DISCONNECTED' });
    expect((await world.control('POST', '/instance/rebuild', { server: P, reinstall: 'yes' }))!.status).toBe(
      400,
    );
  });
});

describe('POST /site', () => {
  const B = 'SQLDR01\\PCHAT';
  const mirroringState = async (world: EngineLabWorld, server: string, database: string) =>
    (
      await run(
        world,
        server,
        `SELECT m.mirroring_role_desc AS role, m.mirroring_state_desc AS state FROM sys.database_mirroring m WHERE m.database_id = DB_ID(N'${database}')`,
      )
    ).objects()[0];

  test('the Primary site down: its Agents stop and run nothing, partners elsewhere see DISCONNECTED; back up: both resume', async () => {
    const world = await open();
    // A session across the sites: mgc principal on the backup store, mirrored to the primary site's SQL02.
    expect((await run(world, P, 'ALTER DATABASE mgc SET PARTNER OFF')).errors).toEqual([]);
    world.establishMirroring('mgc', B, M);
    await run(world, P, 'EXEC master.dbo.sp_add_log_shipping_alert_job');
    await run(world, B, 'EXEC master.dbo.sp_add_log_shipping_alert_job');

    const down = await world.control('POST', '/site', { site: 'Primary', down: true });
    expect(down).toEqual({
      status: 200,
      body: {
        site: 'Primary',
        down: true,
        instances: [
          { serverName: P, role: 'primary', down: true, agentRunning: false },
          { serverName: M, role: 'primaryMirror', down: true, agentRunning: false },
        ],
      },
    });
    expect(await mirroringState(world, B, 'mgc')).toEqual({ role: 'PRINCIPAL', state: 'DISCONNECTED' });
    // Downed stores cannot be asked about their mirroring (SfB: DatabaseInaccessible).
    expect(world.mirroring(M, 'mgc')).toBeUndefined();
    expect(world.mirroring(P, 'mgccomp')).toBeUndefined();
    expect(
      (await world.control('POST', '/data/messages', { server: P, database: 'mgccomp', count: 1 }))!.status,
    ).toBe(503);
    expect((await world.control('POST', '/agent', { server: P, running: true }))!.status).toBe(409);
    await world.control('POST', '/data/messages', { server: B, database: 'mgc', count: 5 });

    const history = async (server: string) =>
      (await run(world, server, 'SELECT COUNT(*) AS n FROM msdb.dbo.sysjobhistory')).objects()[0]!
        .n as number;
    const [p0, b0] = [await history(P), await history(B)];
    await world.control('POST', '/clock/advance', { minutes: 30 });
    expect(await history(P)).toBe(p0);
    expect(await history(B)).toBeGreaterThan(b0);
    expect(
      ((await world.control('GET', '/site', undefined))!.body as { sites: { site: string; down: boolean }[] })
        .sites,
    ).toEqual([
      expect.objectContaining({ site: 'Primary', down: true }),
      expect.objectContaining({ site: 'Backup', down: false }),
    ]);

    const up = await world.control('POST', '/site', { site: 'Primary', down: false });
    expect((up!.body as { instances: { agentRunning: boolean; down: boolean }[] }).instances).toEqual([
      expect.objectContaining({ down: false, agentRunning: true }),
      expect.objectContaining({ down: false, agentRunning: true }),
    ]);
    expect(await mirroringState(world, B, 'mgc')).toEqual({ role: 'PRINCIPAL', state: 'SYNCHRONIZED' });
    expect(await mirroringState(world, P, 'mgccomp')).toEqual({ role: 'PRINCIPAL', state: 'SYNCHRONIZED' });
    // The mirror caught up with what the principal wrote while it was away.
    world.failoverMirroring('mgc', M);
    expect((await run(world, M, 'SELECT COUNT(*) AS n FROM mgc.dbo.chat')).objects()).toEqual([{ n: 8 }]);
    const p1 = await history(P);
    await world.control('POST', '/clock/advance', { minutes: 30 });
    expect(await history(P)).toBeGreaterThan(p1);
  });

  test('SET PARTNER OFF while the partner is down: the partner keeps its half, DISCONNECTED, until PARTNER OFF there', async () => {
    const world = await open();
    await run(world, P, 'ALTER DATABASE mgc SET PARTNER OFF');
    world.establishMirroring('mgc', B, M);
    await world.control('POST', '/site', { site: 'Primary', down: true });
    expect((await run(world, B, 'ALTER DATABASE mgc SET PARTNER OFF')).errors).toEqual([]);
    expect(world.mirroring(B, 'mgc')).toBeUndefined();
    // A new session to a downed partner cannot be set up.
    expect(
      (await run(world, B, "ALTER DATABASE mgccomp SET PARTNER = N'TCP://sql02.lab.local:5022'")).errors.map(
        (e) => e.number,
      ),
    ).toEqual([1418, 5069]);
    await world.control('POST', '/site', { site: 'Primary', down: false });
    expect(await mirroringState(world, M, 'mgc')).toEqual({ role: 'MIRROR', state: 'DISCONNECTED' });
    expect((await run(world, M, 'ALTER DATABASE mgc SET PARTNER OFF')).errors).toEqual([]);
    expect(world.mirroring(M, 'mgc')).toBeUndefined();
  });

  test('failing over to a store whose principal is down forces service; a downed target is refused', async () => {
    const world = await open();
    await run(world, P, 'ALTER DATABASE mgc SET PARTNER OFF');
    world.establishMirroring('mgc', P, B);
    await world.control('POST', '/site', { site: 'Primary', down: true });
    expect(() => world.failoverMirroring('mgc', P)).toThrow(/SQL01\\PCHAT is down/);
    world.failoverMirroring('mgc', B);
    expect(await mirroringState(world, B, 'mgc')).toEqual({ role: 'PRINCIPAL', state: 'DISCONNECTED' });
    await world.control('POST', '/site', { site: 'Primary', down: false });
    // The old principal comes back as the mirror of a suspended session, as after FORCE_SERVICE_ALLOW_DATA_LOSS.
    expect(await mirroringState(world, B, 'mgc')).toEqual({ role: 'PRINCIPAL', state: 'SUSPENDED' });
    expect(world.mirroring(P, 'mgc')).toMatchObject({ role: 'MIRROR', state: 'SUSPENDED' });
  });

  test('bad bodies: 400', async () => {
    const world = await open();
    expect((await world.control('POST', '/site', { site: 'Nowhere', down: true }))!.status).toBe(400);
    expect((await world.control('POST', '/site', { site: 'Backup' }))!.status).toBe(400);
  });
});
