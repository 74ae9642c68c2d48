import { describe, expect, it } from 'vitest';
import type { MessageRecord } from '@/lib/store/run-store';
import {
  findingsOf,
  formatDuration,
  formatStamp,
  mergeMessages,
  messageDisplay,
  resultRows,
  runDurationMs,
  stageServers,
  stepProgress,
  tracksProgress,
} from './run-view';

const message = (m: Partial<MessageRecord>): MessageRecord => ({
  id: 1,
  runId: 'r',
  stepId: 7,
  at: '2026-11-26T10:00:00.000Z',
  kind: 'info',
  server: 'SQL01\\PCHAT',
  number: null,
  state: null,
  severity: null,
  line: null,
  text: '',
  ...m,
});

describe('messageDisplay', () => {
  it('prints a numbered server error with the SSMS header', () => {
    expect(
      messageDisplay(
        message({
          kind: 'error',
          number: 3201,
          severity: 16,
          state: 1,
          line: 1,
          text: 'Cannot open backup device.',
        }),
      ),
    ).toEqual({
      head: 'Msg 3201, Level 16, State 1, Line 1',
      text: 'Cannot open backup device.',
      tone: 'error',
    });
  });

  it('prints PRINT output and STATS progress as bare text, as SSMS does', () => {
    expect(
      messageDisplay(
        message({
          kind: 'info',
          number: 3211,
          severity: 0,
          state: 1,
          line: 1,
          text: '10 percent processed.',
        }),
      ),
    ).toEqual({
      text: '10 percent processed.',
      tone: 'info',
    });
    expect(messageDisplay(message({ kind: 'info', number: 0, text: 'hello' }))).toEqual({
      text: 'hello',
      tone: 'info',
    });
  });

  it('keeps an unnumbered error (a lost connection, a failed job) without a fake header', () => {
    expect(messageDisplay(message({ kind: 'error', number: 0, text: 'Job LSBackup_mgc failed' }))).toEqual({
      text: 'Job LSBackup_mgc failed',
      tone: 'error',
    });
  });

  it('names PowerShell warning and verbose streams as the host does', () => {
    expect(messageDisplay(message({ kind: 'warning', text: 'slow' })).text).toBe('WARNING: slow');
    expect(messageDisplay(message({ kind: 'verbose', text: 'Connecting' })).text).toBe('VERBOSE: Connecting');
    expect(messageDisplay(message({ kind: 'output', text: 'x' }))).toEqual({ text: 'x', tone: 'output' });
  });
});

describe('tracksProgress', () => {
  it('is true for BACKUP/RESTORE asked WITH STATS only', () => {
    expect(
      tracksProgress({ language: 'tsql', text: "BACKUP DATABASE [mgc] TO DISK = N'x' WITH STATS = 10" }),
    ).toBe(true);
    expect(
      tracksProgress({
        language: 'tsql',
        text: "restore log [mgc] from disk = N'x' with norecovery, stats = 5",
      }),
    ).toBe(true);
    expect(tracksProgress({ language: 'tsql', text: "BACKUP DATABASE [mgc] TO DISK = N'x'" })).toBe(false);
    expect(
      tracksProgress({
        language: 'tsql',
        text: "EXEC msdb.dbo.sp_add_log_shipping_primary_database @database = N'mgc'",
      }),
    ).toBe(false);
    expect(tracksProgress({ language: 'powershell', text: 'BACKUP DATABASE x WITH STATS' })).toBe(false);
  });
});

describe('stepProgress', () => {
  const step = { id: 7, tracksProgress: true };
  it('takes the highest of the live value and the recorded STATS messages of that step', () => {
    const messages = [
      message({ text: '10 percent processed.' }),
      message({ text: '60 percent processed.' }),
      message({ stepId: 8, text: '100 percent processed.' }),
      message({ text: 'Processed 328 pages for database mgc' }),
    ];
    expect(stepProgress(step, messages, {})).toBe(60);
    expect(stepProgress(step, messages, { 7: 80 })).toBe(80);
    expect(stepProgress(step, messages, { 7: 20 })).toBe(60);
  });

  it('has no value before the first report, and none for a step that reports no progress', () => {
    expect(stepProgress(step, [], {})).toBeUndefined();
    expect(
      stepProgress({ id: 7, tracksProgress: false }, [message({ text: '50 percent processed.' })], { 7: 50 }),
    ).toBeUndefined();
  });
});

describe('findingsOf', () => {
  const finding = (severity: string, what: string) =>
    message({
      kind: 'finding',
      stepId: null,
      text: JSON.stringify({ role: 'primary', server: 'S', severity, what, why: 'w', fix: 'f' }),
    });

  it('lists findings errors first, keeping the recorded order within a severity, and skips unreadable ones', () => {
    const found = findingsOf([
      finding('ok', 'fine'),
      finding('warning', 'careful'),
      message({ kind: 'info', text: 'not a finding' }),
      finding('error', 'broken A'),
      message({ kind: 'finding', text: 'not json' }),
      finding('error', 'broken B'),
    ]);
    expect(found.map((f) => f.what)).toEqual(['broken A', 'broken B', 'careful', 'fine']);
  });
});

describe('resultRows', () => {
  it('reads the JSON rows of a result message and tolerates anything else', () => {
    expect(resultRows({ text: '[{"a":1},{"a":2}]' })).toEqual([{ a: 1 }, { a: 2 }]);
    expect(resultRows({ text: '{"a":1}' })).toEqual([]);
    expect(resultRows({ text: 'oops' })).toEqual([]);
  });
});

describe('durations and stamps', () => {
  it('formats durations by magnitude', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_400)).toBe('12.4 s');
    expect(formatDuration(185_000)).toBe('3 min 05 s');
  });

  it('measures a finished run and leaves a running one open', () => {
    expect(
      runDurationMs({ startedAt: '2026-11-26T10:00:00.000Z', endedAt: '2026-11-26T10:00:02.500Z' }),
    ).toBe(2500);
    expect(runDurationMs({ startedAt: '2026-11-26T10:00:00.000Z', endedAt: null })).toBeUndefined();
  });

  it('shortens ISO stamps to date and time', () => {
    expect(formatStamp('2026-11-26T14:05:31.123Z')).toBe('2026-11-26 14:05:31');
    expect(formatStamp(null)).toBe('—');
  });
});

describe('mergeMessages', () => {
  it('appends only messages newer than the last one held', () => {
    const held = [{ id: 1 }, { id: 2 }];
    expect(mergeMessages(held, [{ id: 2 }, { id: 3 }])).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(mergeMessages(held, [{ id: 1 }])).toBe(held);
  });
});

describe('stageServers', () => {
  it('names each server once, in apply order, and says whether the stage changes it', () => {
    expect(
      stageServers([
        { target: { kind: 'sql', serverName: 'SQL01' }, language: 'tsql', batches: [{ readOnly: true }] },
        {
          target: { kind: 'sql', serverName: 'SQLDR01' },
          language: 'tsql',
          batches: [{ readOnly: true }, { readOnly: false }],
        },
        { target: { kind: 'sql', serverName: 'SQL01' }, language: 'tsql', batches: [{ readOnly: false }] },
        {
          target: { kind: 'shell', host: 'local pwsh' },
          language: 'powershell',
          commands: [{ readOnly: true }],
        },
      ]),
    ).toEqual([
      { name: 'SQL01', changes: true },
      { name: 'SQLDR01', changes: true },
      { name: 'local pwsh', changes: false },
    ]);
  });
});
