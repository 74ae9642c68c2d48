import type { Plan } from '@/lib/plan/schema';
import type { ServerRole } from './ids';

/** What Topology Builder published for each role, compared with the plan's servers. */
export interface TopologyComparison {
  role: ServerRole;
  planned: string;
  published: string | undefined;
  matches: boolean;
}

type Row = Record<string, string | string[]>;

// Get-CsService -PersistentChatServer names each store of the pool by role with these property prefixes.
const prefixOf: Record<ServerRole, string> = {
  primary: '',
  primaryMirror: 'Mirror',
  backup: 'Backup',
  backupMirror: 'BackupMirror',
};

function parseRows(lines: string[] | undefined): Row[] {
  if (!lines || lines.length === 0) return [];
  const parsed = JSON.parse(lines.join('\n')) as Row | Row[];
  return Array.isArray(parsed) ? parsed : [parsed];
}

/** `SQL01.contoso.com` + `PCHAT` -> `SQL01\PCHAT`, the form the plan and @@SERVERNAME use (host's first label). */
function sqlNameOf(storeIdentity: string, instance: string): { full: string; short: string } {
  const fqdn = storeIdentity.replace(/^[^:]*:/, '');
  const short = fqdn.split('.')[0] ?? fqdn;
  const suffix = instance ? `\\${instance}` : '';
  return { full: `${fqdn}${suffix}`, short: `${short}${suffix}` };
}

/**
 * Compares the pool's stores as Get-CsService prints them (the topology stage's JSON output) with the plan's four
 * servers. Pure; throws when the output is not the expected JSON.
 */
export function compareTopology(
  plan: Plan,
  outputs: Map<string, string[]>,
): { found: boolean; comparisons: TopologyComparison[] } {
  const pool = parseRows(outputs.get('persistent-chat-pool')).find(
    (p) => String(p.PoolFqdn).toLowerCase() === plan.pool.fqdn.toLowerCase(),
  );
  const stores = parseRows(outputs.get('persistent-chat-stores'));
  if (!pool) return { found: false, comparisons: [] };
  const comparisons = (Object.keys(prefixOf) as ServerRole[]).map((role) => {
    const identity = String(pool[`${prefixOf[role]}PersistentChatDatabase`] ?? '');
    const store = stores.find((s) => String(s.Identity).toLowerCase() === identity.toLowerCase());
    const published =
      identity && store ? sqlNameOf(identity, String(store.SqlInstanceName ?? '')) : undefined;
    const planned = plan.servers[role].name;
    const matches =
      !!published && [published.full, published.short].some((n) => n.toLowerCase() === planned.toLowerCase());
    return { role, planned, published: published?.short, matches };
  });
  return { found: true, comparisons };
}
