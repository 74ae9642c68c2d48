import { describe, expect, it } from 'vitest';
import { liveProgress, reportProgress } from './live-progress';

describe('live progress', () => {
  it('keeps the latest percentage of each step of a run', () => {
    reportProgress('run-a', 1, 10);
    reportProgress('run-a', 1, 40);
    reportProgress('run-a', 2, 100);
    expect(liveProgress('run-a')).toEqual({ 1: 40, 2: 100 });
    expect(liveProgress('run-unknown')).toEqual({});
  });

  it('forgets the oldest runs once it holds fifty', () => {
    reportProgress('oldest', 1, 50);
    for (let i = 0; i < 50; i++) reportProgress(`later-${i}`, 1, i);
    expect(liveProgress('oldest')).toEqual({});
    expect(liveProgress('later-49')).toEqual({ 1: 49 });
  });
});
