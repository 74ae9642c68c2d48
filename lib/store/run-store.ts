import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type Database from 'better-sqlite3';
import type { StageId } from '@/lib/stages/ids';

/** Schema of the apply record; appended to the store's numbered migrations. */
export const runMigration = {
  version: 2,
  name: 'reviews, runs, steps, messages and the apply lock',
  sql: `
    CREATE TABLE reviews (
      id TEXT PRIMARY KEY,
      plan_id TEXT NOT NULL,
      stage TEXT NOT NULL,
      plan_version INTEGER NOT NULL,
      generated_for TEXT NOT NULL,
      artifact_hash TEXT NOT NULL,
      live_fingerprint TEXT,
      actor TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE INDEX reviews_by_stage ON reviews (plan_id, stage, created_at);
    CREATE TABLE runs (
      id TEXT PRIMARY KEY,
      plan_id TEXT NOT NULL,
      stage TEXT NOT NULL,
      plan_version INTEGER NOT NULL,
      review_id TEXT,
      artifact_hash TEXT NOT NULL,
      actor TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted', 'refused')),
      owner_pid INTEGER NOT NULL,
      owner_host TEXT NOT NULL,
      started_at TEXT NOT NULL,
      ended_at TEXT,
      summary TEXT
    );
    CREATE INDEX runs_by_plan ON runs (plan_id, started_at);
    CREATE TABLE run_steps (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      run_id TEXT NOT NULL REFERENCES runs(id),
      seq INTEGER NOT NULL,
      target TEXT NOT NULL,
      role TEXT,
      language TEXT NOT NULL,
      step_key TEXT NOT NULL,
      title TEXT NOT NULL,
      text TEXT NOT NULL,
      hash TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted', 'skipped')),
      detail TEXT,
      started_at TEXT NOT NULL,
      ended_at TEXT,
      duration_ms INTEGER
    );
    CREATE INDEX run_steps_by_run ON run_steps (run_id, seq);
    CREATE TABLE run_messages (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      run_id TEXT NOT NULL REFERENCES runs(id),
      step_id INTEGER REFERENCES run_steps(id),
      at TEXT NOT NULL,
      kind TEXT NOT NULL,
      server TEXT,
      number INTEGER,
      state INTEGER,
      severity INTEGER,
      line INTEGER,
      text TEXT NOT NULL
    );
    CREATE INDEX run_messages_by_run ON run_messages (run_id, id);
    CREATE TABLE apply_locks (
      plan_id TEXT PRIMARY KEY,
      run_id TEXT NOT NULL,
      actor TEXT NOT NULL,
      pid INTEGER NOT NULL,
      host TEXT NOT NULL,
      since TEXT NOT NULL,
      heartbeat_at TEXT NOT NULL
    );
  `,
};

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'interrupted' | 'refused';
export type StepStatus = 'running' | 'succeeded' | 'failed' | 'interrupted' | 'skipped';

export interface ReviewRecord {
  id: string;
  planId: string;
  stage: StageId;
  planVersion: number;
  generatedFor: string;
  artifactHash: string;
  liveFingerprint: string | null;
  actor: string;
  createdAt: string;
}

export interface RunRecord {
  id: string;
  planId: string;
  stage: StageId;
  planVersion: number;
  reviewId: string | null;
  artifactHash: string;
  actor: string;
  status: RunStatus;
  ownerPid: number;
  ownerHost: string;
  startedAt: string;
  endedAt: string | null;
  summary: string | null;
}

export interface StepRecord {
  id: number;
  runId: string;
  seq: number;
  target: string;
  role: string | null;
  language: 'tsql' | 'powershell' | 'check';
  stepKey: string;
  title: string;
  text: string;
  hash: string;
  status: StepStatus;
  detail: string | null;
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
}

export interface MessageRecord {
  id: number;
  runId: string;
  stepId: number | null;
  at: string;
  kind: string;
  server: string | null;
  number: number | null;
  state: number | null;
  severity: number | null;
  line: number | null;
  text: string;
}

export interface LockRecord {
  planId: string;
  runId: string;
  actor: string;
  pid: number;
  host: string;
  since: string;
  heartbeatAt: string;
}

// A lock whose holder stopped refreshing it for this long is abandoned (the server died without releasing it).
const LOCK_STALE_MS = 60_000;

const camel = (row: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]),
  );

/** True when a process with this pid runs on this host (signal 0 checks without touching it). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The apply record: reviews, runs with every step and message as they happen, and the one-apply-at-a-time lock. */
export type RunEvent =
  | { type: 'step-started'; step: StepRecord }
  | { type: 'step-finished'; stepId: number; runId: string; status: StepStatus; durationMs: number; detail?: string }
  | { type: 'message'; message: MessageRecord };

export class RunStore {
  private readonly host = os.hostname();
  private readonly listeners = new Set<(event: RunEvent) => void>();

  /** Live feed of what is recorded (for a terminal or a page watching a run); returns the unsubscribe function. */
  subscribe(listener: (event: RunEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: RunEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private stamp(): string {
    return this.now().toISOString();
  }

  recordReview(r: Omit<ReviewRecord, 'id' | 'createdAt'>): ReviewRecord {
    const record: ReviewRecord = { ...r, id: randomUUID(), createdAt: this.stamp() };
    this.db
      .prepare(
        `INSERT INTO reviews (id, plan_id, stage, plan_version, generated_for, artifact_hash, live_fingerprint, actor, created_at)
         VALUES (@id, @planId, @stage, @planVersion, @generatedFor, @artifactHash, @liveFingerprint, @actor, @createdAt)`,
      )
      .run(record);
    return record;
  }

  getReview(id: string): ReviewRecord | undefined {
    const row = this.db.prepare('SELECT * FROM reviews WHERE id = ?').get(id) as
      Record<string, unknown> | undefined;
    return row ? (camel(row) as unknown as ReviewRecord) : undefined;
  }

  /** The newest review of a stage of a plan. */
  latestReview(planId: string, stage: StageId): ReviewRecord | undefined {
    const row = this.db
      .prepare(
        'SELECT * FROM reviews WHERE plan_id = ? AND stage = ? ORDER BY created_at DESC, rowid DESC LIMIT 1',
      )
      .get(planId, stage) as Record<string, unknown> | undefined;
    return row ? (camel(row) as unknown as ReviewRecord) : undefined;
  }

  /**
   * Takes the plan's apply lock for a new run, or says who holds it. A lock left by a dead process (same host, pid
   * gone) or not refreshed for a minute is taken over, and the run it guarded is marked interrupted.
   */
  beginRun(
    r: Pick<RunRecord, 'planId' | 'stage' | 'planVersion' | 'reviewId' | 'artifactHash' | 'actor'>,
  ): { ok: true; run: RunRecord } | { ok: false; heldBy: LockRecord } {
    return this.db.transaction(() => {
      const lock = this.getLock(r.planId);
      if (lock) {
        if (!this.lockAbandoned(lock)) return { ok: false as const, heldBy: lock };
        this.markInterrupted(
          lock.runId,
          `The server applying this stage stopped (pid ${lock.pid} on ${lock.host}).`,
        );
        this.db.prepare('DELETE FROM apply_locks WHERE plan_id = ?').run(r.planId);
      }
      const at = this.stamp();
      const run: RunRecord = {
        ...r,
        id: randomUUID(),
        status: 'running',
        ownerPid: process.pid,
        ownerHost: this.host,
        startedAt: at,
        endedAt: null,
        summary: null,
      };
      this.db
        .prepare(
          `INSERT INTO runs (id, plan_id, stage, plan_version, review_id, artifact_hash, actor, status, owner_pid, owner_host, started_at)
           VALUES (@id, @planId, @stage, @planVersion, @reviewId, @artifactHash, @actor, @status, @ownerPid, @ownerHost, @startedAt)`,
        )
        .run(run);
      this.db
        .prepare(
          'INSERT INTO apply_locks (plan_id, run_id, actor, pid, host, since, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(r.planId, run.id, r.actor, process.pid, this.host, at, at);
      return { ok: true as const, run };
    })();
  }

  /** Records a refused apply (stale review, changed state, lock held) so the history shows the attempt and why. */
  recordRefusal(
    r: Pick<RunRecord, 'planId' | 'stage' | 'planVersion' | 'reviewId' | 'artifactHash' | 'actor'>,
    why: string,
  ): RunRecord {
    const at = this.stamp();
    const run: RunRecord = {
      ...r,
      id: randomUUID(),
      status: 'refused',
      ownerPid: process.pid,
      ownerHost: this.host,
      startedAt: at,
      endedAt: at,
      summary: why,
    };
    this.db
      .prepare(
        `INSERT INTO runs (id, plan_id, stage, plan_version, review_id, artifact_hash, actor, status, owner_pid, owner_host, started_at, ended_at, summary)
         VALUES (@id, @planId, @stage, @planVersion, @reviewId, @artifactHash, @actor, @status, @ownerPid, @ownerHost, @startedAt, @endedAt, @summary)`,
      )
      .run(run);
    return run;
  }

  heartbeat(planId: string, runId: string): void {
    this.db
      .prepare('UPDATE apply_locks SET heartbeat_at = ? WHERE plan_id = ? AND run_id = ?')
      .run(this.stamp(), planId, runId);
  }

  finishRun(runId: string, status: Exclude<RunStatus, 'running' | 'refused'>, summary: string): void {
    this.db.transaction(() => {
      this.db
        .prepare(`UPDATE runs SET status = ?, ended_at = ?, summary = ? WHERE id = ? AND status = 'running'`)
        .run(status, this.stamp(), summary, runId);
      this.db.prepare('DELETE FROM apply_locks WHERE run_id = ?').run(runId);
    })();
  }

  startStep(
    s: Pick<
      StepRecord,
      'runId' | 'seq' | 'target' | 'role' | 'language' | 'stepKey' | 'title' | 'text' | 'hash'
    >,
  ): StepRecord {
    const at = this.stamp();
    const info = this.db
      .prepare(
        `INSERT INTO run_steps (run_id, seq, target, role, language, step_key, title, text, hash, status, started_at)
         VALUES (@runId, @seq, @target, @role, @language, @stepKey, @title, @text, @hash, 'running', @startedAt)`,
      )
      .run({ ...s, startedAt: at });
    return {
      ...s,
      id: Number(info.lastInsertRowid),
      status: 'running',
      detail: null,
      startedAt: at,
      endedAt: null,
      durationMs: null,
    };
  }

  finishStep(
    stepId: number,
    status: Exclude<StepStatus, 'running'>,
    durationMs: number,
    detail?: string,
  ): void {
    this.db
      .prepare('UPDATE run_steps SET status = ?, ended_at = ?, duration_ms = ?, detail = ? WHERE id = ?')
      .run(status, this.stamp(), durationMs, detail ?? null, stepId);
    const row = this.db.prepare('SELECT run_id FROM run_steps WHERE id = ?').get(stepId) as { run_id: string } | undefined;
    this.emit({ type: 'step-finished', stepId, runId: row?.run_id ?? '', status, durationMs, ...(detail ? { detail } : {}) });
  }

  addMessage(m: Omit<MessageRecord, 'id' | 'at'>): MessageRecord {
    const at = this.stamp();
    const info = this.db
      .prepare(
        `INSERT INTO run_messages (run_id, step_id, at, kind, server, number, state, severity, line, text)
         VALUES (@runId, @stepId, @at, @kind, @server, @number, @state, @severity, @line, @text)`,
      )
      .run({ ...m, at });
    const message: MessageRecord = { ...m, id: Number(info.lastInsertRowid), at };
    this.emit({ type: 'message', message });
    return message;
  }

  getRun(id: string): RunRecord | undefined {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as
      Record<string, unknown> | undefined;
    return row ? (camel(row) as unknown as RunRecord) : undefined;
  }

  listRuns(planId?: string): RunRecord[] {
    const rows = (
      planId
        ? this.db
            .prepare('SELECT * FROM runs WHERE plan_id = ? ORDER BY started_at DESC, rowid DESC')
            .all(planId)
        : this.db.prepare('SELECT * FROM runs ORDER BY started_at DESC, rowid DESC').all()
    ) as Record<string, unknown>[];
    return rows.map((r) => camel(r) as unknown as RunRecord);
  }

  steps(runId: string): StepRecord[] {
    return (
      this.db.prepare('SELECT * FROM run_steps WHERE run_id = ? ORDER BY seq, id').all(runId) as Record<
        string,
        unknown
      >[]
    ).map((r) => camel(r) as unknown as StepRecord);
  }

  messages(runId: string, afterId = 0): MessageRecord[] {
    return (
      this.db
        .prepare('SELECT * FROM run_messages WHERE run_id = ? AND id > ? ORDER BY id')
        .all(runId, afterId) as Record<string, unknown>[]
    ).map((r) => camel(r) as unknown as MessageRecord);
  }

  getLock(planId: string): LockRecord | undefined {
    const row = this.db.prepare('SELECT * FROM apply_locks WHERE plan_id = ?').get(planId) as
      Record<string, unknown> | undefined;
    return row ? (camel(row) as unknown as LockRecord) : undefined;
  }

  private lockAbandoned(lock: LockRecord): boolean {
    if (lock.host === this.host && lock.pid !== process.pid && !processAlive(lock.pid)) return true;
    return this.now().getTime() - Date.parse(lock.heartbeatAt) > LOCK_STALE_MS;
  }

  private markInterrupted(runId: string, why: string): void {
    const at = this.stamp();
    this.db
      .prepare(
        `UPDATE run_steps SET status = 'interrupted', ended_at = ? WHERE run_id = ? AND status = 'running'`,
      )
      .run(at, runId);
    this.db
      .prepare(
        `UPDATE runs SET status = 'interrupted', ended_at = ?, summary = ? WHERE id = ? AND status = 'running'`,
      )
      .run(at, why, runId);
  }

  /**
   * After a restart: every run still marked running whose owner process is gone is shown as interrupted, with all it
   * recorded up to the stop. Returns the runs it marked.
   */
  recoverInterrupted(): RunRecord[] {
    const running = this.listRuns().filter((r) => r.status === 'running');
    const dead = running.filter((r) =>
      r.ownerHost === this.host ? r.ownerPid !== process.pid && !processAlive(r.ownerPid) : false,
    );
    this.db.transaction(() => {
      for (const r of dead) {
        this.markInterrupted(
          r.id,
          `The server applying this stage stopped (pid ${r.ownerPid} on ${r.ownerHost}) before it finished.`,
        );
        this.db.prepare('DELETE FROM apply_locks WHERE run_id = ?').run(r.id);
      }
    })();
    return dead.map((r) => this.getRun(r.id)!);
  }
}
