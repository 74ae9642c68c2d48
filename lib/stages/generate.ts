import type { Plan } from '@/lib/plan/schema';
import type { StageArtifacts, TargetArtifact } from './artifact';
import { isSetupStageId, type StageId } from './ids';
import { generateRunbookTargets } from './runbooks';
import { stageSummary } from './summaries';
import { generateSqlStage } from '@/lib/sql/generate';
import { combineHashes } from '@/lib/sql/hash';
import { generateShellStage } from '@/lib/shell/generate';

/** `YYYY-MM-DD` of the generation date on this machine: the scripting day SSMS puts in `@active_start_date`. */
export function generationDay(date: Date): string {
  const mm = String(date.getMonth() + 1).padStart(2, '0');
  const dd = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${mm}-${dd}`;
}

/** Everything a stage will run, per target and in order, with the hash a review approves. Pure. */
export function generateStage(plan: Plan, stage: StageId, generatedFor: Date): StageArtifacts {
  const targets: TargetArtifact[] =
    stage === 'dr-failover' || stage === 'dr-failback'
      ? generateRunbookTargets(plan, stage, generatedFor)
      : [
          ...generateSqlStage(plan, stage, generatedFor, {
            dropSecondaryDatabase: plan.dr.dropBackupDatabaseOnTeardown,
          }),
          ...(isSetupStageId(stage) ? generateShellStage(plan, stage) : []),
        ];
  const hash = combineHashes(targets.map((t) => t.hash));
  return {
    stage,
    summary: stageSummary(plan, stage),
    generatedFor: generationDay(generatedFor),
    targets,
    hash,
  };
}
