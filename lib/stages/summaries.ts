import type { Plan } from '@/lib/plan/schema';
import type { StageId } from './ids';

/** One plain sentence above each stage's scripts, in English; the UI translates by stage id. */
export function stageSummary(plan: Plan, stage: StageId): string {
  const { primary, primaryMirror, backup } = plan.servers;
  const db = plan.database;
  switch (stage) {
    case 'topology':
      return `Reads the pool ${plan.pool.fqdn} and its stores from the topology, changing nothing.`;
    case 'preflight':
      return `Reads version, recovery model, mirroring, Agent, folders and space on all four instances, changing nothing.`;
    case 'ship-primary':
      return `Configures log shipping of ${db} from ${primary.name} to ${backup.name}, initialising ${plan.secondaryDatabase} there from a full backup on ${plan.backup.share}.`;
    case 'failover-to-mirror':
      return `Fails ${db} over to its mirror ${primaryMirror.name} so that the mirror can be configured as a log-shipping primary.`;
    case 'ship-mirror':
      return `Configures ${primaryMirror.name}, now principal, as a second log-shipping primary of ${db} to ${backup.name}, with the same share and settings.`;
    case 'failback-to-primary':
      return `Fails ${db} back to ${primary.name} and checks that mirroring is synchronised again.`;
    case 'teardown':
      return `Removes log shipping of ${db} from ${primary.name}, ${primaryMirror.name} and ${backup.name} with the documented procedures, jobs and history included.`;
    case 'verify':
      return `Runs the backup, copy and restore jobs once and proves that ${backup.name} restored a newer log.`;
  }
}
