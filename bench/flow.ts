// The seed's whole procedure through lib/stages (review, then apply, per stage) on a fresh lab with the manual clock.
import { performance } from 'node:perf_hooks';
import { type ShellCommandArtifact } from '@/lib/stages/artifact';
import type { Plan } from '@/lib/plan/schema';
import { type SetupStageId, type StageId, setupStageIds } from '@/lib/stages/ids';
import { applyReviewedStage, reviewStage, shellExecutorFor } from '@/lib/stages/service';
import { RunStore } from '@/lib/store/run-store';
import type { LabSession } from './lab-session';

// The seed's flow as the wizard orders it; topology only reads the SfB side and is not timed.
export const flowStages: readonly SetupStageId[] = setupStageIds.filter((stage) => stage !== 'topology');

export interface FlowStageResult {
  stage: StageId;
  status: string;
  reviewMs: number;
  applyMs: number;
  message: string;
  /** Each recorded step: where it ran, how it ended and how long it took (the executor's own duration). */
  steps: { key: string; target: string; language: string; status: string; durationMs: number | null }[];
  /** For a stage that did not succeed: every error-kind message the run recorded, as the operator sees them. */
  errors: string[];
}

export interface FlowResult {
  stages: FlowStageResult[];
  /** Stages not run because an earlier one did not succeed. */
  skipped: StageId[];
  totalMs: number;
  completed: boolean;
  labClock: { before: string; after: string; advancedMinutes: number };
  /** One pwsh start with the SkypeForBusiness module import, timed alone after the flow, for scale. */
  pwshStartMs: number | null;
  pwshStartStatus: string;
  note: string;
}

/**
 * Applies `stages` (by default every stage of the seed's procedure) in order, stopping at the first one that does not
 * succeed; `plan` overrides the session's (a runbook's answers).
 */
export async function benchFlow(
  session: LabSession,
  stageList: readonly StageId[] = flowStages,
  planned?: Plan,
): Promise<FlowResult> {
  const { opts, control } = session;
  const plan = planned ?? session.plan;
  const before = await control.get<{ now: string }>('/clock');
  const stages: FlowStageResult[] = [];
  const skipped: StageId[] = [];
  const t0 = performance.now();
  for (const stage of stageList) {
    if (stages.some((s) => s.status !== 'succeeded')) {
      skipped.push(stage);
      continue;
    }
    const r0 = performance.now();
    let reviewMs = 0;
    try {
      const { review } = await reviewStage(opts, {
        planId: 'bench-flow',
        planVersion: 1,
        plan,
        stage,
        actor: 'bench',
      });
      reviewMs = performance.now() - r0;
      const a0 = performance.now();
      const result = await applyReviewedStage(opts, {
        planId: 'bench-flow',
        planVersion: 1,
        plan,
        stage,
        reviewId: review.id,
        actor: 'bench',
      });
      const applyMs = performance.now() - a0;
      const runs = new RunStore(opts.db);
      const runId = 'run' in result ? result.run.id : undefined;
      const steps = runId
        ? runs.steps(runId).map((st) => ({
            key: st.stepKey,
            target: st.target,
            language: st.language,
            status: st.status,
            durationMs: st.durationMs,
          }))
        : [];
      const errors =
        runId && result.status !== 'succeeded'
          ? runs
              .messages(runId)
              .filter((m) => m.kind === 'error')
              .map((m) => `${m.server ?? ''}: ${m.text}`)
          : [];
      stages.push({
        stage,
        status: result.status,
        reviewMs,
        applyMs,
        message: result.message ?? '',
        steps,
        errors,
      });
    } catch (error) {
      stages.push({
        stage,
        status: 'threw',
        reviewMs,
        applyMs: performance.now() - r0 - reviewMs,
        message: (error as Error).message,
        steps: [],
        errors: [(error as Error).stack ?? (error as Error).message],
      });
    }
  }
  const totalMs = performance.now() - t0;
  const after = await control.get<{ now: string }>('/clock');

  let pwshStartMs: number | null = null;
  let pwshStartStatus = 'not run';
  const shell = shellExecutorFor(plan, opts.env);
  try {
    const noop: ShellCommandArtifact = {
      id: 'noop',
      title: 'no-op',
      script: '$null',
      readOnly: true,
      hash: '',
    };
    const p0 = performance.now();
    const outcome = await shell.run(noop);
    pwshStartMs = performance.now() - p0;
    pwshStartStatus = outcome.status;
  } catch (error) {
    pwshStartStatus = `threw: ${(error as Error).message}`;
  } finally {
    await shell.close();
  }

  return {
    stages,
    skipped,
    totalMs,
    completed: skipped.length === 0 && stages.every((s) => s.status === 'succeeded'),
    labClock: {
      before: before.now,
      after: after.now,
      advancedMinutes: (Date.parse(after.now) - Date.parse(before.now)) / 60_000,
    },
    pwshStartMs,
    pwshStartStatus,
    note: 'Wall time of reviewStage + applyReviewedStage per stage, on a fresh lab with the manual clock (jobs start on demand, no waiting for schedules). applyReviewedStage starts a new pwsh (and imports SkypeForBusiness) for each stage with PowerShell commands: that start-up is included.',
  };
}
