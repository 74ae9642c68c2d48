// Status against the lab over real TDS and real pwsh: after shipping is set up and verified it is healthy, agrees with
// sp_help_log_shipping_monitor and reads the pool Normal with the primary site's servers active; with Agent stopped
// past the backup threshold it turns degraded; with the pool failed over it says to fail back; the CLI's exit codes.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labControl } from '@/lab/control-client';
import type { RunningLab } from '@/lab/server';
import { startLabForPlan } from '@/lab/testing/lab-plan-session';
import type { Plan } from '@/lib/plan/schema';
import { ShellExecutor } from '@/lib/shell/execute';
import { SqlExecutor, SqlReadError } from '@/lib/sql/execute';
import { verifyMonitorBatches } from '@/lib/sql/generate/verify';
import { migrate } from '@/lib/store/migrations';
import type { SetupStageId } from './ids';
import { applyReviewedStage, reviewStage, shellExecutorFor, type StageServiceOptions } from './service';
import { readDatabaseFiles } from './database-files';
import { evaluateStatus, readPool, readStatus } from './status';

const password = 'Status#Pw-2026!';
let lab: RunningLab;
let dir: string;
let db: Database.Database;
let plan: Plan;
let planFile: string;
let opts: StageServiceOptions;
let sql: SqlExecutor;
let shell: ShellExecutor;
let shellEnv: NodeJS.ProcessEnv;
const controlUrlBefore = process.env.PCHAT_LAB_CONTROL_URL;

const read = async () => evaluateStatus(plan, await readStatus(plan, { sql, shell }));

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
        env: { ...shellEnv, PCHAT_HADR_SQL_PASSWORD: password },
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
  const session = await startLabForPlan(dir, password);
  ({ lab, plan, shellEnv } = session);
  // The lab's SfB module finds the lab through the environment pwsh inherits from this process.
  process.env.PCHAT_LAB_CONTROL_URL = lab.controlUrl;
  planFile = path.join(dir, 'plan.json');
  writeFileSync(planFile, JSON.stringify(plan, null, 2));
  db = new Database(path.join(dir, 'store.sqlite'));
  migrate(db);
  opts = { db, secrets: () => ({ password }), env: shellEnv };
  sql = new SqlExecutor(() => ({ password }));
  shell = shellExecutorFor(plan, shellEnv);
  for (const stage of ['ship-primary', 'verify'] as const) {
    const result = await apply(stage);
    if (result.status !== 'succeeded') throw new Error(`${stage}: ${result.status}: ${result.message}`);
  }
}, 240_000);

afterAll(async () => {
  if (controlUrlBefore === undefined) delete process.env.PCHAT_LAB_CONTROL_URL;
  else process.env.PCHAT_LAB_CONTROL_URL = controlUrlBefore;
  await shell?.close();
  await sql?.close();
  db?.close();
  await lab?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('log-shipping status against the lab', () => {
  it('is healthy once shipping is verified, agrees with sp_help_log_shipping_monitor, and reads the pool Normal', async () => {
    const report = await read();
    expect(report.reasons).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.verdict).toBe('healthy');
    expect(report.pool).toEqual({
      fqdn: 'pchat.lab.local',
      state: 'Normal',
      activeServers: ['FE01.lab.local', 'FE02.lab.local'],
      inactiveServers: ['FEDR01.lab.local'],
    });

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
    expect(text.stdout).toMatch(
      /^pool pchat\.lab\.local\n {2}state +Normal\n {2}active servers +FE01\.lab\.local, FE02\.lab\.local\n/m,
    );
    const json = await cli('status', planFile, '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      verdict: 'healthy',
      reasons: [],
      warnings: [],
      pool: {
        fqdn: 'pchat.lab.local',
        state: 'Normal',
        activeServers: ['FE01.lab.local', 'FE02.lab.local'],
        inactiveServers: ['FEDR01.lab.local'],
      },
    });
  }, 60_000);

  it('turns degraded when Agent on the primary is stopped past the backup threshold', async () => {
    const control = labControl(lab.controlUrl);
    await control.post('/agent', { server: plan.servers.primary.name, running: false });
    await control.post('/clock/advance', { minutes: plan.backup.alertThresholdMinutes + 5 });
    const report = await read();
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

  it('reports a pool failed over to the backup store as degraded, says to fail back, and only notes late shipping', async () => {
    const control = labControl(lab.controlUrl);
    await control.post('/sfb/persistent-chat-state', {
      identity: 'service:PersistentChatServer:pchat.lab.local',
      poolState: 'FailedOver',
    });
    try {
      const report = await read();
      expect(report.pool.state).toBe('FailedOver');
      expect(report.verdict).toBe('degraded');
      // Only the pool state moved: SQL Server still restores into the backup store, which dr-failover would recover.
      expect(report.reasons).toEqual([
        `The pool pchat.lab.local is failed over to the backup store ${plan.servers.backup.name}, without disaster recovery: run dr-failback once the primary data center is rebuilt.`,
        `${plan.servers.backup.name}: the pool is failed over to it, but ${plan.secondaryDatabase} is RESTORING there, not ONLINE: finish dr-failover so the pool can use it.`,
      ]);
      // The earlier test stopped the primary's Agent and moved the clock on, so the restore threshold is crossed:
      // expected now, so a note. With no principal on the primary side, the backup threshold is not judged at all.
      expect(report.notes[0]).toMatch(/^Expected while the pool is failed over, not to be fixed/);
      expect(report.notes).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^${plan.servers.backup.name.replace(/\\/g, '\\\\')}: no log restored into mgc for \\d+ minutes, over the restore threshold of \\d+ minutes\\.$`,
          ),
        ),
      );
      expect(report.notes).toContain(
        `${plan.servers.primary.name}: SQL Server Agent is stopped, so no log-shipping job runs there.`,
      );

      const text = await cli('status', planFile);
      expect(text.code).toBe(1);
      expect(text.stdout).toMatch(/^pool pchat\.lab\.local\n {2}state +FailedOver$/m);
      const json = await cli('status', planFile, '--json');
      expect(JSON.parse(json.stdout)).toMatchObject({ verdict: 'degraded', pool: { state: 'FailedOver' } });
    } finally {
      await control.post('/sfb/persistent-chat-state', {
        identity: 'service:PersistentChatServer:pchat.lab.local',
        poolState: 'Normal',
      });
    }
  }, 90_000);

  it('reports the pool state unknown, with the reason, where the SkypeForBusiness module is missing', async () => {
    const bare = new ShellExecutor({ host: plan.shellHost, executable: shellEnv.PCHAT_HADR_PWSH! });
    try {
      const pool = await readPool(plan, bare);
      expect(pool).toMatchObject({ state: 'unknown', activeServers: [], inactiveServers: [] });
      expect(pool.error).toMatch(/^The SkypeForBusiness module could not be loaded: .*SkypeForBusiness/);
      expect(pool.error).toContain('PCHAT_HADR_PS_MODULE_PATH');
    } finally {
      await bare.close();
    }
  }, 60_000);
});

describe('the primary database files the Secondary page reads', () => {
  it('lists data and log files with their logical names, and names the server when the database is not there', async () => {
    const files = await readDatabaseFiles(sql, plan.servers.primary, plan.database);
    expect(files.map((f) => [f.logical, f.type])).toEqual([
      ['mgc', 'ROWS'],
      ['mgc_log', 'LOG'],
    ]);
    expect(files.every((f) => /^[A-Z]:\\.+\\mgc(_log)?\.(mdf|ldf)$/.test(f.physicalName))).toBe(true);
    await expect(readDatabaseFiles(sql, plan.servers.primary, 'nochat')).rejects.toThrow(
      /SQL01\\PCHAT has no database nochat/,
    );
  });

  it('tells a refused login (a password to type again) from a server that does not answer', async () => {
    const wrong = new SqlExecutor(() => ({ password: 'not-the-password' }));
    const nowhere = { ...plan.servers.primary, connect: { ...plan.servers.primary.connect, port: 1 } };
    try {
      const refused = await wrong.read(plan.servers.primary, 'SELECT 1 AS one').catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(SqlReadError);
      expect(refused).toMatchObject({
        loginRefused: true,
        detail: expect.stringMatching(/^Login to SQL01\\PCHAT/),
      });
      const silent = await wrong.read(nowhere, 'SELECT 1 AS one').catch((e: unknown) => e);
      expect(silent).toMatchObject({ name: 'SqlReadError', loginRefused: false });
    } finally {
      await wrong.close();
    }
  });
});
