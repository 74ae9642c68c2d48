// Faults injected through the lab's control API while stages apply: the exact server error reaches the operator,
// the record is complete, and applying again converges.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { labControl, type LabControl } from '@/lab/control-client';
import type { RunningLab } from '@/lab/server';
import { startLabForPlan } from '@/lab/testing/lab-plan-session';
import { exportPlanJson } from '@/lib/plan/io';
import type { Plan } from '@/lib/plan/schema';
import { migrate } from '@/lib/store/migrations';
import { RunStore } from '@/lib/store/run-store';
import type { SetupStageId } from './ids';
import type { Finding } from './preflight-findings';
import { applyReviewedStage, reviewStage, type StageServiceOptions } from './service';

const sentinel = 'Sentinel#Pw-2026!';
let lab: RunningLab;
let control: LabControl;
let dir: string;
let plan: Plan;
let shellEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pchat-faults-'));
  ({ lab, plan, shellEnv } = await startLabForPlan(dir, sentinel));
  control = labControl(lab.controlUrl);
}, 120_000);

afterAll(async () => {
  await lab?.stop();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  await control.clearFaults();
});

function service(file: string): StageServiceOptions & { runs: RunStore } {
  const db = new Database(file);
  migrate(db);
  return {
    db,
    runs: new RunStore(db),
    secrets: () => ({ password: sentinel }),
    env: shellEnv,
  };
}

async function apply(opts: StageServiceOptions, planId: string, stage: SetupStageId) {
  const { review } = await reviewStage(opts, { planId, planVersion: 1, plan, stage, actor: 'tester' });
  return applyReviewedStage(opts, {
    planId,
    planVersion: 1,
    plan,
    stage,
    reviewId: review.id,
    actor: 'tester',
  });
}

describe('faults during apply (lab)', () => {
  it('reports a refused login and a stopped Agent as preflight findings naming the server', async () => {
    const opts = service(path.join(dir, 'preflight.sqlite'));
    await control.setFaults('SQLDR01\\PCHAT', { refuseLogins: true });
    await control.post('/agent', { server: 'SQL02\\PCHAT', running: false });
    try {
      const result = await apply(opts, 'p1', 'preflight');
      expect(result.status).toBe('failed');
      const findings = opts.runs
        .messages((result as { run: { id: string } }).run.id)
        .filter((m) => m.kind === 'finding')
        .map((m) => JSON.parse(m.text) as Finding);
      expect(findings).toContainEqual(
        expect.objectContaining({
          server: 'SQLDR01\\PCHAT',
          severity: 'error',
          what: 'Login to SQLDR01\\PCHAT failed.',
        }),
      );
      expect(findings).toContainEqual(
        expect.objectContaining({
          server: 'SQL02\\PCHAT',
          severity: 'error',
          what: 'SQL Server Agent on SQL02\\PCHAT is stopped.',
        }),
      );
    } finally {
      await control.post('/agent', { server: 'SQL02\\PCHAT', running: true });
    }
  }, 60_000);

  it('stops at a missing share with Msg 3201, then continues where it stopped once the share is back', async () => {
    const opts = service(path.join(dir, 'share.sqlite'));
    await control.post('/shares', { unc: plan.backup.share, present: false });
    const failed = await apply(opts, 'p2', 'ship-primary');
    expect(failed.message).toMatch(/Msg 3201, Level 16/);
    expect(failed.status).toBe('failed');
    expect(failed.message).toMatch(/Msg 3201, Level 16/);
    const run = (failed as { run: { id: string } }).run.id;
    const steps = opts.runs.steps(run);
    expect(steps.map((s) => [s.stepKey, s.status])).toEqual([
      ['primary-configuration', 'succeeded'],
      ['initialise-full-backup', 'failed'],
    ]);
    expect(opts.runs.messages(run).some((m) => m.kind === 'error' && m.number === 3201)).toBe(true);

    await control.post('/shares', { unc: plan.backup.share, present: true });
    const again = await apply(opts, 'p2', 'ship-primary');
    expect(again.status).toBe('succeeded');
    const resumed = opts.runs.steps((again as { run: { id: string } }).run.id);
    expect(resumed.map((s) => [s.stepKey, s.status])).toEqual([
      ['primary-configuration', 'skipped'],
      ['initialise-full-backup', 'succeeded'],
      ['initialise-restore', 'succeeded'],
      ['secondary-configuration', 'succeeded'],
      ['primary-registration', 'succeeded'],
    ]);
  }, 120_000);

  it('refuses to overwrite a configuration it did not leave, and offers the clean-up script', async () => {
    // The previous test left ship-primary applied; a second plan record finds it on the servers.
    const opts = service(path.join(dir, 'exists.sqlite'));
    const result = await apply(opts, 'other-plan', 'ship-primary');
    expect(result).toMatchObject({ status: 'refused', reason: 'exists' });
    const cleanup = (result as { cleanup?: { role: string; batches: { sql: string }[] }[] }).cleanup ?? [];
    expect(cleanup.flatMap((c) => c.batches.map((b) => b.sql)).join('')).toContain(
      'sp_delete_log_shipping_primary_database',
    );
  }, 60_000);

  it('reports a connection dropped mid-batch as lost, with an unknown outcome, and converges on the next apply', async () => {
    const opts = service(path.join(dir, 'drop.sqlite'));
    // ship-mirror is applied while the mirror is principal, as in the seed procedure.
    process.env.PCHAT_LAB_CONTROL_URL = lab.controlUrl;
    expect((await apply(opts, 'p3', 'failover-to-mirror')).status).toBe('succeeded');
    await control.setFaults('SQL02\\PCHAT', { dropNextBatch: true });
    const failed = await apply(opts, 'p3', 'ship-mirror');
    expect(failed.message).toMatch(/connection was lost/i);
    expect(failed.status).toBe('failed');
    const again = await apply(opts, 'p3', 'ship-mirror');
    expect(again.status, again.message).toBe('succeeded');
    expect(again.message).toMatch(/restored LSN moved/);
    expect((await apply(opts, 'p3', 'failback-to-primary')).status).toBe('succeeded');
  }, 120_000);

  it('shows a run as interrupted, with every step up to the kill, after the applying process is killed', async () => {
    const storeFile = path.join(dir, 'killed.sqlite');
    const planFile = path.join(dir, 'plan.json');
    writeFileSync(planFile, exportPlanJson(plan));
    await control.setFaults('SQLDR01\\PCHAT', { slowMs: 4000 });
    // The CLI's worker process itself (bin/pchat-hadr.mjs only launches it), so the kill hits the process applying.
    const child = spawn(
      process.execPath,
      [
        '--conditions=react-server',
        '--import',
        'tsx',
        'bin/cli.ts',
        'apply',
        planFile,
        '--stage',
        'preflight',
        '--yes',
      ],
      {
        env: { ...process.env, PCHAT_HADR_DB: storeFile, PCHAT_HADR_SQL_PASSWORD: sentinel },
        stdio: 'ignore',
      },
    );
    const db = new Database(storeFile.replace(/$/, ''), { fileMustExist: false });
    try {
      const runs = () => {
        try {
          return db.prepare(`SELECT id FROM runs WHERE status = 'running'`).all() as { id: string }[];
        } catch {
          return [];
        }
      };
      for (let i = 0; i < 200 && runs().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(runs()).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 1500));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    } finally {
      db.close();
    }
    const opts = service(storeFile);
    const [recovered] = opts.runs.recoverInterrupted();
    expect(recovered?.status).toBe('interrupted');
    const steps = opts.runs.steps(recovered!.id);
    expect(steps.some((s) => s.status === 'succeeded')).toBe(true);
    expect(steps.some((s) => s.status === 'interrupted')).toBe(true);
  }, 120_000);
});
