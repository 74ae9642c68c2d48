// Preflight of one instance alone against all four together, every instance slowed alike, measured side by side.
import { performance } from 'node:perf_hooks';
import type { Plan } from '@/lib/plan/schema';
import { type SecretSource, SqlExecutor } from '@/lib/sql/execute';
import type { TargetArtifact } from '@/lib/stages/artifact';
import { generateStage } from '@/lib/stages/generate';
import type { ServerRole } from '@/lib/stages/ids';
import { applyReviewedStage, reviewStage } from '@/lib/stages/service';
import type { LabSession } from './lab-session';
import { median } from './stats';

type SqlTarget = Extract<TargetArtifact, { language: 'tsql' }>;

export interface PreflightRun {
  ms: number;
  batches: number;
  /** Batches that did not succeed, with their status: a read the server refuses is a finding, not a bench failure. */
  notSucceeded: string[];
}

export interface PreflightResult {
  slowMs: number;
  repetitions: number;
  aloneRole: ServerRole;
  batchesPerRole: Record<string, number>;
  aloneMs: number[];
  allFourMs: number[];
  aloneMedianMs: number;
  allFourMedianMs: number;
  /** all four / one alone, from the medians. */
  ratio: number;
  /** Per repetition (same repetition, side by side), then their median. */
  ratioPerRepetition: number[];
  ratioMedianOfPairs: number;
  unslowed: { aloneMedianMs: number; allFourMedianMs: number; repetitions: number };
  /**
   * (one alone slowed - one alone unslowed) / slowMs: how many slowed round trips the alone run waited for in turn.
   * Above batches + 1 (the session's SET options) when the client adds round trips of its own.
   */
  aloneRoundTrips: number;
  /** The same preflight through reviewStage + applyReviewedStage (store writes, findings), all four slowed. */
  throughApply: { ms: number[]; medianMs: number; status: string; message: string; ratioToAlone: number };
  notSucceeded: string[];
  method: string;
}

/** Runs preflight batches of `targets` as applyStage does: targets in parallel, each target's batches in order. */
export async function runPreflightTargets(
  plan: Plan,
  secrets: SecretSource,
  targets: SqlTarget[],
): Promise<PreflightRun> {
  const sql = new SqlExecutor(secrets);
  const notSucceeded: string[] = [];
  const t0 = performance.now();
  try {
    await Promise.all(
      targets.map(async (t) => {
        for (const batch of t.batches) {
          const outcome = await sql.runBatch(plan.servers[t.target.role], batch);
          if (outcome.status !== 'succeeded')
            notSucceeded.push(
              `${t.target.role}/${batch.id}: ${outcome.status === 'failed' ? `Msg ${outcome.error.number}: ${outcome.error.message}` : outcome.detail}`,
            );
        }
      }),
    );
    return {
      ms: performance.now() - t0,
      batches: targets.reduce((n, t) => n + t.batches.length, 0),
      notSucceeded,
    };
  } finally {
    await sql.close();
  }
}

async function slowAll(session: LabSession, slowMs: number) {
  for (const inst of session.lab.instances) await session.control.setFaults(inst.serverName, { slowMs });
}

/** Measures preflight alone vs all four, `repetitions` times each, alternating which goes first. */
export async function benchPreflight(
  session: LabSession,
  { slowMs = 300, repetitions = 4, unslowedRepetitions = 3, applyRepetitions = 1 } = {},
): Promise<PreflightResult> {
  const { plan, opts } = session;
  const artifacts = generateStage(plan, 'preflight', new Date());
  const targets = artifacts.targets.filter((t): t is SqlTarget => t.language === 'tsql');
  // The instance with the most batches is the critical path of the parallel run: all four cannot beat it, so the
  // ratio against it shows what parallel work costs, not which instance has more checks.
  const alone = targets.reduce((a, b) => (b.batches.length > a.batches.length ? b : a));
  const batchesPerRole = Object.fromEntries(targets.map((t) => [t.target.role, t.batches.length]));
  const notSucceeded = new Set<string>();
  const run = async (which: SqlTarget[]) => {
    const r = await runPreflightTargets(plan, opts.secrets, which);
    r.notSucceeded.forEach((n) => notSucceeded.add(n));
    return r.ms;
  };

  // Unslowed, to show how much of the slowed figure is the injected latency; the first run also warms the code paths.
  await slowAll(session, 0);
  await run(targets);
  const unAlone: number[] = [];
  const unAll: number[] = [];
  for (let i = 0; i < unslowedRepetitions; i++) {
    unAlone.push(await run([alone]));
    unAll.push(await run(targets));
  }

  await slowAll(session, slowMs);
  const aloneMs: number[] = [];
  const allFourMs: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    if (i % 2 === 0) {
      aloneMs.push(await run([alone]));
      allFourMs.push(await run(targets));
    } else {
      allFourMs.push(await run(targets));
      aloneMs.push(await run([alone]));
    }
  }

  const applyMs: number[] = [];
  let status = 'not run';
  let message = '';
  for (let i = 0; i < applyRepetitions; i++) {
    const { review } = await reviewStage(opts, {
      planId: 'bench-preflight',
      planVersion: 1,
      plan,
      stage: 'preflight',
      actor: 'bench',
    });
    const t0 = performance.now();
    const result = await applyReviewedStage(opts, {
      planId: 'bench-preflight',
      planVersion: 1,
      plan,
      stage: 'preflight',
      reviewId: review.id,
      actor: 'bench',
    });
    applyMs.push(performance.now() - t0);
    status = result.status;
    message = result.message ?? '';
  }
  await slowAll(session, 0);

  const ratioPerRepetition = aloneMs.map((a, i) => allFourMs[i]! / a);
  const aloneMedianMs = median(aloneMs);
  return {
    slowMs,
    repetitions,
    aloneRole: alone.target.role,
    batchesPerRole,
    aloneMs,
    allFourMs,
    aloneMedianMs,
    allFourMedianMs: median(allFourMs),
    ratio: median(allFourMs) / aloneMedianMs,
    ratioPerRepetition,
    ratioMedianOfPairs: median(ratioPerRepetition),
    unslowed: {
      aloneMedianMs: median(unAlone),
      allFourMedianMs: median(unAll),
      repetitions: unslowedRepetitions,
    },
    aloneRoundTrips: (aloneMedianMs - median(unAlone)) / slowMs,
    throughApply: {
      ms: applyMs,
      medianMs: median(applyMs),
      status,
      message,
      ratioToAlone: median(applyMs) / aloneMedianMs,
    },
    notSucceeded: [...notSucceeded],
    method:
      'generateStage(plan, "preflight") batches sent through a fresh SqlExecutor per run (connect + login + every batch, as applyStage runs preflight: targets in parallel, batches in order); lab fault slowMs on all four instances; "alone" = the instance with the most batches',
  };
}
