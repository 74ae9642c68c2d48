'use client';

import { useState } from 'react';
import { useFormState, useWatch } from 'react-hook-form';
import { CheckboxField, FieldGroup, RadioGroupField, TextField } from '@/components/form/fields';
import { useWizardForm, WizardForm } from '@/components/form/wizard-form';
import { useT } from '@/components/i18n-provider';
import { Tabs } from '@/components/ui/tabs';
import { secondarySettingsSchema } from '@/lib/plan/schema';
import { DatabaseFilesField } from './database-files-field';
import { JobFields } from './job-fields';

const tabIds = ['initialise', 'copy', 'restore'] as const;
type TabId = (typeof tabIds)[number];

/** The SSMS Secondary Database Settings dialog, with its three tabs. */
export function SecondaryForm({
  planId,
  defaults,
  nextHref,
  defaultJobNames,
  database,
  primaryName,
}: {
  planId: string;
  defaults: Record<string, unknown>;
  nextHref: string;
  defaultJobNames: { copy: string; restore: string };
  /** The primary database and store as the Topology page names them, for reading the database's files. */
  database: string;
  primaryName: string | undefined;
}) {
  const t = useT();
  const form = useWizardForm(secondarySettingsSchema, defaults as never);
  const [tab, setTab] = useState<TabId>('initialise');
  const { errors } = useFormState({ control: form.control });
  const initMode = useWatch({ control: form.control, name: 'initialise.mode' as never }) as string;
  const restoreMode = useWatch({ control: form.control, name: 'restore.mode' as never }) as string;

  const label = (id: TabId) => (
    <>
      {t(`secondary.tab.${id}`)}
      {errors[id] ? <span className="ml-1 text-red-800">{t('secondary.tabHasErrors')}</span> : null}
    </>
  );

  // Fields of a hidden tab cannot take focus: open the first tab holding an error, then focus its field. A control
  // that cannot carry aria-invalid (the button that reads the database's files) marks itself with data-invalid.
  const openFirstInvalidTab = (errs: Record<string, unknown>) => {
    const first = tabIds.find((id) => errs[id]);
    if (!first) return;
    setTab(first);
    setTimeout(() => {
      const panelInput = document.querySelector<HTMLElement>(
        `[role="tabpanel"]:not([hidden]) :is([aria-invalid="true"], [data-invalid="true"])`,
      );
      panelInput?.focus();
    }, 0);
  };

  return (
    <WizardForm
      form={form as never}
      planId={planId}
      page="secondary"
      nextHref={nextHref}
      onInvalid={openFirstInvalidTab as never}
    >
      <Tabs
        label={t('secondary.tabs')}
        selected={tab}
        onSelect={(id) => setTab(id as TabId)}
        tabs={[
          {
            id: 'initialise',
            label: label('initialise'),
            panel: (
              <>
                <RadioGroupField
                  name="initialise.mode"
                  legend={t('init.legend')}
                  options={[
                    { value: 'generate-full-backup', label: t('init.generate-full-backup') },
                    { value: 'restore-existing', label: t('init.restore-existing') },
                    { value: 'already-initialised', label: t('init.already-initialised') },
                  ]}
                />
                {initMode === 'restore-existing' ? (
                  <TextField name="initialise.backupFile" label={t('init.backupFile')} />
                ) : null}
                {initMode !== 'already-initialised' ? (
                  <>
                    <div className="grid gap-4 sm:grid-cols-2">
                      <TextField
                        name="initialise.dataFolder"
                        label={t('init.dataFolder')}
                        optional
                        hint={t('init.foldersHint')}
                      />
                      <TextField name="initialise.logFolder" label={t('init.logFolder')} optional />
                    </div>
                    <DatabaseFilesField planId={planId} database={database} primaryName={primaryName} />
                  </>
                ) : null}
              </>
            ),
          },
          {
            id: 'copy',
            label: label('copy'),
            panel: (
              <>
                <TextField
                  name="copy.destinationFolder"
                  label={t('copy.destination')}
                  hint={t('copy.destinationHint')}
                />
                <TextField name="copy.deleteAfterMinutes" label={t('copy.deleteAfter')} inputMode="numeric" />
                <JobFields prefix="copy" legend={t('copy.job')} defaultName={defaultJobNames.copy} />
              </>
            ),
          },
          {
            id: 'restore',
            label: label('restore'),
            panel: (
              <>
                <RadioGroupField
                  name="restore.mode"
                  legend={t('restore.mode')}
                  options={[
                    { value: 'norecovery', label: t('restore.norecovery') },
                    { value: 'standby', label: t('restore.standby') },
                  ]}
                />
                {restoreMode === 'standby' ? (
                  <CheckboxField name="restore.disconnectUsers" label={t('restore.disconnect')} />
                ) : null}
                <FieldGroup legend={t('secondary.tab.restore')}>
                  <div className="grid gap-4 sm:grid-cols-2">
                    <TextField name="restore.delayMinutes" label={t('restore.delay')} inputMode="numeric" />
                    <TextField
                      name="restore.historyRetentionMinutes"
                      label={t('restore.history')}
                      inputMode="numeric"
                    />
                    <TextField
                      name="restore.alertThresholdMinutes"
                      label={t('restore.alert')}
                      inputMode="numeric"
                    />
                    <div className="sm:pt-8">
                      <CheckboxField name="restore.alertEnabled" label={t('restore.alertEnabled')} />
                    </div>
                  </div>
                </FieldGroup>
                <JobFields prefix="restore" legend={t('restore.job')} defaultName={defaultJobNames.restore} />
              </>
            ),
          },
        ]}
      />
    </WizardForm>
  );
}
