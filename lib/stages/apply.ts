import 'server-only';
import type { Plan, Server } from '@/lib/plan/schema';
import { contentHash } from '@/lib/sql/hash';
import type { BatchOutcome, SqlExecutor, SqlRow } from '@/lib/sql/execute';
import { liveStateQuery } from '@/lib/sql/live-state';
import { formatServerMessage } from '@/lib/sql/messages';
import type { CommandOutcome, ShellExecutor } from '@/lib/shell/execute';
import type { RunRecord, RunStore } from '@/lib/store/run-store';
import type { StageArtifacts } from './artifact';
import { generateStage } from './generate';
import { type ServerRole, type SetupStageId, serverRoles } from './ids';

/** What the operator approved: the review an apply must match. */
export interface ApprovedReview {
  id: string;
  planVersion: number;
  generatedFor: string;
  artifactHash: string;
  liveFingerprint: string | null;
}

export interface ApplyRequest {
  planId: string;
  planVersion: number;
  plan: Plan;
  stage: SetupStageId;
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
}

export type ApplyResult =
  | { status: 'refused'; reason: 'plan-changed' | 'state-changed' | 'locked' | 'artifact-changed'; message: string; run: RunRecord }
  | { status: 'succeeded' | 'failed' | 'interrupted'; run: RunRecord; message: string };

/** The servers a stage reads to know whether the world it was reviewed against still holds. */
function stateServers(plan: Plan): { role: ServerRole; server: Server }[] {
  return serverRoles.map((role) => ({ role, server: plan.servers[role] }));
}

/**
 * Reads the live state a review is based on from every instance, in parallel, and reduces it to a fingerprint.
 * An unreachable instance is part of the state (it may come back).
 */
export async function readLiveFingerprint(plan: Plan, sql: SqlExecutor): Promise<{ fingerprint: string; state: Record<string, unknown> }> {
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
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'string' ? v.toUpperCase() : v]));
}

function refuse(deps: ApplyDeps, req: ApplyRequest, reason: Extract<ApplyResult, { status: 'refused' }>['reason'], message: string): ApplyResult {
  const run = deps.runs.recordRefusal(
    { planId: req.planId, stage: req.stage, planVersion: req.planVersion, reviewId: req.review.id, artifactHash: req.review.artifactHash, actor: req.actor },
    message,
  );
  return { status: 'refused', reason, message, run };
}

/**
 * Applies exactly the reviewed artifacts of one stage: refuses a stale review, holds the plan's lock, runs every batch
 * and command in order, and records each step and message as it happens so that a crash loses nothing.
 */
export async function applyStage(req: ApplyRequest, deps: ApplyDeps): Promise<ApplyResult> {
  if (req.planVersion !== req.review.planVersion) {
    return refuse(deps, req, 'plan-changed', `The plan changed after this stage was reviewed (version ${req.review.planVersion}, now ${req.planVersion}). Review it again.`);
  }
  const artifacts = generateStage(req.plan, req.stage, new Date(`${req.review.generatedFor}T00:00:00Z`));
  if (artifacts.hash !== req.review.artifactHash) {
    return refuse(deps, req, 'artifact-changed', 'The scripts to run differ from the reviewed ones. Review the stage again.');
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
    return refuse(deps, req, 'locked', `Another apply of this plan is running: started by ${actor} on ${host} at ${since}.`);
  }
  const run = begun.run;
  const heartbeat = setInterval(() => deps.runs.heartbeat(req.planId, run.id), 10_000);
  try {
    const outcome = await runArtifacts(artifacts, req, deps, run);
    deps.runs.finishRun(run.id, outcome.ok ? 'succeeded' : 'failed', outcome.message);
    return { status: outcome.ok ? 'succeeded' : 'failed', run: deps.runs.getRun(run.id)!, message: outcome.message };
  } catch (error) {
    deps.runs.finishRun(run.id, 'interrupted', `Stopped by an unexpected error: ${(error as Error).message}`);
    throw error;
  } finally {
    clearInterval(heartbeat);
  }
}

async function runArtifacts(artifacts: StageArtifacts, req: ApplyRequest, deps: ApplyDeps, run: RunRecord): Promise<{ ok: boolean; message: string }> {
  let seq = 0;
  for (const target of artifacts.targets) {
    if (target.language === 'tsql') {
      const server = req.plan.servers[target.target.role];
      for (const batch of target.batches) {
        const step = deps.runs.startStep({
          runId: run.id,
          seq: seq++,
          target: target.target.serverName,
          role: target.target.role,
          language: 'tsql',
          stepKey: batch.id,
          title: batch.title,
          text: batch.sql,
          hash: batch.hash,
        });
        const outcome: BatchOutcome = await deps.sql.runBatch(server, batch, {
          secrets: { 'monitor-password': req.secrets?.monitorPassword },
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
        });
        if (outcome.status === 'succeeded') {
          deps.runs.finishStep(step.id, 'succeeded', outcome.durationMs);
          continue;
        }
        const detail = outcome.status === 'failed' ? formatServerMessage(outcome.error) : outcome.detail;
        if (outcome.status !== 'failed') {
          deps.runs.addMessage({ runId: run.id, stepId: step.id, kind: 'error', server: target.target.serverName, number: null, state: null, severity: null, line: null, text: detail });
        }
        deps.runs.finishStep(step.id, 'failed', outcome.durationMs, detail);
        const where = `"${batch.title}" on ${target.target.serverName}`;
        return { ok: false, message: outcome.status === 'connection-lost' ? `The connection was lost during ${where}; its outcome on the server is unknown. ${detail}` : `${where} failed: ${detail}` };
      }
    } else {
      const shell = deps.shell();
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
        const streams = outcome.streams;
        const add = (kind: string, lines: string[]) =>
          lines.forEach((text) => deps.runs.addMessage({ runId: run.id, stepId: step.id, kind, server: target.target.host, number: null, state: null, severity: null, line: null, text }));
        add('verbose', streams.verbose);
        add('warning', streams.warnings);
        add('information', streams.information);
        add('output', streams.output);
        add('error', streams.errors);
        if (outcome.status === 'succeeded') {
          deps.runs.finishStep(step.id, 'succeeded', outcome.durationMs);
          continue;
        }
        const detail = outcome.status === 'failed' ? outcome.error : outcome.detail;
        if (outcome.status !== 'failed') add('error', [detail]);
        deps.runs.finishStep(step.id, 'failed', outcome.durationMs, detail);
        return { ok: false, message: `"${command.title}" failed on ${target.target.host}: ${detail}` };
      }
    }
  }
  return { ok: true, message: `${artifacts.stage}: ${seq} steps applied.` };
}
