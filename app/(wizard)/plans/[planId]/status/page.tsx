import { AutoRefresh } from '@/components/status/auto-refresh';
import { PoolSection } from '@/components/status/pool-section';
import { PageHeader } from '@/components/wizard/page-header';
import { requireSession } from '@/lib/auth/session';
import { secretSourceFor } from '@/lib/auth/vault';
import { getTranslator } from '@/lib/i18n/server';
import { SqlExecutor } from '@/lib/sql/execute';
import { sharedShellReader } from '@/lib/shell/shared-reader';
import { shellOptionsFor } from '@/lib/stages/service';
import { evaluateStatus, poolReadTimeoutMs, readStatus, type StatusReport } from '@/lib/stages/status';
import { checkPlan, loadPlan } from '@/app/_lib/plan-data';

const verdictStyle: Record<StatusReport['verdict'], string> = {
  healthy: 'border-green-800 bg-green-50 text-green-900',
  degraded: 'border-amber-800 bg-amber-50 text-amber-950',
  unreachable: 'border-red-800 bg-red-50 text-red-900',
};

const cell = 'border border-slate-300 px-2 py-1 text-left align-top';

export default async function StatusPage({ params }: { params: Promise<{ planId: string }> }) {
  const { planId } = await params;
  const session = await requireSession(`/plans/${planId}/status`);
  const t = await getTranslator();
  loadPlan(planId);
  const check = await checkPlan(planId);
  if (!check.ok) {
    return (
      <>
        <PageHeader title={t('status.title')} />
        <p role="alert">{t('status.invalidPlan')}</p>
      </>
    );
  }
  const plan = check.plan;
  const sql = new SqlExecutor(secretSourceFor(session.id, plan));
  // The pool is read in a session kept warm between refreshes: pwsh and the SfB module start once, not every 30 s.
  // A read stuck past the page's deadline is stopped by the session's own timeout, and the next read starts afresh.
  const shell = sharedShellReader({ ...shellOptionsFor(plan), timeoutMs: poolReadTimeoutMs });
  let report: StatusReport;
  try {
    report = evaluateStatus(plan, await readStatus(plan, { sql, shell }));
  } finally {
    await sql.close();
  }
  const none = t('status.none');
  const show = (v: string | number | null) => (v === null || v === '' ? none : String(v));
  const threshold = (crossed: boolean) => (crossed ? t('status.crossed') : t('status.within'));

  return (
    <>
      <PageHeader title={t('status.title')} />
      <p className="max-w-3xl text-slate-700">{t('status.intro')}</p>
      <div
        role="status"
        data-testid="status-verdict"
        data-verdict={report.verdict}
        className={`mt-4 rounded border-2 p-3 text-lg font-semibold ${verdictStyle[report.verdict]}`}
      >
        {report.verdict === 'degraded' && report.pool.state === 'FailedOver'
          ? t('status.pool.verdict.failedOver')
          : t(`status.verdict.${report.verdict}`)}
      </div>
      <p className="mt-2 text-sm text-slate-600">
        {t('status.readAt', { time: new Date().toISOString().slice(0, 19).replace('T', ' ') })}
      </p>
      <div className="mt-2">
        <AutoRefresh
          seconds={30}
          labels={{
            every: t('status.autoRefresh', { seconds: 30 }),
            pause: t('status.pause'),
            resume: t('status.resume'),
            now: t('status.refreshNow'),
          }}
        />
      </div>
      <PoolSection pool={report.pool} t={t} />
      {report.reasons.length > 0 ? (
        <section className="mt-4" aria-labelledby="status-reasons">
          <h2 id="status-reasons" className="text-lg font-semibold">
            {t('status.reasons')}
          </h2>
          <ul className="list-disc pl-6">
            {report.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </section>
      ) : null}
      {report.warnings.length > 0 ? (
        <section className="mt-4" aria-labelledby="status-warnings">
          <h2 id="status-warnings" className="text-lg font-semibold">
            {t('status.pool.warnings')}
          </h2>
          <ul className="list-disc pl-6" data-testid="status-warnings">
            {report.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </section>
      ) : null}
      {report.notes.length > 0 ? (
        <section className="mt-4" aria-labelledby="status-notes">
          <h2 id="status-notes" className="text-lg font-semibold">
            {t('status.notes')}
          </h2>
          <ul className="list-disc pl-6">
            {report.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </section>
      ) : null}

      <section tabIndex={0} className="mt-6 overflow-x-auto" aria-labelledby="status-primaries">
        <h2 id="status-primaries" className="text-lg font-semibold">
          {t('status.primaries')}
        </h2>
        <table className="mt-2 border-collapse text-sm">
          <caption className="sr-only">{t('status.primariesCaption')}</caption>
          <thead>
            <tr>
              {(['server', 'role', 'lastBackup', 'age', 'threshold', 'crossed', 'jobs'] as const).map((c) => (
                <th key={c} scope="col" className={cell}>
                  {t(`status.col.${c}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {report.primaries.map((p) => (
              <tr key={p.server}>
                <th scope="row" className={cell}>
                  {p.server}
                </th>
                <td className={cell}>{show(p.mirroringRole)}</td>
                <td className={`${cell} font-mono`}>{show(p.lastBackupFile)}</td>
                <td className={cell}>{show(p.minutesSinceBackup)}</td>
                <td className={cell}>{show(p.threshold)}</td>
                <td className={cell}>{p.active ? threshold(p.crossed) : none}</td>
                <td className={cell}>{p.job ? `${p.job.name}: ${show(p.job.lastRun)}` : none}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section tabIndex={0} className="mt-6 overflow-x-auto" aria-labelledby="status-secondary">
        <h2 id="status-secondary" className="text-lg font-semibold">
          {t('status.secondary')}
        </h2>
        <table className="mt-2 border-collapse text-sm">
          <caption className="sr-only">{t('status.secondaryCaption')}</caption>
          <thead>
            <tr>
              {(
                [
                  'server',
                  'lastCopy',
                  'lastRestore',
                  'age',
                  'latency',
                  'threshold',
                  'crossed',
                  'jobs',
                ] as const
              ).map((c) => (
                <th key={c} scope="col" className={cell}>
                  {t(`status.col.${c}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row" className={cell}>
                {report.secondary.server}
              </th>
              <td className={`${cell} font-mono`}>{show(report.secondary.lastCopiedFile)}</td>
              <td className={`${cell} font-mono`}>{show(report.secondary.lastRestoredFile)}</td>
              <td className={cell}>{show(report.secondary.minutesSinceRestore)}</td>
              <td className={cell}>{show(report.secondary.latencyMinutes)}</td>
              <td className={cell}>{show(report.secondary.threshold)}</td>
              <td className={cell}>
                {report.secondary.configured ? threshold(report.secondary.crossed) : none}
              </td>
              <td className={cell}>
                {report.secondary.jobs.map((j) => `${j.name}: ${show(j.lastRun)}`).join(', ') || none}
              </td>
            </tr>
          </tbody>
        </table>
      </section>

      <section tabIndex={0} className="mt-6 overflow-x-auto" aria-labelledby="status-instances">
        <h2 id="status-instances" className="text-lg font-semibold">
          {t('status.instances')}
        </h2>
        <table className="mt-2 border-collapse text-sm">
          <caption className="sr-only">{t('status.instancesCaption')}</caption>
          <thead>
            <tr>
              {(['server', 'reachable', 'agent', 'database', 'mirroring'] as const).map((c) => (
                <th key={c} scope="col" className={cell}>
                  {t(`status.col.${c}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {report.instances.map((i) => (
              <tr key={i.server}>
                <th scope="row" className={cell}>
                  {i.server}
                </th>
                <td className={cell}>
                  {i.reachable ? t('status.yes') : `${t('status.no')}: ${show(i.error)}`}
                </td>
                <td className={cell}>{i.agent}</td>
                <td className={cell}>{show(i.databaseState)}</td>
                <td className={cell}>
                  {show(i.mirroringRole)} {i.mirroringState ? `(${i.mirroringState})` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="mt-6" aria-labelledby="status-errors">
        <h2 id="status-errors" className="text-lg font-semibold">
          {t('status.errors', { count: report.errors.length })}
        </h2>
        {report.errors.length === 0 ? (
          <p>{t('status.noErrors')}</p>
        ) : (
          <ul className="space-y-2">
            {report.errors.map((e, i) => (
              <li key={`${e.server}-${i}`}>
                <details>
                  <summary>
                    {e.server} · {e.agent} · {show(e.at)}
                  </summary>
                  <p className="font-mono text-sm whitespace-pre-wrap">{e.message}</p>
                  {e.source ? <p className="text-sm text-slate-600">{e.source}</p> : null}
                </details>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
