// Reading back what the verification commands print: pure checks the executor applies to their JSON output.
import type { MirrorRole } from './types';

/** One object of `mirror-state-*` output (Get-CsDatabaseMirrorState projected to strings). */
export interface MirrorStateRow {
  DatabaseName: string;
  StateOnPrimary: string;
  StateOnMirror: string;
  MirroringStatusOnPrimary: string;
  MirroringStatusOnMirror: string;
}

/** Parses the JSON array a `mirror-state-*` command prints; throws when the output is not that shape. */
export function parseMirrorState(output: string): MirrorStateRow[] {
  const parsed: unknown = JSON.parse(output.trim());
  if (!Array.isArray(parsed)) throw new Error('Mirror state output is not a JSON array.');
  return parsed.map((item, index) => {
    const row = item as Record<string, unknown>;
    for (const key of [
      'DatabaseName',
      'StateOnPrimary',
      'StateOnMirror',
      'MirroringStatusOnPrimary',
      'MirroringStatusOnMirror',
    ]) {
      if (typeof row[key] !== 'string') throw new Error(`Mirror state row ${index} has no string ${key}.`);
    }
    return row as unknown as MirrorStateRow;
  });
}

/**
 * What is wrong with a mirror state once `expectedPrincipal` should hold the principal: one sentence per problem,
 * none when the roles are as expected and mirroring is synchronized. Values compare case-insensitively because
 * SfB scripts in the field do (`-ine "synchronized"`) and the cmdlet's exact casing is not documented.
 */
export function mirrorStateProblems(
  rows: MirrorStateRow[],
  database: string,
  expectedPrincipal: MirrorRole,
): string[] {
  const row = rows.find((candidate) => candidate.DatabaseName.toLowerCase() === database.toLowerCase());
  if (!row) return [`Get-CsDatabaseMirrorState returned no state for ${database}.`];
  const is = (value: string, expected: string) => value.toLowerCase() === expected.toLowerCase();
  const [onPrimary, onMirror] =
    expectedPrincipal === 'Primary' ? ['Principal', 'Mirror'] : ['Mirror', 'Principal'];
  const problems: string[] = [];
  if (!is(row.StateOnPrimary, onPrimary) || !is(row.StateOnMirror, onMirror)) {
    problems.push(
      `${database}: expected ${onPrimary} on the primary store and ${onMirror} on the mirror, found ${row.StateOnPrimary} and ${row.StateOnMirror}.`,
    );
  }
  for (const [side, status] of [
    ['primary store', row.MirroringStatusOnPrimary],
    ['mirror', row.MirroringStatusOnMirror],
  ] as const) {
    if (!is(status, 'Synchronized'))
      problems.push(
        `${database}: mirroring on the ${side} is ${status || 'not reported'}, not Synchronized.`,
      );
  }
  return problems;
}
