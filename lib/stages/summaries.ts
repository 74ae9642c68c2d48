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
      return `Removes log shipping of ${db} from ${primary.name}, ${primaryMirror.name} and ${backup.name} with the documented procedures, jobs and history included${plan.dr.dropBackupDatabaseOnTeardown ? `, then drops the restoring copy ${plan.secondaryDatabase} on ${backup.name}` : `; the restoring copy ${plan.secondaryDatabase} on ${backup.name} is kept`}.`;
    case 'dr-failover':
      return plan.dr.primaryReachable
        ? `Takes the tail of ${db}'s log on the primary data center WITH NORECOVERY, restores every remaining log and the tail on ${backup.name}, recovers it, fails the pool over to it, mirrors it to ${plan.servers.backupMirror.name} and makes ${plan.dr.backupSiteServers.join(', ') || 'the backup data center servers'} active: nothing committed is lost.`
        : `Restores on ${backup.name} every log it can still reach, recovers it, fails the pool over to it, mirrors it to ${plan.servers.backupMirror.name} and makes ${plan.dr.backupSiteServers.join(', ') || 'the backup data center servers'} active. The primary data center is not reachable: what was committed after the last log backup that reached the share is lost; the run reports that time.`;
    case 'dr-failback':
      return `Stops the Persistent Chat servers, copies ${plan.secondaryDatabase} from ${backup.name} back over ${primary.name} with a full backup, mirrors it to ${primaryMirror.name}, returns the pool to Normal and makes ${plan.dr.primarySiteServers.join(', ') || 'the primary data center servers'} active. Log shipping is then set up again with ship-primary, failover-to-mirror, ship-mirror, failback-to-primary and verify.`;
    case 'verify':
      return `Runs the backup, copy and restore jobs once and proves that ${backup.name} restored a newer log.`;
  }
}
