import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { labPlan } from '@/lib/plan/defaults';
import { planSchema } from '@/lib/plan/schema';
import { planForStage } from './cli-runbook';

const plan = planSchema.parse(labPlan());

const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'bin/cli.ts', ...args], {
    encoding: 'utf8',
  });

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

  it('writes every stage with both forms of dr-failover, the same bytes as the single-stage script', () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'pchat-bundle-'));
    try {
      const run = cli('script', 'examples/lab-plan.json', '--all', '--out', out, '--date', '2026-11-26');
      expect(run.status, run.stderr).toBe(0);
      expect(readdirSync(out)).toContain('09-dr-failover-primary-lost');
      expect(readFileSync(path.join(out, 'README.txt'), 'utf8')).toMatch(
        /^08-dr-failover-primary-reachable  /m,
      );
      const single = cli(
        'script',
        'examples/lab-plan.json',
        '--stage',
        'dr-failover',
        '--primary',
        'lost',
        '--target',
        'backup',
        '--date',
        '2026-11-26',
        '--out',
        path.join(out, 'single'),
      );
      expect(single.status, single.stderr).toBe(0);
      const name = 'dr-failover-01-backup-SQLDR01_PCHAT.sql';
      expect(readFileSync(path.join(out, '09-dr-failover-primary-lost', name), 'utf8')).toBe(
        readFileSync(path.join(out, 'single', name), 'utf8'),
      );
      expect(cli('script', 'examples/lab-plan.json', '--all').stderr).toMatch(
        /--all writes a folder per stage/,
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
