import { describe, expect, it } from 'vitest';
import { generatedFor, planWith } from '@/lib/sql/generate/testing/fixtures';
import { bundleReadme, scriptBundle } from './bundle';
import { generateStage } from './generate';

describe('the scripts bundle', () => {
  it('holds the setup stages in flow order, then both forms of dr-failover, dr-failback and teardown', () => {
    const plan = planWith();
    const bundle = scriptBundle(plan, generatedFor);
    expect(bundle.stages.map((s) => s.folder)).toEqual([
      '01-topology',
      '02-preflight',
      '03-ship-primary',
      '04-failover-to-mirror',
      '05-ship-mirror',
      '06-failback-to-primary',
      '07-verify',
      '08-dr-failover-primary-reachable',
      '09-dr-failover-primary-lost',
      '10-dr-failback',
      '11-teardown',
    ]);
    expect(bundle.skipped).toEqual([]);
    // Each form is the stage generated from the plan with that answer: the same bytes and hash the review approves.
    const reachable = bundle.stages.find((s) => s.folder === '08-dr-failover-primary-reachable')!;
    const lost = bundle.stages.find((s) => s.folder === '09-dr-failover-primary-lost')!;
    expect(reachable.artifacts).toEqual(
      generateStage({ ...plan, dr: { ...plan.dr, primaryReachable: true } }, 'dr-failover', generatedFor),
    );
    expect(lost.artifacts).toEqual(
      generateStage({ ...plan, dr: { ...plan.dr, primaryReachable: false } }, 'dr-failover', generatedFor),
    );
    expect(reachable.artifacts.hash).not.toBe(lost.artifacts.hash);
    expect(bundle.stages.find((s) => s.stage === 'verify')!.artifacts).toEqual(
      generateStage(plan, 'verify', generatedFor),
    );
  });

  it('leaves out a runbook still missing answers and says in the README what it needs', () => {
    const plan = planWith((p) => {
      p.dr = { ...p.dr!, backupSiteServers: [] };
    });
    const bundle = scriptBundle(plan, generatedFor);
    expect(bundle.stages.map((s) => s.folder).slice(7)).toEqual(['08-dr-failback', '09-teardown']);
    expect(bundle.skipped.map((s) => [s.stage, s.missing.map((m) => m.field)])).toEqual([
      ['dr-failover', ['dr.backupSiteServers']],
    ]);
    const readme = bundleReadme('Contoso pool', generatedFor, bundle);
    expect(readme).toContain('"Contoso pool", generated for 2026-11-26T12:00:00.000Z');
    expect(readme).toContain(
      `08-dr-failback  ${bundle.stages[7]!.artifacts.summary}\r\n    hash ${bundle.stages[7]!.artifacts.hash}`,
    );
    expect(readme).toMatch(
      /Not included until the plan answers what they need:\r\ndr-failover: Name the Persistent Chat servers of the backup data center.*\(dr\.backupSiteServers\)/,
    );
  });
});
