// Test support: a fresh lab on ephemeral ports and the lab example plan pointed at it, for tests that drive the
// wizard's library against the lab (the library itself never knows it is a lab).
import path from 'node:path';
import { labPlan } from '@/lib/plan/defaults';
import { type Plan, type PlanInput, planSchema } from '@/lib/plan/schema';
import { startLab, type RunningLab } from '../server';

export interface LabPlanSession {
  lab: RunningLab;
  /** The lab example plan as a draft, with the lab's ports. */
  draft: PlanInput;
  plan: Plan;
  /** What the SfB stages need to reach this lab from pwsh. */
  shellEnv: NodeJS.ProcessEnv;
}

/** Starts a clean lab under `dir/lab` (manual clock, sa = `saPassword`) and returns the lab plan pointed at it. */
export async function startLabForPlan(dir: string, saPassword: string): Promise<LabPlanSession> {
  const lab = await startLab({
    root: path.join(dir, 'lab'),
    reset: true,
    basePort: 0,
    controlPort: 0,
    saPassword,
    clock: 'manual',
  });
  const draft = labPlan();
  for (const info of lab.instances) draft.servers[info.role].connect.port = info.port;
  return {
    lab,
    draft,
    plan: planSchema.parse(draft),
    shellEnv: {
      ...process.env,
      PCHAT_LAB_CONTROL_URL: lab.controlUrl,
      PCHAT_HADR_PS_MODULE_PATH: path.resolve('lab/sfb'),
      PCHAT_HADR_PWSH: process.env.PWSH_PATH ?? path.resolve('.tools/pwsh/pwsh'),
    },
  };
}
