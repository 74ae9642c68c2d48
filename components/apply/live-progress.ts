import 'server-only';

// Live BACKUP/RESTORE percentages by run and step, for the page polling a run. Memory only: a restart loses the live
// value, and the page falls back to the `N percent processed.` messages in the record.
const globalForProgress = globalThis as unknown as {
  pchatHadrLiveProgress?: Map<string, Map<number, number>>;
};
const KEEP_RUNS = 50;

function table(): Map<string, Map<number, number>> {
  globalForProgress.pchatHadrLiveProgress ??= new Map();
  return globalForProgress.pchatHadrLiveProgress;
}

/** Records the latest percentage a step reported. */
export function reportProgress(runId: string, stepId: number, percent: number): void {
  const runs = table();
  let steps = runs.get(runId);
  if (!steps) {
    steps = new Map();
    runs.set(runId, steps);
    // Oldest first in insertion order: forget the oldest runs so a long-lived server does not grow without end.
    while (runs.size > KEEP_RUNS) runs.delete(runs.keys().next().value!);
  }
  steps.set(stepId, percent);
}

/** The live percentages of a run's steps, by step id. */
export function liveProgress(runId: string): Record<number, number> {
  return Object.fromEntries(table().get(runId) ?? []);
}
