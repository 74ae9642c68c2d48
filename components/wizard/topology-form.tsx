'use client';

import { CheckboxField, FieldGroup, TextField } from '@/components/form/fields';
import { useWizardForm, WizardForm } from '@/components/form/wizard-form';
import { useT } from '@/components/i18n-provider';
import { serverRoles } from '@/lib/stages/ids';
import { topologyFormSchema } from '@/app/_lib/wizard-pages';
import { ServerFields } from './server-fields';

export function TopologyForm({
  planId,
  defaults,
  nextHref,
}: {
  planId: string;
  defaults: Record<string, unknown>;
  nextHref: string;
}) {
  const t = useT();
  const form = useWizardForm(topologyFormSchema, defaults as never);
  return (
    <WizardForm form={form as never} planId={planId} page="topology" nextHref={nextHref}>
      <TextField name="name" label={t('topology.planName')} />
      <FieldGroup legend={t('topology.pool')}>
        <TextField name="pool.fqdn" label={t('topology.poolFqdn')} hint={t('topology.poolFqdnHint')} />
        <CheckboxField name="pool.compliance" label={t('topology.compliance')} />
      </FieldGroup>
      <FieldGroup legend={t('topology.databases')}>
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField name="database" label={t('topology.database')} />
          <TextField name="secondaryDatabase" label={t('topology.secondaryDatabase')} />
        </div>
      </FieldGroup>
      <div className="grid gap-6 xl:grid-cols-2">
        {serverRoles.map((role) => (
          <ServerFields key={role} prefix={`servers.${role}`} legend={t(`role.${role}`)} />
        ))}
      </div>
    </WizardForm>
  );
}
