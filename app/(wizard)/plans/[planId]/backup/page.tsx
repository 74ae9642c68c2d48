import { PageHeader } from '@/components/wizard/page-header';
import { BackupForm } from '@/components/wizard/backup-form';
import { getTranslator } from '@/lib/i18n/server';
import { defaultJobNames } from '@/lib/plan/defaults';
import { backupDefaults } from '@/app/_lib/form-defaults';
import { loadPlan } from '@/app/_lib/plan-data';
import { pageValues } from '@/app/_lib/wizard-pages';

export default async function BackupPage({ params }: { params: Promise<{ planId: string }> }) {
  const { planId } = await params;
  const t = await getTranslator();
  const plan = loadPlan(planId);
  const jobs = defaultJobNames(
    plan.draft.servers?.primary?.name || '<primary>',
    plan.draft.database || 'mgc',
  );
  return (
    <>
      <PageHeader title={t('page.backup')} intro={t('backup.intro')} />
      <BackupForm
        key={plan.version}
        planId={planId}
        defaults={backupDefaults(pageValues('backup', plan.draft as never))}
        nextHref={`/plans/${planId}/secondary`}
        defaultJobName={jobs.backup}
      />
    </>
  );
}
