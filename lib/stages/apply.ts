import 'server-only';
import type { Plan, Server } from '@/lib/plan/schema';
import { contentHash } from '@/lib/sql/hash';
import type { BatchOutcome, RunBatchOptions, SqlExecutor, SqlRow } from '@/lib/sql/execute';
import { liveStateQuery } from '@/lib/sql/live-state';
import { formatServerMessage } from '@/lib/sql/messages';
import type { CommandOutcome, ShellExecutor } from '@/lib/shell/execute';
import { mirrorStateProblems, parseMirrorState } from '@/lib/shell/generate/verify';
import type { RunRecord, RunStore } from '@/lib/store/run-store';
import type { SqlBatch, StageArtifacts, TargetArtifact } from './artifact';
import { type ConvergePlan, planConvergence, stepIdentity } from './converge';
import { type InstanceReading, preflightFindings } from './preflight-findings';
import { compareTopology } from './topology-check';
import { proveRunbook } from './runbook-proof';
import { missingForStage } from './runbooks';
import { generateStage } from './generate';
import { type ServerRole, type StageId, serverRoles } from './ids';

/** What the operator approved: the review an apply must match. */
export interface ApprovedReview {
  id: string;
  planVersion: number;
  /** The instant the reviewed scripts were generated for (ISO); the same instant regenerates the same bytes. */
  generatedFor: string;
  artifactHash: string;
  liveFingerprint: string | null;
}

export interface ApplyRequest {
  planId: string;
  planVersion: number;
  plan: Plan;
  stage: StageId;
  review: ApprovedReview;
  actor: string;
  secrets?: { monitorPassword?: string };
}

export interface ApplyDeps {
  sql: SqlExecutor;
  shell: () => ShellExecutor;
  runs: RunStore;
  /** Live progress of a BACKUP/RESTORE, for the UI's progress bar. */
  onProgress?: (runId: string, stepId: number, percent: number) => void;
  /** Called once the run is recorded and the lock held, before the first step: a page can start watching it. */
  onBegun?: (run: RunRecord) => void;
}

export type ApplyResult =
  | {
      status: 'refused';
      reason: 'plan-changed' | 'plan-incomplete' | 'state-changed' | 'locked' | 'artifact-changed' | 'exists';
      message: string;
      run: RunRecord;
      /** With `exists`: the clean-up to review and run first (sp_delete_log_shipping_*), per role. */
      cleanup?: { role: ServerRole; batches: SqlBatch[] }[];
    }
  | { status: 'succeeded' | 'failed' | 'interrupted'; run: RunRecord; message: string };

/** The servers a stage reads to know whether the world it was reviewed against still holds. */
function stateServers(plan: Plan): { role: ServerRole; server: Server }[] {
  return serverRoles.map((role) => ({ role, server: plan.servers[role] }));
}

/**
 * Reads the live state a review is based on from every instance, in parallel, and reduces it to a fingerprint.
 * An unreachable instance is part of the state (it may come back).
 */
export async function readLiveFingerprint(
  plan: Plan,
  sql: SqlExecutor,
): Promise<{ fingerprint: string; state: Record<string, unknown> }> {
  const query = liveStateQuery(plan);
  const entries = await Promise.all(
    stateServers(plan).map(async ({ role, server }) => {
      try {
        const sets = await sql.read(server, query);
        return [role, sets.map((rows) => rows.map(normaliseRow))] as const;
      } catch (error) {
        return [role, { unreachable: (error as Error).name }] as const;
      }
    }),
  );
  const state = Object.fromEntries(entries);
  return { fingerprint: contentHash(JSON.stringify(state)), state };
}

function normaliseRow(row: SqlRow): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, typeof v === 'string' ? v.toUpperCase() : v]),
  );
}

function refuse(
  deps: ApplyDeps,
  req: ApplyRequest,
  reason: Extract<ApplyResult, { status: 'refused' }>['reason'],
  message: string,
  cleanup?: Extract<ApplyResult, { status: 'refused' }>['cleanup'],
): ApplyResult {
  const run = deps.runs.recordRefusal(
    {
      planId: req.planId,
      stage: req.stage,
      planVersion: req.planVersion,
      reviewId: req.review.id,
      artifactHash: req.review.artifactHash,
      actor: req.actor,
    },
    message,
  );
  return { status: 'refused', reason, message, run, ...(cleanup ? { cleanup } : {}) };
}

/**
 * Applies exactly the reviewed artifacts of one stage: refuses a stale review, holds the plan's lock, runs every batch
 * and command in order, and records each step and message as it happens so that a crash loses nothing.
 */
export async function applyStage(req: ApplyRequest, deps: ApplyDeps): Promise<ApplyResult> {
  if (req.planVersion !== req.review.planVersion) {
    return refuse(
      deps,
      req,
      'plan-changed',
      `The plan changed after this stage was reviewed (version ${req.review.planVersion}, now ${req.planVersion}). Review it again.`,
    );
  }
  const missing = missingForStage(req.plan, req.stage);
  if (missing.length > 0) {
    return refuse(deps, req, 'plan-incomplete', missing.map((m) => m.message).join(' '));
  }
  const artifacts = generateStage(req.plan, req.stage, new Date(req.review.generatedFor));
  if (artifacts.hash !== req.review.artifactHash) {
    return refuse(
      deps,
      req,
      'artifact-changed',
      'The scripts to run differ from the reviewed ones. Review the stage again.',
    );
  }
  if (req.review.liveFingerprint) {
    const live = await readLiveFingerprint(req.plan, deps.sql);
    if (live.fingerprint !== req.review.liveFingerprint) {
      return refuse(
        deps,
        req,
        'state-changed',
        'The servers changed since the review (databases, mirroring roles or log-shipping configuration). Review the stage again to see the current state.',
      );
    }
  }
  let convergence: ConvergePlan;
  try {
    convergence = await planConvergence({ planId: req.planId, plan: req.plan, stage: req.stage }, deps);
  } catch (error) {
    return refuse(
      deps,
      req,
      'state-changed',
      `Cannot read the existing log-shipping configuration: ${(error as Error).message}`,
    );
  }
  if (convergence.mode === 'blocked') {
    const where = convergence.found.map((f) => `${f.kind} on ${f.server}`).join(', ');
    return refuse(
      deps,
      req,
      'exists',
      `Log shipping of ${req.plan.database} is already configured (${where}). SSMS would overwrite it silently; review and run the clean-up script first if it should go, then apply again.`,
      convergence.cleanup,
    );
  }
  const begun = deps.runs.beginRun({
    planId: req.planId,
    stage: req.stage,
    planVersion: req.planVersion,
    reviewId: req.review.id,
    artifactHash: artifacts.hash,
    actor: req.actor,
  });
  if (!begun.ok) {
    const { actor, since, host } = begun.heldBy;
    return refuse(
      deps,
      req,
      'locked',
      `Another apply of this plan is running: started by ${actor} on ${host} at ${since}.`,
    );
  }
  const run = begun.run;
  deps.onBegun?.(run);
  if (convergence.mode === 'resume') {
    deps.runs.addMessage({
      runId: run.id,
      stepId: null,
      kind: 'info',
      server: null,
      number: null,
      state: null,
      severity: null,
      line: null,
      text: `Continuing run ${convergence.fromRunId} of the same reviewed scripts: ${convergence.done.size} completed step(s) are skipped.`,
    });
  }
  const heartbeat = setInterval(() => deps.runs.heartbeat(req.planId, run.id), 10_000);
  try {
    const outcome = await runArtifacts(
      artifacts,
      req,
      deps,
      run,
      convergence.mode === 'resume' ? convergence.done : new Set(),
    );
    deps.runs.finishRun(run.id, outcome.ok ? 'succeeded' : 'failed', outcome.message);
    return {
      status: outcome.ok ? 'succeeded' : 'failed',
      run: deps.runs.getRun(run.id)!,
      message: outcome.message,
    };
  } catch (error) {
    deps.runs.finishRun(run.id, 'interrupted', `Stopped by an unexpected error: ${(error as Error).message}`);
    throw error;
  } finally {
    clearInterval(heartbeat);
  }
}

type BatchRunner = (
  deps: ApplyDeps,
  server: Server,
  batch: SqlBatch,
  opts: RunBatchOptions,
) => Promise<BatchOutcome>;

const runOnce: BatchRunner = (deps, server, batch, opts) => deps.sql.runBatch(server, batch, opts);

// How long a log-shipping job may take before the operator is told it did not finish: a copy of a day's logs over a
// WAN link can take a while, a backup or restore of one log should not.
const JOB_WAIT_MS = 15 * 60_000;
const JOB_POLL_MS = 1_000;

/**
 * Repeats a job-status read until the job's run has finished; the outcome is the run's (a failed job run fails the
 * step with the job's own message). Only the final read's messages are kept, not one per poll.
 */
const pollJobRun: BatchRunner = async (deps, server, batch, opts) => {
  const started = Date.now();
  for (;;) {
    const outcome = await deps.sql.runBatch(server, batch, { ...opts, onMessage: undefined });
    if (outcome.status !== 'succeeded') return outcome;
    const row = outcome.recordsets[0]?.[0];
    const finished =
      row &&
      row.start_execution_date != null &&
      row.stop_execution_date != null &&
      Number(row.is_running) === 0;
    if (finished) {
      const durationMs = Date.now() - started;
      if (Number(row.last_run_status) === 1) return { ...outcome, durationMs };
      const message = `Job ${String(row.job_name)} failed: ${String(row.last_run_message ?? 'no message in its history')}`;
      const error = {
        kind: 'error' as const,
        serverName: server.name,
        number: 0,
        state: 0,
        severity: 16,
        line: 0,
        message,
      };
      opts.onMessage?.(error);
      return { status: 'failed', recordsets: outcome.recordsets, messages: [error], durationMs, error };
    }
    if (Date.now() - started > JOB_WAIT_MS) {
      return {
        status: 'timeout',
        recordsets: outcome.recordsets,
        messages: [],
        durationMs: Date.now() - started,
        detail: `${batch.title} The job did not finish within ${JOB_WAIT_MS / 60_000} minutes.`,
      };
    }
    await new Promise((resolve) => setTimeout(resolve, JOB_POLL_MS));
  }
};

type FailedCheck = { id: string; title: string; detail: string };
type TargetOutcome =
  { ok: true; steps: number; failedChecks: FailedCheck[] } | { ok: false; steps: number; message: string };

/** Runs one target's batches in order; results of successful reads are kept by batch id for the stage's proof. */
async function runSqlTarget(
  target: Extract<TargetArtifact, { language: 'tsql' }>,
  firstSeq: number,
  ctx: {
    req: ApplyRequest;
    deps: ApplyDeps;
    run: RunRecord;
    results: Map<string, SqlRow[][]>;
    perRole: Map<string, Map<string, SqlRow[][]>>;
    done: Set<string>;
  },
  /** Read-only checks go on past a check the server refuses; only a lost server ends them. */
  keepGoing = false,
): Promise<TargetOutcome> {
  const { req, deps, run } = ctx;
  const failedChecks: FailedCheck[] = [];
  const server = req.plan.servers[target.target.role];
  const where = target.target.serverName;
  const note = (stepId: number, kind: string, text: string) =>
    deps.runs.addMessage({
      runId: run.id,
      stepId,
      kind,
      server: where,
      number: null,
      state: null,
      severity: null,
      line: null,
      text,
    });
  let seq = firstSeq;
  for (const batch of target.batches) {
    const step = deps.runs.startStep({
      runId: run.id,
      seq: seq++,
      target: where,
      role: target.target.role,
      language: 'tsql',
      stepKey: batch.id,
      title: batch.title,
      text: batch.sql,
      hash: batch.hash,
    });
    if (ctx.done.has(stepIdentity(where, batch.id, batch.hash))) {
      deps.runs.finishStep(step.id, 'skipped', 0, 'Completed by the earlier run this one continues.');
      continue;
    }
    const outcome: BatchOutcome = await (batch.poll === 'job-run' ? pollJobRun : runOnce)(
      deps,
      server,
      batch,
      {
        // SSMS masks the monitor's login as it masks the password; both are filled in only as the batch is sent.
        secrets: {
          'monitor-password': req.secrets?.monitorPassword,
          'monitor-login':
            req.plan.monitor.enabled && req.plan.monitor.jobAuth.mode === 'sql'
              ? req.plan.monitor.jobAuth.login
              : undefined,
        },
        onMessage: (m) =>
          deps.runs.addMessage({
            runId: run.id,
            stepId: step.id,
            kind: m.kind,
            server: m.serverName,
            number: m.number,
            state: m.state,
            severity: m.severity,
            line: m.line,
            text: m.message,
          }),
        onProgress: (pct) => deps.onProgress?.(run.id, step.id, pct),
      },
    );
    for (const rows of outcome.recordsets) note(step.id, 'result', JSON.stringify(rows, jsonSafe));
    if (outcome.status === 'succeeded') {
      ctx.results.set(batch.id, outcome.recordsets);
      const byRole = ctx.perRole.get(target.target.role) ?? new Map<string, SqlRow[][]>();
      byRole.set(batch.id, outcome.recordsets);
      ctx.perRole.set(target.target.role, byRole);
      deps.runs.finishStep(step.id, 'succeeded', outcome.durationMs);
      continue;
    }
    const detail = outcome.status === 'failed' ? formatServerMessage(outcome.error) : outcome.detail;
    if (outcome.status !== 'failed') note(step.id, 'error', detail);
    deps.runs.finishStep(step.id, 'failed', outcome.durationMs, detail);
    if (keepGoing && outcome.status === 'failed') {
      failedChecks.push({ id: batch.id, title: batch.title, detail });
      continue;
    }
    if (batch.mayFail && outcome.status === 'failed') {
      note(step.id, 'warning', `Going on: ${batch.mayFail}`);
      continue;
    }
    const what = `"${batch.title}" on ${where}`;
    return {
      ok: false,
      steps: seq - firstSeq,
      message:
        outcome.status === 'connection-lost'
          ? `The connection was lost during ${what}; its outcome on the server is unknown. ${detail}`
          : `${what} failed: ${detail}`,
    };
  }
  return { ok: true, steps: seq - firstSeq, failedChecks };
}

async function runShellTarget(
  target: Extract<TargetArtifact, { language: 'powershell' }>,
  firstSeq: number,
  ctx: { deps: ApplyDeps; run: RunRecord; shellOutputs: Map<string, string[]> },
): Promise<TargetOutcome> {
  const { deps, run } = ctx;
  const shell = deps.shell();
  let seq = firstSeq;
  for (const command of target.commands) {
    const step = deps.runs.startStep({
      runId: run.id,
      seq: seq++,
      target: target.target.host,
      role: null,
      language: 'powershell',
      stepKey: command.id,
      title: command.title,
      text: command.script,
      hash: command.hash,
    });
    const outcome: CommandOutcome = await shell.run(command);
    const add = (kind: string, lines: string[]) =>
      lines.forEach((text) =>
        deps.runs.addMessage({
          runId: run.id,
          stepId: step.id,
          kind,
          server: target.target.host,
          number: null,
          state: null,
          severity: null,
          line: null,
          text,
        }),
      );
    add('verbose', outcome.streams.verbose);
    add('warning', outcome.streams.warnings);
    add('information', outcome.streams.information);
    add('output', outcome.streams.output);
    add('error', outcome.streams.errors);
    if (outcome.status === 'succeeded') {
      ctx.shellOutputs.set(command.id, outcome.streams.output);
      deps.runs.finishStep(step.id, 'succeeded', outcome.durationMs);
      continue;
    }
    const detail = outcome.status === 'failed' ? outcome.error : outcome.detail;
    if (outcome.status !== 'failed') add('error', [detail]);
    deps.runs.finishStep(step.id, 'failed', outcome.durationMs, detail);
    return {
      ok: false,
      steps: seq - firstSeq,
      message: `"${command.title}" failed on ${target.target.host}: ${detail}`,
    };
  }
  return { ok: true, steps: seq - firstSeq, failedChecks: [] };
}

// LSNs are decimal(25,0) and arrive as strings or bigints; JSON has no bigint.
function jsonSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

async function runArtifacts(
  artifacts: StageArtifacts,
  req: ApplyRequest,
  deps: ApplyDeps,
  run: RunRecord,
  done: Set<string>,
): Promise<{ ok: boolean; message: string }> {
  const ctx = {
    done,
    req,
    deps,
    run,
    results: new Map<string, SqlRow[][]>(),
    perRole: new Map<string, Map<string, SqlRow[][]>>(),
    shellOutputs: new Map<string, string[]>(),
  };
  const runTarget = (target: TargetArtifact, firstSeq: number, keepGoing = false) =>
    target.language === 'tsql'
      ? runSqlTarget(target, firstSeq, ctx, keepGoing)
      : runShellTarget(target, firstSeq, ctx);

  if (artifacts.stage === 'preflight') {
    // Read-only on four independent instances: in parallel, and an unreachable one is a finding, not the end.
    const outcomes = await Promise.all(artifacts.targets.map((t, i) => runTarget(t, i * 1000, true)));
    const readings = Object.fromEntries(
      artifacts.targets.map((t, i) => {
        const role = t.target.kind === 'sql' ? t.target.role : 'primary';
        const outcome = outcomes[i]!;
        const results = new Map(
          [...(ctx.perRole.get(role) ?? new Map<string, SqlRow[][]>())].map(([id, sets]) => [
            id,
            sets[sets.length - 1] ?? [],
          ]),
        );
        return [
          role,
          outcome.ok
            ? { ok: true, results, failedChecks: outcome.failedChecks }
            : { ok: false, error: outcome.message },
        ];
      }),
    ) as Record<ServerRole, InstanceReading>;
    const findings = preflightFindings(req.plan, readings);
    for (const f of findings) {
      deps.runs.addMessage({
        runId: run.id,
        stepId: null,
        kind: 'finding',
        server: f.server,
        number: null,
        state: null,
        severity: null,
        line: null,
        text: JSON.stringify(f),
      });
    }
    const errors = findings.filter((f) => f.severity === 'error').length;
    const warnings = findings.filter((f) => f.severity === 'warning').length;
    return {
      ok: errors === 0,
      message:
        errors === 0
          ? `Preflight: every instance is ready${warnings ? ` (${warnings} warning${warnings > 1 ? 's' : ''})` : ''}.`
          : `Preflight found ${errors} problem${errors > 1 ? 's' : ''} to fix before ship-primary.`,
    };
  }

  let seq = 0;
  for (const target of artifacts.targets) {
    const outcome = await runTarget(target, seq);
    seq += outcome.steps;
    if (!outcome.ok) return { ok: false, message: outcome.message };
  }
  const proof =
    artifacts.stage === 'topology'
      ? proveTopology(req.plan, ctx.shellOutputs)
      : artifacts.stage === 'dr-failover' || artifacts.stage === 'dr-failback'
        ? proveRunbook(req.plan, artifacts.stage, ctx.results, ctx.shellOutputs)
        : proveStage(artifacts.stage, ctx.results, ctx.shellOutputs);
  return { ok: proof.ok, message: `${artifacts.stage}: ${seq} steps applied. ${proof.message}`.trim() };
}

/** A stage's own proof, from what its read steps returned (verify: the backup store restored a newer log). */
export function proveStage(
  stage: StageId,
  results: Map<string, SqlRow[][]>,
  shellOutputs: Map<string, string[]> = new Map(),
): { ok: boolean; message: string } {
  if (stage === 'failover-to-mirror' || stage === 'failback-to-primary')
    return proveMirrorState(stage, shellOutputs);
  // ship-mirror ends with the same proof as verify, taken while the mirror is principal.
  if (stage !== 'verify' && stage !== 'ship-mirror') return { ok: true, message: '' };
  const lsn = (key: string) => {
    const value = results.get(key)?.[0]?.[0]?.last_lsn;
    return value === undefined || value === null ? undefined : BigInt(String(value));
  };
  const before = lsn('restored-lsn-before');
  const after = lsn('restored-lsn-after');
  if (after === undefined)
    return { ok: false, message: 'No restore is recorded on the backup store: logs are not shipping.' };
  if (before !== undefined && after <= before) {
    return {
      ok: false,
      message: `The backup store's restored LSN did not move (${before}): the last log was not restored.`,
    };
  }
  return {
    ok: true,
    message: `Proof: the backup store's restored LSN moved from ${before ?? 'none'} to ${after}.`,
  };
}

/** The published topology must hold the plan's servers in the same roles (Topology Builder is the source of truth). */
function proveTopology(plan: Plan, outputs: Map<string, string[]>): { ok: boolean; message: string } {
  let comparison;
  try {
    comparison = compareTopology(plan, outputs);
  } catch (error) {
    return { ok: false, message: `Get-CsService returned something unexpected: ${(error as Error).message}` };
  }
  if (!comparison.found)
    return {
      ok: false,
      message: `The topology has no Persistent Chat pool ${plan.pool.fqdn}: publish it with Topology Builder, or correct the pool FQDN.`,
    };
  const wrong = comparison.comparisons.filter((c) => !c.matches);
  if (wrong.length > 0) {
    const detail = wrong
      .map((c) => `${c.role}: plan ${c.planned}, topology ${c.published ?? 'none'}`)
      .join('; ');
    return {
      ok: false,
      message: `The plan's servers differ from the published topology (${detail}). Correct the plan or the topology.`,
    };
  }
  return {
    ok: true,
    message: `Proof: the published topology of ${plan.pool.fqdn} has the plan's four stores in the same roles.`,
  };
}

/** After a failover, Get-CsDatabaseMirrorState must show the new principal where asked, and mirroring synchronised. */
function proveMirrorState(
  stage: 'failover-to-mirror' | 'failback-to-primary',
  outputs: Map<string, string[]>,
): { ok: boolean; message: string } {
  const expected = stage === 'failover-to-mirror' ? 'Mirror' : 'Primary';
  const problems: string[] = [];
  const databases: string[] = [];
  for (const [id, lines] of outputs) {
    if (!id.startsWith('mirror-state-')) continue;
    const database = id.slice('mirror-state-'.length);
    databases.push(database);
    try {
      problems.push(...mirrorStateProblems(parseMirrorState(lines.join('\n')), database, expected));
    } catch (error) {
      problems.push(
        `Get-CsDatabaseMirrorState for ${database} returned something unexpected: ${(error as Error).message}`,
      );
    }
  }
  if (databases.length === 0)
    return {
      ok: false,
      message: 'Get-CsDatabaseMirrorState returned nothing: the failover cannot be confirmed.',
    };
  if (problems.length > 0) return { ok: false, message: `After the failover: ${problems.join(' ')}` };
  return {
    ok: true,
    message: `Proof: ${databases.join(' and ')} now principal on the ${expected.toLowerCase()}, synchronised.`,
  };
}
