'use client';

import { useRouter } from 'next/navigation';
import { useMemo, useRef, useState, useSyncExternalStore, useTransition } from 'react';
import {
  type FieldErrors,
  type FieldValues,
  FormProvider,
  type UseFormReturn,
  useForm,
} from 'react-hook-form';
import type { z } from 'zod';
import { useLocale, useT } from '@/components/i18n-provider';
import { localizedResolver } from './localized-resolver';
import { saveDraft, savePage } from '@/app/(wizard)/plans/[planId]/actions';
import type { PlanPageId } from '@/app/_lib/wizard-pages';

/** react-hook-form over one page's zod schema (the same schema the server action parses with). */
export function useWizardForm<S extends z.ZodType<FieldValues, FieldValues>>(
  schema: S,
  defaultValues: z.input<S>,
) {
  const locale = useLocale();
  const resolver = useMemo(() => localizedResolver(schema, locale), [schema, locale]);
  return useForm<z.input<S>, unknown, z.output<S>>({
    resolver,
    defaultValues: defaultValues as never,
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });
}

const noSubscription = () => () => {};

type Status =
  | { kind: 'idle' }
  | { kind: 'saving' }
  | { kind: 'invalid' }
  | { kind: 'failed'; message: string }
  | { kind: 'draft' }
  | { kind: 'saved' };

interface WizardFormProps<T extends FieldValues> {
  form: UseFormReturn<T, unknown, FieldValues>;
  planId: string;
  page: PlanPageId;
  /** Where to go once saved; without it the page stays, says it saved, and shows the saved plan. */
  nextHref?: string;
  /** The save button's text when it does not move on ("Save and continue" otherwise). */
  submitLabel?: string;
  /** Called with the errors when the client-side check fails, e.g. to open the tab that holds the first one. */
  onInvalid?: (errors: FieldErrors<T>) => void;
  children: React.ReactNode;
}

/**
 * A wizard page's form: validates on the client, saves through the server action (which validates again), shows the
 * server's field errors under their fields, then moves to the next page. What the operator types is also saved as a
 * draft when a field loses focus, so nothing is lost before the page is complete.
 */
export function WizardForm<T extends FieldValues>({
  form,
  planId,
  page,
  nextHref,
  submitLabel,
  onInvalid,
  children,
}: WizardFormProps<T>) {
  const t = useT();
  const router = useRouter();
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [, startTransition] = useTransition();
  const draftTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // What the last save stored, on a page that stays after saving: leaving a field unchanged saves no draft over it.
  const savedValues = useRef<string | null>(null);
  const saving = status.kind === 'saving';
  // Marks the form as interactive once hydrated: tests wait for it instead of racing the first click.
  const ready = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );

  const onValid = async (values: FieldValues) => {
    if (draftTimer.current) clearTimeout(draftTimer.current);
    setStatus({ kind: 'saving' });
    const result = await savePage(planId, page, values);
    switch (result.status) {
      case 'saved':
        if (nextHref) {
          startTransition(() => router.push(nextHref));
        } else {
          // The form shows what was stored (the schema trims names), and counts as unchanged from here.
          form.reset(values as T);
          savedValues.current = JSON.stringify(form.getValues());
          setStatus({ kind: 'saved' });
        }
        return;
      case 'invalid': {
        const paths = Object.keys(result.fieldErrors);
        for (const path of paths)
          form.setError(path as never, { type: 'server', message: result.fieldErrors[path] });
        setStatus({ kind: 'invalid' });
        if (paths[0]) form.setFocus(paths[0] as never);
        return;
      }
      case 'failed':
        setStatus({ kind: 'failed', message: result.message });
    }
  };

  const onErrors = (errors: FieldErrors<T>) => {
    setStatus({ kind: 'invalid' });
    onInvalid?.(errors);
  };

  const submit = (event: React.FormEvent<HTMLFormElement>) =>
    void form.handleSubmit(onValid, onErrors as never)(event);

  const autosave = () => {
    if (saving || savedValues.current === JSON.stringify(form.getValues())) return;
    if (draftTimer.current) clearTimeout(draftTimer.current);
    draftTimer.current = setTimeout(() => {
      void saveDraft(planId, page, form.getValues()).then((result) => {
        if (result.status === 'saved')
          setStatus((s) =>
            s.kind === 'idle' || s.kind === 'draft' || s.kind === 'saved' ? { kind: 'draft' } : s,
          );
      });
    }, 400);
  };

  return (
    <FormProvider {...form}>
      <form noValidate onSubmit={submit} onBlur={autosave} data-ready={ready} className="space-y-6">
        {children}
        <div className="flex flex-wrap items-center gap-4 border-t border-slate-300 pt-4">
          <button
            type="submit"
            aria-disabled={saving}
            className="rounded bg-blue-800 px-4 py-2 font-semibold text-white hover:bg-blue-900 aria-disabled:opacity-70"
          >
            {saving ? t('form.saving') : (submitLabel ?? t('form.save'))}
          </button>
          <p role="status" className="text-sm">
            {status.kind === 'invalid' ? (
              <span className="font-medium text-red-800">{t('form.invalid')}</span>
            ) : null}
            {status.kind === 'failed' ? (
              <span className="font-medium text-red-800">
                {t('form.failed', { message: status.message })}
              </span>
            ) : null}
            {status.kind === 'draft' ? <span className="text-slate-600">{t('form.draftSaved')}</span> : null}
            {status.kind === 'saved' ? (
              <span className="font-medium text-green-900">✓ {t('form.saved')}</span>
            ) : null}
          </p>
        </div>
      </form>
    </FormProvider>
  );
}
