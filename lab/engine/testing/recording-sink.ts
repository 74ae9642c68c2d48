// A ResultSink that records everything, for tests that drive the engine through the contract.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LabColumn, LabMessage, LabSession, LabValue, ResultSink, RpcParam } from '../contract';
import { createLabWorld, type EngineLabWorld } from '../world';

export interface RecordedResultSet {
  columns: LabColumn[];
  rows: LabValue[][];
}

export class RecordingSink implements ResultSink {
  events: { kind: string; value: unknown }[] = [];
  resultSets: RecordedResultSet[] = [];
  messages: LabMessage[] = [];
  errors: LabMessage[] = [];
  dones: { rowCount?: number; inProc?: boolean; error?: boolean }[] = [];
  status: number | undefined;
  outputs: { name: string; value: LabValue; ordinal: number }[] = [];

  columns(columns: LabColumn[]): void {
    this.resultSets.push({ columns, rows: [] });
    this.events.push({ kind: 'columns', value: columns });
  }
  row(values: LabValue[]): void {
    this.resultSets[this.resultSets.length - 1]!.rows.push(values);
  }
  done(info: { rowCount?: number; inProc?: boolean; error?: boolean }): void {
    this.dones.push(info);
    this.events.push({ kind: 'done', value: info });
  }
  info(message: LabMessage): void {
    this.messages.push(message);
    this.events.push({ kind: 'info', value: message });
  }
  error(message: LabMessage): void {
    this.errors.push(message);
    this.events.push({ kind: 'error', value: message });
  }
  returnStatus(value: number): void {
    this.status = value;
  }
  returnValue(param: { name: string; value: LabValue; ordinal: number }): void {
    this.outputs.push(param);
  }
  /** Info message texts in order. */
  get printed(): string[] {
    return this.messages.map((m) => m.message);
  }
  /** Rows of the last result set as objects keyed by column name. */
  objects(index = -1): Record<string, LabValue>[] {
    const rs = this.resultSets.at(index);
    if (!rs) return [];
    return rs.rows.map((r) => Object.fromEntries(rs.columns.map((c, i) => [c.name, r[i] ?? null])));
  }
}

export const SA_PASSWORD = 'Sa#Test2026';

export function session(overrides: Partial<LabSession> = {}): LabSession {
  return { spid: 52, login: 'sa', isSysadmin: true, database: 'master', ...overrides };
}

export function tempRoot(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'pchat-lab-'));
}

export async function openWorld(root = tempRoot(), reset = false): Promise<EngineLabWorld> {
  return createLabWorld({ root, reset, clock: 'manual', saPassword: SA_PASSWORD });
}

/** Runs a batch on an instance and returns the recording sink. */
export async function run(
  world: EngineLabWorld,
  server: string,
  sql: string,
  s: LabSession = session(),
): Promise<RecordingSink> {
  const sink = new RecordingSink();
  await world.instance(server)!.engine.executeBatch(s, sql, sink, new AbortController().signal);
  return sink;
}

export async function rpc(
  world: EngineLabWorld,
  server: string,
  proc: string,
  params: RpcParam[],
  s: LabSession = session(),
): Promise<RecordingSink> {
  const sink = new RecordingSink();
  await world.instance(server)!.engine.executeRpc(s, proc, params, sink, new AbortController().signal);
  return sink;
}
