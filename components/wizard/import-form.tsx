'use client';

import { useActionState, useId } from 'react';
import { useT } from '@/components/i18n-provider';
import type { ActionResult } from '@/app/_lib/action-result';
import type { MessageKey } from '@/lib/i18n';

/** A plan file upload; a rejected file lists each bad field with the schema's message. */
export function ImportForm({
  action,
  legend,
  submitLabel,
}: {
  action: (previous: ActionResult | null, formData: FormData) => Promise<ActionResult>;
  legend: string;
  submitLabel: string;
}) {
  const t = useT();
  const [state, formAction, pending] = useActionState(action, null);
  const id = useId();
  const errorId = `${id}-error`;
  const hasErrors = state?.status === 'invalid' || state?.status === 'failed';
  return (
    <form action={formAction} className="space-y-3">
      <fieldset className="space-y-3">
        <legend className="text-lg font-semibold">{legend}</legend>
        <div>
          <label htmlFor={`${id}-file`} className="block font-medium">
            {t('home.import.file')}
          </label>
          <input
            id={`${id}-file`}
            name="file"
            type="file"
            accept="application/json,.json"
            aria-invalid={hasErrors ? true : undefined}
            aria-describedby={hasErrors ? errorId : undefined}
            className="mt-1 block text-sm file:mr-3 file:rounded file:border file:border-slate-400 file:bg-white file:px-3 file:py-1.5"
          />
        </div>
        <button
          type="submit"
          aria-disabled={pending}
          className="rounded border border-blue-800 bg-white px-4 py-2 font-semibold text-blue-900 hover:bg-blue-50"
        >
          {submitLabel}
        </button>
      </fieldset>
      <div id={errorId} role="status">
        {state?.status === 'invalid' ? (
          <div className="rounded border border-red-800 bg-red-50 p-3 text-red-900">
            <p className="font-semibold">{t('home.import.failed')}</p>
            <ul className="mt-1 list-disc pl-6">
              {Object.entries(state.fieldErrors).map(([path, message]) => (
                <li key={path || 'file'}>
                  {path ? <code className="font-mono">{path}</code> : null}
                  {path ? ': ' : null}
                  {message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {state?.status === 'failed' ? (
          <p className="rounded border border-red-800 bg-red-50 p-3 text-red-900">
            {state.message.includes('.') && !state.message.includes(' ')
              ? t(state.message as MessageKey)
              : state.message}
          </p>
        ) : null}
        {state?.status === 'saved' ? <p className="text-green-900">✓ {t('plan.import.done')}</p> : null}
      </div>
    </form>
  );
}
