import { MonitorForm } from '@/components/wizard/monitor-form';
import { PageHeader } from '@/components/wizard/page-header';
import { getTranslator } from '@/lib/i18n/server';
import { monitorDefaults } from '@/app/_lib/form-defaults';
import { loadPlan } from '@/app/_lib/plan-data';
import { pageValues } from '@/app/_lib/wizard-pages';

export default async function MonitorPage({ params }: { params: Promise<{ planId: string }> }) {
  const { planId } = await params;
  const t = await getTranslator();
  const plan = loadPlan(planId);
  return (
    <>
      <PageHeader title={t('page.monitor')} intro={t('monitor.intro')} />
      <MonitorForm
        key={plan.version}
        planId={planId}
        defaults={monitorDefaults(pageValues('monitor', plan.draft as never))}
        nextHref={`/plans/${planId}/shell`}
      />
    </>
  );
}
