// Row helpers for the msdb tables an instance keeps.
import type { LabValue } from './contract';
import { MSDB_TABLES } from './catalog/msdb-schema';
import type { InstanceState, Row } from './state';

export function rows(inst: InstanceState, table: string): Row[] {
  const key = table.toLowerCase();
  let list = inst.msdb[key];
  if (!list) {
    list = [];
    inst.msdb[key] = list;
  }
  return list;
}

/** Inserts a row with every column of the table present (missing ones NULL). */
export function insert(
  inst: InstanceState,
  table: string,
  values: Record<string, LabValue | undefined>,
): Row {
  const def = MSDB_TABLES[table.toLowerCase()];
  const row: Row = {};
  for (const c of def?.columns ?? []) row[c.name] = values[c.name] ?? null;
  for (const [k, v] of Object.entries(values)) if (!(k in row)) row[k] = v ?? null;
  rows(inst, table).push(row);
  return row;
}

export function remove(inst: InstanceState, table: string, pred: (r: Row) => boolean): number {
  const list = rows(inst, table);
  const kept = list.filter((r) => !pred(r));
  inst.msdb[table.toLowerCase()] = kept;
  return list.length - kept.length;
}

export function nextId(inst: InstanceState, counter: string): number {
  const n = (inst.counters[counter] ?? 0) + 1;
  inst.counters[counter] = n;
  return n;
}

export function sameText(a: LabValue | undefined, b: LabValue | undefined): boolean {
  return typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();
}

/** yyyymmdd and hhmmss integers as msdb stores Agent dates. */
export function agentDate(d: Date): { date: number; time: number } {
  return {
    date: d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate(),
    time: d.getUTCHours() * 10000 + d.getUTCMinutes() * 100 + d.getUTCSeconds(),
  };
}
