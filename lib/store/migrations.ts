import type Database from 'better-sqlite3';
import { runMigration } from './run-store';

/**
 * Numbered, append-only schema changes. A migration is never edited once shipped: add the next number instead, so a
 * store file created by any earlier version upgrades in place (the apply runs/batches tables come as migration 2+).
 */
export const migrations: { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'plans, stage states and events',
    sql: `
      CREATE TABLE plans (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        draft TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE stage_states (
        plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        stage TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('not-started', 'reviewed', 'applying', 'applied', 'failed', 'interrupted')),
        hash TEXT,
        plan_version INTEGER,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (plan_id, stage)
      );
      CREATE TABLE events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        plan_id TEXT,
        kind TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '{}',
        at TEXT NOT NULL
      );
      CREATE INDEX events_by_plan ON events (plan_id, id);
      -- The record is append-only: history must survive mistakes, including deleting the plan it describes.
      CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
      CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
    `,
  },
  runMigration,
];

/** Brings a database to the latest migration, each step in its own transaction; returns the version reached. */
export function migrate(db: Database.Database): number {
  db.exec(
    `CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`,
  );
  const applied = new Set(
    (db.prepare('SELECT version FROM migrations').all() as { version: number }[]).map((r) => r.version),
  );
  const record = db.prepare('INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
    })();
  }
  return Math.max(0, ...migrations.map((m) => m.version));
}
