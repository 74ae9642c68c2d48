// Every T-SQL text the generators produce, for every stage and option branch, parsed by Microsoft's ScriptDom in
// one pwsh run: zero errors allowed. Also the whole SSMS scripts, as a DBA would paste them into SSMS.
import { beforeAll, describe, expect, it } from 'vitest';
import { type ScriptDomResult, parseTsql } from '@/lib/testing/scriptdom';
import { fillSecrets } from './batch';
import { primaryHalfSettings, secondaryHalfSettings, ssmsScript } from './log-shipping';
import { generateSqlStage } from './stages';
import { generateRunbookTargets } from '@/lib/stages/runbooks';
import { generatedFor, lsVariants, planWith, stageVariants } from './testing/fixtures';

const sqlStages = ['preflight', 'ship-primary', 'ship-mirror', 'verify', 'teardown'] as const;
const variants = { ...lsVariants, ...stageVariants };

function collectTexts(): Map<string, string> {
  const texts = new Map<string, string>();
  for (const [variant, change] of Object.entries(variants)) {
    const plan = planWith(change);
    for (const stage of sqlStages) {
      for (const [t, target] of generateSqlStage(plan, stage, generatedFor, {
        dropSecondaryDatabase: true,
      }).entries()) {
        if (target.language !== 'tsql') continue;
        for (const batch of target.batches) {
          const label = `${variant} ${stage} #${t + 1} ${target.target.role} ${batch.id}`;
          texts.set(label, batch.sql);
          if (batch.secrets)
            texts.set(
              `${label} (secrets filled)`,
              fillSecrets(batch, { 'monitor-login': "l'x", 'monitor-password': "p'x]" }),
            );
        }
      }
    }
    for (const reachable of [true, false]) {
      for (const stage of ['dr-failover', 'dr-failback'] as const) {
        const drPlan = { ...plan, dr: { ...plan.dr, primaryReachable: reachable } };
        for (const [t, target] of generateRunbookTargets(drPlan, stage, generatedFor).entries()) {
          if (target.language !== 'tsql') continue;
          for (const batch of target.batches)
            texts.set(
              `${variant} ${stage}${reachable ? ' reachable' : ''} #${t + 1} ${target.target.role} ${batch.id}`,
              batch.sql,
            );
        }
      }
    }
    const primary = primaryHalfSettings(plan, 'primary', generatedFor);
    const secondary = secondaryHalfSettings(plan, generatedFor);
    texts.set(`${variant} whole SSMS script`, ssmsScript(primary, secondary));
    texts.set(
      `${variant} whole SSMS script, legacy monitor blocks`,
      ssmsScript({ ...primary, legacyMonitorBlocks: true }, { ...secondary, legacyMonitorBlocks: true }),
    );
  }
  return texts;
}

describe('ScriptDom parses every generated script', () => {
  const texts = collectTexts();
  const labels = [...texts.keys()];
  let results: ScriptDomResult[] = [];

  beforeAll(async () => {
    results = await parseTsql([...texts.values()]);
  }, 120_000);

  it('covers every stage and variant', () => {
    expect(labels.length).toBeGreaterThan(Object.keys(variants).length * 60);
  });

  it('finds zero parse errors', () => {
    const failures = labels.flatMap((label, i) =>
      results[i]!.errors.length ? [`${label}: ${JSON.stringify(results[i]!.errors)}`] : [],
    );
    expect(failures).toEqual([]);
  });

  it('finds the statements each batch is meant to hold (no text swallowed by a comment or literal)', () => {
    const i = labels.indexOf('default-lab ship-primary #1 primary primary-configuration');
    expect(results[i]!.statements.filter((s) => s === 'ExecuteStatement')).toHaveLength(5);
    const backup = labels.indexOf('default-lab ship-primary #1 primary initialise-full-backup');
    expect(results[backup]!.statements).toEqual(['BackupDatabaseStatement']);
    const restore = labels.indexOf('default-lab ship-primary #2 backup initialise-restore');
    expect(results[restore]!.statements).toEqual(['RestoreStatement']);
    const tail = labels.indexOf('default-lab dr-failover reachable #2 primary tail-log-backup');
    // ScriptDom lists nested statements too: the guard, its block, the mirroring check, then the work.
    expect(results[tail]!.statements).toEqual([
      'IfStatement',
      'BeginEndBlockStatement',
      'IfStatement',
      'AlterDatabaseSetStatement',
      'BackupTransactionLogStatement',
      'PrintStatement',
    ]);
    const recover = labels.indexOf('default-lab dr-failover #2 backup recover');
    expect(results[recover]!.statements).toEqual(['RestoreStatement']);
    const failoverReady = labels.indexOf('default-lab dr-failover reachable #1 backup failover-ready-backup');
    expect(results[failoverReady]!.statements).toEqual(['IfStatement', 'RaiseErrorStatement']);
    const failbackReady = labels.indexOf('init-with-folders dr-failback #2 primary failback-ready-primary');
    expect(results[failbackReady]!.statements).toEqual([
      'IfStatement',
      'RaiseErrorStatement',
      'BeginEndBlockStatement',
      'IfStatement',
      'RaiseErrorStatement',
      'IfStatement',
      'RaiseErrorStatement',
    ]);
  });
});
