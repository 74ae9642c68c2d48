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
