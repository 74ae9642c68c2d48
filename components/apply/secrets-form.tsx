'use client';

import { useId, useRef, useState } from 'react';
import type { Translate } from '@/lib/i18n';
import type { SaveSecretsResult, SecretNeedView } from './schema';

/**
 * Asks the passwords of the logins a stage needs. The fields are cleared once sent and nothing typed is ever sent back
 * by the server: a wrong password is discovered by the apply, which says so.
 */
export function SecretsForm({
  needs,
  t,
  save,
  onSaved,
}: {
  needs: SecretNeedView[];
  t: Translate;
  save: (secrets: { key: string; password: string }[]) => Promise<SaveSecretsResult>;
  onSaved: () => void;
}) {
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<Record<number, string>>({});
  const [pending, setPending] = useState(false);

  const submit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const values = needs.map((need, i) => ({
      key: need.key,
      password: (form.elements.namedItem(`secret-${i}`) as HTMLInputElement | null)?.value ?? '',
    }));
    const missing: Record<number, string> = {};
    values.forEach((v, i) => {
      if (v.password === '') missing[i] = t('apply.secretRequired');
    });
    if (Object.keys(missing).length > 0) {
      setErrors(missing);
      form.querySelector<HTMLInputElement>(`[name="secret-${Object.keys(missing)[0]}"]`)?.focus();
      return;
    }
    setPending(true);
    const result = await save(values);
    setPending(false);
    form.reset();
    if (result.status === 'saved') {
      setErrors({});
      onSaved();
      return;
    }
    const fromServer: Record<number, string> = {};
    for (const [path, messages] of Object.entries(result.fieldErrors)) {
      const index = /^secrets\.(\d+)\./.exec(path)?.[1];
      fromServer[index === undefined ? 0 : Number(index)] = messages?.[0] ?? t('apply.secretUnknown');
    }
    setErrors(fromServer);
  };

  return (
    <form
      ref={formRef}
      onSubmit={submit}
      noValidate
      autoComplete="off"
      aria-labelledby={`${id}-title`}
      className="mt-4 space-y-3 rounded border border-amber-700 bg-amber-50 p-4"
      data-testid="secrets-form"
    >
      <h3 id={`${id}-title`} className="text-lg font-semibold">
        {t('apply.secretsTitle')}
      </h3>
      <p className="text-sm">{t('apply.secretsIntro')}</p>
      {needs.map((need, i) => {
        const inputId = `${id}-secret-${i}`;
        const errorId = `${inputId}-error`;
        return (
          <div key={need.key} className="space-y-1">
            <label htmlFor={inputId} className="block font-medium">
              {t('apply.secretLabel', { principal: need.principal, server: need.serverName })}
            </label>
            <input
              id={inputId}
              name={`secret-${i}`}
              type="password"
              autoComplete="off"
              spellCheck={false}
              aria-invalid={errors[i] ? true : undefined}
              aria-describedby={errors[i] ? errorId : undefined}
              className="w-full max-w-md rounded border border-slate-500 bg-white px-2 py-1.5"
            />
            {errors[i] ? (
              <p id={errorId} role="alert" className="text-sm font-medium text-red-800">
                {errors[i]}
              </p>
            ) : null}
          </div>
        );
      })}
      <button
        type="submit"
        disabled={pending}
        className="rounded bg-blue-800 px-4 py-2 font-semibold text-white hover:bg-blue-900 disabled:opacity-60"
      >
        {t('apply.secretsSave')}
      </button>
    </form>
  );
}
