'use client';

import { useWatch } from 'react-hook-form';
import { FieldGroup, RadioGroupField, TextField } from '@/components/form/fields';
import { useWizardForm, WizardForm } from '@/components/form/wizard-form';
import { useT } from '@/components/i18n-provider';
import { monitorSchema } from '@/lib/plan/schema';
import { ServerFields } from './server-fields';

/** The SSMS Log Shipping Monitor Settings dialog. */
export function MonitorForm({
  planId,
  defaults,
  nextHref,
}: {
  planId: string;
  defaults: Record<string, unknown>;
  nextHref: string;
}) {
  const t = useT();
  const form = useWizardForm(monitorSchema, defaults as never);
  const enabled = useWatch({ control: form.control, name: 'enabled' as never }) as unknown as boolean;
  const jobAuth = useWatch({ control: form.control, name: 'jobAuth.mode' as never }) as unknown as string;
  return (
    <WizardForm form={form as never} planId={planId} page="monitor" nextHref={nextHref}>
      <RadioGroupField
        name="enabled"
        legend={t('monitor.legend')}
        options={[
          { value: false, label: t('monitor.none') },
          { value: true, label: t('monitor.use') },
        ]}
      />
      {enabled ? (
        <>
          <ServerFields prefix="server" legend={t('monitor.server')} />
          <FieldGroup legend={t('monitor.jobAuth')}>
            <RadioGroupField
              name="jobAuth.mode"
              legend={t('monitor.jobAuth')}
              hint={t('monitor.passwordNote')}
              options={[
                { value: 'windows', label: t('monitor.jobAuth.windows') },
                { value: 'sql', label: t('monitor.jobAuth.sql') },
              ]}
            />
            {jobAuth === 'sql' ? (
              <TextField name="jobAuth.login" label={t('auth.login')} autoComplete="username" />
            ) : null}
          </FieldGroup>
        </>
      ) : null}
    </WizardForm>
  );
}
