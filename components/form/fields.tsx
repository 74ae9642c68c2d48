'use client';

import { useEffect, useRef } from 'react';
import { Controller, get, useController, useFormContext } from 'react-hook-form';
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

/** A field's error line, `<id>-error`, for a field's aria-describedby. */
export function ErrorText({ id, message }: { id: string; message?: string | undefined }) {
  return message ? (
    <p id={`${id}-error`} className="mt-1 text-sm font-medium text-red-800">
      <span aria-hidden="true">⚠ </span>
      {message}
    </p>
  ) : null;
}

const inputLook =
  'rounded border border-slate-400 bg-white px-2 py-1.5 text-slate-900 aria-[invalid=true]:border-red-700 aria-[invalid=true]:ring-1 aria-[invalid=true]:ring-red-700';
const inputClass = `mt-1 block w-full ${inputLook}`;

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
  /** What choosing it means, under the label and tied to the radio with aria-describedby. */
  description?: string;
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
                  aria-describedby={option.description ? `${optionId}-description` : undefined}
                  className="mt-1 size-4 accent-blue-800"
                />
                <div>
                  <label htmlFor={optionId} className="text-slate-900">
                    {option.label}
                  </label>
                  {option.description ? (
                    <p id={`${optionId}-description`} className="text-sm text-slate-700">
                      {option.description}
                    </p>
                  ) : null}
                </div>
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

// A list's errors are an array (or, beside a rule about the whole list, an object) indexed by item.
function itemMessage(listError: unknown, index: number): string | undefined {
  if (!listError || typeof listError !== 'object') return undefined;
  return (listError as Record<number, { message?: string } | undefined>)[index]?.message;
}

interface TextListFieldProps {
  name: string;
  legend: string;
  hint?: string;
  /** The label of the n-th box (from 1); its errors start with it, so each names the box it is about. */
  itemLabel: (n: number) => string;
  addLabel: string;
  /** The accessible name of the n-th box's remove button (its visible text is `removeText`). */
  removeLabel: (n: number) => string;
  removeText: string;
  emptyText: string;
  placeholder?: string;
}

/**
 * A list of short texts (server names), one labelled box per item with its own error, and buttons to add and remove
 * boxes: easier to follow with a screen reader than one textarea whose line 3 is wrong. Rules about the whole list
 * (no name twice, at most so many) are said under the group.
 */
export function TextListField({
  name,
  legend,
  hint,
  itemLabel,
  addLabel,
  removeLabel,
  removeText,
  emptyText,
  placeholder,
}: TextListFieldProps) {
  const {
    control,
    getFieldState,
    formState: { errors },
  } = useFormContext();
  const { field } = useController({ name, control });
  const id = fieldId(name);
  const items = Array.isArray(field.value) ? (field.value as string[]) : [];
  const inputs = useRef<(HTMLInputElement | null)[]>([]);
  const addButton = useRef<HTMLButtonElement>(null);
  // Which box takes the focus once the list has re-rendered after an add or a remove (-1: the add button).
  const focusNext = useRef<number | null>(null);
  useEffect(() => {
    if (focusNext.current === null) return;
    const target = focusNext.current >= 0 ? inputs.current[focusNext.current] : addButton.current;
    focusNext.current = null;
    target?.focus();
  });
  // RHF focuses a field with an error through its ref: send it to the first box that has one.
  const { ref } = field;
  useEffect(() => {
    ref({
      focus: () => {
        const error = getFieldState(name).error as unknown;
        const count = inputs.current.filter(Boolean).length;
        let first = 0;
        while (first < count && !itemMessage(error, first)) first += 1;
        (inputs.current[first < count ? first : 0] ?? addButton.current)?.focus();
      },
    });
  }, [ref, getFieldState, name]);

  const listError = get(errors, name) as { message?: string; root?: { message?: string } } | undefined;
  const listMessage = listError?.message ?? listError?.root?.message;
  const change = (next: string[]) => field.onChange(next);

  return (
    <fieldset
      id={id}
      aria-describedby={describedBy(id, Boolean(hint), Boolean(listMessage))}
      className="space-y-2"
    >
      <legend className="font-medium text-slate-900">{legend}</legend>
      <Hint id={id} text={hint} />
      {items.length === 0 ? (
        <p className="text-sm text-slate-700">{emptyText}</p>
      ) : (
        <ol className="space-y-2">
          {items.map((value, i) => {
            const itemId = fieldId(`${name}.${i}`);
            const error = itemMessage(listError, i);
            return (
              <li key={i}>
                <label htmlFor={itemId} className="block text-sm font-medium text-slate-900">
                  {itemLabel(i + 1)}
                </label>
                <div className="flex items-start gap-2">
                  <input
                    id={itemId}
                    type="text"
                    value={value}
                    placeholder={placeholder}
                    autoComplete="off"
                    spellCheck={false}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? `${itemId}-error` : undefined}
                    onChange={(e) => change(items.map((v, j) => (j === i ? e.target.value : v)))}
                    onBlur={field.onBlur}
                    ref={(el) => {
                      inputs.current[i] = el;
                    }}
                    className={`${inputLook} block min-w-0 flex-1`}
                  />
                  <button
                    type="button"
                    aria-label={removeLabel(i + 1)}
                    onClick={() => {
                      focusNext.current = items.length > 1 ? Math.min(i, items.length - 2) : -1;
                      change(items.filter((_, j) => j !== i));
                    }}
                    className="rounded border border-slate-400 bg-white px-3 py-1.5 text-sm text-slate-900 hover:bg-slate-100"
                  >
                    {removeText}
                  </button>
                </div>
                <ErrorText id={itemId} message={error ? `${itemLabel(i + 1)}: ${error}` : undefined} />
              </li>
            );
          })}
        </ol>
      )}
      <button
        ref={addButton}
        type="button"
        onClick={() => {
          focusNext.current = items.length;
          change([...items, '']);
        }}
        className="rounded border border-blue-800 bg-white px-3 py-1.5 text-sm font-semibold text-blue-900 hover:bg-blue-50"
      >
        <span aria-hidden="true">+ </span>
        {addLabel}
      </button>
      <ErrorText id={id} message={listMessage} />
    </fieldset>
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
