import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { EngineLabWorld } from './world';
import {
  configure,
  COPY_DIR,
  initialiseSecondary,
  messages,
  noErrors,
  P,
  S,
  SHARE,
  ssmsScript,
  today,
} from './testing/log-shipping-setup';
import { openWorld, run } from './testing/recording-sink';

let world: EngineLabWorld;
beforeEach(async () => {
  world = await openWorld();
});
afterEach(async () => {
  await world.close();
});

describe('initialising the secondary', () => {
  test('restoring over the installed backup database needs REPLACE (3154), as SQL Server requires', async () => {
    noErrors(await run(world, P, `BACKUP DATABASE mgc TO DISK = N'${SHARE}\\mgc_init.bak' WITH INIT`));
    const sink = await run(
      world,
      S,
      `RESTORE DATABASE mgc FROM DISK = N'${SHARE}\\mgc_init.bak' WITH NORECOVERY`,
    );
    expect(sink.errors.map((e) => [e.number, e.message])).toEqual([
      [3154, "The backup set holds a backup of a database other than the existing 'mgc' database."],
      [3013, 'RESTORE DATABASE is terminating abnormally.'],
    ]);
  });

  test('restoring over a mirrored database fails with 3104', async () => {
    noErrors(await run(world, P, `BACKUP DATABASE mgc TO DISK = N'${SHARE}\\mgc_init.bak' WITH INIT`));
    const sink = await run(
      world,
      'SQL02\\PCHAT',
      `RESTORE DATABASE mgc FROM DISK = N'${SHARE}\\mgc_init.bak' WITH NORECOVERY, REPLACE`,
    );
    expect(sink.errors.map((e) => e.number)).toEqual([3104, 3013]);
  });

  test('RESTORE WITH NORECOVERY leaves the database RESTORING and unreadable (927)', async () => {
    await initialiseSecondary(world);
    const state = await run(world, S, "SELECT state_desc FROM sys.databases WHERE name = N'mgc'");
    expect(state.objects()).toEqual([{ state_desc: 'RESTORING' }]);
    const read = await run(world, S, 'SELECT COUNT(*) FROM mgc.dbo.chat');
    expect(read.errors.map((e) => [e.number, e.message])).toEqual([
      [927, "Database 'mgc' cannot be opened. It is in the middle of a restore."],
    ]);
  });
});

describe('the SSMS Script Configuration output', () => {
  test('the primary half leaves the documented msdb rows and a disabled-then-enabled backup job', async () => {
    await initialiseSecondary(world);
    const script = ssmsScript(await today(world));
    noErrors(await run(world, P, script.primary));
    const cfg = await run(
      world,
      P,
      'SELECT primary_database, backup_directory, backup_share, backup_retention_period, backup_compression, monitor_server, user_specified_monitor FROM msdb.dbo.log_shipping_primary_databases',
    );
    expect(cfg.objects()).toEqual([
      {
        primary_database: 'mgc',
        backup_directory: SHARE,
        backup_share: SHARE,
        backup_retention_period: 4320,
        backup_compression: 2,
        monitor_server: P,
        user_specified_monitor: 0,
      },
    ]);
    const mon = await run(
      world,
      P,
      'SELECT primary_server, primary_database, backup_threshold, threshold_alert, threshold_alert_enabled, history_retention_period FROM msdb.dbo.log_shipping_monitor_primary',
    );
    expect(mon.objects()).toEqual([
      {
        primary_server: P,
        primary_database: 'mgc',
        backup_threshold: 60,
        threshold_alert: 14420,
        threshold_alert_enabled: 1,
        history_retention_period: 5760,
      },
    ]);
    const secs = await run(
      world,
      P,
      'SELECT secondary_server, secondary_database FROM msdb.dbo.log_shipping_primary_secondaries',
    );
    expect(secs.objects()).toEqual([{ secondary_server: S, secondary_database: 'mgc' }]);
    const jobs = await run(
      world,
      P,
      `SELECT j.name, j.enabled, s.name AS schedule_name, s.freq_type, s.freq_subday_type, s.freq_subday_interval, s.active_end_time
       FROM msdb.dbo.sysjobs j
       INNER JOIN msdb.dbo.sysjobschedules js ON js.job_id = j.job_id
       INNER JOIN msdb.dbo.sysschedules s ON s.schedule_id = js.schedule_id
       ORDER BY j.name`,
    );
    expect(jobs.objects()).toEqual([
      {
        name: 'LSAlert_SQL01\\PCHAT',
        enabled: 1,
        schedule_name: 'Log shipping alert job schedule.',
        freq_type: 4,
        freq_subday_type: 2,
        freq_subday_interval: 120,
        active_end_time: 235959,
      },
      {
        name: 'LSBackup_mgc',
        enabled: 1,
        schedule_name: 'LSBackupSchedule_SQL01\\PCHAT1',
        freq_type: 4,
        freq_subday_type: 4,
        freq_subday_interval: 15,
        active_end_time: 235900,
      },
    ]);
    const step = await run(
      world,
      P,
      "SELECT s.subsystem, s.command FROM msdb.dbo.sysjobsteps s JOIN msdb.dbo.sysjobs j ON j.job_id = s.job_id WHERE j.name = N'LSBackup_mgc'",
    );
    const primaryId = (
      await run(world, P, 'SELECT primary_id FROM msdb.dbo.log_shipping_primary_databases')
    ).objects()[0]!.primary_id;
    expect(step.objects()).toEqual([
      {
        subsystem: 'CmdExec',
        command: `"C:\\Program Files\\Microsoft SQL Server\\130\\Tools\\Binn\\sqllogship.exe" -Backup ${String(primaryId)} -server SQL01\\PCHAT`,
      },
    ]);
  });

  test('the secondary half creates the copy and restore jobs and the secondary rows', async () => {
    await configure(world);
    const sec = await run(
      world,
      S,
      'SELECT primary_server, primary_database, backup_source_directory, backup_destination_directory, file_retention_period FROM msdb.dbo.log_shipping_secondary',
    );
    expect(sec.objects()).toEqual([
      {
        primary_server: P,
        primary_database: 'mgc',
        backup_source_directory: SHARE,
        backup_destination_directory: COPY_DIR,
        file_retention_period: 4320,
      },
    ]);
    const sdb = await run(
      world,
      S,
      'SELECT secondary_database, restore_delay, restore_mode, disconnect_users, restore_all FROM msdb.dbo.log_shipping_secondary_databases',
    );
    expect(sdb.objects()).toEqual([
      { secondary_database: 'mgc', restore_delay: 0, restore_mode: 0, disconnect_users: 0, restore_all: 1 },
    ]);
    const mon = await run(
      world,
      S,
      'SELECT secondary_server, secondary_database, primary_server, restore_threshold, threshold_alert_enabled, history_retention_period FROM msdb.dbo.log_shipping_monitor_secondary',
    );
    expect(mon.objects()).toEqual([
      {
        secondary_server: S,
        secondary_database: 'mgc',
        primary_server: P,
        restore_threshold: 45,
        threshold_alert_enabled: 1,
        history_retention_period: 5760,
      },
    ]);
    const jobs = await run(world, S, 'SELECT name, enabled FROM msdb.dbo.sysjobs ORDER BY name');
    expect(jobs.objects()).toEqual([
      { name: 'LSCopy_SQL01\\PCHAT_mgc', enabled: 1 },
      { name: 'LSRestore_SQL01\\PCHAT_mgc', enabled: 1 },
    ]);
  });

  test('running the primary half twice with @overwrite = 1 keeps one configuration', async () => {
    await initialiseSecondary(world);
    const script = ssmsScript(await today(world));
    noErrors(await run(world, P, script.primary));
    noErrors(await run(world, P, script.primary));
    const n = await run(
      world,
      P,
      "SELECT COUNT(*) AS n FROM msdb.dbo.log_shipping_primary_databases WHERE primary_database = 'mgc'",
    );
    expect(n.objects()).toEqual([{ n: 1 }]);
    const jobs = await run(
      world,
      P,
      "SELECT COUNT(*) AS n FROM msdb.dbo.sysjobs WHERE name = N'LSBackup_mgc'",
    );
    expect(jobs.objects()).toEqual([{ n: 1 }]);
  });

  test('a non-sysadmin login gets 15247 from the log-shipping procedure and the batch goes on', async () => {
    const script = ssmsScript(await today(world));
    const sink = await run(world, P, script.primary, {
      spid: 70,
      login: 'labuser',
      isSysadmin: false,
      database: 'master',
    });
    expect(sink.errors[0]).toMatchObject({
      number: 15247,
      message: 'User does not have permission to perform this action.',
      procName: 'sp_add_log_shipping_primary_database',
    });
    // sp_add_log_shipping_alert_job and _primary_secondary still ran (and failed the same way): errors do not stop the batch.
    expect(sink.errors.filter((e) => e.number === 15247).map((e) => e.procName)).toEqual([
      'sp_add_log_shipping_primary_database',
      'sp_add_log_shipping_alert_job',
      'sp_add_log_shipping_primary_secondary',
    ]);
  });
});

describe('Agent on the lab clock', () => {
  test('after 15 minutes a log is backed up, copied and restored; the restored LSN moves and the monitor reports it', async () => {
    await configure(world);
    expect(
      (await world.control('POST', '/data/messages', { server: P, database: 'mgc', count: 5 }))!.status,
    ).toBe(200);
    const before = await messages(world, S);
    await world.control('POST', '/clock/advance', { minutes: 15 });
    const after = await messages(world, S);
    expect(BigInt(after.lsn)).toBeGreaterThan(BigInt(before.lsn));
    expect(after.count).toBe((await messages(world, P)).count);
    expect(after.state).toBe('RESTORING');

    const files = fs
      .readdirSync(path.join(world.root, 'shares', 'FS01', 'PChatLogShip'))
      .filter((f) => f.endsWith('.trn'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^mgc_\d{14}\.trn$/);
    expect(fs.existsSync(path.join(world.root, 'hosts', 'SQLDR01', 'D', 'PChatLogShipCopy', files[0]!))).toBe(
      true,
    );

    // The jobs ran at the quarter hour named in the file; the clock then went on to the end of the 15 minutes.
    const stampText = /_(\d{14})\./.exec(files[0]!)![1]!;
    const ranAt = Date.UTC(
      +stampText.slice(0, 4),
      +stampText.slice(4, 6) - 1,
      +stampText.slice(6, 8),
      +stampText.slice(8, 10),
      +stampText.slice(10, 12),
      +stampText.slice(12, 14),
    );
    const now = new Date(
      ((await world.control('GET', '/clock', undefined))!.body as { now: string }).now,
    ).getTime();
    const minutesSince = Math.floor((now - ranAt) / 60000);
    const monitor = await run(world, S, 'EXEC master.dbo.sp_help_log_shipping_monitor');
    expect(monitor.objects()).toEqual([
      expect.objectContaining({
        is_primary: 0,
        server: S,
        database_name: 'mgc',
        last_copied_file: `${COPY_DIR}\\${files[0]}`,
        last_restored_file: `${COPY_DIR}\\${files[0]}`,
        time_since_last_restore: minutesSince,
        last_restored_latency: 0,
        status: 0,
      }),
    ]);
    const primaryMonitor = await run(world, P, 'EXEC master.dbo.sp_help_log_shipping_monitor');
    expect(primaryMonitor.objects()).toEqual([
      expect.objectContaining({
        is_primary: 1,
        server: P,
        last_backup_file: `${SHARE}\\${files[0]}`,
        time_since_last_backup: minutesSince,
      }),
    ]);
    const hist = await run(
      world,
      S,
      "SELECT h.step_id, h.run_status FROM msdb.dbo.sysjobhistory h JOIN msdb.dbo.sysjobs j ON j.job_id = h.job_id WHERE j.name LIKE N'LSRestore%' ORDER BY h.instance_id",
    );
    expect(hist.objects()).toEqual([
      { step_id: 1, run_status: 1 },
      { step_id: 0, run_status: 1 },
    ]);
    const restored = await run(
      world,
      S,
      `SELECT TOP (1) rh.destination_database_name AS database_name, rh.restore_type, bs.last_lsn, bmf.physical_device_name AS restored_file
       FROM msdb.dbo.restorehistory AS rh
       JOIN msdb.dbo.backupset AS bs ON bs.backup_set_id = rh.backup_set_id
       LEFT JOIN msdb.dbo.backupmediafamily AS bmf ON bmf.media_set_id = bs.media_set_id
       WHERE rh.destination_database_name = N'mgc' ORDER BY rh.restore_history_id DESC`,
    );
    expect(restored.objects()).toEqual([
      {
        database_name: 'mgc',
        restore_type: 'L',
        last_lsn: BigInt(after.lsn),
        restored_file: `${COPY_DIR}\\${files[0]}`,
      },
    ]);
  });

  test('a log backup taken outside the job breaks the chain: the restore job fails with 4305', async () => {
    await configure(world);
    await world.control('POST', '/clock/advance', { minutes: 15 });
    noErrors(await run(world, P, `BACKUP LOG mgc TO DISK = N'D:\\outofband.trn'`));
    await world.control('POST', '/data/messages', { server: P, database: 'mgc', count: 2 });
    await world.control('POST', '/clock/advance', { minutes: 15 });
    const errs = await run(
      world,
      S,
      'SELECT agent_type, message FROM msdb.dbo.log_shipping_monitor_error_detail',
    );
    expect(errs.objects()).toHaveLength(1);
    expect(String(errs.objects()[0]!.message)).toMatch(
      /The log in this backup set begins at LSN \d+, which is too recent to apply to the database\. An earlier log backup that includes LSN \d+ can be restored\./,
    );
    const last = await run(
      world,
      S,
      "SELECT TOP 1 h.run_status, h.sql_message_id FROM msdb.dbo.sysjobhistory h JOIN msdb.dbo.sysjobs j ON j.job_id = h.job_id WHERE j.name LIKE N'LSRestore%' AND h.step_id = 1 ORDER BY h.instance_id DESC",
    );
    expect(last.objects()).toEqual([{ run_status: 0, sql_message_id: 4305 }]);
  });

  test('a stopped Agent runs nothing and shows Stopped in sys.dm_server_services', async () => {
    await configure(world);
    await world.control('POST', '/agent', { server: P, running: false });
    await world.control('POST', '/clock/advance', { minutes: 30 });
    const files = fs
      .readdirSync(path.join(world.root, 'shares', 'FS01', 'PChatLogShip'))
      .filter((f) => f.endsWith('.trn'));
    expect(files).toEqual([]);
    const svc = await run(
      world,
      P,
      "SELECT servicename, status_desc, service_account FROM sys.dm_server_services WHERE servicename LIKE N'SQL Server Agent%'",
    );
    expect(svc.objects()).toEqual([
      { servicename: 'SQL Server Agent (PCHAT)', status_desc: 'Stopped', service_account: 'LAB\\sqlsvc' },
    ]);
    const start = await run(world, P, "EXEC msdb.dbo.sp_start_job @job_name = N'LSBackup_mgc'");
    expect(start.errors.map((e) => [e.number, e.message])).toEqual([
      [22022, 'SQLServerAgent is not currently running so it cannot be notified of this action.'],
    ]);
  });

  test('sp_start_job returns at once and the job finishes shortly after', async () => {
    await configure(world);
    const sink = await run(world, P, "EXEC msdb.dbo.sp_start_job @job_name = N'LSBackup_mgc'");
    expect(sink.printed).toEqual(["Job 'LSBackup_mgc' started successfully."]);
    // The wizard's poll: the latest run in the current Agent session (msdb.dbo.syssessions).
    const poll = `SELECT TOP (1) j.name AS job_name,
  CASE WHEN a.start_execution_date IS NOT NULL AND a.stop_execution_date IS NULL THEN 1 ELSE 0 END AS is_running,
  h.run_status AS last_run_status
FROM msdb.dbo.sysjobs AS j
LEFT JOIN msdb.dbo.sysjobactivity AS a ON a.job_id = j.job_id AND a.session_id = (SELECT MAX(s.session_id) FROM msdb.dbo.syssessions AS s)
LEFT JOIN msdb.dbo.sysjobhistory AS h ON h.instance_id = a.job_history_id
WHERE j.name = N'LSBackup_mgc'
ORDER BY a.run_requested_date DESC;`;
    expect((await run(world, P, poll)).objects()).toEqual([
      { job_name: 'LSBackup_mgc', is_running: 1, last_run_status: null },
    ]);
    await world.whenIdle();
    expect((await run(world, P, poll)).objects()).toEqual([
      { job_name: 'LSBackup_mgc', is_running: 0, last_run_status: 1 },
    ]);
    const hist = await run(
      world,
      P,
      "SELECT h.run_status FROM msdb.dbo.sysjobhistory h JOIN msdb.dbo.sysjobs j ON j.job_id = h.job_id WHERE j.name = N'LSBackup_mgc' AND h.step_id = 0",
    );
    expect(hist.objects()).toEqual([{ run_status: 1 }]);
    const missing = await run(world, P, "EXEC msdb.dbo.sp_start_job @job_name = N'nope'");
    expect(missing.errors.map((e) => [e.number, e.message])).toEqual([
      [14262, "The specified @job_name ('nope') does not exist."],
    ]);
  });

  test('on the mirror (RESTORING) the backup job succeeds without a backup and logs why', async () => {
    await initialiseSecondary(world);
    const script = ssmsScript(await today(world), 'SQL02\\PCHAT');
    noErrors(await run(world, 'SQL02\\PCHAT', script.primary));
    await world.control('POST', '/clock/advance', { minutes: 15 });
    const hist = await run(
      world,
      'SQL02\\PCHAT',
      "SELECT h.run_status FROM msdb.dbo.sysjobhistory h JOIN msdb.dbo.sysjobs j ON j.job_id = h.job_id WHERE j.name = N'LSBackup_mgc' AND h.step_id = 0",
    );
    expect(hist.objects()).toEqual([{ run_status: 1 }]);
    const detail = await run(
      world,
      'SQL02\\PCHAT',
      'SELECT message FROM msdb.dbo.log_shipping_monitor_history_detail WHERE session_status = 2',
    );
    expect(String(detail.objects()[0]!.message)).toContain('mirror');
    expect(
      fs
        .readdirSync(path.join(world.root, 'shares', 'FS01', 'PChatLogShip'))
        .filter((f) => f.endsWith('.trn')),
    ).toEqual([]);
  });

  test('a read-only share makes the backup job fail with 3201 Access is denied', async () => {
    await configure(world);
    await world.control('POST', '/shares', { unc: SHARE, writable: false });
    await world.control('POST', '/clock/advance', { minutes: 15 });
    const err = await run(world, P, 'SELECT message FROM msdb.dbo.log_shipping_monitor_error_detail');
    expect(String(err.objects()[0]!.message)).toContain('Operating system error 5(Access is denied.)');
  });
});

describe('the Persistent Chat procedures around log shipping', () => {
  test('after a mirroring failover the mirror, configured as a second primary on the same share, continues the chain', async () => {
    await configure(world);
    await world.control('POST', '/clock/advance', { minutes: 15 });
    noErrors(await run(world, P, 'ALTER DATABASE mgc SET PARTNER FAILOVER'));
    noErrors(await run(world, 'SQL02\\PCHAT', ssmsScript(await today(world), 'SQL02\\PCHAT').primary));
    await world.control('POST', '/data/messages', { server: 'SQL02\\PCHAT', database: 'mgc', count: 4 });
    await world.control('POST', '/clock/advance', { minutes: 15 });
    expect((await messages(world, S)).count).toBe((await messages(world, 'SQL02\\PCHAT')).count);
    expect(
      (await run(world, S, 'SELECT message FROM msdb.dbo.log_shipping_monitor_error_detail')).objects(),
    ).toEqual([]);
    // The old principal, now the mirror, skipped its backup and succeeded.
    const skipped = await run(
      world,
      P,
      "SELECT h.run_status FROM msdb.dbo.sysjobhistory h JOIN msdb.dbo.sysjobs j ON j.job_id = h.job_id WHERE j.name = N'LSBackup_mgc' AND h.step_id = 0 ORDER BY h.instance_id",
    );
    expect(skipped.objects()).toEqual([{ run_status: 1 }, { run_status: 1 }]);
  });

  test('DR failover as the SfB documentation writes it: delete the secondary, then RESTORE ... WITH RECOVERY', async () => {
    await configure(world);
    await world.control('POST', '/data/messages', { server: P, database: 'mgc', count: 6 });
    await world.control('POST', '/clock/advance', { minutes: 15 });
    noErrors(await run(world, S, 'exec sp_delete_log_shipping_secondary_database mgc'));
    expect((await run(world, S, 'SELECT COUNT(*) AS n FROM msdb.dbo.sysjobs')).objects()).toEqual([{ n: 0 }]);
    expect(
      (await run(world, S, 'SELECT COUNT(*) AS n FROM msdb.dbo.log_shipping_secondary')).objects(),
    ).toEqual([{ n: 0 }]);
    noErrors(await run(world, S, 'restore database mgc with recovery'));
    expect((await run(world, S, 'SELECT COUNT(*) AS n FROM mgc.dbo.chat')).objects()).toEqual([
      { n: (await messages(world, P)).count },
    ]);
  });

  test('teardown on the primary: 32011 while a secondary is registered, then in the documented order', async () => {
    await configure(world);
    const early = await run(
      world,
      P,
      "EXEC master.dbo.sp_delete_log_shipping_primary_database @database = N'mgc'",
    );
    expect(early.errors.map((e) => [e.number, e.message])).toEqual([
      [
        32011,
        'Primary Database mgc has active log shipping secondary database(s). Drop the secondary database(s) first.',
      ],
    ]);
    noErrors(
      await run(
        world,
        P,
        `EXEC master.dbo.sp_delete_log_shipping_primary_secondary @primary_database = N'mgc', @secondary_server = N'${S}', @secondary_database = N'mgc'\nEXEC master.dbo.sp_delete_log_shipping_primary_database @database = N'mgc'`,
      ),
    );
    expect((await run(world, P, 'SELECT COUNT(*) AS n FROM msdb.dbo.sysjobs')).objects()).toEqual([{ n: 0 }]);
    expect(
      (await run(world, P, 'SELECT COUNT(*) AS n FROM msdb.dbo.log_shipping_monitor_primary')).objects(),
    ).toEqual([{ n: 0 }]);
    const again = await run(
      world,
      P,
      "EXEC master.dbo.sp_delete_log_shipping_primary_database @database = N'mgc'",
    );
    expect(again.errors.map((e) => e.number)).toEqual([32010]);
  });

  test('the alert job raises 14420 when no backup happened within the threshold', async () => {
    await configure(world);
    noErrors(await run(world, P, "EXEC msdb.dbo.sp_update_job @job_name = N'LSBackup_mgc', @enabled = 0"));
    await world.control('POST', '/clock/advance', { minutes: 75 });
    const h = await run(
      world,
      P,
      "SELECT TOP 1 h.run_status, h.sql_message_id, h.message FROM msdb.dbo.sysjobhistory h JOIN msdb.dbo.sysjobs j ON j.job_id = h.job_id WHERE j.name LIKE N'LSAlert%' AND h.step_id = 1 ORDER BY h.instance_id DESC",
    );
    const row = h.objects()[0]!;
    expect(row).toMatchObject({ run_status: 0, sql_message_id: 14420 });
    expect(String(row.message)).toMatch(
      /The log shipping primary database SQL01\\PCHAT\.mgc has backup threshold of 60 minutes and has not performed a backup log operation for \d+ minutes\./,
    );
    const monitor = await run(world, P, 'EXEC master.dbo.sp_help_log_shipping_monitor');
    expect(monitor.objects()[0]).toMatchObject({ status: 1, is_primary: 1 });
  });

  test('restore_delay holds files back until they are old enough', async () => {
    await configure(world);
    noErrors(
      await run(
        world,
        S,
        "EXEC master.dbo.sp_change_log_shipping_secondary_database @secondary_database = N'mgc', @restore_delay = 20",
      ),
    );
    await world.control('POST', '/clock/advance', { minutes: 15 });
    expect(
      (
        await run(world, S, 'SELECT last_restored_file FROM msdb.dbo.log_shipping_secondary_databases')
      ).objects(),
    ).toEqual([{ last_restored_file: null }]);
    await world.control('POST', '/clock/advance', { minutes: 30 });
    expect(
      (
        await run(world, S, 'SELECT last_restored_file FROM msdb.dbo.log_shipping_secondary_databases')
      ).objects()[0]!.last_restored_file,
    ).not.toBeNull();
  });

  test('the copy job fails while the share is gone and catches up when it is back', async () => {
    await configure(world);
    await world.control('POST', '/clock/advance', { minutes: 15 });
    await world.control('POST', '/shares', { unc: SHARE, present: false });
    await world.control('POST', '/clock/advance', { minutes: 15 });
    const err = await run(
      world,
      S,
      'SELECT agent_type, message FROM msdb.dbo.log_shipping_monitor_error_detail',
    );
    expect(err.objects()).toEqual([
      {
        agent_type: 1,
        message: `*** Error: Could not find a part of the path '${SHARE}'. 67(The network name cannot be found.)(mscorlib) ***`,
      },
    ]);
    await world.control('POST', '/shares', { unc: SHARE, present: true });
    await world.control('POST', '/data/messages', { server: P, database: 'mgc', count: 3 });
    await world.control('POST', '/clock/advance', { minutes: 15 });
    expect((await messages(world, S)).count).toBe((await messages(world, P)).count);
  });

  test('backup files older than the retention period are deleted by the backup job', async () => {
    await configure(world);
    noErrors(
      await run(
        world,
        P,
        "EXEC master.dbo.sp_change_log_shipping_primary_database @database = N'mgc', @backup_retention_period = 20",
      ),
    );
    await world.control('POST', '/clock/advance', { minutes: 60 });
    const files = fs
      .readdirSync(path.join(world.root, 'shares', 'FS01', 'PChatLogShip'))
      .filter((f) => f.endsWith('.trn'));
    expect(files.length).toBe(2);
  });

  test('the remote-monitor variant of the primary script registers the monitor', async () => {
    await initialiseSecondary(world);
    const primary = ssmsScript(await today(world)).primary.replace(
      '\t\t,@backup_threshold',
      "\t\t,@monitor_server = N'SQLDR02\\PCHAT' \n\t\t,@monitor_server_security_mode = 1 \n\t\t,@backup_threshold",
    );
    noErrors(await run(world, P, primary));
    const row = await run(
      world,
      P,
      'SELECT monitor_server, user_specified_monitor FROM msdb.dbo.log_shipping_primary_databases',
    );
    expect(row.objects()).toEqual([{ monitor_server: 'SQLDR02\\PCHAT', user_specified_monitor: 1 }]);
  });

  test('a local backup folder on the primary shared to the secondary: the job writes locally, the copy reads the share', async () => {
    expect(
      (await world.control('POST', '/shares', {
        unc: '\\\\SQL01\\LSBackup',
        path: 'D:\\LSBackup',
        present: true,
      }))!.status,
    ).toBe(200);
    await initialiseSecondary(world);
    const script = ssmsScript(await today(world), P, {
      directory: 'D:\\LSBackup',
      share: '\\\\SQL01\\LSBackup',
    });
    noErrors(await run(world, P, script.primary));
    noErrors(await run(world, S, script.secondary));
    await world.control('POST', '/data/messages', { server: P, database: 'mgc', count: 2 });
    await world.control('POST', '/clock/advance', { minutes: 15 });
    expect(
      fs
        .readdirSync(path.join(world.root, 'hosts', 'SQL01', 'D', 'LSBackup'))
        .filter((f) => f.endsWith('.trn')),
    ).toHaveLength(1);
    expect((await messages(world, S)).count).toBe((await messages(world, P)).count);
  });

  test('sp_help_log_shipping_primary_database / _secondary_database and the SSMS monitor procedures', async () => {
    await configure(world);
    const p = await run(world, P, "EXEC master.dbo.sp_help_log_shipping_primary_database @database = N'mgc'");
    expect(p.objects()).toEqual([
      expect.objectContaining({
        primary_database: 'mgc',
        backup_share: SHARE,
        backup_threshold: 60,
        threshold_alert: 14420,
      }),
    ]);
    const sdb = await run(
      world,
      S,
      "EXEC master.dbo.sp_help_log_shipping_secondary_database @secondary_database = N'mgc'",
    );
    expect(sdb.objects()).toEqual([
      expect.objectContaining({
        primary_server: P,
        secondary_database: 'mgc',
        backup_destination_directory: COPY_DIR,
        restore_threshold: 45,
      }),
    ]);
    const missing = await run(
      world,
      S,
      "EXEC master.dbo.sp_help_log_shipping_secondary_database @secondary_database = N'nope'",
    );
    expect(missing.errors.map((e) => e.number)).toEqual([32014]);
    const id = (
      await run(world, P, 'SELECT primary_id FROM msdb.dbo.log_shipping_primary_databases')
    ).objects()[0]!.primary_id;
    noErrors(
      await run(
        world,
        'SQLDR02\\PCHAT',
        `EXEC msdb.dbo.sp_processlogshippingmonitorprimary @mode = 1, @primary_id = N'${String(id)}', @primary_server = N'${P}', @monitor_server = N'SQLDR02\\PCHAT', @monitor_server_security_mode = 1, @primary_database = N'mgc', @backup_threshold = 60, @threshold_alert = 14420, @threshold_alert_enabled = 1, @history_retention_period = 5760`,
      ),
    );
    const mon = await run(
      world,
      'SQLDR02\\PCHAT',
      'SELECT primary_server, primary_database FROM msdb.dbo.log_shipping_monitor_primary',
    );
    expect(mon.objects()).toEqual([{ primary_server: P, primary_database: 'mgc' }]);
  });
});
