'use client';

import { CheckboxField, FieldGroup, RadioGroupField, TextField } from '@/components/form/fields';
import { useWizardForm, WizardForm } from '@/components/form/wizard-form';
import { useT } from '@/components/i18n-provider';
import { backupSettingsSchema } from '@/lib/plan/schema';
import { JobFields } from './job-fields';

/** The SSMS Transaction Log Backup Settings dialog. */
export function BackupForm({
  planId,
  defaults,
  nextHref,
  defaultJobName,
}: {
  planId: string;
  defaults: Record<string, unknown>;
  nextHref: string;
  defaultJobName: string;
}) {
  const t = useT();
  const form = useWizardForm(backupSettingsSchema, defaults as never);
  return (
    <WizardForm form={form as never} planId={planId} page="backup" nextHref={nextHref}>
      <FieldGroup legend={t('page.backup')}>
        <TextField
          name="share"
          label={t('backup.share')}
          hint={t('backup.shareHint')}
          placeholder="\\FS01\PChatLogShip"
        />
        <TextField name="localPath" label={t('backup.localPath')} optional hint={t('backup.localPathHint')} />
        <CheckboxField name="serviceRunsAsLocalSystem" label={t('backup.localSystem')} />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField name="retentionMinutes" label={t('backup.retention')} inputMode="numeric" />
          <TextField name="historyRetentionMinutes" label={t('backup.history')} inputMode="numeric" />
          <TextField name="alertThresholdMinutes" label={t('backup.alert')} inputMode="numeric" />
          <div className="sm:pt-8">
            <CheckboxField name="alertEnabled" label={t('backup.alertEnabled')} />
          </div>
        </div>
      </FieldGroup>
      <JobFields prefix="" legend={t('backup.job')} defaultName={defaultJobName} />
      <div className="rounded border border-slate-300 p-4">
        <RadioGroupField
          name="compression"
          legend={t('compression.legend')}
          options={[
            { value: 'server-default', label: t('compression.server-default') },
            { value: 'compress', label: t('compression.compress') },
            { value: 'no-compress', label: t('compression.no-compress') },
          ]}
        />
      </div>
    </WizardForm>
  );
}
