import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { measureAllocation } from './allocation';
import { readOperatorActions } from './operator-actions';
import { seedStepCount } from './seed-steps';
import { median, percentile, table } from './stats';

const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-helpers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('stats', () => {
  it('takes the middle sample, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('ranks percentiles by nearest rank', () => {
    const samples = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect(percentile(samples, 90)).toBe(90);
    expect(percentile(samples, 100)).toBe(100);
    expect(percentile(samples, 1)).toBe(10);
  });

  it('pads table columns to their widest cell', () => {
    expect(
      table([
        ['a', 'bb'],
        ['ccc', 'd'],
      ]),
    ).toBe('a    bb\n---  --\nccc  d');
  });
});

describe('seed step count', () => {
  it('counts A.1–2, B.1–20 and C.1–22 as 44 numbered steps, 50 with A.2 a–f, 52 with B’s lead-in', () => {
    expect(seedStepCount()).toEqual({ numbered: 44, withSubSteps: 50, withLeadIns: 52 });
  });
});

describe('operator actions', () => {
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('reads the replay counts and totals them', () => {
    const file = write('ok.json', JSON.stringify({ fieldsTyped: 12, clicks: 30, keys: 2 }));
    expect(readOperatorActions(file)).toMatchObject({
      measured: true,
      actions: { fieldsTyped: 12, clicks: 30, keys: 2 },
      total: 44,
    });
  });

  it('says to run npm test when the replay wrote nothing, and gives no figure', () => {
    const reading = readOperatorActions(path.join(dir, 'missing.json'));
    expect(reading).toEqual({
      measured: false,
      file: path.join(dir, 'missing.json'),
      reason: 'not measured: run npm test first',
    });
  });

  it('refuses a file that is not JSON or lacks whole counts', () => {
    expect(readOperatorActions(write('bad.json', '{'))).toMatchObject({
      measured: false,
      reason: expect.stringMatching(/not JSON/),
    });
    expect(
      readOperatorActions(write('partial.json', JSON.stringify({ fieldsTyped: 1, clicks: 2 }))),
    ).toMatchObject({
      measured: false,
      reason: expect.stringMatching(/whole counts/),
    });
    expect(
      readOperatorActions(write('neg.json', JSON.stringify({ fieldsTyped: -1, clicks: 2, keys: 0 }))),
    ).toMatchObject({ measured: false });
  });
});

describe('allocation measure', () => {
  it('finds the size of a known allocation, even when garbage collections run during the samples', () => {
    // 1,000 doubles: an 8,000-byte backing store plus the array and store headers.
    const measure = measureAllocation(() => new Array<number>(1000).fill(0.5), {
      callsPerSample: 2000,
      samples: 3,
    });
    expect(measure.gcsDuringSamples).toBeGreaterThan(0);
    expect(measure.bytesPerCall).toBeGreaterThan(8000);
    expect(measure.bytesPerCall).toBeLessThan(8400);
  });

  it('counts nothing per call for a call that allocates nothing on the heap', () => {
    // A Smi result is never boxed and the sink is allocated before the window; what remains is the measure's own
    // fixed cost per sample (profiler start, heap statistics objects, the loop's optimised code), up to ~170 KiB on
    // a loaded machine: spread over enough calls that it stays far below the 8 bytes of the smallest allocation.
    const measure = measureAllocation(() => 42, { callsPerSample: 200_000, samples: 3 });
    expect(Math.abs(measure.bytesPerCall)).toBeLessThan(8);
  });
});
