// Test support: golden files under __golden__/, compared byte for byte. `UPDATE_GOLDEN=1` rewrites them; every
// rewrite is reviewed as a diff before it is kept, and the variant tests also pin each variant's expected changes.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { TargetArtifact } from '@/lib/stages/artifact';

const goldenDir = path.resolve('lib/sql/generate/__golden__');

/** Asserts that `text` equals the golden file `name` exactly. */
export function expectGolden(name: string, text: string): void {
  const file = path.join(goldenDir, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text, 'utf8');
    return;
  }
  if (!existsSync(file))
    throw new Error(`Golden file ${name} is missing (run with UPDATE_GOLDEN=1 and review it).`);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

/** A stage's targets as one reviewable text: every target and batch or command with its metadata, then its text verbatim. */
export function renderTargets(targets: readonly TargetArtifact[]): string {
  const out: string[] = [];
  targets.forEach((t, i) => {
    if (t.language !== 'tsql') {
      out.push(`#### target ${i + 1}/${targets.length} · shell · ${t.target.host} · ${t.hash}\n`);
      for (const c of t.commands) {
        out.push(`#### command ${c.id} · ${c.readOnly ? 'read-only' : 'writes'} · ${c.hash}\n#### ${c.title}\n`);
        out.push(c.script, '\n#### end of command\n');
      }
      return;
    }
    out.push(
      `#### target ${i + 1}/${targets.length} · ${t.target.role} · ${t.target.serverName} · ${t.hash}\n`,
    );
    for (const b of t.batches) {
      const flags = [b.readOnly ? 'read-only' : 'writes', ...(b.longRunning ? ['long-running'] : [])].join(
        ', ',
      );
      out.push(`#### batch ${b.id} · ${flags} · ${b.hash}\n#### ${b.title}\n`);
      if (b.secrets) out.push(`#### secrets: ${b.secrets.map((s) => s.secret).join(', ')}\n`);
      out.push(b.sql, '#### end of batch\n');
    }
  });
  return out.join('');
}

/** Line-level differences between two texts (longest common subsequence): the lines only in `a`, only in `b`. */
export function lineDiff(a: string, b: string): { removed: string[]; added: string[] } {
  const x = a.split('\n');
  const y = b.split('\n');
  const lcs: number[][] = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      lcs[i]![j] = x[i] === y[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const removed: string[] = [];
  const added: string[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    if (x[i] === y[j]) {
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) removed.push(x[i++]!);
    else added.push(y[j++]!);
  }
  removed.push(...x.slice(i));
  added.push(...y.slice(j));
  return { removed, added };
}
