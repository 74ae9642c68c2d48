import { describe, expect, it } from 'vitest';
import { generatedFor, lsVariants, planWith, stageVariants } from '@/lib/sql/generate/testing/fixtures';
import { expectGolden, renderTargets } from '@/lib/sql/generate/testing/golden';
import type { PlanInput } from '@/lib/plan/schema';
import { generateStage } from './generate';
import { drFailbackTargets, drFailoverTargets, missingForStage } from './runbooks';

const reachable = (p: PlanInput) => {
  p.dr = { ...p.dr!, primaryReachable: true };
};

describe('DR runbook golden files', () => {
  it('dr-failover with the primary data center lost', () => {
    expectGolden(
      'runbooks/default-lab/dr-failover-lost.txt',
      renderTargets(drFailoverTargets(planWith(), generatedFor)),
    );
  });

  it('dr-failover with the primary data center reachable: the tail-log backup comes first', () => {
    expectGolden(
      'runbooks/default-lab/dr-failover-reachable.txt',
      renderTargets(drFailoverTargets(planWith(reachable), generatedFor)),
    );
  });

  it('dr-failover from a standby copy with a restore delay', () => {
    const plan = planWith((p) => {
      lsVariants['standby-disconnect']!(p);
      lsVariants['restore-delay']!(p);
    });
    expectGolden(
      'runbooks/standby-delay/dr-failover-lost.txt',
      renderTargets(drFailoverTargets(plan, generatedFor)),
    );
  });

  it('dr-failback', () => {
    expectGolden(
      'runbooks/default-lab/dr-failback.txt',
      renderTargets(drFailbackTargets(planWith(), generatedFor)),
    );
  });

  it('dr-failback without compliance and with another secondary name', () => {
    const plan = planWith((p) => {
      p.pool.compliance = false;
      p.secondaryDatabase = 'mgc_dr';
    });
    expectGolden(
      'runbooks/no-compliance/dr-failback.txt',
      renderTargets(drFailbackTargets(plan, generatedFor)),
    );
  });
});

describe('dr-failback checks before it changes anything', () => {
  it('names each file the restore moves when the plan read them from the primary', () => {
    expectGolden(
      'runbooks/init-with-folders/dr-failback.txt',
      renderTargets(drFailbackTargets(planWith(stageVariants['init-with-folders']!), generatedFor)),
    );
  });

  it('runs its two read-only checks before the first command that changes the pool', () => {
    const targets = drFailbackTargets(planWith(stageVariants['init-with-folders']!), generatedFor);
    const firstChange = targets.findIndex((t) =>
      t.language === 'tsql' ? t.batches.some((b) => !b.readOnly) : t.commands.some((c) => !c.readOnly),
    );
    expect(
      targets.slice(0, firstChange).map((t) => (t.language === 'tsql' ? t.target.role : 'shell')),
    ).toEqual(['backup', 'primary']);
  });
});

describe('DR runbook shape', () => {
  const ids = (plan: ReturnType<typeof planWith>) =>
    drFailoverTargets(plan, generatedFor).map((t) =>
      t.language === 'tsql'
        ? `${t.target.role}: ${t.batches.map((b) => b.id).join(' ')}`
        : `shell: ${t.commands.map((c) => c.id).join(' ')}`,
    );

  it('takes the tail only when the primary is reachable, and then lets no job failure pass', () => {
    const lost = drFailoverTargets(planWith(), generatedFor);
    const kept = drFailoverTargets(planWith(reachable), generatedFor);
    expect(ids(planWith())).toEqual([
      'backup: failover-ready-backup',
      'backup: start-copy-job copy-job-status start-restore-job restore-job-status surviving-data delete-secondary-database recover recovered-state',
      'shell: set-pool-state-failed-over install-mirror-mgc install-mirror-mgccomp set-active-servers persistent-chat-state active-servers',
      'backup: mirrored-state',
    ]);
    expect(ids(planWith(reachable)).slice(0, 4)).toEqual([
      'backup: failover-ready-backup',
      'primary: tail-log-backup disable-backup-job',
      'primaryMirror: tail-log-backup disable-backup-job',
      'backup: start-copy-job copy-job-status start-restore-job restore-job-status restore-tail-log surviving-data delete-secondary-database recover recovered-state',
    ]);
    const mayFail = (targets: typeof lost) =>
      targets.flatMap((t) =>
        t.language === 'tsql' ? t.batches.filter((b) => b.mayFail).map((b) => b.id) : [],
      );
    expect(mayFail(lost)).toEqual(['copy-job-status', 'restore-job-status']);
    expect(mayFail(kept)).toEqual([]);
  });

  it('changes the reviewed hash with the reachability answer', () => {
    expect(generateStage(planWith(), 'dr-failover', generatedFor).hash).not.toBe(
      generateStage(planWith(reachable), 'dr-failover', generatedFor).hash,
    );
  });

  it('names what is missing before a runbook can be generated', () => {
    const bare = planWith((p) => {
      p.dr = {
        primarySiteServers: [],
        backupSiteServers: [],
        primaryReachable: false,
        dropBackupDatabaseOnTeardown: false,
      };
    });
    expect(missingForStage(bare, 'dr-failover')).toEqual([
      expect.objectContaining({ field: 'dr.backupSiteServers' }),
    ]);
    expect(missingForStage(bare, 'dr-failback')).toEqual([
      expect.objectContaining({ field: 'dr.primarySiteServers' }),
    ]);
    expect(missingForStage(bare, 'teardown')).toEqual([]);
    expect(missingForStage(planWith(), 'dr-failover')).toEqual([]);
  });

  it('teardown keeps or drops the backup copy as the plan says', () => {
    const last = (drop: boolean) =>
      generateStage(
        planWith((p) => {
          p.dr = { ...p.dr!, dropBackupDatabaseOnTeardown: drop };
        }),
        'teardown',
        generatedFor,
      ).targets.at(-1);
    expect(last(true)).toMatchObject({
      target: { role: 'backup' },
      batches: [{ id: 'drop-secondary-database' }],
    });
    expect(last(false)).toMatchObject({ target: { role: 'primaryMirror' } });
  });
});
