import type { InputHTMLAttributes } from 'react';

interface AuthFieldProps extends Pick<
  InputHTMLAttributes<HTMLInputElement>,
  'type' | 'autoComplete' | 'defaultValue'
> {
  name: string;
  /** Prefix of the input id, so two forms on one page never share ids. */
  form: string;
  label: string;
  hint?: string;
  error?: string;
}

/** A labelled input whose hint and error are tied to it with aria-describedby. */
export function AuthField({
  name,
  form,
  label,
  hint,
  error,
  type = 'text',
  autoComplete,
  defaultValue,
}: AuthFieldProps) {
  const id = `${form}-${name}`;
  const describedBy =
    [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div>
      <label htmlFor={id} className="block font-medium text-slate-900">
        {label}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-sm text-slate-600">
          {hint}
        </p>
      ) : null}
      <input
        id={id}
        name={name}
        type={type}
        autoComplete={autoComplete}
        defaultValue={defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        aria-required="true"
        spellCheck={false}
        autoCapitalize="none"
        className="mt-1 block w-full rounded border border-slate-400 bg-white px-2 py-1.5 text-slate-900 focus:outline-2 focus:outline-offset-1 focus:outline-blue-700 aria-[invalid=true]:border-red-700 aria-[invalid=true]:ring-1 aria-[invalid=true]:ring-red-700"
      />
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-sm font-medium text-red-800">
          <span aria-hidden="true">⚠ </span>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Moves focus where a screen-reader or keyboard user needs it after the server answered: the alert, or the first bad field. */
export function focusAfterAnswer(
  form: HTMLFormElement | null,
  alert: HTMLElement | null,
  status: string,
  firstInvalid?: string,
) {
  if (status === 'failed') alert?.focus();
  else if (status === 'invalid' && firstInvalid)
    form?.querySelector<HTMLInputElement>(`[name="${firstInvalid}"]`)?.focus();
}
