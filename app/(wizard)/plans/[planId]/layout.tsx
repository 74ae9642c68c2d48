import Link from 'next/link';
import { ImportForm } from '@/components/wizard/import-form';
import { Stepper, type StepperItem } from '@/components/wizard/stepper';
import { getTranslator } from '@/lib/i18n/server';
import { getStore, type StageState } from '@/lib/store';
import { checkPlan, loadPlan } from '@/app/_lib/plan-data';
import { pageOfPath, pageTitleKeys, wizardPageIds } from '@/app/_lib/wizard-pages';
import { importIntoPlan } from '../../actions';

const stateTone: Record<StageState, StepperItem['tone']> = {
  'not-started': 'neutral',
  reviewed: 'busy',
  applying: 'busy',
  applied: 'good',
  failed: 'bad',
  interrupted: 'attention',
};

export default async function PlanLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ planId: string }>;
}) {
  const { planId } = await params;
  const t = await getTranslator();
  const plan = loadPlan(planId);
  const check = await checkPlan(planId);
  const invalidPages = new Set(check.ok ? [] : check.errors.map((e) => pageOfPath(e.path)));
  const states = getStore().getStageStates(planId);
  const base = `/plans/${planId}`;

  const pages: StepperItem[] = wizardPageIds.map((page) => ({
    href: `${base}/${page}`,
    label: t(pageTitleKeys[page]),
    status: invalidPages.has(page) ? t('stepper.hasErrors') : t('stepper.ok'),
    tone: invalidPages.has(page) ? 'attention' : 'good',
  }));
  const stages: StepperItem[] = states.map(({ stage, state }) => ({
    href: `${base}/review/${stage}`,
    label: t(`stage.${stage}`),
    status: t(`state.${state}`),
    tone: stateTone[state],
  }));

  return (
    <div className="grid gap-6 lg:grid-cols-[16rem_1fr]">
      <div className="space-y-4">
        <p>
          <Link href="/" className="text-sm text-blue-800 underline">
            ← {t('plan.allPlans')}
          </Link>
        </p>
        <div>
          <p className="text-lg font-semibold break-words">{plan.name}</p>
          <p className="text-sm text-slate-600">{t('plan.version', { version: plan.version })}</p>
        </div>
        <Stepper
          label={t('stepper.label')}
          pagesHeading={t('stepper.pages')}
          stagesHeading={t('stepper.stages')}
          pages={pages}
          stages={stages}
        />
        <ul className="space-y-2 border-t border-slate-300 pt-4 text-sm">
          <li>
            <Link href={`${base}/runs`} className="text-blue-800 underline">
              {t('plan.runs')}
            </Link>
          </li>
          {check.ok ? (
            <li>
              <Link href={`${base}/status`} className="text-blue-800 underline">
                {t('plan.status')}
              </Link>
            </li>
          ) : null}
          <li>
            <Link href={`${base}/dr`} className="text-blue-800 underline">
              {t('plan.dr')}
            </Link>
            {invalidPages.has('dr') ? (
              <span className="ml-1 inline-block rounded border border-amber-700 bg-amber-50 px-1.5 text-xs font-medium text-amber-900">
                <span aria-hidden="true">! </span>
                {t('stepper.hasErrors')}
              </span>
            ) : null}
          </li>
          <li>
            <a href={`${base}/download/plan`} download className="text-blue-800 underline">
              {t('plan.export')}
            </a>
          </li>
          {check.ok ? (
            <li>
              <a href={`${base}/download/all`} download className="text-blue-800 underline">
                {t('plan.downloadAll')}
              </a>
            </li>
          ) : null}
        </ul>
        <details className="text-sm">
          <summary className="cursor-pointer text-blue-800 underline">{t('plan.import.title')}</summary>
          <div className="mt-2">
            <ImportForm
              action={importIntoPlan.bind(null, planId)}
              legend={t('plan.import.title')}
              submitLabel={t('plan.import.submit')}
            />
          </div>
        </details>
      </div>
      <div className="min-w-0">{children}</div>
    </div>
  );
}
