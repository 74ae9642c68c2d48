import 'server-only';
import type Database from 'better-sqlite3';
import type { Plan } from '@/lib/plan/schema';
import { type SecretSource, SqlExecutor } from '@/lib/sql/execute';
import { ShellExecutor, type ShellExecutorOptions } from '@/lib/shell/execute';
import { RunStore } from '@/lib/store/run-store';
import { type ApplyDeps, type ApplyResult, applyStage, readLiveFingerprint } from './apply';
import { generateStage } from './generate';
import type { StageId } from './ids';

export interface StageServiceOptions {
  db: Database.Database;
  /** Where passwords come from for this operator (session vault, then environment). */
  secrets: SecretSource;
  monitorPassword?: string;
  env?: NodeJS.ProcessEnv;
}

/** PowerShell for the plan's shell host; the executable and extra module folder may come from the environment. */
export function shellOptionsFor(plan: Plan, env: NodeJS.ProcessEnv = process.env): ShellExecutorOptions {
  return {
    host: plan.shellHost,
    ...(env.PCHAT_HADR_PWSH ? { executable: env.PCHAT_HADR_PWSH } : {}),
    ...(env.PCHAT_HADR_PS_MODULE_PATH ? { modulePath: env.PCHAT_HADR_PS_MODULE_PATH } : {}),
  };
}

/** A PowerShell session of its own, for a stage to apply or a one-off read. */
export function shellExecutorFor(plan: Plan, env: NodeJS.ProcessEnv = process.env): ShellExecutor {
  return new ShellExecutor(shellOptionsFor(plan, env));
}

/**
 * Records a review of a stage: the artifact hash the operator sees and, for stages that change servers, the live state
 * the review is based on (read-only), so that apply can refuse when either moved.
 */
export async function reviewStage(
  opts: StageServiceOptions,
  r: { planId: string; planVersion: number; plan: Plan; stage: StageId; actor: string; now?: Date },
) {
  const runs = new RunStore(opts.db);
  const generatedFor = r.now ?? new Date();
  const artifacts = generateStage(r.plan, r.stage, generatedFor);
  let liveFingerprint: string | null = null;
  if (r.stage !== 'preflight' && r.stage !== 'topology') {
    const sql = new SqlExecutor(opts.secrets);
    try {
      liveFingerprint = (await readLiveFingerprint(r.plan, sql)).fingerprint;
    } finally {
      await sql.close();
    }
  }
  const review = runs.recordReview({
    planId: r.planId,
    stage: r.stage,
    planVersion: r.planVersion,
    generatedFor: generatedFor.toISOString(),
    artifactHash: artifacts.hash,
    liveFingerprint,
    actor: r.actor,
  });
  return { review, artifacts };
}

/** Applies a reviewed stage with fresh executors, closing them afterwards whatever happens. */
export async function applyReviewedStage(
  opts: StageServiceOptions,
  r: { planId: string; planVersion: number; plan: Plan; stage: StageId; reviewId: string; actor: string },
  onRuns?: (runs: RunStore) => void,
  watch: Pick<ApplyDeps, 'onBegun' | 'onProgress'> = {},
): Promise<ApplyResult | { status: 'no-review'; message: string }> {
  const runs = new RunStore(opts.db);
  onRuns?.(runs);
  const review = runs.getReview(r.reviewId);
  if (!review || review.planId !== r.planId || review.stage !== r.stage) {
    return {
      status: 'no-review',
      message: `No review ${r.reviewId} of ${r.stage} exists for this plan; review the stage first.`,
    };
  }
  const sql = new SqlExecutor(opts.secrets);
  let shell: ShellExecutor | undefined;
  try {
    return await applyStage(
      {
        planId: r.planId,
        planVersion: r.planVersion,
        plan: r.plan,
        stage: r.stage,
        review,
        actor: r.actor,
        secrets: { ...(opts.monitorPassword ? { monitorPassword: opts.monitorPassword } : {}) },
      },
      { sql, runs, shell: () => (shell ??= shellExecutorFor(r.plan, opts.env)), ...watch },
    );
  } finally {
    await Promise.all([sql.close(), shell?.close()]);
  }
}
