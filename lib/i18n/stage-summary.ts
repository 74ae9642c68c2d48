import type { Plan } from '@/lib/plan/schema';
import type { StageId } from '@/lib/stages/ids';
import type { MessageKey } from './en';
import type { Translate } from './index';

// The runbooks' sentences change with the plan's DR answers, so each answer picks its own message.
function summaryKey(plan: Plan, stage: StageId): MessageKey {
  switch (stage) {
    case 'teardown':
      return plan.dr.dropBackupDatabaseOnTeardown ? 'summary.teardown.drop' : 'summary.teardown.keep';
    case 'dr-failover':
      return plan.dr.primaryReachable ? 'summary.dr-failover.reachable' : 'summary.dr-failover.lost';
    default:
      return `summary.${stage}`;
  }
}

/** The plain sentence above a stage's scripts, in the operator's language (lib/stages/summaries.ts says it in English). */
export function translatedStageSummary(t: Translate, plan: Plan, stage: StageId): string {
  return t(summaryKey(plan, stage), {
    pool: plan.pool.fqdn,
    db: plan.database,
    secondaryDb: plan.secondaryDatabase,
    primary: plan.servers.primary.name,
    primaryMirror: plan.servers.primaryMirror.name,
    backup: plan.servers.backup.name,
    backupMirror: plan.servers.backupMirror.name,
    share: plan.backup.share,
    primarySiteServers: plan.dr.primarySiteServers.join(', ') || t('summary.primarySiteServers.none'),
    backupSiteServers: plan.dr.backupSiteServers.join(', ') || t('summary.backupSiteServers.none'),
  });
}

const missingKeys: Partial<Record<string, MessageKey>> = {
  'dr.primarySiteServers': 'missing.dr.primarySiteServers',
  'dr.backupSiteServers': 'missing.dr.backupSiteServers',
};

/** What a runbook still needs from the plan (lib/stages/runbooks.ts missingForStage), in the operator's language. */
export function translatedMissing(t: Translate, missing: { field: string; message: string }): string {
  const key = missingKeys[missing.field];
  return key ? t(key) : missing.message;
}
