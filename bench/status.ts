// The status page's pool read, as its 30-second refresh repeats it: a fresh PowerShell session per read (pwsh start
// and Import-Module SkypeForBusiness every time) against the shared warm session the page now uses. Side by side, on
// the same lab, in alternation so that load drifts hit both alike.
import { performance } from 'node:perf_hooks';
import { SharedShellReader } from '@/lib/shell/shared-reader';
import { shellExecutorFor, shellOptionsFor } from '@/lib/stages/service';
import { readPool } from '@/lib/stages/status';
import type { LabSession } from './lab-session';
import { median } from './stats';

export interface StatusReadResult {
  rounds: number;
  freshMs: number[];
  /** The first shared read starts the session; the warm ones follow it. */
  sharedFirstMs: number;
  sharedWarmMs: number[];
  freshMedianMs: number;
  sharedWarmMedianMs: number;
  /** fresh / warm shared, medians. */
  ratio: number;
  states: string[];
}

export async function benchStatusReads(session: LabSession, rounds = 5): Promise<StatusReadResult> {
  const { plan, opts } = session;
  const shared = new SharedShellReader(shellOptionsFor(plan, opts.env));
  const freshMs: number[] = [];
  const sharedWarmMs: number[] = [];
  const states = new Set<string>();
  const timedRead = async (shell: Parameters<typeof readPool>[1]) => {
    const t0 = performance.now();
    const pool = await readPool(plan, shell);
    states.add(pool.error ? `unknown: ${pool.error}` : pool.state);
    return performance.now() - t0;
  };
  try {
    const sharedFirstMs = await timedRead(shared);
    for (let i = 0; i < rounds; i++) {
      const fresh = shellExecutorFor(plan, opts.env);
      try {
        freshMs.push(await timedRead(fresh));
      } finally {
        await fresh.close();
      }
      sharedWarmMs.push(await timedRead(shared));
    }
    const freshMedianMs = median(freshMs);
    const sharedWarmMedianMs = median(sharedWarmMs);
    return {
      rounds,
      freshMs,
      sharedFirstMs,
      sharedWarmMs,
      freshMedianMs,
      sharedWarmMedianMs,
      ratio: freshMedianMs / sharedWarmMedianMs,
      states: [...states],
    };
  } finally {
    await shared.close();
  }
}
