'use client';

import { Controller, get, useFormContext } from 'react-hook-form';
import { useT } from '@/components/i18n-provider';
import { fieldId } from '@/app/_lib/wizard-pages';

// Every input gets an id derived from its form path, so the review page can link straight to a field, and its hint
// and error are tied to it with aria-describedby.

function useFieldError(name: string): string | undefined {
  const {
    formState: { errors },
  } = useFormContext();
  const error = get(errors, name) as { message?: string } | undefined;
  return error?.message;
}

function describedBy(id: string, hint: boolean, error: boolean): string | undefined {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

function Hint({ id, text }: { id: string; text?: string }) {
  return text ? (
    <p id={`${id}-hint`} className="mt-1 text-sm text-slate-600">
      {text}
    </p>
  ) : null;
}

function ErrorText({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p id={`${id}-error`} className="mt-1 text-sm font-medium text-red-800">
      <span aria-hidden="true">⚠ </span>
      {message}
    </p>
  ) : null;
}

const inputClass =
  'mt-1 block w-full rounded border border-slate-400 bg-white px-2 py-1.5 text-slate-900 aria-[invalid=true]:border-red-700 aria-[invalid=true]:ring-1 aria-[invalid=true]:ring-red-700';

interface TextFieldProps {
  name: string;
  label: string;
  hint?: string;
  optional?: boolean;
  type?: 'text' | 'number' | 'time' | 'date';
  /** An empty box means "not given" (undefined), not an empty string: for optional ports, instances and dates. */
  emptyAsUndefined?: boolean;
  placeholder?: string;
  className?: string;
  inputMode?: 'numeric' | 'text';
  autoComplete?: string;
  spellCheck?: boolean;
}

/** A labelled text or number input with its hint and error. */
export function TextField({
  name,
  label,
  hint,
  optional,
  type = 'text',
  emptyAsUndefined,
  placeholder,
  className,
  inputMode,
  autoComplete = 'off',
  spellCheck = false,
}: TextFieldProps) {
  const t = useT();
  const { register } = useFormContext();
  const error = useFieldError(name);
  const id = fieldId(name);
  return (
    <div className={className}>
      <label htmlFor={id} className="block font-medium text-slate-900">
        {label}
        {optional ? <span className="font-normal text-slate-600"> {t('form.optional')}</span> : null}
      </label>
      <input
        id={id}
        type={type}
        step={type === 'time' ? 1 : undefined}
        inputMode={inputMode}
        placeholder={placeholder}
        autoComplete={autoComplete}
        spellCheck={spellCheck}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, Boolean(hint), Boolean(error))}
        className={inputClass}
        {...register(
          name,
          emptyAsUndefined ? { setValueAs: (v: unknown) => (v === '' || v === null ? undefined : v) } : {},
        )}
      />
      <Hint id={id} text={hint} />
      <ErrorText id={id} message={error} />
    </div>
  );
}

/** A checkbox with its label to the right. */
export function CheckboxField({ name, label, hint }: { name: string; label: string; hint?: string }) {
  const { register } = useFormContext();
  const error = useFieldError(name);
  const id = fieldId(name);
  return (
    <div>
      <div className="flex items-start gap-2">
        <input
          id={id}
          type="checkbox"
          className="mt-1 size-4 accent-blue-800"
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, Boolean(hint), Boolean(error))}
          {...register(name)}
        />
        <label htmlFor={id} className="text-slate-900">
          {label}
        </label>
      </div>
      <Hint id={id} text={hint} />
      <ErrorText id={id} message={error} />
    </div>
  );
}

export interface RadioOption<V> {
  value: V;
  label: string;
}

/**
 * A radio group in a fieldset. Values may be booleans or strings: the group compares the form value with each option
 * itself, so `enabled: false` stays a boolean instead of becoming the string "false".
 */
export function RadioGroupField<V extends string | boolean>({
  name,
  legend,
  options,
  hint,
}: {
  name: string;
  legend: string;
  options: RadioOption<V>[];
  hint?: string;
}) {
  const { control } = useFormContext();
  const error = useFieldError(name);
  const id = fieldId(name);
  return (
    <Controller
      name={name}
      control={control}
      render={({ field }) => (
        <fieldset
          id={id}
          aria-describedby={describedBy(id, Boolean(hint), Boolean(error))}
          className="space-y-1"
        >
          <legend className="font-medium text-slate-900">{legend}</legend>
          {options.map((option) => {
            const optionId = `${id}-${String(option.value)}`;
            return (
              <div key={String(option.value)} className="flex items-start gap-2">
                <input
                  id={optionId}
                  type="radio"
                  name={name}
                  value={String(option.value)}
                  checked={field.value === option.value}
                  onChange={() => field.onChange(option.value)}
                  onBlur={field.onBlur}
                  ref={field.value === option.value ? field.ref : undefined}
                  className="mt-1 size-4 accent-blue-800"
                />
                <label htmlFor={optionId} className="text-slate-900">
                  {option.label}
                </label>
              </div>
            );
          })}
          <Hint id={id} text={hint} />
          <ErrorText id={id} message={error} />
        </fieldset>
      )}
    />
  );
}

/** A labelled select for a short closed list. */
export function SelectField({
  name,
  label,
  options,
}: {
  name: string;
  label: string;
  options: RadioOption<string>[];
}) {
  const { register } = useFormContext();
  const error = useFieldError(name);
  const id = fieldId(name);
  return (
    <div>
      <label htmlFor={id} className="block font-medium text-slate-900">
        {label}
      </label>
      <select
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, false, Boolean(error))}
        className={inputClass}
        {...register(name)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <ErrorText id={id} message={error} />
    </div>
  );
}

/** A group of related fields with a visible legend. */
export function FieldGroup({
  legend,
  children,
  className,
}: {
  legend: string;
  children: React.ReactNode;
  className?: string;
}) {
  return (
    <fieldset className={`rounded border border-slate-300 p-4 ${className ?? ''}`}>
      <legend className="px-1 text-lg font-semibold text-slate-900">{legend}</legend>
      <div className="space-y-4">{children}</div>
    </fieldset>
  );
}
