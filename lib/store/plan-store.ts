import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { PlanInput } from '@/lib/plan/schema';
import { type SetupStageId, setupStageIds } from '@/lib/stages/ids';
import { migrate } from './migrations';

export const stageStates = [
  'not-started',
  'reviewed',
  'applying',
  'applied',
  'failed',
  'interrupted',
] as const;
export type StageState = (typeof stageStates)[number];

export interface PlanRecord {
  id: string;
  name: string;
  /** What the operator has answered so far; may not be a valid plan yet. */
  draft: PlanInput;
  /** Bumped on every save, so a review or an apply can tell the plan changed under it. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface StageStateRecord {
  stage: SetupStageId;
  state: StageState;
  /** Hash of the artifacts the state refers to (the reviewed or applied scripts). */
  hash: string | null;
  planVersion: number | null;
  updatedAt: string;
}

export type EventKind =
  | 'plan-created'
  | 'plan-saved'
  | 'plan-imported'
  | 'plan-exported'
  | 'plan-deleted'
  | 'review-generated'
  | 'scripts-downloaded';

export interface EventRecord {
  id: number;
  planId: string | null;
  kind: EventKind;
  detail: Record<string, unknown>;
  at: string;
}

// Keys that could carry a credential. The plan schema has none, but drafts are saved before validation, so whatever a
// client posts is scrubbed here: the store must never hold a password, even by accident.
const secretKey = /pass(word)?|pwd|secret|token|credential/i;

/** A deep copy of a value with every secret-looking key removed. */
export function withoutSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => withoutSecrets(v)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([key]) => !secretKey.test(key))
        .map(([key, v]) => [key, withoutSecrets(v)]),
    ) as T;
  }
  return value;
}

interface PlanRow {
  id: string;
  name: string;
  draft: string;
  version: number;
  created_at: string;
  updated_at: string;
}

function toPlan(row: PlanRow): PlanRecord {
  return {
    id: row.id,
    name: row.name,
    draft: JSON.parse(row.draft) as PlanInput,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function draftName(draft: PlanInput, fallback: string): string {
  return typeof draft.name === 'string' && draft.name.trim() ? draft.name.trim().slice(0, 100) : fallback;
}

/** The record of plans, stage states and events in one SQLite file (WAL, migrated on open). */
export class PlanStore {
  readonly db: Database.Database;
  private readonly now: () => Date;

  constructor(file: string, options: { now?: () => Date } = {}) {
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.now = options.now ?? (() => new Date());
    migrate(this.db);
  }

  close(): void {
    this.db.close();
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  /** Creates a plan from a (possibly incomplete) draft and records it. */
  createPlan(draft: PlanInput, how: 'created' | 'imported' = 'created'): PlanRecord {
    const id = randomUUID();
    const at = this.stamp();
    const clean = withoutSecrets(draft);
    this.db.transaction(() => {
      this.db
        .prepare(
          'INSERT INTO plans (id, name, draft, version, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)',
        )
        .run(id, draftName(clean, 'Untitled plan'), JSON.stringify(clean), at, at);
      this.appendEvent(id, how === 'created' ? 'plan-created' : 'plan-imported', { version: 1 });
    })();
    return this.getPlan(id)!;
  }

  /** Every plan, most recently changed first. */
  listPlans(): PlanRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM plans ORDER BY updated_at DESC, rowid DESC')
      .all() as PlanRow[];
    return rows.map(toPlan);
  }

  getPlan(id: string): PlanRecord | undefined {
    const row = this.db.prepare('SELECT * FROM plans WHERE id = ?').get(id) as PlanRow | undefined;
    return row ? toPlan(row) : undefined;
  }

  /**
   * Replaces a plan's draft, bumps its version and marks its reviewed stages as not started again: a review approves
   * the scripts of one plan version, and this one is gone. Saving the same draft again changes nothing. An autosaved
   * `draft` is not an event of its own (the record would fill with keystrokes); `saved` and `imported` are. Returns
   * undefined when the plan does not exist.
   */
  saveDraft(
    id: string,
    draft: PlanInput,
    how: 'saved' | 'imported' | 'draft' = 'saved',
    detail: Record<string, unknown> = {},
  ): PlanRecord | undefined {
    const clean = withoutSecrets(draft);
    const at = this.stamp();
    const saved = this.db.transaction(() => {
      const current = this.getPlan(id);
      if (!current) return false;
      if (JSON.stringify(current.draft) === JSON.stringify(clean)) {
        if (how !== 'draft')
          this.appendEvent(id, how === 'saved' ? 'plan-saved' : 'plan-imported', {
            version: current.version,
            ...detail,
          });
        return true;
      }
      const version = current.version + 1;
      this.db
        .prepare('UPDATE plans SET name = ?, draft = ?, version = ?, updated_at = ? WHERE id = ?')
        .run(draftName(clean, current.name), JSON.stringify(clean), version, at, id);
      this.db
        .prepare(
          `UPDATE stage_states SET state = 'not-started', updated_at = ? WHERE plan_id = ? AND state = 'reviewed'`,
        )
        .run(at, id);
      if (how !== 'draft')
        this.appendEvent(id, how === 'saved' ? 'plan-saved' : 'plan-imported', { version, ...detail });
      return true;
    })();
    return saved ? this.getPlan(id) : undefined;
  }

  /** Deletes a plan and its stage states; its events stay, as history. */
  deletePlan(id: string): boolean {
    return this.db.transaction(() => {
      const plan = this.getPlan(id);
      if (!plan) return false;
      this.db.prepare('DELETE FROM plans WHERE id = ?').run(id);
      this.appendEvent(id, 'plan-deleted', { name: plan.name, version: plan.version });
      return true;
    })();
  }

  /** The state of every setup stage of a plan, in flow order (`not-started` when never recorded). */
  getStageStates(planId: string): StageStateRecord[] {
    const rows = this.db
      .prepare('SELECT stage, state, hash, plan_version, updated_at FROM stage_states WHERE plan_id = ?')
      .all(planId) as {
      stage: string;
      state: StageState;
      hash: string | null;
      plan_version: number | null;
      updated_at: string;
    }[];
    const byStage = new Map(rows.map((r) => [r.stage, r]));
    return setupStageIds.map((stage) => {
      const row = byStage.get(stage);
      return row
        ? {
            stage,
            state: row.state,
            hash: row.hash,
            planVersion: row.plan_version,
            updatedAt: row.updated_at,
          }
        : { stage, state: 'not-started', hash: null, planVersion: null, updatedAt: '' };
    });
  }

  setStageState(
    planId: string,
    stage: SetupStageId,
    state: StageState,
    hash: string | null,
    planVersion: number,
  ): void {
    this.db
      .prepare(
        `INSERT INTO stage_states (plan_id, stage, state, hash, plan_version, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (plan_id, stage) DO UPDATE SET state = excluded.state, hash = excluded.hash,
           plan_version = excluded.plan_version, updated_at = excluded.updated_at`,
      )
      .run(planId, stage, state, hash, planVersion, this.stamp());
  }

  /**
   * Records that a stage's scripts were generated and shown for review. A stage already past review (applying,
   * applied, failed, interrupted) keeps its state: seeing the scripts again does not undo what ran. Returns whether
   * anything was recorded.
   */
  recordReview(planId: string, stage: SetupStageId, hash: string, planVersion: number): boolean {
    return this.db.transaction(() => {
      const current = this.getStageStates(planId).find((s) => s.stage === stage);
      const unchanged =
        current?.state === 'reviewed' && current.hash === hash && current.planVersion === planVersion;
      if (unchanged) return false;
      if (current && current.state !== 'not-started' && current.state !== 'reviewed') return false;
      this.setStageState(planId, stage, 'reviewed', hash, planVersion);
      this.appendEvent(planId, 'review-generated', { stage, hash, version: planVersion });
      return true;
    })();
  }

  appendEvent(planId: string | null, kind: EventKind, detail: Record<string, unknown> = {}): void {
    this.db
      .prepare('INSERT INTO events (plan_id, kind, detail, at) VALUES (?, ?, ?, ?)')
      .run(planId, kind, JSON.stringify(withoutSecrets(detail)), this.stamp());
  }

  /** A plan's events, oldest first. */
  listEvents(planId: string): EventRecord[] {
    const rows = this.db.prepare('SELECT * FROM events WHERE plan_id = ? ORDER BY id').all(planId) as {
      id: number;
      plan_id: string | null;
      kind: EventKind;
      detail: string;
      at: string;
    }[];
    return rows.map((r) => ({
      id: r.id,
      planId: r.plan_id,
      kind: r.kind,
      detail: JSON.parse(r.detail) as Record<string, unknown>,
      at: r.at,
    }));
  }
}
