// Adapter from the plan to the shell generators, in the shape lib/stages expects.
import { createHash } from 'node:crypto';

import type { Plan } from '@/lib/plan/schema';
import type { TargetArtifact } from '@/lib/stages/artifact';
import type { SetupStageId } from '@/lib/stages/ids';

import { failbackToPrimaryCommands, failoverToMirrorCommands } from './failover';
import { topologyCommands } from './topology';
import type { ShellCommand, ShellStageInput } from './types';

/** The minimal input of the SfB stages, taken from a plan. */
export function shellStageInput(plan: Plan): ShellStageInput {
  return { poolFqdn: plan.pool.fqdn, compliance: plan.pool.compliance, shellHost: plan.shellHost };
}

const shellStages: Partial<Record<SetupStageId, (input: ShellStageInput) => ShellCommand[]>> = {
  topology: topologyCommands,
  'failover-to-mirror': failoverToMirrorCommands,
  'failback-to-primary': failbackToPrimaryCommands,
};

/** Commands as one target on the plan's shell host, hashed over the command hashes in order. */
export function shellTarget(plan: Plan, commands: ShellCommand[]): TargetArtifact {
  const shellHost = plan.shellHost;
  const host = shellHost.kind === 'remote' ? shellHost.frontEnd : shellHost.kind;
  const hash = createHash('sha256')
    .update(commands.map((command) => command.hash).join('\n'))
    .digest('hex');
  return { target: { kind: 'shell', host }, language: 'powershell', commands, hash };
}

/** The PowerShell a stage runs, as one shell target (none for the SQL-only stages). Pure. */
export function generateShellStage(plan: Plan, stage: SetupStageId): TargetArtifact[] {
  const generate = shellStages[stage];
  if (!generate) return [];
  return [shellTarget(plan, generate(shellStageInput(plan)))];
}
