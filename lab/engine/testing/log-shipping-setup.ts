// Test support: log shipping of mgc from SQL01 to SQLDR01 configured with the SSMS "Script Configuration" output,
// as the log-shipping and DR tests start from it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { EngineLabWorld } from '../world';
import { run, type RecordingSink } from './recording-sink';

const TEMPLATE = fs
  .readFileSync(
    path.join(path.dirname(fileURLToPath(import.meta.url)), 'ssms-logshipping-template.txt'),
    'utf8',
  )
  .split('#### BEGIN TEMPLATE\n')[1]!;
export const P = 'SQL01\\PCHAT';
export const S = 'SQLDR01\\PCHAT';
export const SHARE = '\\\\FS01\\PChatLogShip';
export const COPY_DIR = 'D:\\PChatLogShipCopy';

/** The SSMS script with the wizard's usual values; splits into the primary and secondary halves. */
export function ssmsScript(
  activeStartDate: number,
  primaryServer = P,
  paths: { directory: string; share: string } = { directory: SHARE, share: SHARE },
): { primary: string; secondary: string } {
  const values: Record<string, string | number> = {
    PRIMARY_SERVER: primaryServer,
    PRIMARY_DB: 'mgc',
    BACKUP_DIRECTORY: paths.directory,
    BACKUP_SHARE: paths.share,
    BACKUP_RETENTION_MIN: 4320,
    BACKUP_COMPRESSION: 2,
    BACKUP_THRESHOLD_MIN: 60,
    BACKUP_ALERT_ENABLED: 1,
    HISTORY_RETENTION_MIN: 5760,
    BACKUP_FREQ_SUBDAY_TYPE: 4,
    BACKUP_FREQ_SUBDAY_INTERVAL: 15,
    ACTIVE_START_DATE_YYYYMMDD: activeStartDate,
    SECONDARY_SERVER: S,
    SECONDARY_DB: 'mgc',
    COPY_DESTINATION: COPY_DIR,
    FILE_RETENTION_MIN: 4320,
    COPY_FREQ_SUBDAY_TYPE: 4,
    COPY_FREQ_SUBDAY_INTERVAL: 15,
    RESTORE_FREQ_SUBDAY_TYPE: 4,
    RESTORE_FREQ_SUBDAY_INTERVAL: 15,
    RESTORE_DELAY_MIN: 0,
    RESTORE_MODE: 0,
    DISCONNECT_USERS: 0,
    RESTORE_THRESHOLD_MIN: 45,
    RESTORE_ALERT_ENABLED: 1,
    SECONDARY_HISTORY_RETENTION_MIN: 5760,
  };
  const filled = TEMPLATE.replace(/\{\{(\w+)\}\}/g, (_m, k: string) => {
    if (!(k in values)) throw new Error(`no value for ${k}`);
    return String(values[k]);
  });
  const cut = filled.indexOf('-- Execute the following statements at the Secondary');
  return { primary: filled.slice(0, cut), secondary: filled.slice(cut) };
}

/** Asserts that a batch reported no error (the numbers and texts show in the diff when it did). */
export function noErrors(sink: RecordingSink): void {
  expect(sink.errors.map((e) => `${e.number}: ${e.message}`)).toEqual([]);
}

/** The lab date as the yyyymmdd integer Agent schedules take. */
export async function today(world: EngineLabWorld): Promise<number> {
  const r = await world.control('GET', '/clock', undefined);
  const now = new Date((r!.body as { now: string }).now);
  return now.getUTCFullYear() * 10000 + (now.getUTCMonth() + 1) * 100 + now.getUTCDate();
}

/** Full backup of the primary restored WITH NORECOVERY over the backup store's database, and the copy folder. */
export async function initialiseSecondary(world: EngineLabWorld): Promise<void> {
  noErrors(
    await run(world, P, `BACKUP DATABASE [mgc] TO DISK = N'${SHARE}\\mgc_init.bak' WITH INIT, STATS = 10`),
  );
  noErrors(
    await run(
      world,
      S,
      `RESTORE DATABASE [mgc] FROM DISK = N'${SHARE}\\mgc_init.bak' WITH NORECOVERY, REPLACE, STATS = 10`,
    ),
  );
  noErrors(await run(world, S, `EXEC master.dbo.xp_create_subdir N'${COPY_DIR}'`));
}

/** Log shipping configured: the secondary initialised, then both halves of the SSMS script. */
export async function configure(world: EngineLabWorld): Promise<void> {
  await initialiseSecondary(world);
  const script = ssmsScript(await today(world));
  noErrors(
    await run(world, P, script.primary, {
      spid: 60,
      login: 'LAB\\sqladmin',
      isSysadmin: true,
      database: 'msdb',
    }),
  );
  noErrors(
    await run(world, S, script.secondary, {
      spid: 61,
      login: 'LAB\\sqladmin',
      isSysadmin: true,
      database: 'msdb',
    }),
  );
}

/** The chat messages of mgc on `server` (`GET /data/messages`). */
export async function messages(
  world: EngineLabWorld,
  server: string,
): Promise<{ count: number; lsn: string; state: string }> {
  return (await world.control(
    'GET',
    `/data/messages?server=${encodeURIComponent(server)}&database=mgc`,
    undefined,
  ))!.body as { count: number; lsn: string; state: string };
}
