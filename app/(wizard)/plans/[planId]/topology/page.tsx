import { PageHeader } from '@/components/wizard/page-header';
import { TopologyForm } from '@/components/wizard/topology-form';
import { getTranslator } from '@/lib/i18n/server';
import { topologyDefaults } from '@/app/_lib/form-defaults';
import { loadPlan } from '@/app/_lib/plan-data';
import { pageValues } from '@/app/_lib/wizard-pages';

export default async function TopologyPage({ params }: { params: Promise<{ planId: string }> }) {
  const { planId } = await params;
  const t = await getTranslator();
  const plan = loadPlan(planId);
  const defaults = topologyDefaults(pageValues('topology', plan.draft as never));
  return (
    <>
      <PageHeader title={t('page.topology')} intro={t('topology.intro')} />
      <TopologyForm
        key={plan.version}
        planId={planId}
        defaults={defaults}
        nextHref={`/plans/${planId}/backup`}
      />
    </>
  );
}
