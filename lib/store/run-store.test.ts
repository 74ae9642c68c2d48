import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from './migrations';
import { RunStore } from './run-store';

function store(now: () => Date = () => new Date()) {
  const db = new Database(':memory:');
  migrate(db);
  return { db, runs: new RunStore(db, now) };
}

const run = {
  planId: 'p',
  stage: 'ship-primary' as const,
  planVersion: 1,
  reviewId: null,
  artifactHash: 'h',
  actor: 'alice',
};

describe('RunStore apply lock', () => {
  it('holds one apply per plan and says who holds it and since when', () => {
    const { runs } = store();
    const first = runs.beginRun(run);
    expect(first.ok).toBe(true);
    const second = runs.beginRun({ ...run, actor: 'bob' });
    expect(second).toMatchObject({ ok: false, heldBy: { actor: 'alice', pid: process.pid } });
    if (first.ok) runs.finishRun(first.run.id, 'succeeded', 'done');
    expect(runs.beginRun({ ...run, actor: 'bob' }).ok).toBe(true);
  });

  it('lets another plan apply at the same time', () => {
    const { runs } = store();
    expect(runs.beginRun(run).ok).toBe(true);
    expect(runs.beginRun({ ...run, planId: 'other' }).ok).toBe(true);
  });

  it('takes over a lock whose holder died, and marks the run it guarded interrupted with its steps', () => {
    const { db, runs } = store();
    const held = runs.beginRun(run);
    if (!held.ok) throw new Error('lock not taken');
    const step = runs.startStep({
      runId: held.run.id,
      seq: 0,
      target: 'SQL01\\PCHAT',
      role: 'primary',
      language: 'tsql',
      stepKey: 'b',
      title: 't',
      text: 'SELECT 1;',
      hash: 'x',
    });
    // A pid that cannot be running: the server that held the lock was killed.
    db.prepare('UPDATE apply_locks SET pid = 2147483646').run();
    db.prepare('UPDATE runs SET owner_pid = 2147483646').run();
    const next = runs.beginRun({ ...run, actor: 'bob' });
    expect(next.ok).toBe(true);
    expect(runs.getRun(held.run.id)).toMatchObject({ status: 'interrupted' });
    expect(runs.steps(held.run.id)).toEqual([
      expect.objectContaining({ id: step.id, status: 'interrupted' }),
    ]);
  });

  it('takes over a lock nobody refreshed for a minute, even from another host', () => {
    let now = new Date('2026-11-26T10:00:00Z');
    const { db, runs } = store(() => now);
    expect(runs.beginRun(run).ok).toBe(true);
    db.prepare(`UPDATE apply_locks SET host = 'elsewhere'`).run();
    now = new Date('2026-11-26T10:00:30Z');
    expect(runs.beginRun(run).ok).toBe(false);
    now = new Date('2026-11-26T10:01:01Z');
    expect(runs.beginRun(run).ok).toBe(true);
  });
});
