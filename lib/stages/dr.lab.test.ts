// The DR runbooks through lib/stages against the lab over real TDS and real pwsh: the primary data center lost
// (what was shipped survives, nothing more), failback to a rebuilt primary with log shipping set up again, then a
// planned evacuation with the primary reachable, where the tail-log backup loses nothing at all.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LabControl, labControl } from '@/lab/control-client';
import type { RunningLab } from '@/lab/server';
import { startLabForPlan } from '@/lab/testing/lab-plan-session';
import type { Plan } from '@/lib/plan/schema';
import { SqlExecutor } from '@/lib/sql/execute';
import { migrate } from '@/lib/store/migrations';
import { RunStore } from '@/lib/store/run-store';
import { readDatabaseFiles } from './database-files';
import { afterFailbackStageIds, type StageId, setupStageIds } from './ids';
import { applyReviewedStage, reviewStage, type StageServiceOptions } from './service';

const password = 'Dr#Drill-2026!';
let lab: RunningLab;
let control: LabControl;
let dir: string;
let db: Database.Database;
let plan: Plan;
let opts: StageServiceOptions;
let sql: SqlExecutor;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pchat-dr-'));
  let shellEnv: NodeJS.ProcessEnv;
  ({ lab, plan, shellEnv } = await startLabForPlan(dir, password));
  control = labControl(lab.controlUrl);
  db = new Database(path.join(dir, 'store.sqlite'));
  migrate(db);
  opts = { db, secrets: () => ({ password }), env: shellEnv };
  sql = new SqlExecutor(opts.secrets);
  process.env.PCHAT_LAB_CONTROL_URL = lab.controlUrl;
}, 120_000);

afterAll(async () => {
  await sql?.close();
  db?.close();
  await lab?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function apply(stage: StageId, planned: Plan = plan) {
  const { review } = await reviewStage(opts, {
    planId: 'dr',
    planVersion: 1,
    plan: planned,
    stage,
    actor: 'tester',
  });
  return applyReviewedStage(opts, {
    planId: 'dr',
    planVersion: 1,
    plan: planned,
    stage,
    reviewId: review.id,
    actor: 'tester',
  });
}

async function applyAll(stages: readonly StageId[]) {
  for (const stage of stages) {
    const result = await apply(stage);
    expect(result.status, `${stage}: ${result.message}`).toBe('succeeded');
  }
}

type Messages = { count: number; lsn: string; state: string };
const messages = (server: string) =>
  control.get<Messages>(`/data/messages?server=${encodeURIComponent(server)}&database=mgc`);
const write = (server: string, count: number) =>
  control.post('/data/messages', { server, database: 'mgc', count });

const primarySite = (down: boolean) => control.setSite('Primary', down);

const runMessages = (runId: string) =>
  new RunStore(db)
    .messages(runId)
    .map((m) => m.text)
    .join('\n');

describe('DR drills against the lab', () => {
  const backupData = 'E:\\PChatDR\\Data';
  const backupLog = 'F:\\PChatDR\\Log';
  let shipped = 0;

  it('sets log shipping up and ships chat messages', async () => {
    // The backup store keeps its files in folders the primary data center's servers do not have: the failback restore
    // has to put them back onto the reinstalled database's own files (SQL Server's 5133 otherwise).
    for (const folder of [backupData, backupLog])
      await control.post('/folders', { server: plan.servers.backup.name, path: folder, present: true });
    plan = {
      ...plan,
      secondary: {
        ...plan.secondary,
        initialise: {
          mode: 'generate-full-backup',
          dataFolder: backupData,
          logFolder: backupLog,
          files: await readDatabaseFiles(sql, plan.servers.primary, plan.database),
        },
      },
    };
    await applyAll(setupStageIds);
    await write(plan.servers.primary.name, 40);
    shipped = (await messages(plan.servers.primary.name)).count;
    // Backup, copy and restore run every 15 minutes; two rounds leave room for their order within a round.
    await control.post('/clock/advance', { minutes: 31 });
    await expect
      .poll(async () => (await messages(plan.servers.backup.name)).count, { timeout: 30_000 })
      .toBe(shipped);
  }, 600_000);

  it('fails over with the primary data center lost: every shipped message survives, and the run says when', async () => {
    // Written after the last log backup: these are what a lost data center takes with it.
    await write(plan.servers.primary.name, 7);
    await primarySite(true);
    // The share stood in the lost data center too: the copy job fails, the backup store recovers with what it has.
    await control.post('/shares', { unc: plan.backup.share, present: false });
    const result = await apply('dr-failover', { ...plan, dr: { ...plan.dr, primaryReachable: false } });
    expect(result.status, result.message).toBe('succeeded');
    expect(result.message).toMatch(/Data that survived: everything committed before \d{4}-\d\d-\d\dT/);
    expect(result.message).toMatch(/mgccomp is not failed over/);
    const backup = await messages(plan.servers.backup.name);
    expect(backup).toMatchObject({ state: 'ONLINE', count: shipped });
    const state = await control.get<{ objects: { PoolState: string }[] }>('/sfb/persistent-chat-state');
    expect(JSON.stringify(state)).toContain('FailedOver');
    const log = runMessages('run' in result ? result.run.id : '');
    expect(log).toMatch(/Going on: The primary data center is lost/);
    expect(log).toMatch(/Set PoolState to FailedOver|-> FailedOver/);
  }, 600_000);

  it('fails back to a rebuilt primary data center and sets log shipping up again', async () => {
    await primarySite(false);
    await control.post('/shares', { unc: plan.backup.share, present: true });
    // Rebuilt, but the topology not yet published: no mgc to restore over. Refused before anything changes.
    await control.post('/instance/rebuild', { server: plan.servers.primary.name, reinstall: false });
    const early = await apply('dr-failback');
    expect(early.status, early.message).toBe('failed');
    expect(early.message).toContain(`${plan.servers.primary.name} has no mgc: publish the topology`);
    const ran = new RunStore(db).steps('run' in early ? early.run.id : '');
    expect(ran.map((step) => [step.stepKey, step.status])).toEqual([
      ['failback-ready-backup', 'succeeded'],
      ['failback-ready-primary', 'failed'],
    ]);
    for (const role of ['primary', 'primaryMirror'] as const)
      await control.post('/instance/rebuild', { server: plan.servers[role].name, reinstall: true });
    // Chat goes on at the backup data center while the primary one is rebuilt.
    await write(plan.servers.backup.name, 5);
    const onBackup = (await messages(plan.servers.backup.name)).count;
    const result = await apply('dr-failback');
    expect(result.status, result.message).toBe('succeeded');
    expect(await messages(plan.servers.primary.name)).toMatchObject({ state: 'ONLINE', count: onBackup });
    const log = runMessages('run' in result ? result.run.id : '');
    // Onto the reinstalled file, not into the backup store's folder.
    expect(log).toMatch(/MOVE N'mgc' TO N'(?![^']*PChatDR)[^']*\\mgc\.mdf'/);
    await applyAll(afterFailbackStageIds);
  }, 900_000);

  it('fails over with the primary data center reachable: the tail-log backup loses nothing', async () => {
    // Nothing of these is shipped by the schedule: only the tail carries them.
    await write(plan.servers.primary.name, 11);
    const atFailover = (await messages(plan.servers.primary.name)).count;
    const result = await apply('dr-failover', { ...plan, dr: { ...plan.dr, primaryReachable: true } });
    expect(result.status, result.message).toBe('succeeded');
    expect(result.message).toMatch(/Nothing committed was lost/);
    expect(await messages(plan.servers.backup.name)).toMatchObject({ state: 'ONLINE', count: atFailover });
    expect((await messages(plan.servers.primary.name)).state).toBe('RESTORING');
  }, 600_000);

  it('refuses a second dr-failover before it touches anything: the backup store is no longer a secondary', async () => {
    // With the primary reachable, the first change would take the tail of its log and leave it RESTORING.
    await control.post('/instance/rebuild', { server: plan.servers.primary.name, reinstall: true });
    await write(plan.servers.primary.name, 3);
    const before = await messages(plan.servers.primary.name);
    const result = await apply('dr-failover', { ...plan, dr: { ...plan.dr, primaryReachable: true } });
    expect(result.status, result.message).toBe('failed');
    expect(result.message).toContain(`mgc on ${plan.servers.backup.name} is not a log-shipping secondary`);
    const ran = new RunStore(db).steps('run' in result ? result.run.id : '');
    expect(ran.map((step) => [step.stepKey, step.status])).toEqual([['failover-ready-backup', 'failed']]);
    expect(await messages(plan.servers.primary.name)).toEqual(before);
  }, 120_000);
});
