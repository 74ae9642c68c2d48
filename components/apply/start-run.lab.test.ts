// The wizard's background apply against the lab over real TDS: the action's promise resolves when the run is
// recorded, the run goes on, and the stage state follows it to its end.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLab } from '@/lab/server';
import { startLabForPlan } from '@/lab/testing/lab-plan-session';
import type { Plan } from '@/lib/plan/schema';
import type { SetupStageId, StageId } from '@/lib/stages/ids';
import { reviewStage, type StageServiceOptions } from '@/lib/stages/service';
import { PlanStore } from '@/lib/store/plan-store';
import { RunStore } from '@/lib/store/run-store';
import { startRunInBackground } from './start-run';

const sentinel = 'Sentinel#Start-2026!';
let lab: RunningLab;
let dir: string;
let store: PlanStore;
let plan: Plan;
let planId: string;
let opts: StageServiceOptions;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pchat-start-run-'));
  let draft;
  ({ lab, plan, draft } = await startLabForPlan(dir, sentinel));
  store = new PlanStore(path.join(dir, 'store.sqlite'));
  planId = store.createPlan(draft).id;
  opts = { db: store.db, secrets: () => ({ password: sentinel }), env: process.env };
}, 120_000);

afterAll(async () => {
  store?.close();
  await lab?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const stateOf = (stage: SetupStageId) => store.getStageStates(planId).find((s) => s.stage === stage)?.state;

async function review(stage: StageId) {
  const { review } = await reviewStage(opts, { planId, planVersion: 1, plan, stage, actor: 'tester' });
  return review;
}

describe('startRunInBackground', () => {
  it('answers while the run is still going, then the stage state follows it to applied', async () => {
    const reviewed = await review('preflight');
    const started = await startRunInBackground(
      opts,
      {
        planId,
        planVersion: 1,
        plan,
        stage: 'preflight',
        reviewId: reviewed.id,
        artifactHash: reviewed.artifactHash,
        actor: 'tester',
      },
      store,
    );
    if (started.status !== 'started') throw new Error(`not started: ${started.message}`);
    const runs = new RunStore(store.db);
    expect(runs.getRun(started.runId)?.status).toBe('running');
    expect(stateOf('preflight')).toBe('applying');

    const end = await started.finished;
    expect(end.status).toBe('succeeded');
    expect(runs.getRun(started.runId)).toMatchObject({ status: 'succeeded', actor: 'tester' });
    expect(stateOf('preflight')).toBe('applied');
  }, 120_000);

  it('reports BACKUP and RESTORE progress by run and step, up to 100', async () => {
    const reviewed = await review('ship-primary');
    const seen = new Map<number, number[]>();
    const runIds = new Set<string>();
    const started = await startRunInBackground(
      opts,
      {
        planId,
        planVersion: 1,
        plan,
        stage: 'ship-primary',
        reviewId: reviewed.id,
        artifactHash: reviewed.artifactHash,
        actor: 'tester',
      },
      store,
      (runId, stepId, percent) => {
        runIds.add(runId);
        seen.set(stepId, [...(seen.get(stepId) ?? []), percent]);
      },
    );
    if (started.status !== 'started') throw new Error(`not started: ${started.message}`);
    expect((await started.finished).status).toBe('succeeded');
    expect([...runIds]).toEqual([started.runId]);
    // The full backup on the primary and its restore on the backup store each count up to 100.
    expect(seen.size).toBe(2);
    for (const percents of seen.values()) {
      expect(percents.at(-1)).toBe(100);
      expect([...percents].sort((a, b) => a - b)).toEqual(percents);
    }
    expect(stateOf('ship-primary')).toBe('applied');
  }, 180_000);

  it('answers a refusal with its recorded run and leaves the stage state alone', async () => {
    const reviewed = await review('verify');
    const before = stateOf('verify');
    // The plan moved on after the review (version 2): the review no longer holds.
    const started = await startRunInBackground(
      opts,
      {
        planId,
        planVersion: 2,
        plan,
        stage: 'verify',
        reviewId: reviewed.id,
        artifactHash: reviewed.artifactHash,
        actor: 'tester',
      },
      store,
    );
    expect(started).toMatchObject({ status: 'refused', message: expect.stringMatching(/plan changed/) });
    if (started.status !== 'refused' || !started.runId) throw new Error('expected a recorded refusal');
    expect(new RunStore(store.db).getRun(started.runId)?.status).toBe('refused');
    expect(stateOf('verify')).toBe(before);
  }, 120_000);

  it('refuses a review that does not exist, without recording a run', async () => {
    const count = new RunStore(store.db).listRuns(planId).length;
    const started = await startRunInBackground(
      opts,
      {
        planId,
        planVersion: 1,
        plan,
        stage: 'verify',
        reviewId: '00000000-0000-4000-8000-000000000000',
        artifactHash: 'x',
        actor: 'tester',
      },
      store,
    );
    expect(started).toMatchObject({ status: 'refused', message: expect.stringMatching(/No review/) });
    expect(new RunStore(store.db).listRuns(planId)).toHaveLength(count);
  }, 30_000);

  it('runs a runbook like a stage: its run is recorded, it gets no stage state, and the setup it removed is to do again', async () => {
    const before = store.getStageStates(planId);
    const reviewed = await review('teardown');
    const started = await startRunInBackground(
      opts,
      {
        planId,
        planVersion: 1,
        plan,
        stage: 'teardown',
        reviewId: reviewed.id,
        artifactHash: reviewed.artifactHash,
        actor: 'tester',
      },
      store,
    );
    if (started.status !== 'started') throw new Error(`not started: ${started.message}`);
    // Only ship-primary ran before: teardown removes what exists and says the rest is not there.
    const end = await started.finished;
    expect(end.status, 'message' in end ? end.message : '').toBe('succeeded');
    expect(new RunStore(store.db).getRun(started.runId)).toMatchObject({
      stage: 'teardown',
      status: 'succeeded',
    });
    const after = new Map(store.getStageStates(planId).map((s) => [s.stage, s.state]));
    for (const stage of [
      'ship-primary',
      'failover-to-mirror',
      'ship-mirror',
      'failback-to-primary',
      'verify',
    ])
      expect(after.get(stage as never), stage).toBe('not-started');
    for (const stage of ['topology', 'preflight'] as const)
      expect(after.get(stage)).toBe(before.find((s) => s.stage === stage)?.state);
    const rows = store.db
      .prepare("SELECT stage FROM stage_states WHERE plan_id = ? AND stage = 'teardown'")
      .all(planId);
    expect(rows).toEqual([]);
  }, 180_000);
});
