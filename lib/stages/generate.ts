import { createHash } from 'node:crypto';
import type { Plan } from '@/lib/plan/schema';
import type { StageArtifacts, TargetArtifact } from './artifact';
import type { SetupStageId } from './ids';
import { stageSummary } from './summaries';
import { generateSqlStage } from '@/lib/sql/generate';
import { generateShellStage } from '@/lib/shell/generate';

/** `YYYY-MM-DD` of the generation date, in UTC so the same plan reviews the same everywhere. */
export function generationDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Everything a stage will run, per target and in order, with the hash a review approves. Pure. */
export function generateStage(plan: Plan, stage: SetupStageId, generatedFor: Date): StageArtifacts {
  const targets: TargetArtifact[] = [...generateSqlStage(plan, stage, generatedFor), ...generateShellStage(plan, stage)];
  const hash = createHash('sha256')
    .update(targets.map((t) => t.hash).join('\n'))
    .digest('hex');
  return { stage, summary: stageSummary(plan, stage), generatedFor: generationDay(generatedFor), targets, hash };
}
