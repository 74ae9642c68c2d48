// A fresh lab on ephemeral ports with the manual clock, a plan pointing at it, and a store, all under one temp dir.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { labControl, type LabControl } from '@/lab/control-client';
import type { RunningLab } from '@/lab/server';
import { startLabForPlan } from '@/lab/testing/lab-plan-session';
import type { Plan } from '@/lib/plan/schema';
import type { StageServiceOptions } from '@/lib/stages/service';
import { PlanStore } from '@/lib/store/plan-store';

export interface LabSession {
  lab: RunningLab;
  control: LabControl;
  plan: Plan;
  opts: StageServiceOptions;
  startMs: number;
  close(): Promise<void>;
}

/** Starts a lab (reset, manual clock) in a new temp dir; `close` stops it and removes the dir, once, whatever happened. */
export async function openLabSession(label: string, saPassword: string): Promise<LabSession> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `pchat-bench-${label}-`));
  let lab: RunningLab | undefined;
  let store: PlanStore | undefined;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    try {
      store?.close();
      await lab?.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    const t0 = performance.now();
    const session = await startLabForPlan(dir, saPassword);
    lab = session.lab;
    const startMs = performance.now() - t0;
    const { plan } = session;
    // Opened as the app opens its store (WAL, migrated), so store writes cost what they cost under npm start.
    store = new PlanStore(path.join(dir, 'store.sqlite'));
    // pwsh inherits this process's environment (lib/shell/execute.ts), as under npm start.
    process.env.PCHAT_LAB_CONTROL_URL = lab.controlUrl;
    const opts: StageServiceOptions = {
      db: store.db,
      secrets: () => ({ password: saPassword }),
      env: session.shellEnv,
    };
    return { lab, control: labControl(lab.controlUrl), plan, opts, startMs, close };
  } catch (error) {
    await close();
    throw error;
  }
}
