import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { EngineLabWorld } from './world';
import { openWorld, run, session } from './testing/recording-sink';

const P = 'SQL01\\PCHAT';
const S = 'SQLDR01\\PCHAT';
const SHARE = '\\\\FS01\\PChatLogShip';

let world: EngineLabWorld;
beforeEach(async () => {
  world = await openWorld();
});
afterEach(async () => {
  await world.close();
});

const errs = (sink: { errors: { number: number; message: string }[] }) =>
  sink.errors.map((e) => [e.number, e.message]);

async function ok(server: string, sql: string) {
  const sink = await run(world, server, sql);
  expect(errs(sink)).toEqual([]);
  return sink;
}

async function messages(server: string): Promise<{ count: number; lsn: string; state: string }> {
  const reply = await world.control(
    'GET',
    `/data/messages?server=${encodeURIComponent(server)}&database=mgc`,
    undefined,
  );
  return reply!.body as { count: number; lsn: string; state: string };
}

async function headers(server: string, file: string) {
  return (await ok(server, `RESTORE HEADERONLY FROM DISK = N'${file}'`)).objects();
}

describe('BACKUP', () => {
  test('prints STATS progress and page counts as SQL Server does', async () => {
    const sink = await ok(
      P,
      `BACKUP DATABASE [mgc] TO DISK = N'${SHARE}\\full.bak' WITH FORMAT, INIT, COMPRESSION, NAME = N'mgc-Full', STATS = 50`,
    );
    expect(sink.printed.slice(0, 2)).toEqual(['50 percent processed.', '100 percent processed.']);
    expect(sink.printed[2]).toMatch(/^Processed \d+ pages for database 'mgc', file 'mgc' on file 1\.$/);
    expect(sink.printed[3]).toMatch(/^Processed \d+ pages for database 'mgc', file 'mgc_log' on file 1\.$/);
    expect(sink.printed[4]).toMatch(
      /^BACKUP DATABASE successfully processed \d+ pages in \d+\.\d{3} seconds \(\d+\.\d{3} MB\/sec\)\.$/,
    );
    expect(sink.messages.map((m) => m.number)).toEqual([3211, 3211, 4035, 4035, 3014]);
    const h = await headers(P, `${SHARE}\\full.bak`);
    expect(h).toEqual([
      expect.objectContaining({
        BackupName: 'mgc-Full',
        BackupType: 1,
        Compressed: 1,
        DatabaseName: 'mgc',
        ServerName: P,
      }),
    ]);
  });

  test('a missing folder: 3201 with OS error 3, then 3013', async () => {
    expect(errs(await run(world, P, "BACKUP LOG mgc TO DISK = N'D:\\nofolder\\mgc.trn'"))).toEqual([
      [
        3201,
        "Cannot open backup device 'D:\\nofolder\\mgc.trn'. Operating system error 3(The system cannot find the path specified.).",
      ],
      [3013, 'BACKUP LOG is terminating abnormally.'],
    ]);
  });

  test('a removed share: OS error 67; restored share works again', async () => {
    await world.control('POST', '/shares', { unc: SHARE, present: false });
    expect((await run(world, P, `BACKUP LOG mgc TO DISK = N'${SHARE}\\a.trn'`)).errors[0]!.message).toBe(
      `Cannot open backup device '${SHARE}\\a.trn'. Operating system error 67(The network name cannot be found.).`,
    );
    await world.control('POST', '/shares', { unc: SHARE, present: true });
    await ok(P, `BACKUP LOG mgc TO DISK = N'${SHARE}\\a.trn'`);
  });

  test('BACKUP LOG needs FULL recovery (4208) and a full backup (4214)', async () => {
    expect(errs(await run(world, S, "BACKUP LOG mgc TO DISK = N'D:\\x.trn'"))[0]).toEqual([
      4214,
      'BACKUP LOG cannot be performed because there is no current database backup.',
    ]);
    await ok(S, 'ALTER DATABASE mgccomp SET RECOVERY SIMPLE');
    expect(errs(await run(world, S, "BACKUP LOG mgccomp TO DISK = N'D:\\x.trn'"))[0]![0]).toBe(4208);
  });

  test('a non-sysadmin cannot back up: 262', async () => {
    const sink = await run(
      world,
      P,
      "BACKUP DATABASE mgc TO DISK = N'D:\\x.bak'",
      session({ login: 'labuser', isSysadmin: false }),
    );
    expect(errs(sink)).toEqual([
      [262, "BACKUP DATABASE permission denied in database 'mgc'."],
      [3013, 'BACKUP DATABASE is terminating abnormally.'],
    ]);
  });

  test('an unknown option: 155; a real option the lab does not model is refused, not ignored', async () => {
    expect(errs(await run(world, P, "BACKUP DATABASE mgc TO DISK = N'D:\\x.bak' WITH INIT, BOGUS"))).toEqual([
      [155, "'BOGUS' is not a recognized BACKUP option."],
    ]);
    expect(
      (await run(world, P, "BACKUP DATABASE mgc TO DISK = N'D:\\x.bak' WITH DIFFERENTIAL")).errors[0]!
        .message,
    ).toBe('The lab does not support BACKUP ... WITH DIFFERENTIAL.');
  });

  test('log backups chain: each begins where the previous ended', async () => {
    await ok(P, `BACKUP LOG mgc TO DISK = N'${SHARE}\\l1.trn'`);
    await world.control('POST', '/data/messages', { server: P, database: 'mgc', count: 3 });
    await ok(P, `BACKUP LOG mgc TO DISK = N'${SHARE}\\l2.trn'`);
    const [h1] = await headers(P, `${SHARE}\\l1.trn`);
    const [h2] = await headers(P, `${SHARE}\\l2.trn`);
    expect(h2!.FirstLSN).toBe(h1!.LastLSN);
    expect(h2!.LastLSN as bigint).toBeGreaterThan(h2!.FirstLSN as bigint);
  });
});

describe('a tail-log backup of a mirrored database', () => {
  const M = 'SQL02\\PCHAT';
  const mirroring = async (server: string) =>
    (
      await ok(
        server,
        'SELECT d.name, d.state_desc, m.mirroring_role_desc AS role FROM sys.databases d JOIN sys.database_mirroring m ON m.database_id = d.database_id WHERE d.database_id > 4 ORDER BY d.name',
      )
    ).objects();

  test('BACKUP LOG WITH NORECOVERY in a mirroring session: 1468 then 3013, and nothing changes', async () => {
    const sink = await run(
      world,
      P,
      `BACKUP LOG [mgc] TO DISK = N'${SHARE}\\tail.trn' WITH NORECOVERY, CHECKSUM`,
    );
    expect(errs(sink)).toEqual([
      [
        1468,
        'The operation cannot be performed on database "mgc" because it is involved in a database mirroring session or an availability group. Some operations are not allowed on a database that is participating in a database mirroring session or in an availability group.',
      ],
      [3013, 'BACKUP LOG is terminating abnormally.'],
    ]);
    expect(await mirroring(P)).toEqual([
      { name: 'mgc', state_desc: 'ONLINE', role: 'PRINCIPAL' },
      { name: 'mgccomp', state_desc: 'ONLINE', role: 'PRINCIPAL' },
    ]);
    expect(
      (await run(world, P, `RESTORE HEADERONLY FROM DISK = N'${SHARE}\\tail.trn'`)).errors[0]!.number,
    ).toBe(3201);
    // An ordinary log backup of the principal is allowed.
    await ok(P, `BACKUP LOG [mgc] TO DISK = N'${SHARE}\\log.trn'`);
  });

  test('SET PARTNER OFF first: the tail leaves the principal RESTORING and the mirror RESTORING, unmirrored', async () => {
    await world.control('POST', '/data/messages', { server: P, database: 'mgc', count: 2 });
    await ok(
      P,
      `ALTER DATABASE [mgc] SET PARTNER OFF;\nBACKUP LOG [mgc] TO DISK = N'${SHARE}\\tail.trn' WITH NORECOVERY, CHECKSUM, STATS = 10;`,
    );
    const state = `SELECT d.name, d.state_desc, m.mirroring_guid FROM sys.databases d LEFT JOIN sys.database_mirroring m ON m.database_id = d.database_id WHERE d.name = N'mgc'`;
    expect((await ok(P, state)).objects()).toEqual([
      { name: 'mgc', state_desc: 'RESTORING', mirroring_guid: null },
    ]);
    expect((await ok(M, state)).objects()).toEqual([
      { name: 'mgc', state_desc: 'RESTORING', mirroring_guid: null },
    ]);
    expect(world.mirroring(M, 'mgc')).toBeUndefined();
    // mgccomp keeps its session.
    expect(world.mirroring(M, 'mgccomp')).toMatchObject({ role: 'MIRROR', state: 'SYNCHRONIZED' });
    const [tail] = (await ok(P, `RESTORE HEADERONLY FROM DISK = N'${SHARE}\\tail.trn'`)).objects();
    expect(tail).toMatchObject({
      BackupType: 2,
      HasBackupChecksums: 1,
      LastLSN: BigInt((await messages(P)).lsn),
    });
  });
});

describe('RESTORE', () => {
  async function seedChain() {
    await ok(P, `BACKUP DATABASE mgc TO DISK = N'${SHARE}\\full.bak' WITH INIT`);
    await world.control('POST', '/data/messages', { server: P, database: 'mgc', count: 2 });
    await ok(P, `BACKUP LOG mgc TO DISK = N'${SHARE}\\l1.trn'`);
    await world.control('POST', '/data/messages', { server: P, database: 'mgc', count: 2 });
    await ok(P, `BACKUP LOG mgc TO DISK = N'${SHARE}\\l2.trn'`);
    await ok(S, `RESTORE DATABASE mgc FROM DISK = N'${SHARE}\\full.bak' WITH NORECOVERY, REPLACE`);
  }

  test('out of sequence: 4305 with both LSNs, then 3013', async () => {
    await seedChain();
    const [h2] = await headers(S, `${SHARE}\\l2.trn`);
    const [full] = await headers(S, `${SHARE}\\full.bak`);
    const sink = await run(world, S, `RESTORE LOG mgc FROM DISK = N'${SHARE}\\l2.trn' WITH NORECOVERY`);
    expect(errs(sink)).toEqual([
      [
        4305,
        `The log in this backup set begins at LSN ${String(h2!.FirstLSN)}, which is too recent to apply to the database. An earlier log backup that includes LSN ${String(full!.LastLSN)} can be restored.`,
      ],
      [3013, 'RESTORE LOG is terminating abnormally.'],
    ]);
  });

  test('in sequence, then too early (4326), then RECOVERY brings the messages online', async () => {
    await seedChain();
    const l1 = await ok(S, `RESTORE LOG mgc FROM DISK = N'${SHARE}\\l1.trn' WITH NORECOVERY`);
    expect(l1.printed[0]).toBe("Processed 0 pages for database 'mgc', file 'mgc' on file 1.");
    expect(l1.printed[1]).toMatch(/^Processed \d+ pages for database 'mgc', file 'mgc_log' on file 1\.$/);
    expect(l1.printed[2]).toMatch(
      /^RESTORE LOG successfully processed \d+ pages in \d+\.\d{3} seconds \(\d+\.\d{3} MB\/sec\)\.$/,
    );
    await ok(S, `RESTORE LOG mgc FROM DISK = N'${SHARE}\\l2.trn' WITH NORECOVERY`);
    expect(
      (await run(world, S, `RESTORE LOG mgc FROM DISK = N'${SHARE}\\l1.trn' WITH NORECOVERY`)).errors[0]!
        .number,
    ).toBe(4326);
    const done = await ok(S, 'RESTORE DATABASE mgc WITH RECOVERY');
    expect(done.printed).toEqual([
      'RESTORE DATABASE successfully processed 0 pages in 0.004 seconds (0.000 MB/sec).',
    ]);
    const count = await ok(S, 'SELECT COUNT(*) AS n FROM mgc.dbo.chat');
    expect(count.objects()).toEqual([{ n: 7 }]);
    expect(errs(await run(world, S, `RESTORE LOG mgc FROM DISK = N'${SHARE}\\l2.trn'`))[0]![0]).toBe(3117);
  });

  test('STANDBY leaves the database readable and read-only', async () => {
    await seedChain();
    await ok(
      S,
      `RESTORE LOG mgc FROM DISK = N'${SHARE}\\l1.trn' WITH STANDBY = N'D:\\CsData\\PersistentChatStore\\PCHAT\\mgc.tuf'`,
    );
    const st = await ok(
      S,
      "SELECT state_desc, is_in_standby, is_read_only FROM sys.databases WHERE name = 'mgc'",
    );
    expect(st.objects()).toEqual([{ state_desc: 'ONLINE', is_in_standby: 1, is_read_only: 1 }]);
    expect((await ok(S, 'SELECT COUNT(*) AS n FROM mgc.dbo.chat')).objects()).toEqual([{ n: 5 }]);
  });

  test('a backup over an online database with an unsaved tail: 3159', async () => {
    await ok(P, `BACKUP DATABASE mgc TO DISK = N'${SHARE}\\full.bak' WITH INIT`);
    await world.control('POST', '/data/messages', { server: 'SQL01\\PCHAT', database: 'mgc', count: 1 });
    await ok(P, 'ALTER DATABASE mgc SET PARTNER OFF');
    const sink = await run(world, P, `RESTORE DATABASE mgc FROM DISK = N'${SHARE}\\full.bak' WITH RECOVERY`);
    expect(sink.errors[0]!.number).toBe(3159);
  });

  test('MOVE to a new database and FILELISTONLY; unknown logical name: 3234', async () => {
    await ok(P, `BACKUP DATABASE mgc TO DISK = N'${SHARE}\\full.bak' WITH INIT`);
    const files = await ok(S, `RESTORE FILELISTONLY FROM DISK = N'${SHARE}\\full.bak'`);
    expect(files.objects().map((f) => [f.LogicalName, f.Type])).toEqual([
      ['mgc', 'D'],
      ['mgc_log', 'L'],
    ]);
    await ok(
      S,
      `RESTORE DATABASE mgc_copy FROM DISK = N'${SHARE}\\full.bak' WITH MOVE N'mgc' TO N'D:\\mgc_copy.mdf', MOVE N'mgc_log' TO N'D:\\mgc_copy.ldf', RECOVERY`,
    );
    const mf = await ok(
      S,
      "SELECT f.name, f.physical_name FROM sys.master_files f JOIN sys.databases d ON d.database_id = f.database_id WHERE d.name = 'mgc_copy' ORDER BY f.file_id",
    );
    expect(mf.objects()).toEqual([
      { name: 'mgc', physical_name: 'D:\\mgc_copy.mdf' },
      { name: 'mgc_log', physical_name: 'D:\\mgc_copy.ldf' },
    ]);
    expect(
      errs(
        await run(
          world,
          S,
          `RESTORE DATABASE x FROM DISK = N'${SHARE}\\full.bak' WITH MOVE N'nope' TO N'D:\\x.mdf'`,
        ),
      )[0],
    ).toEqual([
      3234,
      "Logical file 'nope' is not part of database 'mgc'. Use RESTORE FILELISTONLY to list the logical file names.",
    ]);
  });

  test('a tail-log backup WITH NORECOVERY leaves the database RESTORING', async () => {
    await ok(S, `BACKUP DATABASE mgc TO DISK = N'D:\\f.bak'`);
    await ok(S, `BACKUP LOG mgc TO DISK = N'D:\\tail.trn' WITH NORECOVERY`);
    expect((await ok(S, "SELECT state_desc FROM sys.databases WHERE name = 'mgc'")).objects()).toEqual([
      { state_desc: 'RESTORING' },
    ]);
  });

  test('a missing backup file: 3201 with OS error 2', async () => {
    expect(errs(await run(world, S, "RESTORE HEADERONLY FROM DISK = N'D:\\none.bak'"))[0]).toEqual([
      3201,
      "Cannot open backup device 'D:\\none.bak'. Operating system error 2(The system cannot find the file specified.).",
    ]);
  });
});

describe('ALTER DATABASE', () => {
  test('SET RECOVERY SIMPLE on a mirrored database: 1468 then 5069', async () => {
    expect(errs(await run(world, P, 'ALTER DATABASE mgc SET RECOVERY SIMPLE')).map((e) => e[0])).toEqual([
      1468, 5069,
    ]);
  });

  test('SINGLE_USER WITH ROLLBACK IMMEDIATE and back', async () => {
    await ok(S, 'ALTER DATABASE mgc SET SINGLE_USER WITH ROLLBACK IMMEDIATE');
    expect((await ok(S, "SELECT user_access_desc FROM sys.databases WHERE name = 'mgc'")).objects()).toEqual([
      { user_access_desc: 'SINGLE_USER' },
    ]);
    await ok(S, 'ALTER DATABASE mgc SET MULTI_USER');
  });

  test('an unknown database: 5011 then 5069', async () => {
    expect(errs(await run(world, P, 'ALTER DATABASE nope SET RECOVERY FULL')).map((e) => e[0])).toEqual([
      5011, 5069,
    ]);
  });
});
