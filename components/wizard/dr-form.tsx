'use client';

import { useEffect } from 'react';
import { CheckboxField, FieldGroup, RadioGroupField, TextListField } from '@/components/form/fields';
import { useWizardForm, WizardForm } from '@/components/form/wizard-form';
import { useT } from '@/components/i18n-provider';
import { drFormSchema } from '@/app/_lib/wizard-pages';

/** The answers the DR runbooks need: which servers stand in which data center, reachability, teardown's choice. */
export function DrForm({
  planId,
  defaults,
  secondaryDatabase,
}: {
  planId: string;
  defaults: Record<string, unknown>;
  secondaryDatabase: string;
}) {
  const t = useT();
  const form = useWizardForm(drFormSchema, defaults as never);
  // The page stays after saving, so the form is not remounted with a new plan version: a plan imported meanwhile
  // (from the side panel) is brought in here instead.
  const incoming = JSON.stringify(defaults);
  const { reset } = form;
  useEffect(() => {
    reset(JSON.parse(incoming) as never);
  }, [incoming, reset]);

  return (
    <WizardForm form={form as never} planId={planId} page="dr" submitLabel={t('dr.save')}>
      <FieldGroup legend={t('dr.servers')}>
        <p className="text-sm text-slate-700">{t('dr.serversHint')}</p>
        <TextListField
          name="primarySiteServers"
          legend={t('dr.primarySiteServers')}
          hint={t('dr.primarySiteServersHint')}
          itemLabel={(n) => t('dr.primarySiteServer', { n })}
          addLabel={t('dr.addPrimary')}
          removeLabel={(n) => t('dr.removePrimary', { n })}
          removeText={t('dr.remove')}
          emptyText={t('dr.noServers')}
          placeholder="pchat01.contoso.com"
        />
        <TextListField
          name="backupSiteServers"
          legend={t('dr.backupSiteServers')}
          hint={t('dr.backupSiteServersHint')}
          itemLabel={(n) => t('dr.backupSiteServer', { n })}
          addLabel={t('dr.addBackup')}
          removeLabel={(n) => t('dr.removeBackup', { n })}
          removeText={t('dr.remove')}
          emptyText={t('dr.noServers')}
          placeholder="pchatdr01.contoso.com"
        />
      </FieldGroup>
      <div className="rounded border border-slate-300 p-4">
        <RadioGroupField
          name="primaryReachable"
          legend={t('dr.reachable.legend')}
          hint={t('dr.reachable.hint')}
          options={[
            { value: true, label: t('dr.reachable.yes'), description: t('dr.reachable.yesMeans') },
            { value: false, label: t('dr.reachable.no'), description: t('dr.reachable.noMeans') },
          ]}
        />
      </div>
      <div className="rounded border border-slate-300 p-4">
        <CheckboxField
          name="dropBackupDatabaseOnTeardown"
          label={t('dr.dropBackupDatabase', { db: secondaryDatabase })}
          hint={t('dr.dropBackupDatabaseHint', { db: secondaryDatabase })}
        />
      </div>
    </WizardForm>
  );
}
