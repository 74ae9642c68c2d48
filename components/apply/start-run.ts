import 'server-only';
import type { Plan } from '@/lib/plan/schema';
import { afterFailbackStageIds, isRunbookStageId, isSetupStageId, type StageId } from '@/lib/stages/ids';
import { applyReviewedStage, type StageServiceOptions } from '@/lib/stages/service';
import type { PlanStore } from '@/lib/store';
import type { RunRecord } from '@/lib/store/run-store';

export type RunEnd = Awaited<ReturnType<typeof applyReviewedStage>> | { status: 'error'; message: string };

export type StartedRun =
  | { status: 'started'; runId: string; finished: Promise<RunEnd> }
  | { status: 'refused'; message: string; runId?: string };

/**
 * Starts applying a reviewed stage without waiting for its end: resolves once the run is recorded and holds the lock
 * (or with the refusal), and keeps the stage state in step: applying, then applied, failed or interrupted. `finished`
 * settles when the run ends and never rejects.
 */
export async function startRunInBackground(
  opts: StageServiceOptions,
  r: {
    planId: string;
    planVersion: number;
    plan: Plan;
    stage: StageId;
    reviewId: string;
    artifactHash: string;
    actor: string;
  },
  stageStates: Pick<PlanStore, 'setStageState'>,
  onProgress?: (runId: string, stepId: number, percent: number) => void,
): Promise<StartedRun> {
  // Only setup stages have a state in the stepper; a runbook's runs are followed in the run history.
  const stage = r.stage;
  const setState = (state: 'applying' | 'applied' | 'failed' | 'interrupted') => {
    if (isSetupStageId(stage))
      stageStates.setStageState(r.planId, stage, state, r.artifactHash, r.planVersion);
  };
  let begun: RunRecord | undefined;
  let announceBegun: (run: RunRecord) => void = () => {};
  const whenBegun = new Promise<RunRecord>((resolve) => (announceBegun = resolve));
  const finished: Promise<RunEnd> = applyReviewedStage(
    opts,
    {
      planId: r.planId,
      planVersion: r.planVersion,
      plan: r.plan,
      stage: r.stage,
      reviewId: r.reviewId,
      actor: r.actor,
    },
    undefined,
    {
      onBegun: (run) => {
        begun = run;
        setState('applying');
        announceBegun(run);
      },
      ...(onProgress ? { onProgress } : {}),
    },
  ).then(
    (result) => {
      if (result.status === 'succeeded') setState('applied');
      // A runbook that removed log shipping (DR failover, failback, teardown) leaves the stages that set it up to do
      // again: the stepper must not keep showing them applied.
      if (result.status === 'succeeded' && isRunbookStageId(stage))
        for (const setup of afterFailbackStageIds)
          stageStates.setStageState(r.planId, setup, 'not-started', null, r.planVersion);
      else if (result.status === 'failed' || result.status === 'interrupted') setState(result.status);
      return result;
    },
    (error: unknown) => {
      // applyStage has already marked the run interrupted; the stage must say so too, not stay "applying".
      console.error(`apply of ${r.stage} on plan ${r.planId} stopped`, error);
      if (begun) setState('interrupted');
      return { status: 'error' as const, message: error instanceof Error ? error.message : String(error) };
    },
  );

  const first = await Promise.race([
    whenBegun.then((run) => ({ kind: 'begun' as const, run })),
    finished.then((result) => ({ kind: 'ended' as const, result })),
  ]);
  if (first.kind === 'begun') return { status: 'started', runId: first.run.id, finished };
  const result = first.result;
  if (result.status === 'refused')
    return { status: 'refused', message: result.message, runId: result.run.id };
  if (result.status === 'no-review' || result.status === 'error')
    return { status: 'refused', message: result.message };
  // A run that ended before announcing its start still has a record to follow.
  return { status: 'started', runId: result.run.id, finished };
}
