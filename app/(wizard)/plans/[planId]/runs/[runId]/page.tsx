import Link from 'next/link';
import { notFound } from 'next/navigation';
import { FindingsTable } from '@/components/apply/findings-table';
import { MessageList, ResultSets } from '@/components/apply/message-list';
import { PrintButton } from '@/components/apply/print-button';
import { recoveredRunStore } from '@/components/apply/recover';
import { RefreshWhileRunning } from '@/components/apply/refresh-while-running';
import { findingsOf, formatDuration, formatStamp, runDurationMs } from '@/components/apply/run-view';
import { StatusBadge } from '@/components/apply/status-badge';
import { HighlightedCode } from '@/components/code/highlighted-code';
import { requireSession } from '@/lib/auth/session';
import { getTranslator } from '@/lib/i18n/server';
import type { MessageRecord } from '@/lib/store/run-store';
import { loadPlan } from '@/app/_lib/plan-data';
import './print.css';

export const dynamic = 'force-dynamic';

export default async function RunReportPage({
  params,
}: {
  params: Promise<{ planId: string; runId: string }>;
}) {
  const { planId, runId } = await params;
  await requireSession(`/plans/${planId}/runs/${runId}`);
  const plan = loadPlan(planId);
  const runs = recoveredRunStore();
  const run = runs.getRun(runId);
  if (!run || run.planId !== planId) notFound();
  const t = await getTranslator();
  const steps = runs.steps(runId);
  const messages = runs.messages(runId);
  const byStep = new Map<number | null, MessageRecord[]>();
  for (const m of messages) byStep.set(m.stepId, [...(byStep.get(m.stepId) ?? []), m]);
  const findings = findingsOf(messages);
  const stageName = t(`stage.${run.stage}`);
  const base = `/plans/${encodeURIComponent(planId)}/runs`;
  const th = 'border-b border-slate-400 px-2 py-1 text-left';
  const td = 'border-b border-slate-200 px-2 py-1 align-top';

  return (
    <article data-print-report aria-labelledby="run-title">
      <RefreshWhileRunning running={run.status === 'running'} />
      <p data-print-hide className="mb-3 text-sm">
        <Link href={base} className="text-blue-800 underline">
          ← {t('run.back')}
        </Link>
      </p>
      <header className="mb-4 space-y-2">
        <h1 id="run-title" className="text-2xl font-bold">
          {t('run.title', { stage: stageName })}
        </h1>
        <div data-print-hide className="flex flex-wrap gap-3">
          <PrintButton label={t('run.print')} />
          <a
            href={`${base}/${encodeURIComponent(runId)}/markdown`}
            download
            className="rounded border border-slate-500 bg-white px-3 py-1.5 font-semibold text-blue-900 underline hover:bg-slate-100"
          >
            {t('run.download')}
          </a>
        </div>
      </header>
      {run.status === 'running' ? <p className="mb-3 text-blue-900">{t('run.stillRunning')}</p> : null}

      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 rounded border border-slate-300 bg-white p-4 text-sm">
        <dt className="font-semibold">{t('run.plan')}</dt>
        <dd>{t('run.planVersion', { name: plan.name, version: run.planVersion })}</dd>
        <dt className="font-semibold">{t('run.stage')}</dt>
        <dd>
          {stageName} <span className="font-mono text-slate-600">({run.stage})</span>
        </dd>
        <dt className="font-semibold">{t('run.outcome')}</dt>
        <dd data-testid="run-status">
          <StatusBadge status={run.status} t={t} />
        </dd>
        <dt className="font-semibold">{t('run.who')}</dt>
        <dd>{run.actor}</dd>
        <dt className="font-semibold">{t('run.started')}</dt>
        <dd className="tabular-nums">{formatStamp(run.startedAt)}</dd>
        <dt className="font-semibold">{t('run.ended')}</dt>
        <dd className="tabular-nums">{formatStamp(run.endedAt)}</dd>
        <dt className="font-semibold">{t('run.duration')}</dt>
        <dd className="tabular-nums">{formatDuration(runDurationMs(run))}</dd>
        <dt className="font-semibold">{t('run.hash')}</dt>
        <dd className="font-mono break-all">{run.artifactHash}</dd>
        <dt className="font-semibold">{t('run.id')}</dt>
        <dd className="font-mono break-all">{run.id}</dd>
      </dl>
      {run.summary ? (
        <section aria-labelledby="run-summary" className="mt-4">
          <h2 id="run-summary" className="text-lg font-semibold">
            {t('run.summary')}
          </h2>
          <p className="mt-1" data-testid="run-summary">
            {run.summary}
          </p>
        </section>
      ) : null}

      {steps.length > 0 ? (
        <section aria-labelledby="run-steps" className="mt-6">
          <h2 id="run-steps" className="text-lg font-semibold">
            {t('run.steps')}
          </h2>
          <div className="mt-2 overflow-x-auto">
            <table className="w-full border-collapse bg-white text-sm">
              <caption className="sr-only">{t('run.stepsCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col" className={th}>
                    {t('run.col.n')}
                  </th>
                  <th scope="col" className={th}>
                    {t('run.col.server')}
                  </th>
                  <th scope="col" className={th}>
                    {t('run.col.step')}
                  </th>
                  <th scope="col" className={th}>
                    {t('run.col.outcome')}
                  </th>
                  <th scope="col" className={th}>
                    {t('run.col.duration')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {steps.map((step, i) => (
                  <tr key={step.id}>
                    <td className={`${td} tabular-nums`}>{i + 1}</td>
                    <td className={`${td} font-mono whitespace-nowrap`}>{step.target}</td>
                    <td className={td}>
                      <a href={`#step-${step.id}`} className="text-blue-800 underline">
                        {step.title}
                      </a>
                    </td>
                    <td className={td}>
                      <StatusBadge status={step.status} t={t} />
                    </td>
                    <td className={`${td} tabular-nums whitespace-nowrap`}>
                      {formatDuration(step.durationMs)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      <FindingsTable findings={findings} t={t} idPrefix="run" />
      <MessageList
        messages={(byStep.get(null) ?? []).filter((m) => m.kind !== 'finding')}
        label={t('run.general')}
      />

      {steps.map((step, i) => {
        const own = byStep.get(step.id) ?? [];
        return (
          <section
            key={step.id}
            id={`step-${step.id}`}
            aria-labelledby={`step-${step.id}-title`}
            className="mt-6 rounded border border-slate-300 bg-white p-4"
            data-step
          >
            <h2 id={`step-${step.id}-title`} className="text-lg font-semibold">
              {t('run.stepHeading', { n: i + 1, title: step.title })}
            </h2>
            <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-700">
              <span className="font-mono">{step.target}</span>
              <StatusBadge status={step.status} t={t} />
              <span className="tabular-nums">{formatDuration(step.durationMs)}</span>
              <span>
                {t('run.stepHash')}: <span className="font-mono break-all">{step.hash}</span>
              </span>
            </p>
            <div className="mt-2">
              <HighlightedCode
                code={step.text}
                language={step.language === 'powershell' ? 'powershell' : 'tsql'}
              />
            </div>
            <MessageList messages={own} label={`${t('log.messages')}: ${step.title}`} />
            <ResultSets messages={own} summary={(count) => t('log.resultRows', { count })} />
            {step.detail && step.status !== 'succeeded' ? (
              <p className="mt-2 text-sm whitespace-pre-wrap">
                <span className="font-semibold">{t('run.detail')}:</span> {step.detail}
              </p>
            ) : null}
          </section>
        );
      })}
    </article>
  );
}
