// Proof of the DR runbooks from what their read steps returned: SQL Server's view of the databases, the pool state
// and active servers as SfB reports them, and (dr-failover) which data survived. Pure.
import type { Plan } from '@/lib/plan/schema';
import type { SqlRow } from '@/lib/sql/execute';
import { complianceDatabase } from '@/lib/sql/generate/dr';
import { mirrorStateProblems, parseMirrorState } from '@/lib/shell/generate/verify';

type Results = Map<string, SqlRow[][]>;
type Outputs = Map<string, string[]>;

export interface SurvivingData {
  restoredFile: string | null;
  lastLsn: string | null;
  /** When the last restored log was taken on the primary data center. */
  backupTaken: Date | null;
  backedUpOn: string | null;
}

const text = (value: unknown) => (value === null || value === undefined ? null : String(value));

/** The last restored log on the backup store, from the `surviving-data` read. */
export function survivingData(results: Results): SurvivingData | undefined {
  const row = results.get('surviving-data')?.[0]?.[0];
  if (!row) return undefined;
  const taken = row.backup_taken;
  return {
    restoredFile: text(row.restored_file),
    lastLsn: text(row.last_lsn),
    backupTaken: taken instanceof Date ? taken : taken ? new Date(String(taken)) : null,
    backedUpOn: text(row.backed_up_on),
  };
}

function jsonRows(lines: string[] | undefined): Record<string, unknown>[] {
  if (!lines || lines.length === 0) return [];
  const parsed = JSON.parse(lines.join('\n')) as unknown;
  return (Array.isArray(parsed) ? parsed : [parsed]) as Record<string, unknown>[];
}

const sameSet = (a: readonly string[], b: readonly string[]) => {
  const lower = (list: readonly string[]) => [...new Set(list.map((s) => s.toLowerCase()))].sort().join('\n');
  return lower(a) === lower(b);
};

/** What SfB reports after the runbook: pool state and active servers must be what the runbook set. */
function poolProblems(outputs: Outputs, poolState: string, activeServers: readonly string[]): string[] {
  const problems: string[] = [];
  try {
    const state = jsonRows(outputs.get('persistent-chat-state'))[0]?.PoolState;
    if (String(state) !== poolState)
      problems.push(
        `Get-CsPersistentChatState reports the pool ${String(state ?? 'without a state')}, not ${poolState}.`,
      );
    const active = jsonRows(outputs.get('active-servers'))[0]?.ActiveServers;
    const list = Array.isArray(active) ? active.map(String) : [];
    if (!sameSet(list, activeServers))
      problems.push(`The active servers are ${list.join(', ') || 'none'}, not ${activeServers.join(', ')}.`);
  } catch (error) {
    problems.push(`The SfB Management Shell returned something unexpected: ${(error as Error).message}`);
  }
  return problems;
}

/** SQL Server's view of the new principal: each database online, principal, mirroring synchronised. */
function mirroredProblems(results: Results, databases: readonly string[], where: string): string[] {
  const rows = results.get('mirrored-state')?.[0] ?? [];
  return databases.flatMap((name) => {
    const row = rows.find((r) => String(r.name).toLowerCase() === name.toLowerCase());
    if (!row) return [`${name} does not exist on ${where}.`];
    const problems: string[] = [];
    if (row.state_desc !== 'ONLINE')
      problems.push(`${name} is ${String(row.state_desc)} on ${where}, not ONLINE.`);
    if (row.mirroring_role_desc !== 'PRINCIPAL' || row.mirroring_state_desc !== 'SYNCHRONIZED')
      problems.push(
        `${name} on ${where} is ${row.mirroring_role_desc ? `${String(row.mirroring_role_desc)} (${String(row.mirroring_state_desc)})` : 'not mirrored'}, not a synchronised principal.`,
      );
    return problems;
  });
}

/** The sentence that says what survived a DR failover. */
export function survivalSentence(plan: Plan, data: SurvivingData | undefined): string {
  if (!data) return `No restore of ${plan.secondaryDatabase} is recorded on the backup store.`;
  const when = data.backupTaken ? data.backupTaken.toISOString().replace('.000Z', 'Z') : 'an unknown time';
  const last = `the last log restored is ${data.restoredFile ?? 'unnamed'} (LSN ${data.lastLsn ?? '?'}, taken ${when}${data.backedUpOn ? ` on ${data.backedUpOn}` : ''})`;
  return plan.dr.primaryReachable
    ? `Nothing committed was lost: ${last}, the tail of the log.`
    : `Data that survived: everything committed before ${when}; ${last}. Anything committed on the primary data center after it is lost.`;
}

export function proveRunbook(
  plan: Plan,
  stage: 'dr-failover' | 'dr-failback',
  results: Results,
  outputs: Outputs,
): { ok: boolean; message: string } {
  const databases = (name: string) => (plan.pool.compliance ? [name, complianceDatabase] : [name]);
  if (stage === 'dr-failover') {
    const backup = plan.servers.backup.name;
    const problems = [
      ...mirroredProblems(results, databases(plan.secondaryDatabase), backup),
      ...poolProblems(outputs, 'FailedOver', plan.dr.backupSiteServers),
    ];
    const survived = survivalSentence(plan, survivingData(results));
    const compliance = plan.pool.compliance
      ? ` ${complianceDatabase} is not failed over (Microsoft): the backup store's own ${complianceDatabase} is online and mirrored for the compliance adapter; whatever the adapter had not yet processed on the primary data center must be handled from its output there.`
      : '';
    if (problems.length > 0) return { ok: false, message: `${problems.join(' ')} ${survived}` };
    return {
      ok: true,
      message: `Proof: ${plan.secondaryDatabase} is online and principal on ${backup}, mirrored to ${plan.servers.backupMirror.name}; the pool is FailedOver with ${plan.dr.backupSiteServers.join(', ')} active. ${survived}${compliance}`,
    };
  }
  const primary = plan.servers.primary.name;
  const problems = [
    ...mirroredProblems(results, databases(plan.database), primary),
    ...poolProblems(outputs, 'Normal', plan.dr.primarySiteServers),
  ];
  for (const [id, lines] of outputs) {
    if (!id.startsWith('mirror-state-')) continue;
    const database = id.slice('mirror-state-'.length);
    try {
      problems.push(...mirrorStateProblems(parseMirrorState(lines.join('\n')), database, 'Primary'));
    } catch (error) {
      problems.push(
        `Get-CsDatabaseMirrorState for ${database} returned something unexpected: ${(error as Error).message}`,
      );
    }
  }
  if (problems.length > 0) return { ok: false, message: problems.join(' ') };
  return {
    ok: true,
    message: `Proof: ${plan.database} is online and principal on ${primary}, mirrored to ${plan.servers.primaryMirror.name}; the pool is Normal with ${plan.dr.primarySiteServers.join(', ')} active. Next, set log shipping up again: ship-primary, failover-to-mirror, ship-mirror, failback-to-primary, verify.`,
  };
}
