// Status against the lab over real TDS: after shipping is set up and verified it is healthy and agrees with
// sp_help_log_shipping_monitor; with Agent stopped past the backup threshold it turns degraded; the CLI's exit codes.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labControl } from '@/lab/control-client';
import { startLab, type RunningLab } from '@/lab/server';
import { labPlan } from '@/lib/plan/defaults';
import { type Plan, planSchema } from '@/lib/plan/schema';
import { SqlExecutor } from '@/lib/sql/execute';
import { verifyMonitorBatches } from '@/lib/sql/generate/verify';
import { migrate } from '@/lib/store/migrations';
import type { SetupStageId } from './ids';
import { applyReviewedStage, reviewStage, type StageServiceOptions } from './service';
import { evaluateStatus, readStatus } from './status';

const password = 'Status#Pw-2026!';
let lab: RunningLab;
let dir: string;
let db: Database.Database;
let plan: Plan;
let planFile: string;
let opts: StageServiceOptions;
let sql: SqlExecutor;

async function apply(stage: SetupStageId) {
  const { review } = await reviewStage(opts, {
    planId: 'status',
    planVersion: 1,
    plan,
    stage,
    actor: 'tester',
  });
  return applyReviewedStage(opts, {
    planId: 'status',
    planVersion: 1,
    plan,
    stage,
    reviewId: review.id,
    actor: 'tester',
  });
}

function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=react-server', '--import', 'tsx', 'bin/cli.ts', ...args],
      {
        env: { ...process.env, PCHAT_HADR_SQL_PASSWORD: password },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function monitor(role: 'primary' | 'primaryMirror' | 'backup') {
  const [rows = []] = await sql.read(plan.servers[role], verifyMonitorBatches()[0]!.sql);
  return rows;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pchat-status-'));
  lab = await startLab({
    root: path.join(dir, 'lab'),
    reset: true,
    basePort: 0,
    controlPort: 0,
    saPassword: password,
    clock: 'manual',
  });
  const draft = labPlan();
  for (const info of lab.instances) draft.servers[info.role].connect.port = info.port;
  plan = planSchema.parse(draft);
  planFile = path.join(dir, 'plan.json');
  writeFileSync(planFile, JSON.stringify(plan, null, 2));
  db = new Database(path.join(dir, 'store.sqlite'));
  migrate(db);
  opts = {
    db,
    secrets: () => ({ password }),
    env: {
      ...process.env,
      PCHAT_LAB_CONTROL_URL: lab.controlUrl,
      PCHAT_HADR_PS_MODULE_PATH: path.resolve('lab/sfb'),
      PCHAT_HADR_PWSH: process.env.PWSH_PATH ?? path.resolve('.tools/pwsh/pwsh'),
    },
  };
  sql = new SqlExecutor(() => ({ password }));
  for (const stage of ['ship-primary', 'verify'] as const) {
    const result = await apply(stage);
    if (result.status !== 'succeeded') throw new Error(`${stage}: ${result.status}: ${result.message}`);
  }
}, 240_000);

afterAll(async () => {
  await sql?.close();
  db?.close();
  await lab?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('log-shipping status against the lab', () => {
  it('is healthy once shipping is verified, and agrees with sp_help_log_shipping_monitor', async () => {
    const report = evaluateStatus(plan, await readStatus(plan, sql));
    expect(report.reasons).toEqual([]);
    expect(report.verdict).toBe('healthy');

    const [primaryRow] = (await monitor('primary')).filter(
      (r) => r.is_primary === true || r.is_primary === 1,
    );
    const [secondaryRow] = (await monitor('backup')).filter(
      (r) => r.is_primary === false || r.is_primary === 0,
    );
    const principal = report.primaries.find((p) => p.active)!;
    expect(principal.server).toBe(plan.servers.primary.name);
    expect(primaryRow?.last_backup_file).toEqual(expect.any(String));
    expect(principal.lastBackupFile).toBe(primaryRow?.last_backup_file);
    expect(principal.threshold).toBe(primaryRow?.backup_threshold);
    expect(principal.crossed).toBe(Boolean(primaryRow?.status));
    expect(secondaryRow?.last_restored_file).toEqual(expect.any(String));
    expect(report.secondary.lastRestoredFile).toBe(secondaryRow?.last_restored_file);
    expect(report.secondary.lastCopiedFile).toBe(secondaryRow?.last_copied_file);
    expect(report.secondary.threshold).toBe(secondaryRow?.restore_threshold);
    expect(report.mirroring).toEqual({ principal: plan.servers.primary.name, state: 'SYNCHRONIZED' });
    // Only ship-primary was applied: the mirror has no primary row in its monitor, and the status says so.
    expect(await monitor('primaryMirror')).toEqual([]);
    expect(report.primaries.find((p) => p.role === 'primaryMirror')).toMatchObject({
      configured: false,
      job: null,
    });
  }, 60_000);

  it('exits 0 from the CLI with the verdict on the first line, and gives the same report as JSON', async () => {
    const text = await cli('status', planFile);
    expect(text.stderr).not.toContain('pchat-hadr:');
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toBe('HEALTHY');
    for (const role of ['primary', 'primaryMirror', 'backup', 'backupMirror'] as const) {
      expect(text.stdout).toContain(`${plan.servers[role].name} (${role})`);
    }
    const json = await cli('status', planFile, '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ verdict: 'healthy', reasons: [] });
  }, 60_000);

  it('turns degraded when Agent on the primary is stopped past the backup threshold', async () => {
    const control = labControl(lab.controlUrl);
    await control.post('/agent', { server: plan.servers.primary.name, running: false });
    await control.post('/clock/advance', { minutes: plan.backup.alertThresholdMinutes + 5 });
    const report = evaluateStatus(plan, await readStatus(plan, sql));
    expect(report.verdict).toBe('degraded');
    const principal = report.primaries.find((p) => p.active)!;
    expect(principal.crossed).toBe(true);
    expect(principal.minutesSinceBackup).toBeGreaterThan(plan.backup.alertThresholdMinutes);
    expect(report.reasons).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^${plan.servers.primary.name.replace(/\\/g, '\\\\')}: no log backup .* over the backup threshold of 60 minutes\\.$`,
        ),
      ),
    );
    expect(report.reasons).toContain(
      `${plan.servers.primary.name}: SQL Server Agent is stopped, so no log-shipping job runs there.`,
    );
    // SQL Server's own monitor says the same of the primary.
    const [primaryRow] = (await monitor('primary')).filter(
      (r) => r.is_primary === true || r.is_primary === 1,
    );
    expect(Boolean(primaryRow?.status)).toBe(true);

    const text = await cli('status', planFile);
    expect(text.code).toBe(1);
    expect(text.stdout.split('\n')[0]).toMatch(/^DEGRADED: \d+ problem\(s\)$/);
    expect(text.stdout).toContain('60 min CROSSED');
  }, 60_000);

  it('exits 2 when the backup store cannot be read', async () => {
    const control = labControl(lab.controlUrl);
    await control.setFaults(plan.servers.backup.name, { down: true });
    try {
      const text = await cli('status', planFile);
      expect(text.code).toBe(2);
      expect(text.stdout.split('\n')[0]).toMatch(/^UNREACHABLE/);
      expect(text.stdout).toContain(`${plan.servers.backup.name} (backup) UNREACHABLE`);
    } finally {
      await control.clearFaults();
    }
  }, 60_000);

  it('exits 3 on a usage or plan error', async () => {
    expect((await cli('status')).code).toBe(3);
    const badPlan = path.join(dir, 'bad-plan.json');
    writeFileSync(badPlan, JSON.stringify({ ...plan, database: '' }));
    const bad = await cli('status', badPlan);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/database/i);
    expect((await cli('status', path.join(dir, 'missing.json'))).code).toBe(3);
  }, 60_000);
});
