// The seed's whole procedure through lib/stages against the lab over real TDS and real pwsh: what the wizard and the
// CLI do, minus the page. The lab stands in for the servers only; every byte goes through mssql and node-powershell.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labControl } from '@/lab/control-client';
import type { RunningLab } from '@/lab/server';
import { startLabForPlan } from '@/lab/testing/lab-plan-session';
import { restoredLsnSql } from '@/lib/sql/generate/verify';
import type { Plan } from '@/lib/plan/schema';
import { migrate } from '@/lib/store/migrations';
import { RunStore } from '@/lib/store/run-store';
import { type SetupStageId, type StageId, setupStageIds } from './ids';
import { applyReviewedStage, reviewStage, type StageServiceOptions } from './service';

const sentinel = 'Sentinel#Pw-2026!';
let lab: RunningLab;
let dir: string;
let db: Database.Database;
let plan: Plan;
let shellEnv: NodeJS.ProcessEnv;
let opts: StageServiceOptions;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pchat-flow-'));
  ({ lab, plan, shellEnv } = await startLabForPlan(dir, sentinel));
  db = new Database(path.join(dir, 'store.sqlite'));
  migrate(db);
  opts = {
    db,
    secrets: () => ({ password: sentinel }),
    env: shellEnv,
  };
}, 120_000);

afterAll(async () => {
  db?.close();
  await lab?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function apply(stage: StageId) {
  const { review } = await reviewStage(opts, {
    planId: 'flow',
    planVersion: 1,
    plan,
    stage,
    actor: 'tester',
  });
  return applyReviewedStage(
    { ...opts, env: opts.env },
    { planId: 'flow', planVersion: 1, plan, stage, reviewId: review.id, actor: 'tester' },
  );
}

describe('the seed procedure against the lab', () => {
  it.each<SetupStageId>([...setupStageIds])(
    'applies %s',
    async (stage) => {
      // PCHAT_LAB_CONTROL_URL reaches pwsh through the process environment, as npm start sets it.
      process.env.PCHAT_LAB_CONTROL_URL = lab.controlUrl;
      const result = await apply(stage);
      expect(result.message).not.toMatch(/cannot be reached/);
      expect(result.status, result.message).toBe('succeeded');
    },
    180_000,
  );

  it('ships on the Agent schedules once the lab clock moves: chat written on the primary reaches the backup store', async () => {
    const control = labControl(lab.controlUrl);
    const { SqlExecutor } = await import('@/lib/sql/execute');
    const sql = new SqlExecutor(() => ({ password: sentinel }));
    try {
      const lastRestored = async () => {
        const [rows = []] = await sql.read(plan.servers.backup, restoredLsnSql(plan.secondaryDatabase));
        return BigInt(String(rows[0]?.last_lsn ?? 0));
      };
      const before = await lastRestored();
      await control.post('/data/messages', {
        server: plan.servers.primary.name,
        database: plan.database,
        count: 25,
      });
      // Backup, copy and restore each run every 15 minutes; two rounds leave room for their order within a round.
      await control.post('/clock/advance', { minutes: 31 });
      await expect.poll(lastRestored, { timeout: 30_000 }).toBeGreaterThan(before);
      const [monitor = []] = await sql.read(
        plan.servers.backup,
        'EXEC master.dbo.sp_help_log_shipping_monitor;',
      );
      expect(monitor.length).toBeGreaterThan(0);
    } finally {
      await sql.close();
    }
  }, 120_000);

  it('recorded every run, each with its steps, by the actor who applied it', () => {
    const runs = new RunStore(db).listRuns('flow');
    expect(runs.map((r) => r.stage).reverse()).toEqual([...setupStageIds]);
    expect(runs.every((r) => r.actor === 'tester' && r.status === 'succeeded')).toBe(true);
    expect(new RunStore(db).steps(runs[0]!.id).length).toBeGreaterThan(3);
  });

  it('writes the SQL password into no file: store, WAL, reports, lab folders', async () => {
    const { runReportMarkdown } = await import('./report');
    const runs = new RunStore(db);
    for (const run of runs.listRuns('flow')) {
      writeFileSync(
        path.join(dir, `report-${run.id}.md`),
        runReportMarkdown({
          run,
          planName: plan.name,
          steps: runs.steps(run.id),
          messages: runs.messages(run.id),
        }),
      );
    }
    db.pragma('wal_checkpoint(PASSIVE)');
    const needles = [Buffer.from(sentinel, 'utf8'), Buffer.from(sentinel, 'utf16le')];
    const offenders: string[] = [];
    const walk = (folder: string) => {
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        const full = path.join(folder, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.isFile() && needles.some((n) => readFileSync(full).includes(n)))
          offenders.push(path.relative(dir, full));
      }
    };
    walk(dir);
    expect(offenders).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.startsWith('report-')).length).toBeGreaterThan(5);
  });

  it('refuses to apply a review whose live state has changed since', async () => {
    const { review } = await reviewStage(opts, {
      planId: 'flow',
      planVersion: 1,
      plan,
      stage: 'failover-to-mirror',
      actor: 'tester',
    });
    await apply('failover-to-mirror');
    const again = await applyReviewedStage(opts, {
      planId: 'flow',
      planVersion: 1,
      plan,
      stage: 'failover-to-mirror',
      reviewId: review.id,
      actor: 'tester',
    });
    expect(again).toMatchObject({ status: 'refused', reason: 'state-changed' });
    await apply('failback-to-primary');
  }, 180_000);

  it('tears log shipping down: no log-shipping row or job is left on any instance', async () => {
    const result = await apply('teardown');
    expect(result.status, result.message).toBe('succeeded');
    const { SqlExecutor } = await import('@/lib/sql/execute');
    const sql = new SqlExecutor(() => ({ password: sentinel }));
    try {
      for (const role of ['primary', 'primaryMirror', 'backup', 'backupMirror'] as const) {
        const sets = await sql.read(
          plan.servers[role],
          [
            'SELECT primary_database FROM msdb.dbo.log_shipping_primary_databases;',
            'SELECT secondary_database FROM msdb.dbo.log_shipping_primary_secondaries;',
            'SELECT primary_database FROM msdb.dbo.log_shipping_secondary;',
            'SELECT secondary_database FROM msdb.dbo.log_shipping_secondary_databases;',
            "SELECT name FROM msdb.dbo.sysjobs WHERE name LIKE N'LSBackup%' OR name LIKE N'LSCopy%' OR name LIKE N'LSRestore%';",
          ].join('\n'),
        );
        expect(
          sets.map((rows) => rows.length),
          role,
        ).toEqual([0, 0, 0, 0, 0]);
      }
    } finally {
      await sql.close();
    }
  }, 180_000);

  it('tears down again where nothing is configured: each step says so instead of failing with 32010', async () => {
    const result = await apply('teardown');
    expect(result.status, result.message).toBe('succeeded');
    const said = new RunStore(db)
      .messages('run' in result ? result.run.id : '')
      .filter((m) => /nothing to remove/.test(m.text));
    expect(said.length).toBe(5);
  }, 180_000);
});
