// The DR runbooks' T-SQL (lib/sql/generate/dr.ts for the lab plan, generated for 2026-11-26 17:00 UTC) run
// exactly as written: the tail-log backup on the primary data center, the backup store's recovery, failback.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { LabSession } from './contract';
import { configure, messages, noErrors, P, S, SHARE } from './testing/log-shipping-setup';
import { openWorld, run, session } from './testing/recording-sink';
import type { EngineLabWorld } from './world';

const M = 'SQL02\\PCHAT';
const BM = 'SQLDR02\\PCHAT';
const TAIL = String.raw`\\FS01\PChatLogShip\mgc_tail_20261126170000.trn`;
const FAILBACK = String.raw`\\FS01\PChatLogShip\mgc_failback_20261126170000.bak`;

// ---- the batches, verbatim ----

const tailLogBackup = String.raw`IF EXISTS (SELECT 1 FROM sys.databases AS d
  LEFT JOIN sys.database_mirroring AS m ON m.database_id = d.database_id
  WHERE d.name = N'mgc' AND d.state_desc = N'ONLINE'
    AND (m.mirroring_guid IS NULL OR m.mirroring_role_desc = N'PRINCIPAL'))
BEGIN
  IF EXISTS (SELECT 1 FROM sys.database_mirroring WHERE database_id = DB_ID(N'mgc') AND mirroring_guid IS NOT NULL)
    ALTER DATABASE [mgc] SET PARTNER OFF;
  BACKUP LOG [mgc]
    TO DISK = N'\\FS01\PChatLogShip\mgc_tail_20261126170000.trn'
    WITH NORECOVERY, CHECKSUM, STATS = 10;
END
ELSE
  PRINT N'mgc is not the principal here: its tail is backed up on the partner.';
`;

const disableBackupJob = `IF EXISTS (SELECT 1 FROM msdb.dbo.sysjobs WHERE name = N'LSBackup_mgc')
  EXEC msdb.dbo.sp_update_job @job_name = N'LSBackup_mgc', @enabled = 0;
`;

const restoreDelayZero = `EXEC master.dbo.sp_change_log_shipping_secondary_database @secondary_database = N'mgc', @restore_delay = 0;
`;

const startJob = (job: string) => String.raw`EXEC msdb.dbo.sp_start_job @job_name = N'${job}';
`;

const jobStatus = (job: string) => String.raw`SELECT TOP (1)
  j.name AS job_name,
  j.enabled,
  a.run_requested_date,
  a.start_execution_date,
  a.stop_execution_date,
  CASE WHEN a.start_execution_date IS NOT NULL AND a.stop_execution_date IS NULL THEN 1 ELSE 0 END AS is_running,
  h.run_status AS last_run_status,
  h.message AS last_run_message
FROM msdb.dbo.sysjobs AS j
LEFT JOIN msdb.dbo.sysjobactivity AS a
  ON a.job_id = j.job_id
  AND a.session_id = (SELECT MAX(s.session_id) FROM msdb.dbo.syssessions AS s)
LEFT JOIN msdb.dbo.sysjobhistory AS h ON h.instance_id = a.job_history_id
WHERE j.name = N'${job}'
ORDER BY a.run_requested_date DESC;
`;

const restoreTailLog = String.raw`RESTORE LOG [mgc]
  FROM DISK = N'\\FS01\PChatLogShip\mgc_tail_20261126170000.trn'
  WITH NORECOVERY, STATS = 10;
`;

const survivingData = `SELECT TOP (1)
  rh.destination_database_name AS database_name,
  rh.restore_date,
  bs.backup_finish_date AS backup_taken,
  bs.server_name AS backed_up_on,
  bs.first_lsn,
  bs.last_lsn,
  bmf.physical_device_name AS restored_file
FROM msdb.dbo.restorehistory AS rh
JOIN msdb.dbo.backupset AS bs ON bs.backup_set_id = rh.backup_set_id
LEFT JOIN msdb.dbo.backupmediafamily AS bmf ON bmf.media_set_id = bs.media_set_id
WHERE rh.destination_database_name = N'mgc'
ORDER BY rh.restore_history_id DESC;
`;

const deleteSecondaryDatabase = `IF EXISTS (SELECT 1 FROM msdb.dbo.log_shipping_secondary_databases WHERE secondary_database = N'mgc')
BEGIN
  EXEC master.dbo.sp_delete_log_shipping_secondary_database @secondary_database = N'mgc';
END
ELSE
  PRINT N'mgc is not a log-shipping secondary on this instance: nothing to remove.';
`;

const endSessions = `DECLARE @kill nvarchar(max) = N'';
SELECT @kill = @kill + N'KILL ' + CONVERT(nvarchar(10), session_id) + N'; '
FROM sys.dm_exec_sessions
WHERE database_id = DB_ID(N'mgc') AND session_id <> @@SPID;
EXEC (@kill);
`;

const recover = 'RESTORE DATABASE [mgc] WITH RECOVERY;\n';

const databaseState = `SELECT
  d.name,
  d.state_desc,
  d.user_access_desc,
  d.is_read_only,
  m.mirroring_role_desc,
  m.mirroring_state_desc,
  m.mirroring_partner_instance
FROM sys.databases AS d
LEFT JOIN sys.database_mirroring AS m ON m.database_id = d.database_id
WHERE d.name IN (N'mgc', N'mgccomp')
ORDER BY d.name;
`;

const removeMirroring = (
  name: string,
) => `IF EXISTS (SELECT 1 FROM sys.database_mirroring WHERE database_id = DB_ID(N'${name}') AND mirroring_guid IS NOT NULL)
  ALTER DATABASE [${name}] SET PARTNER OFF;
ELSE
  PRINT N'${name} is not mirrored on this instance.';
`;

const failbackFullBackup = String.raw`BACKUP DATABASE [mgc]
  TO DISK = N'\\FS01\PChatLogShip\mgc_failback_20261126170000.bak'
  WITH INIT, CHECKSUM, STATS = 10;
`;

const failbackRestore = String.raw`DECLARE @restore nvarchar(max) = N'RESTORE DATABASE [mgc]
  FROM DISK = N''\\FS01\PChatLogShip\mgc_failback_20261126170000.bak''
  WITH REPLACE, RECOVERY';
SELECT @restore = @restore + N',' + NCHAR(10) + N'    MOVE N''' + REPLACE(f.name, N'''', N'''''')
  + N''' TO N''' + REPLACE(f.physical_name, N'''', N'''''') + N''''
FROM sys.master_files AS f
WHERE f.database_id = DB_ID(N'mgc');
SET @restore = @restore + N',' + NCHAR(10) + N'    STATS = 10;';
PRINT @restore;
EXEC (@restore);
`;

// ---- helpers ----

let world: EngineLabWorld;
beforeEach(async () => {
  world = await openWorld();
});
afterEach(async () => {
  await world.close();
});

async function ok(server: string, sql: string, s?: LabSession) {
  const sink = await run(world, server, sql, s);
  noErrors(sink);
  return sink;
}

async function addMessages(server: string, count: number) {
  const reply = await world.control('POST', '/data/messages', { server, database: 'mgc', count });
  expect(reply!.status).toBe(200);
}

const COPY_JOB = String.raw`LSCopy_SQL01\PCHAT_mgc`;
const RESTORE_JOB = String.raw`LSRestore_SQL01\PCHAT_mgc`;

/** The backup store's dr-failover batches in runbook order, each run as written; the jobs are waited for. */
async function recoverBackupStore(): Promise<Record<string, unknown>> {
  await ok(S, restoreDelayZero);
  for (const job of [COPY_JOB, RESTORE_JOB]) {
    expect((await ok(S, startJob(job))).printed).toEqual([`Job '${job}' started successfully.`]);
    await world.whenIdle();
    expect((await ok(S, jobStatus(job))).objects()).toEqual([
      expect.objectContaining({ job_name: job, enabled: 1, is_running: 0, last_run_status: 1 }),
    ]);
  }
  await ok(S, restoreTailLog);
  const surviving = (await ok(S, survivingData)).objects()[0]!;
  await ok(S, deleteSecondaryDatabase);
  await ok(S, recover);
  return surviving;
}

describe('dr-failover on the primary data center', () => {
  test('the tail-log batch: the principal ends mirroring and backs up its tail; on the mirror it only prints', async () => {
    await configure(world);
    await addMessages(P, 4);
    const sink = await ok(P, tailLogBackup);
    expect(sink.printed.slice(0, 10)).toEqual(
      Array.from({ length: 10 }, (_, i) => `${(i + 1) * 10} percent processed.`),
    );
    expect(sink.printed.at(-1)).toMatch(/^BACKUP LOG successfully processed \d+ pages/);
    expect((await ok(M, tailLogBackup)).printed).toEqual([
      'mgc is not the principal here: its tail is backed up on the partner.',
    ]);
    for (const server of [P, M])
      expect((await ok(server, databaseState)).objects()[0]).toEqual({
        name: 'mgc',
        state_desc: 'RESTORING',
        user_access_desc: 'MULTI_USER',
        is_read_only: 0,
        mirroring_role_desc: null,
        mirroring_state_desc: null,
        mirroring_partner_instance: null,
      });
    // Run again (a retried step), the principal's copy is no longer ONLINE: nothing more is backed up.
    expect((await ok(P, tailLogBackup)).printed).toEqual([
      'mgc is not the principal here: its tail is backed up on the partner.',
    ]);
  });

  test('after a mirroring failover the partner holds the tail', async () => {
    world.failoverMirroring('mgc', M);
    await addMessages(M, 2);
    expect((await ok(P, tailLogBackup)).printed).toEqual([
      'mgc is not the principal here: its tail is backed up on the partner.',
    ]);
    await ok(M, tailLogBackup);
    const [tail] = (await ok(M, `RESTORE HEADERONLY FROM DISK = N'${TAIL}'`)).objects();
    expect(tail).toMatchObject({
      ServerName: M,
      BackupType: 2,
      LastLSN: BigInt((await messages(world, M)).lsn),
    });
  });

  test('the backup job is disabled where it exists; elsewhere the batch does nothing', async () => {
    await configure(world);
    await ok(P, disableBackupJob);
    expect(
      (await ok(P, "SELECT enabled FROM msdb.dbo.sysjobs WHERE name = N'LSBackup_mgc'")).objects(),
    ).toEqual([{ enabled: 0 }]);
    const none = await ok(M, disableBackupJob);
    expect([none.printed, none.resultSets]).toEqual([[], []]);
  });
});

describe('dr-failover on the backup store', () => {
  test('every batch as written: the recovered store holds every message the primary had at the tail', async () => {
    await configure(world);
    await addMessages(P, 5);
    await world.control('POST', '/clock/advance', { minutes: 15 });
    // Committed after the last log backup of the job: only the tail carries these.
    await addMessages(P, 3);
    await ok(P, tailLogBackup);
    await ok(P, disableBackupJob);
    const atTail = await messages(world, P);

    const surviving = await recoverBackupStore();
    expect(surviving).toMatchObject({
      database_name: 'mgc',
      backed_up_on: P,
      restored_file: TAIL,
      last_lsn: BigInt(atTail.lsn),
    });
    expect(surviving.backup_taken).toBeInstanceOf(Date);

    expect(await messages(world, S)).toMatchObject({ state: 'ONLINE', count: atTail.count });
    expect((await ok(S, databaseState)).objects()).toEqual([
      {
        name: 'mgc',
        state_desc: 'ONLINE',
        user_access_desc: 'MULTI_USER',
        is_read_only: 0,
        mirroring_role_desc: null,
        mirroring_state_desc: null,
        mirroring_partner_instance: null,
      },
      {
        name: 'mgccomp',
        state_desc: 'ONLINE',
        user_access_desc: 'MULTI_USER',
        is_read_only: 0,
        mirroring_role_desc: null,
        mirroring_state_desc: null,
        mirroring_partner_instance: null,
      },
    ]);
    expect((await ok(S, 'SELECT COUNT(*) AS n FROM msdb.dbo.sysjobs')).objects()).toEqual([{ n: 0 }]);
  });

  test('without log shipping: full, NORECOVERY, log backups, tail, restores, recovery: the counts are equal', async () => {
    await addMessages(P, 2);
    await ok(P, `BACKUP DATABASE [mgc] TO DISK = N'${SHARE}\\mgc_full.bak' WITH INIT, CHECKSUM`);
    await ok(S, `RESTORE DATABASE [mgc] FROM DISK = N'${SHARE}\\mgc_full.bak' WITH NORECOVERY, REPLACE`);
    for (const [i, count] of [4, 1, 6].entries()) {
      await addMessages(P, count);
      await ok(P, `BACKUP LOG [mgc] TO DISK = N'${SHARE}\\mgc_log${i}.trn' WITH INIT`);
    }
    await addMessages(P, 5);
    await ok(P, tailLogBackup);
    const atTail = await messages(world, P);
    expect(atTail).toMatchObject({ state: 'RESTORING', count: 3 + 2 + 11 + 5 });
    // The primary is RESTORING: no more message can be written after the tail.
    expect(
      (await world.control('POST', '/data/messages', { server: P, database: 'mgc', count: 1 }))!.status,
    ).toBe(409);
    for (const i of [0, 1, 2])
      await ok(S, `RESTORE LOG [mgc] FROM DISK = N'${SHARE}\\mgc_log${i}.trn' WITH NORECOVERY`);
    await ok(S, restoreTailLog);
    expect((await ok(S, survivingData)).objects()[0]).toMatchObject({ backed_up_on: P, restored_file: TAIL });
    await ok(S, recover);
    expect(await messages(world, S)).toMatchObject({ state: 'ONLINE', count: atTail.count });
    expect((await ok(S, 'SELECT COUNT(*) AS n FROM mgc.dbo.chat')).objects()).toEqual([{ n: atTail.count }]);
  });

  test('a restore delay in the plan is set to zero first', async () => {
    await configure(world);
    await ok(
      S,
      "EXEC master.dbo.sp_change_log_shipping_secondary_database @secondary_database = N'mgc', @restore_delay = 120",
    );
    await ok(S, restoreDelayZero);
    expect(
      (
        await ok(
          S,
          "SELECT restore_delay FROM msdb.dbo.log_shipping_secondary_databases WHERE secondary_database = N'mgc'",
        )
      ).objects(),
    ).toEqual([{ restore_delay: 0 }]);
  });
});

describe('sessions of a standby database', () => {
  const reader = (spid: number): LabSession => session({ spid, database: 'mgc', login: 'LAB\\sqladmin' });

  /** mgc on the backup store restored WITH STANDBY, as log shipping in standby mode leaves it. */
  async function standby() {
    await ok(P, `BACKUP DATABASE [mgc] TO DISK = N'${SHARE}\\mgc_full.bak' WITH INIT`);
    await ok(
      S,
      `RESTORE DATABASE [mgc] FROM DISK = N'${SHARE}\\mgc_full.bak' WITH STANDBY = N'D:\\CsData\\PersistentChatStore\\PCHAT\\mgc.tuf', REPLACE`,
    );
  }

  test('endSessionsSql kills the readers of mgc, not the caller nor other databases; then RECOVERY gets exclusive access', async () => {
    await standby();
    const engine = world.instance(S)!.engine;
    const killed: number[] = [];
    const me = session({ spid: 70 });
    const sessions = [reader(71), reader(72), session({ spid: 73, database: 'msdb' }), me];
    for (const s of sessions)
      engine.sessionStarted!(s, () => {
        killed.push(s.spid);
        engine.sessionEnded!(s);
      });

    expect(
      (
        await ok(
          S,
          'SELECT session_id, database_id, status FROM sys.dm_exec_sessions ORDER BY session_id',
          me,
        )
      ).objects(),
    ).toEqual([
      { session_id: 70, database_id: 1, status: 'running' },
      { session_id: 71, database_id: 5, status: 'sleeping' },
      { session_id: 72, database_id: 5, status: 'sleeping' },
      { session_id: 73, database_id: 4, status: 'sleeping' },
    ]);
    const refused = await run(world, S, recover, me);
    expect(refused.errors.map((e) => [e.number, e.message])).toEqual([
      [3101, 'Exclusive access could not be obtained because the database is in use.'],
      [3013, 'RESTORE DATABASE is terminating abnormally.'],
    ]);

    await ok(S, endSessions, me);
    expect(killed).toEqual([71, 72]);
    expect(
      (await ok(S, 'SELECT session_id FROM sys.dm_exec_sessions ORDER BY session_id', me)).objects(),
    ).toEqual([{ session_id: 70 }, { session_id: 73 }]);
    // With no reader left the batch runs EXEC (N''), which does nothing.
    await ok(S, endSessions, me);
    await ok(S, recover, me);
    expect((await ok(S, databaseState, me)).objects()[0]).toMatchObject({
      state_desc: 'ONLINE',
      is_read_only: 0,
    });
  });

  test('KILL refuses the caller (6104), an unknown id (6106), a system session (6107) and a non-sysadmin (6102)', async () => {
    const engine = world.instance(S)!.engine;
    const me = session({ spid: 70 });
    engine.sessionStarted!(me, () => {});
    engine.sessionStarted!(reader(71), () => {});
    const errors = async (sql: string, s = me) =>
      (await run(world, S, sql, s)).errors.map((e) => [e.number, e.message]);
    expect(await errors('KILL 70')).toEqual([[6104, 'Cannot use KILL to kill your own process.']]);
    expect(await errors('KILL 99')).toEqual([[6106, 'Process ID 99 is not an active process ID.']]);
    expect(await errors('KILL 12')).toEqual([[6107, 'Only user processes can be killed.']]);
    expect(await errors('KILL 71', session({ spid: 74, login: 'labuser', isSysadmin: false }))).toEqual([
      [6102, 'User does not have permission to use the KILL statement.'],
    ]);
  });
});

describe('dr-failback', () => {
  test('mirroring removed on the backup store, its full backup restored over the reinstalled primary store', async () => {
    await addMessages(S, 4);
    world.establishMirroring('mgc', S, BM);
    expect((await ok(S, removeMirroring('mgc'))).printed).toEqual([]);
    expect((await ok(S, removeMirroring('mgccomp'))).printed).toEqual([
      'mgccomp is not mirrored on this instance.',
    ]);
    expect(world.mirroring(S, 'mgc')).toBeUndefined();
    expect(world.mirroring(BM, 'mgc')).toBeUndefined();
    await ok(S, failbackFullBackup);

    await world.control('POST', '/instance/rebuild', { server: P, reinstall: true });
    // Topology Builder's reinstalled store is of another lineage: overwriting it needs REPLACE, which the batch has.
    const withoutReplace = await run(
      world,
      P,
      `RESTORE DATABASE [mgc] FROM DISK = N'${FAILBACK}' WITH RECOVERY`,
    );
    expect(withoutReplace.errors.map((e) => e.number)).toEqual([3154, 3013]);
    const files = `SELECT f.name, f.physical_name FROM sys.master_files AS f WHERE f.database_id = DB_ID(N'mgc')`;
    const reinstalled = (await ok(P, files)).objects();
    expect(reinstalled).toHaveLength(2);
    const restored = await ok(P, failbackRestore);
    // The statement as executed, with a MOVE onto each file of the reinstalled database.
    expect(restored.printed[0]).toBe(
      [
        'RESTORE DATABASE [mgc]',
        `  FROM DISK = N'${FAILBACK}'`,
        '  WITH REPLACE, RECOVERY,',
        ...reinstalled.map((f) => `    MOVE N'${String(f.name)}' TO N'${String(f.physical_name)}',`),
        '    STATS = 10;',
      ].join('\n'),
    );
    expect((await ok(P, files)).objects()).toEqual(reinstalled);
    expect(await messages(world, P)).toMatchObject({
      state: 'ONLINE',
      count: (await messages(world, S)).count,
    });
    expect((await ok(P, databaseState)).objects().map((r) => [r.name, r.state_desc])).toEqual([
      ['mgc', 'ONLINE'],
      ['mgccomp', 'ONLINE'],
    ]);
  });
});
