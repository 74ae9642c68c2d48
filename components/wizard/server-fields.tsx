'use client';

import { useFormContext, useWatch } from 'react-hook-form';
import { CheckboxField, FieldGroup, RadioGroupField, TextField } from '@/components/form/fields';
import { useT } from '@/components/i18n-provider';

/** One SQL Server instance: the name scripts use, how to reach it, and how to authenticate (never a password). */
export function ServerFields({ prefix, legend }: { prefix: string; legend: string }) {
  const t = useT();
  const { control } = useFormContext();
  const mode = useWatch({ control, name: `${prefix}.auth.mode` }) as string;
  return (
    <FieldGroup legend={legend}>
      <TextField name={`${prefix}.name`} label={t('server.name')} hint={t('server.nameHint')} />
      <div className="grid gap-4 sm:grid-cols-3">
        <TextField
          name={`${prefix}.connect.host`}
          label={t('server.host')}
          hint={t('server.connectHint')}
          className="sm:col-span-3"
        />
        <TextField
          name={`${prefix}.connect.port`}
          label={t('server.port')}
          optional
          inputMode="numeric"
          emptyAsUndefined
        />
        <TextField
          name={`${prefix}.connect.instance`}
          label={t('server.instance')}
          optional
          emptyAsUndefined
          className="sm:col-span-2"
        />
      </div>
      <CheckboxField name={`${prefix}.connect.encrypt`} label={t('server.encrypt')} />
      <CheckboxField name={`${prefix}.connect.trustServerCertificate`} label={t('server.trust')} />
      <RadioGroupField
        name={`${prefix}.auth.mode`}
        legend={t('server.auth')}
        hint={t('auth.noPassword')}
        options={[
          { value: 'windows-integrated', label: t('auth.windows-integrated') },
          { value: 'windows-ntlm', label: t('auth.windows-ntlm') },
          { value: 'sql', label: t('auth.sql') },
        ]}
      />
      {mode === 'windows-ntlm' ? (
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField name={`${prefix}.auth.domain`} label={t('auth.domain')} />
          <TextField name={`${prefix}.auth.user`} label={t('auth.user')} autoComplete="username" />
        </div>
      ) : null}
      {mode === 'sql' ? (
        <TextField name={`${prefix}.auth.login`} label={t('auth.login')} autoComplete="username" />
      ) : null}
    </FieldGroup>
  );
}
