import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyPlan, labPlan } from '@/lib/plan/defaults';
import type { PlanInput } from '@/lib/plan/schema';
import { migrations } from './migrations';
import { PlanStore, withoutSecrets } from './plan-store';

let dir: string;
let file: string;
let store: PlanStore;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pchat-store-'));
  file = path.join(dir, 'nested', 'store.sqlite');
  store = new PlanStore(file);
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('PlanStore', () => {
  it('opens in WAL mode with every migration recorded', () => {
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    const versions = store.db.prepare('SELECT version FROM migrations ORDER BY version').all() as {
      version: number;
    }[];
    expect(versions.map((v) => v.version)).toEqual(migrations.map((m) => m.version));
  });

  it('keeps several plans side by side and survives reopening the file', () => {
    const a = store.createPlan(labPlan());
    const b = store.createPlan(emptyPlan('Second'));
    store.close();
    store = new PlanStore(file);
    const names = store.listPlans().map((p) => p.name);
    expect(names.sort()).toEqual(['Lab rehearsal', 'Second']);
    expect(store.getPlan(a.id)?.draft).toEqual(labPlan());
    expect(store.getPlan(b.id)?.draft).toEqual(emptyPlan('Second'));
  });

  it('saves an incomplete draft as it is and bumps the version on each save', () => {
    const plan = store.createPlan(emptyPlan());
    const partial = { ...emptyPlan('Renamed'), pool: { fqdn: 'not a fqdn', compliance: true } } as PlanInput;
    const saved = store.saveDraft(plan.id, partial);
    expect(saved?.version).toBe(2);
    expect(saved?.name).toBe('Renamed');
    expect(saved?.draft.pool).toEqual({ fqdn: 'not a fqdn', compliance: true });
    expect(store.saveDraft(plan.id, partial)?.version).toBe(2);
    expect(store.saveDraft(plan.id, { ...partial, name: 'Again' }, 'draft')?.version).toBe(3);
    expect(store.listEvents(plan.id).map((e) => e.kind)).toEqual([
      'plan-created',
      'plan-saved',
      'plan-saved',
    ]);
    expect(store.saveDraft('no-such-plan', partial)).toBeUndefined();
  });

  it('never stores a password, however deep it was posted', () => {
    const plan = store.createPlan(labPlan());
    const draft = labPlan() as PlanInput & Record<string, unknown>;
    (draft.servers.primary.auth as Record<string, unknown>).password = 'S3cret!';
    (draft as Record<string, unknown>).monitorPassword = 'S3cret!';
    store.saveDraft(plan.id, draft);
    store.appendEvent(plan.id, 'plan-exported', { password: 'S3cret!' });
    const raw =
      JSON.stringify(store.db.prepare('SELECT draft FROM plans').all()) +
      JSON.stringify(store.db.prepare('SELECT detail FROM events').all());
    expect(raw).not.toContain('S3cret!');
    expect(store.getPlan(plan.id)?.draft.servers.primary.auth).toEqual({ mode: 'sql', login: 'sa' });
  });

  it('reports every stage as not started until reviewed, and a save makes a review stale', () => {
    const plan = store.createPlan(labPlan());
    expect(store.getStageStates(plan.id).map((s) => s.state)).toEqual(Array(7).fill('not-started'));
    store.recordReview(plan.id, 'preflight', 'abc', plan.version);
    expect(store.getStageStates(plan.id).find((s) => s.stage === 'preflight')).toMatchObject({
      state: 'reviewed',
      hash: 'abc',
      planVersion: 1,
    });
    store.saveDraft(plan.id, labPlan());
    expect(store.getStageStates(plan.id).find((s) => s.stage === 'preflight')?.state).toBe('reviewed');
    store.saveDraft(plan.id, { ...labPlan(), database: 'mgc2' });
    expect(store.getStageStates(plan.id).find((s) => s.stage === 'preflight')?.state).toBe('not-started');
  });

  it('does not move an applied stage back to reviewed', () => {
    const plan = store.createPlan(labPlan());
    store.setStageState(plan.id, 'ship-primary', 'applied', 'h1', 1);
    store.recordReview(plan.id, 'ship-primary', 'h2', 1);
    expect(store.getStageStates(plan.id).find((s) => s.stage === 'ship-primary')).toMatchObject({
      state: 'applied',
      hash: 'h1',
    });
  });

  it('records events append-only, and keeps them after the plan is deleted', () => {
    const plan = store.createPlan(labPlan());
    expect(store.recordReview(plan.id, 'topology', 'h', 1)).toBe(true);
    expect(store.recordReview(plan.id, 'topology', 'h', 1)).toBe(false);
    expect(store.deletePlan(plan.id)).toBe(true);
    expect(store.getPlan(plan.id)).toBeUndefined();
    expect(store.listEvents(plan.id).map((e) => e.kind)).toEqual([
      'plan-created',
      'review-generated',
      'plan-deleted',
    ]);
    expect(store.listEvents(plan.id)[1]?.detail).toEqual({ stage: 'topology', hash: 'h', version: 1 });
    expect(() => store.db.prepare('DELETE FROM events').run()).toThrow(/append-only/);
    expect(() => store.db.prepare(`UPDATE events SET kind = 'x'`).run()).toThrow(/append-only/);
    expect(store.deletePlan(plan.id)).toBe(false);
  });
});

describe('withoutSecrets', () => {
  it('drops secret-looking keys at any depth and keeps the rest', () => {
    expect(
      withoutSecrets({
        a: 1,
        pwd: 'x',
        list: [{ Password: 'y', login: 'sa' }],
        nested: { apiToken: 't', ok: true },
      }),
    ).toEqual({
      a: 1,
      list: [{ login: 'sa' }],
      nested: { ok: true },
    });
  });
});
