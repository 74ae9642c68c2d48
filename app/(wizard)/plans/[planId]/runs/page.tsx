import Link from 'next/link';
import { StatusBadge } from '@/components/apply/status-badge';
import { recoveredRunStore } from '@/components/apply/recover';
import { formatDuration, formatStamp, runDurationMs } from '@/components/apply/run-view';
import { PageHeader } from '@/components/wizard/page-header';
import { requireSession } from '@/lib/auth/session';
import { getTranslator } from '@/lib/i18n/server';
import { loadPlan } from '@/app/_lib/plan-data';

export const dynamic = 'force-dynamic';

export default async function RunHistoryPage({ params }: { params: Promise<{ planId: string }> }) {
  const { planId } = await params;
  await requireSession(`/plans/${planId}/runs`);
  loadPlan(planId);
  const t = await getTranslator();
  const runs = recoveredRunStore().listRuns(planId);
  const cell = 'border-b border-slate-200 px-2 py-1.5 align-top';
  return (
    <>
      <PageHeader title={t('runs.title')} intro={t('runs.intro')} />
      {runs.length === 0 ? (
        <p className="mt-4">{t('runs.empty')}</p>
      ) : (
        <div className="mt-4 overflow-x-auto">
          <table className="w-full border-collapse bg-white text-sm" data-testid="runs">
            <caption className="sr-only">{t('runs.caption')}</caption>
            <thead>
              <tr className="text-left">
                <th scope="col" className="border-b border-slate-400 px-2 py-1.5">
                  {t('runs.col.stage')}
                </th>
                <th scope="col" className="border-b border-slate-400 px-2 py-1.5">
                  {t('runs.col.outcome')}
                </th>
                <th scope="col" className="border-b border-slate-400 px-2 py-1.5">
                  {t('runs.col.who')}
                </th>
                <th scope="col" className="border-b border-slate-400 px-2 py-1.5">
                  {t('runs.col.start')}
                </th>
                <th scope="col" className="border-b border-slate-400 px-2 py-1.5">
                  {t('runs.col.duration')}
                </th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => {
                const stageName = t(`stage.${run.stage}`);
                const start = formatStamp(run.startedAt);
                return (
                  <tr key={run.id} data-testid="run-row">
                    <th scope="row" className={`${cell} text-left font-normal`}>
                      <Link
                        href={`/plans/${encodeURIComponent(planId)}/runs/${encodeURIComponent(run.id)}`}
                        className="text-blue-800 underline"
                        aria-label={t('runs.open', { stage: stageName, start })}
                      >
                        {stageName}
                      </Link>
                    </th>
                    <td className={cell}>
                      <StatusBadge status={run.status} t={t} />
                      {run.status === 'refused' && run.summary ? (
                        <p className="mt-1 text-xs text-slate-700">{run.summary}</p>
                      ) : null}
                    </td>
                    <td className={cell}>{run.actor}</td>
                    <td className={`${cell} tabular-nums whitespace-nowrap`}>{start}</td>
                    <td className={`${cell} tabular-nums whitespace-nowrap`}>
                      {formatDuration(runDurationMs(run))}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
