import type { Plan } from '@/lib/plan/schema';
import type { SqlExecutor } from '@/lib/sql/execute';
import { existingConfigQuery } from '@/lib/sql/existing-config';
import { teardownSteps } from '@/lib/sql/generate/teardown';
import type { RunStore } from '@/lib/store/run-store';
import type { SqlBatch } from './artifact';
import type { ServerRole, StageId } from './ids';

/** Where a stage writes a log-shipping configuration with SSMS's `@overwrite = 1`. */
const writes: Partial<Record<StageId, { role: ServerRole; kind: 'primary' | 'secondary' }[]>> = {
  'ship-primary': [
    { role: 'primary', kind: 'primary' },
    { role: 'backup', kind: 'secondary' },
  ],
  'ship-mirror': [{ role: 'primaryMirror', kind: 'primary' }],
};

/**
 * Stages whose steps cannot all run twice (a log restored twice fails with 4326, a configuration written twice is
 * overwritten): a failed or interrupted run is continued rather than started again.
 */
const resumable = new Set<StageId>(['ship-primary', 'ship-mirror', 'dr-failover', 'dr-failback', 'teardown']);

export type ConvergePlan =
  | { mode: 'fresh' }
  /** Continue an earlier failed or interrupted run of the stage: skip the steps it completed with the same text. */
  | { mode: 'resume'; fromRunId: string; done: Set<string> }
  /** Something this plan did not leave is in the way: remove it first, deliberately. */
  | {
      mode: 'blocked';
      found: { role: ServerRole; server: string; kind: string }[];
      cleanup: { role: ServerRole; batches: SqlBatch[] }[];
    };

/** Identifies a step across runs: the same batch text on the same server. */
export const stepIdentity = (target: string, stepKey: string, hash: string) => `${target}|${stepKey}|${hash}`;

/**
 * Decides how a stage converges with what is already on the servers. A failed or interrupted earlier run of the stage
 * is continued (its completed steps with the same text are skipped); any other existing configuration blocks the apply and
 * comes with the clean-up script (sp_delete_log_shipping_*), never a silent overwrite.
 */
export async function planConvergence(
  args: { planId: string; plan: Plan; stage: StageId },
  deps: { sql: SqlExecutor; runs: RunStore },
): Promise<ConvergePlan> {
  if (!resumable.has(args.stage)) return { mode: 'fresh' };
  const previous = deps.runs
    .listRuns(args.planId)
    .find((r) => r.stage === args.stage && r.status !== 'refused' && r.status !== 'running');
  // The scripts of a re-review may differ in what they name after the clock (the full backup's file name), so an
  // earlier step counts as done only when the very same text ran on the very same server.
  if (previous && (previous.status === 'failed' || previous.status === 'interrupted')) {
    const done = new Set(
      deps.runs
        .steps(previous.id)
        .filter((s) => s.status === 'succeeded' || s.status === 'skipped')
        .map((s) => stepIdentity(s.target, s.stepKey, s.hash)),
    );
    return { mode: 'resume', fromRunId: previous.id, done };
  }
  const targets = writes[args.stage];
  if (!targets) return { mode: 'fresh' };
  const query = existingConfigQuery(args.plan);
  const found: { role: ServerRole; server: string; kind: string }[] = [];
  await Promise.all(
    targets.map(async ({ role, kind }) => {
      const server = args.plan.servers[role];
      const [primaryRows = [], secondaryRows = []] = await deps.sql.read(server, query);
      if ((kind === 'primary' ? primaryRows : secondaryRows).length > 0)
        found.push({ role, server: server.name, kind });
    }),
  );
  if (found.length === 0) return { mode: 'fresh' };
  const roles = new Set(found.map((f) => f.role));
  const cleanup = teardownSteps(args.plan).filter((step) => roles.has(step.role));
  return { mode: 'blocked', found, cleanup };
}
