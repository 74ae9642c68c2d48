// `pchat-hadr status <plan.json> [--json]`: the log-shipping verdict and the Persistent Chat pool state for operators'
// monitoring. Exit codes: 0 healthy, 1 degraded, 2 unreachable, 3 usage or plan error (so a monitor can tell them
// apart); a pool state the SfB Management Shell cannot give is a warning and leaves the exit code to SQL Server.
import { parseArgs } from 'node:util';
import { secretSourceFor } from '@/lib/auth/vault';
import { formatFieldErrors, parsePlanJson } from '@/lib/plan';
import { SqlExecutor } from '@/lib/sql/execute';
import { shellExecutorFor } from '@/lib/stages/service';
import { evaluateStatus, readStatus, type StatusReport, type Verdict } from '@/lib/stages/status';
import { readFileSync } from 'node:fs';

export const statusExitCodes: Record<Verdict | 'usage', number> = {
  healthy: 0,
  degraded: 1,
  unreachable: 2,
  usage: 3,
};

const show = (v: string | number | boolean | null | undefined) =>
  v === null || v === undefined ? '-' : String(v);

function table(rows: [string, string | number | boolean | null | undefined][]): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${show(v)}`).join('\n');
}

/** The report as an operator reads it: the verdict line first, then the pool, then one table per instance. */
export function formatStatus(report: StatusReport): string {
  const out = [
    `${report.verdict.toUpperCase()}${report.reasons.length ? `: ${report.reasons.length} problem(s)` : ''}`,
  ];
  for (const reason of report.reasons) out.push(`  - ${reason}`);
  for (const warning of report.warnings) out.push(`  warning: ${warning}`);
  for (const note of report.notes) out.push(`  note: ${note}`);
  const { pool } = report;
  out.push(
    '',
    `pool ${pool.fqdn}`,
    table([
      ['state', pool.state],
      ['active servers', pool.activeServers.join(', ') || (pool.error ? null : 'none')],
      ['inactive servers', pool.inactiveServers.join(', ') || (pool.error ? null : 'none')],
      ...(pool.error ? [['error', pool.error] as [string, string]] : []),
    ]),
  );
  for (const i of report.instances) {
    out.push('', `${i.server} (${i.role})${i.reachable ? '' : ' UNREACHABLE'}`);
    const rows: [string, string | number | boolean | null][] = i.reachable
      ? [
          ['server time', i.serverNow],
          ['agent', i.agent],
          [`${i.database} state`, i.databaseState],
          [
            'mirroring',
            i.mirroringRole ? `${i.mirroringRole} ${i.mirroringState ?? ''}`.trim() : 'not mirrored',
          ],
        ]
      : [['error', i.error]];
    const p = report.primaries.find((x) => x.role === i.role);
    if (p && i.reachable && !p.configured) rows.push(['log shipping', 'not configured']);
    if (p && i.reachable && p.configured) {
      rows.push(
        ['log shipping', `primary${p.active ? ' (principal: backs up)' : ' (standby while mirror)'}`],
        ['last backup file', p.lastBackupFile],
        ['last backup', p.lastBackupAt],
        ['minutes since', p.minutesSinceBackup],
        [
          'backup threshold',
          p.threshold === null ? null : `${p.threshold} min${p.crossed ? ' CROSSED' : ''}`,
        ],
        ['alert enabled', p.alertEnabled],
      );
      if (p.job) rows.push([`job ${p.job.name}`, jobText(p.job)]);
    }
    if (i.role === 'backup' && i.reachable) {
      const s = report.secondary;
      rows.push(
        ['log shipping', s.configured ? 'secondary' : 'not configured'],
        ['last copied file', s.lastCopiedFile],
        ['last copy', s.lastCopiedAt],
        ['last restored file', s.lastRestoredFile],
        ['last restore', s.lastRestoredAt],
        ['minutes since', s.minutesSinceRestore],
        ['latency (min)', s.latencyMinutes],
        [
          'restore threshold',
          s.threshold === null ? null : `${s.threshold} min${s.crossed ? ' CROSSED' : ''}`,
        ],
      );
      for (const job of s.jobs) rows.push([`job ${job.name}`, jobText(job)]);
    }
    out.push(table(rows));
  }
  if (report.errors.length > 0) {
    out.push('', 'log-shipping errors (newest first)');
    for (const e of report.errors) out.push(`  ${show(e.at)}  ${e.server}  ${e.agent}: ${e.message}`);
  }
  return `${out.join('\n')}\n`;
}

function jobText(job: NonNullable<StatusReport['primaries'][number]['job']>): string {
  if (!job.found) return 'missing';
  return [
    job.enabled === false ? 'disabled' : 'enabled',
    job.running ? 'running' : null,
    `last run ${job.lastRun ?? 'none this session'}`,
  ]
    .filter(Boolean)
    .join(', ');
}

/** Runs the command; returns the exit code. */
export async function statusCommand(args: string[], usage: string): Promise<number> {
  const fail = (message: string) => {
    process.stderr.write(`pchat-hadr: ${message}\n`);
    return statusExitCodes.usage;
  };
  let parsedArgs;
  try {
    parsedArgs = parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: 'boolean', default: false } },
    });
  } catch (error) {
    return fail(`${(error as Error).message}\n${usage}`);
  }
  const file = parsedArgs.positionals[0];
  if (!file || parsedArgs.positionals.length > 1) return fail(`status needs exactly one plan file\n${usage}`);
  let planText: string;
  try {
    planText = readFileSync(file, 'utf8');
  } catch (error) {
    return fail(`cannot read ${file}: ${(error as Error).message}`);
  }
  const parsed = parsePlanJson(planText);
  if (!parsed.ok) return fail(formatFieldErrors(parsed.errors));
  const plan = parsed.plan;
  const sql = new SqlExecutor(secretSourceFor(undefined, plan));
  const shell = shellExecutorFor(plan, process.env);
  try {
    const report = evaluateStatus(plan, await readStatus(plan, { sql, shell }));
    process.stdout.write(
      parsedArgs.values.json ? `${JSON.stringify(report, null, 2)}\n` : formatStatus(report),
    );
    return statusExitCodes[report.verdict];
  } finally {
    await Promise.all([sql.close(), shell.close()]);
  }
}
