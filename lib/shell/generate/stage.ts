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

/** The PowerShell a stage runs, as one shell target (none for the SQL-only stages). Pure. */
export function generateShellStage(plan: Plan, stage: SetupStageId): TargetArtifact[] {
  const generate = shellStages[stage];
  if (!generate) return [];
  const input = shellStageInput(plan);
  const commands = generate(input);
  const host = input.shellHost.kind === 'remote' ? input.shellHost.frontEnd : input.shellHost.kind;
  const hash = createHash('sha256')
    .update(commands.map((command) => command.hash).join('\n'))
    .digest('hex');
  return [{ target: { kind: 'shell', host }, language: 'powershell', commands, hash }];
}
