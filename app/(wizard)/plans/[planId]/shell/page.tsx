import { PageHeader } from '@/components/wizard/page-header';
import { ShellForm } from '@/components/wizard/shell-form';
import { getTranslator } from '@/lib/i18n/server';
import { shellDefaults } from '@/app/_lib/form-defaults';
import { loadPlan } from '@/app/_lib/plan-data';
import { pageValues } from '@/app/_lib/wizard-pages';

export default async function ShellPage({ params }: { params: Promise<{ planId: string }> }) {
  const { planId } = await params;
  const t = await getTranslator();
  const plan = loadPlan(planId);
  return (
    <>
      <PageHeader title={t('page.shell')} intro={t('shell.intro')} />
      <ShellForm
        key={plan.version}
        planId={planId}
        defaults={shellDefaults(pageValues('shell', plan.draft as never))}
        nextHref={`/plans/${planId}/review/topology`}
      />
    </>
  );
}
