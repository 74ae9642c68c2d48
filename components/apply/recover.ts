import 'server-only';
import { getStore } from '@/lib/store';
import { isSetupStageId } from '@/lib/stages/ids';
import { RunStore } from '@/lib/store/run-store';

/**
 * The run record with every run whose server died marked interrupted, and the stage state of those runs moved from
 * "applying" to "interrupted" so the stepper says the same as the record.
 */
export function recoveredRunStore(): RunStore {
  const store = getStore();
  const runs = new RunStore(store.db);
  for (const run of runs.recoverInterrupted()) {
    // Runs of the CLI's file plans have no wizard plan whose stepper would show them.
    if (store.getPlan(run.planId) && isSetupStageId(run.stage))
      store.setStageState(run.planId, run.stage, 'interrupted', run.artifactHash, run.planVersion);
  }
  return runs;
}
