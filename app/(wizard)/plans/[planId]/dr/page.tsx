import Link from 'next/link';
import { DrForm } from '@/components/wizard/dr-form';
import { PageHeader } from '@/components/wizard/page-header';
import { getTranslator } from '@/lib/i18n/server';
import { runbookStageIds } from '@/lib/stages/ids';
import { drDefaults } from '@/app/_lib/form-defaults';
import { loadPlan } from '@/app/_lib/plan-data';
import { pageValues } from '@/app/_lib/wizard-pages';

export default async function DisasterRecoveryPage({ params }: { params: Promise<{ planId: string }> }) {
  const { planId } = await params;
  const t = await getTranslator();
  const plan = loadPlan(planId);
  const base = `/plans/${planId}`;
  return (
    <>
      <PageHeader title={t('page.dr')} intro={t('dr.intro')} />
      <section aria-labelledby="dr-runbooks" className="mb-8 max-w-3xl">
        <h2 id="dr-runbooks" className="text-xl font-semibold">
          {t('dr.runbooks')}
        </h2>
        <div className="mt-3 space-y-4">
          {runbookStageIds.map((stage) => (
            <section key={stage} aria-labelledby={`about-${stage}`}>
              <h3 id={`about-${stage}`} className="font-semibold">
                {t(`stage.${stage}`)}
              </h3>
              <p className="mt-1 text-sm font-medium text-slate-800">{t(`dr.when.${stage}`)}</p>
              <p className="mt-1 text-slate-700">{t(`dr.about.${stage}`)}</p>
            </section>
          ))}
        </div>
      </section>
      <section aria-labelledby="dr-answers">
        <h2 id="dr-answers" className="mb-1 text-xl font-semibold">
          {t('dr.answers')}
        </h2>
        <p className="mb-4 max-w-3xl text-slate-700">{t('dr.answersIntro')}</p>
        <DrForm
          planId={planId}
          defaults={drDefaults(pageValues('dr', plan.draft as never))}
          secondaryDatabase={plan.draft.secondaryDatabase || 'mgc'}
        />
      </section>
      <section aria-labelledby="dr-review" id="runbooks" className="mt-8 border-t border-slate-300 pt-4">
        <h2 id="dr-review" className="text-xl font-semibold">
          {t('dr.review')}
        </h2>
        <p className="mt-1 max-w-3xl text-slate-700">{t('dr.reviewIntro')}</p>
        <ul className="mt-3 list-disc space-y-1 pl-6">
          {runbookStageIds.map((stage) => (
            <li key={stage}>
              <Link href={`${base}/review/${stage}`} className="text-blue-800 underline">
                {t('dr.reviewLink', { name: t(`stage.${stage}`) })}
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
