// The DR runbooks as ordered targets: SQL Server and the SfB Management Shell take turns, in the order Microsoft's
// "Fail over / Fail back Persistent Chat Server" runs them. Pure.
import type { Plan } from '@/lib/plan/schema';
import {
  drFailbackBackupBatches,
  drFailbackReadyBatches,
  drFailoverReadyBatches,
  drFailbackRestoreBatches,
  drMirroredBatches,
  drRecoverBackupBatches,
  drTailLogSteps,
  sqlTarget,
} from '@/lib/sql/generate';
import {
  drFailbackResumeCommands,
  drFailbackStopCommands,
  drFailoverCommands,
} from '@/lib/shell/generate/dr';
import { shellTarget, shellStageInput } from '@/lib/shell/generate/stage';
import type { DrShellInput } from '@/lib/shell/generate/types';
import type { TargetArtifact } from './artifact';
import type { RunbookStageId } from './ids';

function drShellInput(plan: Plan): DrShellInput {
  return {
    ...shellStageInput(plan),
    fileShare: plan.backup.share,
    primarySiteServers: plan.dr.primarySiteServers,
    backupSiteServers: plan.dr.backupSiteServers,
  };
}

/**
 * dr-failover: the backup store checked first (still the secondary waiting for logs), the tail of the log when the
 * primary data center still answers, the backup store brought up to date
 * and recovered, then the pool failed over, mirrored and served from the backup data center; last, SQL Server's own
 * view of the new principal's mirroring for the proof.
 */
export function drFailoverTargets(plan: Plan, generatedFor: Date): TargetArtifact[] {
  const input = drShellInput(plan);
  return [
    sqlTarget(plan, 'backup', drFailoverReadyBatches(plan)),
    ...(plan.dr.primaryReachable
      ? drTailLogSteps(plan, generatedFor).map((step) => sqlTarget(plan, step.role, step.batches))
      : []),
    sqlTarget(plan, 'backup', drRecoverBackupBatches(plan, generatedFor)),
    shellTarget(plan, drFailoverCommands(input)),
    sqlTarget(plan, 'backup', drMirroredBatches(plan, plan.secondaryDatabase, 'mirrored-state')),
  ];
}

/**
 * dr-failback: both stores checked first (nothing changes unless it can finish), then servers stopped, the backup
 * store's mirroring removed and its database backed up to the share, restored over the rebuilt primary store, which
 * is mirrored again; the pool back to Normal with the primary data center's servers. Log shipping is then set up
 * again with the setup stages (ids.afterFailbackStageIds).
 */
export function drFailbackTargets(plan: Plan, generatedFor: Date): TargetArtifact[] {
  const input = drShellInput(plan);
  const ready = drFailbackReadyBatches(plan);
  return [
    sqlTarget(plan, 'backup', ready.backup),
    sqlTarget(plan, 'primary', ready.primary),
    shellTarget(plan, drFailbackStopCommands(input)),
    sqlTarget(plan, 'backup', drFailbackBackupBatches(plan, generatedFor)),
    sqlTarget(plan, 'primary', drFailbackRestoreBatches(plan, generatedFor)),
    shellTarget(plan, drFailbackResumeCommands(input)),
    sqlTarget(plan, 'primary', drMirroredBatches(plan, plan.database, 'mirrored-state')),
  ];
}

export function generateRunbookTargets(
  plan: Plan,
  stage: Exclude<RunbookStageId, 'teardown'>,
  generatedFor: Date,
): TargetArtifact[] {
  return stage === 'dr-failover'
    ? drFailoverTargets(plan, generatedFor)
    : drFailbackTargets(plan, generatedFor);
}

/** What a runbook needs from the plan that the setup stages do not; empty when it can be generated. */
export function missingForStage(plan: Plan, stage: string): { field: string; message: string }[] {
  if (stage === 'dr-failover' && plan.dr.backupSiteServers.length === 0)
    return [
      {
        field: 'dr.backupSiteServers',
        message:
          'Name the Persistent Chat servers of the backup data center: dr-failover makes them the active servers.',
      },
    ];
  if (stage === 'dr-failback' && plan.dr.primarySiteServers.length === 0)
    return [
      {
        field: 'dr.primarySiteServers',
        message:
          'Name the Persistent Chat servers of the primary data center: dr-failback makes them active again.',
      },
    ];
  return [];
}
