import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ApplySection } from '@/components/apply/apply-section';
import { CopyButton } from '@/components/code/copy-button';
import { HighlightedCode } from '@/components/code/highlighted-code';
import { RefreshOnce } from '@/components/refresh-once';
import { PageHeader } from '@/components/wizard/page-header';
import { getTranslator } from '@/lib/i18n/server';
import { translatedMissing, translatedStageSummary } from '@/lib/i18n/stage-summary';
import { targetFileName } from '@/lib/stages/files';
import { afterFailbackStageIds, isSetupStageId, isStageId, setupStageIds } from '@/lib/stages/ids';
import { missingForStage } from '@/lib/stages/runbooks';
import { getStore } from '@/lib/store';
import { checkPlan, generateForReview, generationDate, loadPlan } from '@/app/_lib/plan-data';
import { fieldId, pageOfPath, pageTitleKeys, pathInPage } from '@/app/_lib/wizard-pages';

export default async function ReviewPage({ params }: { params: Promise<{ planId: string; stage: string }> }) {
  const { planId, stage } = await params;
  if (!isStageId(stage)) notFound();
  const t = await getTranslator();
  const record = loadPlan(planId);
  const check = await checkPlan(planId);
  const setup = isSetupStageId(stage);
  const position = setup ? setupStageIds.indexOf(stage) : -1;
  const previous = setup ? setupStageIds[position - 1] : undefined;
  const next = setup ? setupStageIds[position + 1] : undefined;
  const base = `/plans/${planId}`;
  const drPage = `${base}/dr`;

  // A runbook is not a step of the setup flow: it leads back to the page that explains the runbooks instead.
  const nav = setup ? (
    <nav
      aria-label={t('stepper.stages')}
      className="mt-8 flex justify-between gap-4 border-t border-slate-300 pt-4"
    >
      {previous ? (
        <Link href={`${base}/review/${previous}`} className="text-blue-800 underline">
          ← {t('review.previous', { name: t(`stage.${previous}`) })}
        </Link>
      ) : (
        <span />
      )}
      {next ? (
        <Link href={`${base}/review/${next}`} className="text-blue-800 underline">
          {t('review.next', { name: t(`stage.${next}`) })} →
        </Link>
      ) : null}
    </nav>
  ) : (
    <p className="mt-8 border-t border-slate-300 pt-4">
      <Link href={drPage} className="text-blue-800 underline">
        ← {t('review.backToDr')}
      </Link>
    </p>
  );

  if (!check.ok) {
    return (
      <>
        <PageHeader title={t(`stage.${stage}`)} />
        <section aria-labelledby="invalid-title" className="rounded border border-amber-700 bg-amber-50 p-4">
          <h2 id="invalid-title" className="text-lg font-semibold text-amber-950">
            ! {t('review.invalidTitle')}
          </h2>
          <p className="mt-1">{t('review.invalidIntro')}</p>
          <ul className="mt-3 list-disc space-y-1 pl-6">
            {check.errors.map((error, i) => {
              const page = pageOfPath(error.path);
              return (
                <li key={`${error.path}-${i}`}>
                  <Link
                    href={`${base}/${page}#${fieldId(pathInPage(error.path))}`}
                    className="text-blue-800 underline"
                  >
                    {error.message}
                  </Link>{' '}
                  <span className="text-slate-700">
                    ({t('review.fixOn', { page: t(pageTitleKeys[page]) })})
                  </span>
                </li>
              );
            })}
          </ul>
        </section>
        {nav}
      </>
    );
  }

  const plan = check.plan;
  const generated = generateForReview(plan, stage, generationDate(record));
  // The stepper tracks the setup stages only; a runbook's runs are in the run history.
  const recorded =
    setup && generated.ok
      ? getStore().recordReview(planId, stage, generated.artifacts.hash, record.version)
      : false;
  const missing = missingForStage(plan, stage);

  return (
    <>
      <RefreshOnce when={recorded} />
      <PageHeader title={t(`stage.${stage}`)} />
      <p className="text-sm text-slate-600">
        {setup ? t('review.position', { n: position + 1, total: setupStageIds.length }) : t('review.runbook')}
      </p>
      {stage === 'dr-failover' ? (
        <section
          aria-labelledby="reachability-title"
          className={`mt-3 max-w-3xl rounded border-2 p-4 ${plan.dr.primaryReachable ? 'border-green-800 bg-green-50' : 'border-amber-700 bg-amber-50'}`}
        >
          <h2 id="reachability-title" className="text-lg font-semibold">
            {plan.dr.primaryReachable ? t('review.reachable.title') : t('review.lost.title')}
          </h2>
          <p className="mt-1">
            {plan.dr.primaryReachable ? t('review.reachable.body') : t('review.lost.body')}
          </p>
          <p className="mt-2">
            <Link href={`${drPage}#${fieldId('primaryReachable')}`} className="text-blue-800 underline">
              {t('review.changeReachable')}
            </Link>
          </p>
        </section>
      ) : null}
      <p className="mt-2 max-w-3xl text-lg">{translatedStageSummary(t, plan, stage)}</p>
      {missing.length > 0 ? (
        <section
          aria-labelledby="missing-title"
          className="mt-4 rounded border border-amber-700 bg-amber-50 p-4"
        >
          <h2 id="missing-title" className="text-lg font-semibold text-amber-950">
            ! {t('review.missingTitle')}
          </h2>
          <p className="mt-1">{t('review.missingIntro')}</p>
          <ul className="mt-3 list-disc space-y-1 pl-6">
            {missing.map((m) => (
              <li key={m.field}>
                <Link
                  href={`${base}/${pageOfPath(m.field)}#${fieldId(pathInPage(m.field))}`}
                  className="text-blue-800 underline"
                >
                  {translatedMissing(t, m)}
                </Link>{' '}
                <span className="text-slate-700">
                  ({t('review.fixOn', { page: t(pageTitleKeys[pageOfPath(m.field)]) })})
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {!generated.ok ? (
        <p role="alert" className="mt-4 rounded border border-red-800 bg-red-50 p-3 text-red-900">
          {t('review.unavailable', { message: generated.message })}
        </p>
      ) : (
        <>
          <dl className="mt-3 grid grid-cols-[max-content_1fr] gap-x-3 gap-y-1 text-sm">
            <dt className="text-slate-600">{t('review.generatedFor')}</dt>
            <dd className="tabular-nums">{generated.artifacts.generatedFor}</dd>
            <dt className="text-slate-600">{t('review.stageHash')}</dt>
            <dd className="font-mono break-all" data-testid="stage-hash">
              {generated.artifacts.hash}
            </dd>
          </dl>
          {generated.artifacts.targets.length === 0 ? <p className="mt-4">{t('review.noTargets')}</p> : null}
          <div className="mt-6 space-y-8">
            {generated.artifacts.targets.map((target, index) => {
              const file = targetFileName(stage, index, target);
              const heading =
                target.language === 'tsql'
                  ? t('review.targetSql', {
                      role: t(`role.${target.target.role}`),
                      server: target.target.serverName,
                    })
                  : t('review.targetShell', { host: target.target.host });
              const steps =
                target.language === 'tsql'
                  ? target.batches.map((b) => ({
                      id: b.id,
                      title: b.title,
                      text: b.sql,
                      readOnly: b.readOnly,
                      longRunning: b.longRunning,
                      hash: b.hash,
                    }))
                  : target.commands.map((c) => ({
                      id: c.id,
                      title: c.title,
                      text: c.script,
                      readOnly: c.readOnly,
                      longRunning: false,
                      hash: c.hash,
                    }));
              const headingId = `target-${index}`;
              return (
                <section
                  key={file}
                  aria-labelledby={headingId}
                  className="rounded border border-slate-300 bg-white p-4"
                  data-testid="target"
                >
                  <div className="flex flex-wrap items-baseline justify-between gap-2">
                    <h2 id={headingId} className="text-xl font-semibold">
                      {index + 1}. {heading}
                    </h2>
                    <a
                      href={`${base}/download/stages/${stage}/${encodeURIComponent(file)}`}
                      download={file}
                      className="text-blue-800 underline"
                    >
                      {t('review.download', { file })}
                    </a>
                  </div>
                  <p className="mt-1 text-sm text-slate-600">
                    {t('review.hash')}: <span className="font-mono break-all">{target.hash}</span>
                  </p>
                  <ol className="mt-4 space-y-6">
                    {steps.map((step, n) => {
                      const codeId = `code-${index}-${n}`;
                      return (
                        <li key={step.id} className="space-y-2" data-testid="batch">
                          <h3 className="font-semibold">
                            {t('review.batch', { n: n + 1 })}: {step.title}
                          </h3>
                          <p className="flex flex-wrap items-center gap-2 text-xs">
                            <span
                              className={`rounded border px-1.5 py-0.5 ${step.readOnly ? 'border-green-800 text-green-900' : 'border-amber-700 text-amber-900'}`}
                            >
                              {step.readOnly ? t('review.readOnly') : t('review.changes')}
                            </span>
                            {step.longRunning ? (
                              <span className="rounded border border-slate-500 px-1.5 py-0.5 text-slate-700">
                                {t('review.longRunning')}
                              </span>
                            ) : null}
                            <span className="text-slate-600">
                              {t('review.hash')}: <span className="font-mono">{step.hash}</span>
                            </span>
                            <CopyButton
                              text={step.text}
                              label={t('review.copyLabel', {
                                what: `${t('review.batch', { n: n + 1 })}: ${step.title}`,
                              })}
                            />
                          </p>
                          <HighlightedCode code={step.text} language={target.language} id={codeId} />
                        </li>
                      );
                    })}
                  </ol>
                </section>
              );
            })}
          </div>
          {missing.length === 0 ? (
            <ApplySection planId={planId} stage={stage} plan={plan} artifacts={generated.artifacts} />
          ) : null}
        </>
      )}
      {stage === 'dr-failback' ? (
        <section
          aria-labelledby="after-failback-title"
          className="mt-8 rounded border border-slate-300 bg-white p-4"
        >
          <h2 id="after-failback-title" className="text-xl font-semibold">
            {t('review.afterFailback.title')}
          </h2>
          <p className="mt-1 max-w-3xl">{t('review.afterFailback.intro')}</p>
          <ol className="mt-3 list-decimal space-y-1 pl-6">
            {afterFailbackStageIds.map((next) => (
              <li key={next}>
                <Link href={`${base}/review/${next}`} className="text-blue-800 underline">
                  {t(`stage.${next}`)}
                </Link>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      {nav}
    </>
  );
}
