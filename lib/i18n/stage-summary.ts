import type { Plan } from '@/lib/plan/schema';
import type { SetupStageId } from '@/lib/stages/ids';
import type { Translate } from './index';

/** The plain sentence above a stage's scripts, in the operator's language (lib/stages/summaries.ts says it in English). */
export function translatedStageSummary(t: Translate, plan: Plan, stage: SetupStageId): string {
  return t(`summary.${stage}`, {
    pool: plan.pool.fqdn,
    db: plan.database,
    secondaryDb: plan.secondaryDatabase,
    primary: plan.servers.primary.name,
    primaryMirror: plan.servers.primaryMirror.name,
    backup: plan.servers.backup.name,
    share: plan.backup.share,
  });
}
