import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { labPlan } from '@/lib/plan/defaults';
import { planSchema } from '@/lib/plan/schema';
import { planForStage } from './cli-runbook';

const plan = planSchema.parse(labPlan());

describe('the runbook answers on the command line', () => {
  it('never starts a DR failover without being told whether the primary data center answers', () => {
    expect(planForStage(plan, 'dr-failover', {})).toMatchObject({
      ok: false,
      message: /--primary reachable/,
    });
    expect(planForStage(plan, 'dr-failover', { primary: 'maybe' })).toMatchObject({ ok: false });
    const reachable = planForStage(plan, 'dr-failover', { primary: 'reachable' });
    expect(reachable.ok && reachable.plan.dr.primaryReachable).toBe(true);
    const lost = planForStage({ ...plan, dr: { ...plan.dr, primaryReachable: true } }, 'dr-failover', {
      primary: 'lost',
    });
    expect(lost.ok && lost.plan.dr.primaryReachable).toBe(false);
  });

  it('takes each answer only for the runbook it belongs to', () => {
    expect(planForStage(plan, 'verify', { primary: 'lost' })).toMatchObject({
      ok: false,
      message: /only applies to dr-failover/,
    });
    expect(planForStage(plan, 'dr-failback', { 'drop-backup-database': true })).toMatchObject({ ok: false });
    const drop = planForStage(plan, 'teardown', { 'drop-backup-database': true });
    expect(drop.ok && drop.plan.dr.dropBackupDatabaseOnTeardown).toBe(true);
  });

  it('names the plan field a runbook still needs', () => {
    const bare = { ...plan, dr: { ...plan.dr, backupSiteServers: [] } };
    expect(planForStage(bare, 'dr-failover', { primary: 'lost' })).toMatchObject({
      ok: false,
      message: /^dr\.backupSiteServers: /,
    });
  });

  it('prints a runbook from the CLI and refuses one without its answer', () => {
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'bin/cli.ts', ...args], {
        encoding: 'utf8',
      });
    const refused = cli('script', 'examples/lab-plan.json', '--stage', 'dr-failover');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/dr-failover needs --primary reachable/);
    const printed = cli(
      'script',
      'examples/lab-plan.json',
      '--stage',
      'dr-failover',
      '--primary',
      'reachable',
      '--target',
      'primary',
    );
    expect(printed.status, printed.stderr).toBe(0);
    expect(printed.stdout).toContain('WITH NORECOVERY, CHECKSUM, STATS = 10;');
  }, 60_000);
});
