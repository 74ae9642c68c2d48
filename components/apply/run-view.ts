import { statsPercent } from '@/lib/sql/messages';
import type { Finding } from '@/lib/stages/preflight-findings';
import type { MessageRecord, RunRecord, StepRecord } from '@/lib/store/run-store';

/** A step as the live log needs it: no script text (the review page shows it), and whether it reports progress. */
export type StepView = Omit<StepRecord, 'text'> & { tracksProgress: boolean };

/** What `/api/runs/[runId]` answers: the run, all its steps, the messages after the asked id, live progress by step. */
export interface RunSnapshot {
  run: RunRecord;
  steps: StepView[];
  messages: MessageRecord[];
  progress: Record<number, number>;
}

/** Only BACKUP and RESTORE asked `WITH STATS` report a percentage; other steps get no progress bar. */
export function tracksProgress(step: Pick<StepRecord, 'language' | 'text'>): boolean {
  return (
    step.language === 'tsql' &&
    /\b(BACKUP|RESTORE)\s+(DATABASE|LOG)\b/i.test(step.text) &&
    /\bSTATS\b/i.test(step.text)
  );
}

/** The step without its script, for the live feed. */
export function stepView(step: StepRecord): StepView {
  const { text, ...rest } = step;
  return { ...rest, tracksProgress: tracksProgress({ language: step.language, text }) };
}

export type MessageTone = 'error' | 'warning' | 'info' | 'verbose' | 'output';

/** A recorded message as SSMS and the PowerShell host print it. */
export interface MessageDisplay {
  /** `Msg 3201, Level 16, State 1, Line 1` for a numbered server error; absent otherwise. */
  head?: string;
  text: string;
  tone: MessageTone;
}

/**
 * SSMS prints a header only for errors (severity above 10); PRINT output and informational messages such as
 * `10 percent processed.` are shown as bare text. PowerShell streams keep their stream name as the tone.
 */
export function messageDisplay(
  m: Pick<MessageRecord, 'kind' | 'number' | 'severity' | 'state' | 'line' | 'text'>,
): MessageDisplay {
  if (m.kind === 'error') {
    const numbered = m.number !== null && m.number !== 0;
    return numbered
      ? {
          head: `Msg ${m.number}, Level ${m.severity ?? 16}, State ${m.state ?? 1}, Line ${m.line ?? 0}`,
          text: m.text,
          tone: 'error',
        }
      : { text: m.text, tone: 'error' };
  }
  if (m.kind === 'warning') return { text: `WARNING: ${m.text}`, tone: 'warning' };
  if (m.kind === 'verbose') return { text: `VERBOSE: ${m.text}`, tone: 'verbose' };
  if (m.kind === 'output') return { text: m.text, tone: 'output' };
  return { text: m.text, tone: 'info' };
}

/** Messages the log lists under a step: results and findings are shown as tables instead. */
export function isLogMessage(m: Pick<MessageRecord, 'kind'>): boolean {
  return m.kind !== 'result' && m.kind !== 'finding';
}

/** The rows of a `result` message; an empty list when the record is not a JSON array of rows. */
export function resultRows(m: Pick<MessageRecord, 'text'>): Record<string, unknown>[] {
  try {
    const rows: unknown = JSON.parse(m.text);
    return Array.isArray(rows)
      ? rows.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null)
      : [];
  } catch {
    return [];
  }
}

const severityOrder: Record<Finding['severity'], number> = { error: 0, warning: 1, ok: 2 };

/** The preflight findings recorded in a run, errors first, then warnings, then what is fine; unreadable ones skipped. */
export function findingsOf(messages: Pick<MessageRecord, 'kind' | 'text'>[]): Finding[] {
  const findings: Finding[] = [];
  for (const m of messages) {
    if (m.kind !== 'finding') continue;
    try {
      const f = JSON.parse(m.text) as Finding;
      if (f && typeof f.what === 'string' && f.severity in severityOrder) findings.push(f);
    } catch {
      // A finding that is not JSON was not written by preflight; the raw message stays in the full record.
    }
  }
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => severityOrder[a.f.severity] - severityOrder[b.f.severity] || a.i - b.i)
    .map(({ f }) => f);
}

/**
 * How far a BACKUP/RESTORE step got: the highest of the live value and the last `N percent processed.` recorded for
 * it. The record is the fallback that survives a restart of the server, which loses the live value.
 */
export function stepProgress(
  step: Pick<StepView, 'id' | 'tracksProgress'>,
  messages: Pick<MessageRecord, 'stepId' | 'kind' | 'text'>[],
  live: Record<number, number>,
): number | undefined {
  if (!step.tracksProgress) return undefined;
  let best = live[step.id];
  for (const m of messages) {
    if (m.stepId !== step.id || m.kind !== 'info') continue;
    const pct = statsPercent(m.text);
    if (pct !== undefined && (best === undefined || pct > best)) best = pct;
  }
  return best;
}

/** `850 ms`, `12.4 s`, `3 min 05 s`: durations as an operator reads them in a log. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.floor((ms % 60_000) / 1000);
  return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
}

/** A run's wall time, from its start and end stamps; undefined while it runs. */
export function runDurationMs(run: Pick<RunRecord, 'startedAt' | 'endedAt'>): number | undefined {
  if (!run.endedAt) return undefined;
  const ms = Date.parse(run.endedAt) - Date.parse(run.startedAt);
  return Number.isFinite(ms) ? ms : undefined;
}

/** An ISO stamp shortened for a table: `2026-11-26 14:05:31` (UTC, as stored). */
export function formatStamp(iso: string | null | undefined): string {
  if (!iso) return '—';
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]}` : iso;
}

/** Appends newly fetched messages, ignoring any already held (a poll may overlap the previous one). */
export function mergeMessages<M extends Pick<MessageRecord, 'id'>>(held: M[], fresh: M[]): M[] {
  const last = held.length > 0 ? held[held.length - 1]!.id : 0;
  const added = fresh.filter((m) => m.id > last);
  return added.length === 0 ? held : [...held, ...added];
}

/** The servers a stage touches, in the order it applies them, with whether any of their steps changes something. */
export function stageServers(
  targets: (
    | { target: { kind: 'sql'; serverName: string }; language: 'tsql'; batches: { readOnly: boolean }[] }
    | { target: { kind: 'shell'; host: string }; language: 'powershell'; commands: { readOnly: boolean }[] }
  )[],
): { name: string; changes: boolean }[] {
  const out = new Map<string, boolean>();
  for (const t of targets) {
    const name = t.target.kind === 'sql' ? t.target.serverName : t.target.host;
    const steps = t.language === 'tsql' ? t.batches : t.commands;
    const changes = steps.some((s) => !s.readOnly);
    out.set(name, (out.get(name) ?? false) || changes);
  }
  return [...out].map(([name, changes]) => ({ name, changes }));
}
