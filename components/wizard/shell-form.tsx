'use client';

import { useWatch } from 'react-hook-form';
import { RadioGroupField, TextField } from '@/components/form/fields';
import { useWizardForm, WizardForm } from '@/components/form/wizard-form';
import { useT } from '@/components/i18n-provider';
import { shellHostSchema } from '@/lib/plan/schema';

/** Where the SfB Management Shell runs. */
export function ShellForm({
  planId,
  defaults,
  nextHref,
}: {
  planId: string;
  defaults: Record<string, unknown>;
  nextHref: string;
}) {
  const t = useT();
  const form = useWizardForm(shellHostSchema, defaults as never);
  const kind = useWatch({ control: form.control, name: 'kind' as never }) as string;
  return (
    <WizardForm form={form as never} planId={planId} page="shell" nextHref={nextHref}>
      <RadioGroupField
        name="kind"
        legend={t('shell.legend')}
        options={[
          { value: 'local-windows-powershell', label: t('shell.local-windows-powershell') },
          { value: 'local-pwsh', label: t('shell.local-pwsh') },
          { value: 'remote', label: t('shell.remote') },
        ]}
      />
      {kind === 'remote' ? <TextField name="frontEnd" label={t('shell.frontEnd')} /> : null}
    </WizardForm>
  );
}
