'use client';

import { FieldGroup, SelectField, TextField } from '@/components/form/fields';
import { useT } from '@/components/i18n-provider';

/** A SQL Server Agent job as the SSMS dialogs show it: its name and its daily schedule. */
export function JobFields({
  prefix,
  legend,
  defaultName,
}: {
  prefix: string;
  legend: string;
  defaultName: string;
}) {
  const t = useT();
  const p = prefix ? `${prefix}.` : '';
  return (
    <FieldGroup legend={legend}>
      <TextField
        name={`${p}jobName`}
        label={t('job.name')}
        optional
        hint={t('job.nameHint', { name: defaultName })}
        placeholder={defaultName}
      />
      <fieldset className="space-y-4">
        <legend className="font-medium text-slate-900">{t('schedule.legend')}</legend>
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField name={`${p}schedule.every`} label={t('schedule.every')} inputMode="numeric" />
          <SelectField
            name={`${p}schedule.unit`}
            label={t('schedule.unit')}
            options={[
              { value: 'minutes', label: t('schedule.minutes') },
              { value: 'hours', label: t('schedule.hours') },
            ]}
          />
          <TextField name={`${p}schedule.startTime`} label={t('schedule.startTime')} placeholder="00:00:00" />
          <TextField name={`${p}schedule.endTime`} label={t('schedule.endTime')} placeholder="23:59:00" />
          <TextField
            name={`${p}schedule.startDate`}
            label={t('schedule.startDate')}
            optional
            emptyAsUndefined
            placeholder="YYYY-MM-DD"
            hint={t('schedule.startDateHint')}
            className="sm:col-span-2"
          />
        </div>
      </fieldset>
    </FieldGroup>
  );
}
