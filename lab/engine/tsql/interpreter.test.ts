import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { EngineLabWorld } from '../world';
import { openWorld, rpc, run, session } from '../testing/recording-sink';

const P = 'SQL01\\PCHAT';
let world: EngineLabWorld;
beforeAll(async () => {
  world = await openWorld();
});
afterAll(async () => {
  await world.close();
});

const errs = (sink: { errors: { number: number; message: string; line: number }[] }) =>
  sink.errors.map((e) => [e.number, e.message, e.line]);

describe('syntax and compile errors stop the whole batch before it runs', () => {
  test('Msg 102 names the token and its line; nothing runs', async () => {
    const sink = await run(world, P, "PRINT 'first'\nSELECT 1 +\nFROM x");
    expect(errs(sink)).toEqual([[156, "Incorrect syntax near the keyword 'FROM'.", 3]]);
    expect(sink.printed).toEqual([]);
  });

  test('Msg 102 for a non-keyword token', async () => {
    expect(errs(await run(world, P, 'SELECT 1\nPRINT )'))).toEqual([[102, "Incorrect syntax near ')'.", 2]]);
  });

  test('Msg 137 for an undeclared variable, at its line', async () => {
    const sink = await run(world, P, "PRINT 'a'\nDECLARE @a int\nSET @b = 1");
    expect(errs(sink)).toEqual([[137, 'Must declare the scalar variable "@b".', 3]]);
    expect(sink.printed).toEqual([]);
  });

  test('Msg 134 for a variable declared twice', async () => {
    expect(errs(await run(world, P, 'DECLARE @a int\nDECLARE @A int'))).toEqual([
      [
        134,
        "The variable name '@A' has already been declared. Variable names must be unique within a query batch or stored procedure.",
        2,
      ],
    ]);
  });

  test('unclosed string: Msg 105', async () => {
    expect((await run(world, P, "PRINT 'abc")).errors[0]!.number).toBe(105);
  });

  test('statements outside the subset fail loudly', async () => {
    expect((await run(world, P, 'CREATE TABLE t (a int)')).errors[0]).toMatchObject({
      number: 156,
      message: "Incorrect syntax near the keyword 'CREATE'.",
    });
    expect((await run(world, P, 'GO')).errors[0]).toMatchObject({ number: 156 });
  });
});

describe('runtime errors follow SQL Server statement semantics', () => {
  test('208 aborts the batch after the statements before it ran', async () => {
    const sink = await run(world, P, "PRINT 'before'\nSELECT * FROM dbo.nothere\nPRINT 'after'");
    expect(sink.printed).toEqual(['before']);
    expect(errs(sink)).toEqual([[208, "Invalid object name 'dbo.nothere'.", 2]]);
  });

  test('207 for an unknown column', async () => {
    expect(errs(await run(world, P, 'SELECT nope FROM sys.databases'))).toEqual([
      [207, "Invalid column name 'nope'.", 1],
    ]);
  });

  test('2812 does not stop the batch; @@ERROR holds it for one statement only', async () => {
    const sink = await run(
      world,
      P,
      'EXEC dbo.sp_nothere\nPRINT CAST(@@ERROR AS nvarchar(10))\nPRINT CAST(@@ERROR AS nvarchar(10))',
    );
    expect(errs(sink)).toEqual([[2812, "Could not find stored procedure 'dbo.sp_nothere'.", 1]]);
    expect(sink.printed).toEqual(['2812', '0']);
  });

  test('RAISERROR formats printf arguments; severity 10 is informational; WITH NOWAIT accepted', async () => {
    const sink = await run(
      world,
      P,
      "RAISERROR(N'%s has %d rows (%5s|%-4d|)', 16, 3, N'mgc', 42, N'ab', 7)\nRAISERROR('note', 10, 1) WITH NOWAIT\nSELECT @@ERROR AS e",
    );
    expect(sink.errors).toEqual([
      expect.objectContaining({
        number: 50000,
        class: 16,
        state: 3,
        message: 'mgc has 42 rows (   ab|7   |)',
        line: 1,
      }),
    ]);
    expect(sink.messages).toEqual([expect.objectContaining({ number: 50000, class: 10, message: 'note' })]);
    expect(sink.objects()).toEqual([{ e: 0 }]);
  });

  test('THROW ends the batch', async () => {
    const sink = await run(world, P, "THROW 51000, N'stop here', 1;\nPRINT 'never'");
    expect(sink.errors).toEqual([
      expect.objectContaining({ number: 51000, class: 16, state: 1, message: 'stop here', line: 1 }),
    ]);
    expect(sink.printed).toEqual([]);
  });

  test('TRY/CATCH catches and exposes ERROR_NUMBER()', async () => {
    const sink = await run(
      world,
      P,
      "BEGIN TRY\n  RAISERROR('boom', 16, 1)\nEND TRY\nBEGIN CATCH\n  SELECT ERROR_NUMBER() AS n, ERROR_MESSAGE() AS m\nEND CATCH",
    );
    expect(sink.errors).toEqual([]);
    expect(sink.objects()).toEqual([{ n: 50000, m: 'boom' }]);
  });

  test('conversion failure: Msg 245', async () => {
    expect(errs(await run(world, P, "DECLARE @i int\nSET @i = N'abc'"))).toEqual([
      [245, "Conversion failed when converting the nvarchar value 'abc' to data type int.", 2],
    ]);
  });
});

describe('variables, expressions and control flow', () => {
  test('DECLARE of several types, SET, SELECT @v =, IF/ELSE, WHILE', async () => {
    const sink = await run(
      world,
      P,
      `DECLARE @id uniqueidentifier, @n int = 0, @s nvarchar(max), @b bit = 1, @d datetime = '20260102 03:04:05', @m decimal(25,0) = 34000000016000001, @big bigint
SET @id = 'a1b2c3d4-0000-4000-8000-00000000000f'
WHILE @n < 3 BEGIN SET @n += 1 END
SELECT @s = name FROM sys.databases WHERE database_id = DB_ID(N'msdb')
IF @b = 1 AND @s LIKE N'ms%' AND @n IN (1, 3) PRINT 'yes' ELSE PRINT 'no'
SET @big = @m + 1
SELECT @id AS id, @n AS n, @s AS s, CONVERT(varchar(8), @d, 112) AS ymd, @big AS big, ISNULL(NULL, N'x') AS x, CASE WHEN @n > 2 THEN 'big' ELSE 'small' END AS c, LEN(N'abc ') AS l`,
    );
    expect(sink.errors).toEqual([]);
    expect(sink.printed).toEqual(['yes']);
    expect(sink.objects()).toEqual([
      {
        id: 'A1B2C3D4-0000-4000-8000-00000000000F',
        n: 3,
        s: 'msdb',
        ymd: '20260102',
        big: 34000000016000002n,
        x: 'x',
        c: 'big',
        l: 3,
      },
    ]);
  });

  test('a semicolon may end the THEN statement before ELSE', async () => {
    const sink = await run(
      world,
      P,
      "IF 1 = 0\n  PRINT N'then';\nELSE\n  PRINT N'else';\nIF 1 = 1 PRINT N'yes'; ELSE PRINT N'no';",
    );
    expect(sink.errors).toEqual([]);
    expect(sink.printed).toEqual(['else', 'yes']);
  });

  test('SELECT @v = @v + ... accumulates over the rows, each seeing the previous assignment', async () => {
    const sink = await run(
      world,
      P,
      "DECLARE @names nvarchar(max) = N'', @n int = 0\nSELECT @names = @names + name + N';', @n = @n + 1 FROM sys.databases WHERE database_id <= 4 ORDER BY database_id\nSELECT @names AS names, @n AS n",
    );
    expect(sink.errors).toEqual([]);
    expect(sink.objects()).toEqual([{ names: 'master;tempdb;model;msdb;', n: 4 }]);
  });

  test('NCHAR and CHAR make a character of a code, NULL outside their set', async () => {
    const sink = await run(
      world,
      P,
      "SELECT N'a' + NCHAR(10) + N'b' AS lf, CHAR(65) AS a, NCHAR(233) AS e, CHAR(256) AS none, NCHAR(NULL) AS n",
    );
    expect(sink.errors).toEqual([]);
    expect(sink.objects()).toEqual([{ lf: 'a\nb', a: 'A', e: 'é', none: null, n: null }]);
  });

  test('date functions take a datepart keyword; GROUP BY and CROSS APPLY work', async () => {
    const d = await run(
      world,
      P,
      "SELECT CONVERT(varchar(19), DATEADD(minute, 15, '20260101'), 120) AS d, DATEDIFF(hh, '20260101', '20260102') AS h, DATEPART(year, '20260304') AS y",
    );
    expect(d.objects()).toEqual([{ d: '2026-01-01 00:15:00', h: 24, y: 2026 }]);
    const g = await run(
      world,
      P,
      'SELECT recovery_model_desc AS m, COUNT(*) AS n FROM sys.databases GROUP BY recovery_model_desc ORDER BY m',
    );
    expect(g.objects()).toEqual([
      { m: 'FULL', n: 3 },
      { m: 'SIMPLE', n: 3 },
    ]);
    const v = await run(
      world,
      P,
      "SELECT mf.type_desc, vs.volume_mount_point FROM sys.master_files mf CROSS APPLY sys.dm_os_volume_stats(mf.database_id, mf.file_id) vs WHERE mf.database_id = DB_ID('mgc') ORDER BY mf.file_id",
    );
    expect(v.objects()).toEqual([
      { type_desc: 'ROWS', volume_mount_point: 'D:\\' },
      { type_desc: 'LOG', volume_mount_point: 'D:\\' },
    ]);
  });

  test('EXEC sp_executesql and EXEC (@sql) inside a batch', async () => {
    const a = await run(
      world,
      P,
      "DECLARE @out int\nEXEC sp_executesql N'SET @o = @a + 1', N'@a int, @o int OUTPUT', @a = 41, @o = @out OUTPUT\nSELECT @out AS o",
    );
    expect(a.errors).toEqual([]);
    expect(a.objects()).toEqual([{ o: 42 }]);
    const b = await run(world, P, "DECLARE @sql nvarchar(max) = N'SELECT DB_NAME() AS d'\nEXEC (@sql)");
    expect(b.objects()).toEqual([{ d: 'master' }]);
  });

  test('table variables filled by INSERT ... EXEC and VALUES (the wizard preflight forms)', async () => {
    const drives = await run(
      world,
      P,
      'DECLARE @drives TABLE (drive nchar(1) NOT NULL, mb_free int NOT NULL);\nINSERT INTO @drives EXEC master.dbo.xp_fixeddrives;\nSELECT drive, CAST(mb_free AS bigint) * 1048576 AS free_bytes FROM @drives;',
    );
    expect(drives.errors).toEqual([]);
    expect(drives.objects()).toEqual([
      { drive: 'C', free_bytes: 64424509440n },
      { drive: 'D', free_bytes: 429496729600n },
    ]);
    const share = await run(
      world,
      P,
      "DECLARE @result TABLE (file_exists int NOT NULL, is_directory int NOT NULL, parent_directory_exists int NOT NULL);\nINSERT INTO @result EXEC master.dbo.xp_fileexist N'\\\\FS01\\PChatLogShip';\nSELECT N'\\\\FS01\\PChatLogShip' AS path, file_exists, is_directory, parent_directory_exists FROM @result;",
    );
    expect(share.objects()).toEqual([
      { path: '\\\\FS01\\PChatLogShip', file_exists: 0, is_directory: 1, parent_directory_exists: 1 },
    ]);
    const values = await run(
      world,
      P,
      "DECLARE @t TABLE (a int NOT NULL, b nvarchar(10))\nINSERT @t (a) VALUES (1), (2)\nINSERT INTO @t VALUES (NULL, N'x')",
    );
    expect(values.errors.map((e) => [e.number, e.message, e.line])).toEqual([
      [
        515,
        "Cannot insert the value NULL into column 'a', table '@t'; column does not allow nulls. INSERT fails.",
        3,
      ],
    ]);
    expect(values.dones.slice(0, 2)).toEqual([{ rowCount: 2 }, { error: true }]);
    expect((await run(world, P, 'SELECT * FROM @nope')).errors[0]).toMatchObject({
      number: 1087,
      message: 'Must declare the table variable "@nope".',
    });
    expect(
      (await run(world, P, 'DECLARE @t TABLE (a int)\nINSERT @t VALUES (1, 2)')).errors[0],
    ).toMatchObject({ number: 213 });
  });

  test('syscategories and the instance default paths', async () => {
    const c = await run(world, P, 'SELECT name FROM msdb.dbo.syscategories WHERE category_id = 6');
    expect(c.objects()).toEqual([{ name: 'Log Shipping' }]);
    const p = await run(
      world,
      P,
      "SELECT CAST(SERVERPROPERTY('InstanceDefaultDataPath') AS nvarchar(4000)) AS d",
    );
    expect(p.objects()).toEqual([
      { d: 'C:\\Program Files\\Microsoft SQL Server\\MSSQL13.PCHAT\\MSSQL\\DATA\\' },
    ]);
  });

  test('msdb tables are not readable without msdb rights: 229', async () => {
    const sink = await run(
      world,
      P,
      'SELECT * FROM msdb.dbo.sysjobs',
      session({ login: 'labuser', isSysadmin: false }),
    );
    expect(sink.errors[0]).toMatchObject({
      number: 229,
      message: "The SELECT permission was denied on the object 'sysjobs', database 'msdb', schema 'dbo'.",
    });
  });

  test('@@SERVERNAME, @@SPID, SERVERPROPERTY and DB_NAME', async () => {
    const sink = await run(
      world,
      'SQLDR01\\PCHAT',
      "SELECT @@SERVERNAME AS s, @@SPID AS spid, SERVERPROPERTY('MachineName') AS m, SERVERPROPERTY('InstanceName') AS i, SERVERPROPERTY('ProductMajorVersion') AS v, SERVERPROPERTY('EngineEdition') AS e, SERVERPROPERTY('IsClustered') AS c, DB_NAME(1) AS d",
      session({ spid: 77 }),
    );
    expect(sink.objects()).toEqual([
      { s: 'SQLDR01\\PCHAT', spid: 77, m: 'SQLDR01', i: 'PCHAT', v: '13', e: 3, c: 0, d: 'master' },
    ]);
  });

  test('SELECT with JOIN, WHERE, ORDER BY, TOP and COUNT', async () => {
    const sink = await run(
      world,
      P,
      `SELECT TOP (1) d.name, m.mirroring_role_desc AS role, m.mirroring_partner_instance AS partner
       FROM master.sys.databases AS d LEFT JOIN sys.database_mirroring m ON m.database_id = d.database_id
       WHERE d.name IN (N'mgc', N'mgccomp') ORDER BY d.name DESC`,
    );
    expect(sink.objects()).toEqual([{ name: 'mgccomp', role: 'PRINCIPAL', partner: 'SQL02\\PCHAT' }]);
    const count = await run(
      world,
      P,
      "SELECT COUNT(*) AS n FROM sys.databases WHERE recovery_model_desc = N'FULL' AND name <> N'model'",
    );
    expect(count.objects()).toEqual([{ n: 2 }]);
    expect(count.dones).toEqual([{ rowCount: 1 }]);
  });

  test('IF EXISTS with a subquery and a RETURN', async () => {
    const sink = await run(
      world,
      P,
      "IF EXISTS (SELECT 1 FROM sys.databases WHERE name = 'mgc') BEGIN PRINT 'found' RETURN END\nPRINT 'not reached'",
    );
    expect(sink.printed).toEqual(['found']);
  });

  test('USE changes the session database and prints 5701; a restoring mirror cannot be used', async () => {
    const s = session();
    const sink = await run(world, P, 'USE msdb\nSELECT DB_NAME() AS d', s);
    expect(sink.messages[0]).toMatchObject({ number: 5701, message: "Changed database context to 'msdb'." });
    expect(s.database).toBe('msdb');
    const mirror = await run(world, 'SQL02\\PCHAT', 'USE mgc');
    expect(errs(mirror)).toEqual([
      [954, 'The database "mgc" cannot be opened. It is acting as a mirror database.', 1],
    ]);
  });

  test('the tedious initial SET batch (newline-separated, no semicolons) is accepted', async () => {
    const sink = await run(
      world,
      P,
      'set textsize 4096\nset quoted_identifier on\nset arithabort off\nset numeric_roundabort off\nset ansi_warnings on\nset ansi_padding on\nset ansi_nulls on\nset concat_null_yields_null on\nset cursor_close_on_commit off\nset implicit_transactions off\nset language us_english\nset dateformat mdy\nset datefirst 7\nset transaction isolation level read committed',
    );
    expect(sink.errors).toEqual([]);
  });

  test('mssql batch parameters are rewritten as declare/select', async () => {
    const sink = await run(
      world,
      P,
      "declare @db nvarchar (MAX);select @db = N'mgc';SELECT name FROM sys.databases WHERE name = @db",
    );
    expect(sink.objects()).toEqual([{ name: 'mgc' }]);
  });

  test('file checks: sys.dm_os_file_exists and xp_fileexist', async () => {
    const a = await run(
      world,
      P,
      "SELECT file_exists, file_is_a_directory, parent_directory_exists FROM sys.dm_os_file_exists(N'\\\\FS01\\PChatLogShip')",
    );
    expect(a.objects()).toEqual([{ file_exists: 0, file_is_a_directory: 1, parent_directory_exists: 1 }]);
    const b = await run(
      world,
      P,
      "DECLARE @e int\nEXEC master.dbo.xp_fileexist N'D:\\nothing.bak', @e OUTPUT\nSELECT @e AS e",
    );
    expect(b.objects()).toEqual([{ e: 0 }]);
  });
});

describe('procedures: parameter binding as SQL Server checks it', () => {
  const proc = 'master.dbo.sp_add_log_shipping_primary_database';
  test('unknown parameter: 8145, Line 0', async () => {
    const sink = await run(world, P, `EXEC ${proc} @database = N'mgc', @nope = 1`);
    expect(sink.errors).toEqual([
      expect.objectContaining({
        number: 8145,
        class: 16,
        state: 2,
        message: '@nope is not a parameter for procedure sp_add_log_shipping_primary_database.',
        procName: 'sp_add_log_shipping_primary_database',
        line: 0,
      }),
    ]);
  });
  test('missing required parameter: 201', async () => {
    const sink = await run(
      world,
      P,
      `EXEC ${proc} @database = N'mgc', @backup_directory = N'x', @backup_share = N'y'`,
    );
    expect(sink.errors[0]).toMatchObject({
      number: 201,
      state: 4,
      message:
        "Procedure or function 'sp_add_log_shipping_primary_database' expects parameter '@backup_job_name', which was not supplied.",
    });
  });
  test('wrong type: 8114', async () => {
    const sink = await run(world, P, `EXEC ${proc} N'mgc', N'x', N'y', N'j', N'many'`);
    expect(sink.errors[0]).toMatchObject({
      number: 8114,
      message: 'Error converting data type nvarchar to int.',
    });
  });
  test('OUTPUT on a parameter that is not OUTPUT: 8162', async () => {
    const sink = await run(world, P, `DECLARE @d sysname = N'mgc'\nEXEC ${proc} @database = @d OUTPUT`);
    expect(sink.errors[0]).toMatchObject({
      number: 8162,
      message:
        'The formal parameter "@database" was not declared as an OUTPUT parameter, but the actual parameter passed in requested output.',
    });
  });
  test('positional after named: 119', async () => {
    expect((await run(world, P, `EXEC ${proc} @database = N'mgc', N'x'`)).errors[0]!.number).toBe(119);
  });
  test('msdb procedures are not found from master without the msdb prefix', async () => {
    expect((await run(world, P, "EXEC sp_add_schedule @schedule_name = N'x'")).errors[0]).toMatchObject({
      number: 2812,
      message: "Could not find stored procedure 'sp_add_schedule'.",
    });
  });
  test('EXEC @rc = with OUTPUT parameters and a return code', async () => {
    const sink = await run(
      world,
      P,
      "DECLARE @id int, @uid uniqueidentifier, @rc int\nEXEC @rc = msdb.dbo.sp_add_schedule @schedule_name = N'nightly', @freq_type = 4, @schedule_id = @id OUTPUT, @schedule_uid = @uid OUTPUT\nSELECT @rc AS rc, @id AS id, CASE WHEN @uid IS NULL THEN 0 ELSE 1 END AS has_uid",
    );
    expect(sink.errors).toEqual([]);
    expect(sink.objects()).toEqual([{ rc: 0, id: 1, has_uid: 1 }]);
  });
  test('an invalid @freq_type is rejected with 14266', async () => {
    const sink = await run(world, P, "EXEC msdb.dbo.sp_add_schedule @schedule_name = N'bad', @freq_type = 3");
    expect(sink.errors[0]).toMatchObject({
      number: 14266,
      message: "The specified '@freq_type' is invalid (valid values are: 1, 4, 8, 16, 32, 64, 128).",
    });
  });
  test('a non-sysadmin gets 229 on msdb Agent procedures', async () => {
    const sink = await run(
      world,
      P,
      "EXEC msdb.dbo.sp_add_schedule @schedule_name = N'x'",
      session({ login: 'labuser', isSysadmin: false }),
    );
    expect(sink.errors[0]).toMatchObject({
      number: 229,
      message:
        "The EXECUTE permission was denied on the object 'sp_add_schedule', database 'msdb', schema 'dbo'.",
    });
  });
});

describe('RPC', () => {
  test('a stored procedure with typed parameters returns its status and OUTPUT values', async () => {
    const sink = await rpc(world, P, 'msdb.dbo.sp_add_schedule', [
      { name: '@schedule_name', type: 'nvarchar', value: 'rpc-schedule', output: false },
      { name: '@freq_type', type: 'int', value: 4, output: false },
      { name: '@schedule_id', type: 'int', value: null, output: true },
    ]);
    expect(sink.errors).toEqual([]);
    expect(sink.status).toBe(0);
    expect(sink.outputs).toEqual([
      { name: '@schedule_id', type: 'int', value: expect.any(Number), ordinal: 2 },
    ]);
  });

  test('sp_executesql with typed parameters (the mssql query path) and SELECT 1 validation', async () => {
    const sink = await rpc(world, P, 'sp_executesql', [
      {
        name: '',
        type: 'nvarchar',
        value: 'SELECT name, state_desc FROM sys.databases WHERE name = @db',
        output: false,
      },
      { name: '', type: 'nvarchar', value: '@db nvarchar(3)', output: false },
      { name: '@db', type: 'nvarchar', value: 'mgc', output: false },
    ]);
    expect(sink.errors).toEqual([]);
    expect(sink.objects()).toEqual([{ name: 'mgc', state_desc: 'ONLINE' }]);
    expect(sink.dones).toEqual([{ rowCount: 1, inProc: true }]);
    const ping = await rpc(world, P, 'sp_executesql', [
      { name: '@statement', type: 'nvarchar', value: 'SELECT 1;', output: false },
    ]);
    expect(ping.resultSets[0]!.rows).toEqual([[1]]);
  });

  test('an unknown procedure: 2812', async () => {
    expect((await rpc(world, P, 'dbo.nope', [])).errors[0]).toMatchObject({
      number: 2812,
      message: "Could not find stored procedure 'dbo.nope'.",
    });
  });
});
