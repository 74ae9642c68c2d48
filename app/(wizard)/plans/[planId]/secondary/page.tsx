import { PageHeader } from '@/components/wizard/page-header';
import { SecondaryForm } from '@/components/wizard/secondary-form';
import { getTranslator } from '@/lib/i18n/server';
import { defaultJobNames } from '@/lib/plan/defaults';
import { secondaryDefaults } from '@/app/_lib/form-defaults';
import { loadPlan } from '@/app/_lib/plan-data';
import { pageValues } from '@/app/_lib/wizard-pages';

export default async function SecondaryPage({ params }: { params: Promise<{ planId: string }> }) {
  const { planId } = await params;
  const t = await getTranslator();
  const plan = loadPlan(planId);
  const primaryName = plan.draft.servers?.primary?.name || undefined;
  const database = plan.draft.database || 'mgc';
  const jobs = defaultJobNames(primaryName ?? '<primary>', database);
  return (
    <>
      <PageHeader title={t('page.secondary')} intro={t('secondary.intro')} />
      <SecondaryForm
        key={plan.version}
        planId={planId}
        defaults={secondaryDefaults(pageValues('secondary', plan.draft as never))}
        nextHref={`/plans/${planId}/monitor`}
        defaultJobNames={jobs}
        database={database}
        primaryName={primaryName}
      />
    </>
  );
}
