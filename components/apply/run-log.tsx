'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useRef, useState } from 'react';
import { catalogue, type Locale, translator } from '@/lib/i18n';
import type { MessageRecord, RunRecord } from '@/lib/store/run-store';
import { FindingsTable } from './findings-table';
import { MessageList, ResultSets } from './message-list';
import {
  findingsOf,
  formatDuration,
  mergeMessages,
  type RunSnapshot,
  type StepView,
  stepProgress,
} from './run-view';
import { StatusBadge } from './status-badge';

const POLL_MS = 700;
const RETRY_MS = 2_000;
const MAX_STEP_ANNOUNCEMENTS = 3;

/**
 * Follows a run through `/api/runs/<id>` until it ends: every step as it starts and ends, its messages, a progress
 * bar for BACKUP/RESTORE, preflight findings, then the outcome. Polling (not a stream) so a reload picks it up again.
 * Give it `key={runId}`: a new run is a new log.
 */
export function RunLog({ runId, planId, locale }: { runId: string; planId: string; locale: Locale }) {
  const t = useMemo(() => translator(catalogue(locale)), [locale]);
  const router = useRouter();
  const [run, setRun] = useState<RunRecord>();
  const [steps, setSteps] = useState<StepView[]>([]);
  const [messages, setMessages] = useState<MessageRecord[]>([]);
  const [progress, setProgress] = useState<Record<number, number>>({});
  const [lostTouch, setLostTouch] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const lastId = useRef(0);
  const announced = useRef(new Map<number, string>());
  const runAnnounced = useRef(false);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      let delay = POLL_MS;
      try {
        const response = await fetch(`/api/runs/${encodeURIComponent(runId)}?after=${lastId.current}`, {
          cache: 'no-store',
        });
        if (!response.ok) throw new Error(String(response.status));
        const snapshot = (await response.json()) as RunSnapshot;
        if (stopped) return;
        setLostTouch(false);
        const fresh = snapshot.messages;
        if (fresh.length > 0) lastId.current = fresh[fresh.length - 1]!.id;
        setMessages((held) => mergeMessages(held, fresh));
        setSteps(snapshot.steps);
        setProgress(snapshot.progress);
        setRun(snapshot.run);
        const ended = snapshot.steps
          .map((step, i) => ({ step, n: i + 1 }))
          .filter(({ step }) => step.status !== 'running' && announced.current.get(step.id) !== step.status);
        for (const { step } of ended) announced.current.set(step.id, step.status);
        // A screen reader hears each step as it ends; a burst (parallel reads) is summed up in one sentence.
        const lines: string[] =
          ended.length <= MAX_STEP_ANNOUNCEMENTS
            ? ended.map(({ step, n }) =>
                t('log.stepAnnounce', {
                  n,
                  title: step.title,
                  server: step.target,
                  status: t(`status.${step.status}`),
                }),
              )
            : [
                t('log.stepsAnnounce', {
                  count: ended.length,
                  succeeded: ended.filter(({ step }) => step.status === 'succeeded').length,
                  failed: ended.filter(({ step }) => step.status === 'failed').length,
                }),
              ];
        if (snapshot.run.status !== 'running' && !runAnnounced.current) {
          runAnnounced.current = true;
          lines.push(
            t('log.runAnnounce', {
              status: t(`status.${snapshot.run.status}`),
              summary: snapshot.run.summary ?? '',
            }),
          );
          // The stepper beside the page shows the stage's new state.
          router.refresh();
        }
        if (lines.length > 0) setAnnouncement(lines.join(' '));
        if (snapshot.run.status !== 'running') return;
      } catch {
        if (stopped) return;
        setLostTouch(true);
        delay = RETRY_MS;
      }
      timer = setTimeout(poll, delay);
    };
    void poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [runId, t, router]);

  const byStep = useMemo(() => {
    const map = new Map<number | null, MessageRecord[]>();
    for (const m of messages) {
      const list = map.get(m.stepId) ?? [];
      list.push(m);
      map.set(m.stepId, list);
    }
    return map;
  }, [messages]);
  const findings = useMemo(() => findingsOf(messages), [messages]);
  const running = !run || run.status === 'running';

  return (
    <section aria-labelledby={`log-${runId}`} className="mt-4" data-testid="run-log" aria-busy={running}>
      <h3 id={`log-${runId}`} className="text-lg font-semibold">
        {t('log.title')} {run ? <StatusBadge status={run.status} t={t} /> : null}
      </h3>
      <div aria-live="polite" className="sr-only" data-testid="announcer">
        {announcement}
      </div>
      {lostTouch ? (
        <p className="mt-2 rounded border border-amber-700 bg-amber-50 px-3 py-2 text-amber-950">
          {t('log.connectionLost')}
        </p>
      ) : null}
      {!run ? <p className="mt-2 text-slate-700">{t('log.waiting')}</p> : null}
      <ol className="mt-3 space-y-3">
        {steps.map((step, i) => {
          const own = byStep.get(step.id) ?? [];
          const pct = stepProgress(step, own, progress);
          const progressLabel = t('log.progress', { title: step.title });
          return (
            <li
              key={step.id}
              className="rounded border border-slate-300 bg-white p-3"
              data-testid="log-step"
              data-status={step.status}
            >
              <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
                <StatusBadge status={step.status} t={t} />
                <span className="font-semibold">
                  {i + 1}. {step.title}
                </span>
                <span className="font-mono text-sm text-slate-700">{step.target}</span>
                <span className="text-sm text-slate-600 tabular-nums">{formatDuration(step.durationMs)}</span>
              </div>
              {step.tracksProgress ? (
                <div className="mt-2 flex items-center gap-2">
                  <progress
                    className="h-3 w-64 max-w-full"
                    max={100}
                    {...(pct !== undefined ? { value: pct } : {})}
                    aria-label={progressLabel}
                    aria-valuemin={0}
                    aria-valuemax={100}
                    {...(pct !== undefined ? { 'aria-valuenow': pct, 'aria-valuetext': `${pct}%` } : {})}
                    data-testid="step-progress"
                  />
                  <span className="text-sm tabular-nums" aria-hidden="true">
                    {pct !== undefined ? `${pct}%` : '…'}
                  </span>
                </div>
              ) : null}
              <MessageList messages={own} label={`${t('log.messages')}: ${step.title}`} />
              <ResultSets messages={own} summary={(count) => t('log.resultRows', { count })} />
            </li>
          );
        })}
      </ol>
      <MessageList messages={byStep.get(null) ?? []} label={t('run.general')} />
      <FindingsTable findings={findings} t={t} idPrefix={`log-${runId}`} />
      {run && run.status !== 'running' ? (
        <div
          className={`mt-4 rounded border p-3 ${run.status === 'succeeded' ? 'border-green-800 bg-green-50' : 'border-red-800 bg-red-50'}`}
          data-testid="run-outcome"
        >
          <p className="font-semibold">
            {t('log.outcome')}: <StatusBadge status={run.status} t={t} />
          </p>
          {run.summary ? <p className="mt-1">{run.summary}</p> : null}
        </div>
      ) : null}
      <p className="mt-3">
        <Link
          href={`/plans/${encodeURIComponent(planId)}/runs/${encodeURIComponent(runId)}`}
          className="text-blue-800 underline"
        >
          {t('log.runLink')}
        </Link>
      </p>
    </section>
  );
}
