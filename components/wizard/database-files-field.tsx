'use client';

import { useEffect, useId, useRef, useState } from 'react';
import { useController, useFormContext } from 'react-hook-form';
import { ErrorText } from '@/components/form/fields';
import { useT } from '@/components/i18n-provider';
import type { DatabaseFile } from '@/lib/plan/schema';
import { readPrimaryFiles } from '@/app/(wizard)/plans/[planId]/secondary/actions';
import { fieldId } from '@/app/_lib/wizard-pages';

const name = 'initialise.files';

type ReadState =
  | { kind: 'idle' }
  | { kind: 'reading' }
  | { kind: 'read'; count: number; server: string }
  | { kind: 'failed'; message: string };

const cell = 'border border-slate-300 px-2 py-1 text-left align-top';

/**
 * The primary database's files, which RESTORE ... MOVE names by their logical names. They are read from the primary
 * itself (as SSMS does when it scripts the restore), never typed or guessed, so the field is a table and a button.
 */
export function DatabaseFilesField({
  planId,
  database,
  primaryName,
}: {
  planId: string;
  database: string;
  /** The primary store as the Topology page names it; undefined until it is filled in there. */
  primaryName: string | undefined;
}) {
  const t = useT();
  const id = fieldId(name);
  const local = useId();
  const { setValue } = useFormContext();
  const { field, fieldState } = useController({ name });
  const files = Array.isArray(field.value) ? (field.value as DatabaseFile[]) : [];
  const error = fieldState.error?.message;
  const [state, setState] = useState<ReadState>({ kind: 'idle' });
  // Set once the server said no password is held for the primary's login: asked here, as SSMS's connect dialog would.
  const [login, setLogin] = useState<{ server: string; principal: string } | null>(null);
  const reading = state.kind === 'reading';
  const server = primaryName || t('init.files.thePrimary');
  const button = useRef<HTMLButtonElement | null>(null);
  const password = useRef<HTMLInputElement>(null);
  // Where the focus goes once the answer is on the page: the button was disabled while it read (which drops the
  // focus), the password box appears only with the answer that asks for it and goes with the one that reads.
  const focusNext = useRef<'button' | 'password' | null>(null);
  useEffect(() => {
    if (!focusNext.current || reading) return;
    const target = focusNext.current === 'password' ? password.current : button.current;
    focusNext.current = null;
    target?.focus();
  });

  const read = async () => {
    if (reading) return;
    const typed = password.current?.value || undefined;
    const active = document.activeElement;
    const from =
      active === button.current ? 'button' : active && active === password.current ? 'password' : null;
    setState({ kind: 'reading' });
    const result = await readPrimaryFiles(planId, typed);
    if (password.current) password.current.value = '';
    switch (result.status) {
      case 'read':
        setLogin(null);
        setValue(name, result.files, { shouldDirty: true, shouldValidate: true });
        setState({ kind: 'read', count: result.files.length, server: result.server });
        if (from) focusNext.current = 'button';
        return;
      case 'needs-password':
        focusNext.current = 'password';
        setLogin({ server: result.server, principal: result.principal });
        setState(result.reason ? { kind: 'failed', message: result.reason } : { kind: 'idle' });
        return;
      case 'failed':
        setState({ kind: 'failed', message: result.message });
        focusNext.current = from;
    }
  };

  const describedBy = [error ? `${id}-error` : '', login ? `${local}-password-hint` : '']
    .filter(Boolean)
    .join(' ');

  return (
    <section id={id} aria-labelledby={`${local}-title`} className="space-y-3">
      <h2 id={`${local}-title`} className="text-lg font-semibold text-slate-900">
        {t('init.files.title', { database })}
      </h2>
      <p className="max-w-3xl text-sm text-slate-700">{t('init.files.intro')}</p>
      {files.length === 0 ? (
        <p className="text-slate-800">{t('init.files.empty')}</p>
      ) : (
        <table className="w-full max-w-4xl border-collapse text-sm">
          <caption className="mb-1 text-left font-medium text-slate-900">
            {t('init.files.caption', { database })}
          </caption>
          <thead>
            <tr className="bg-slate-100">
              <th scope="col" className={cell}>
                {t('init.files.logical')}
              </th>
              <th scope="col" className={cell}>
                {t('init.files.type')}
              </th>
              <th scope="col" className={cell}>
                {t('init.files.path')}
              </th>
            </tr>
          </thead>
          <tbody>
            {files.map((file) => (
              <tr key={`${file.type}|${file.logical}`}>
                <td className={`${cell} font-mono`}>{file.logical}</td>
                <td className={`${cell} font-mono`}>{file.type}</td>
                <td className={`${cell} font-mono break-all`}>{file.physicalName}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {login ? (
        <div>
          <label htmlFor={`${local}-password`} className="block font-medium text-slate-900">
            {t('init.files.password', { principal: login.principal, server: login.server })}
          </label>
          <input
            ref={password}
            id={`${local}-password`}
            type="password"
            autoComplete="off"
            spellCheck={false}
            aria-describedby={`${local}-password-hint`}
            // Enter reads the files instead of submitting the whole page.
            onKeyDown={(event) => {
              if (event.key !== 'Enter') return;
              event.preventDefault();
              void read();
            }}
            className="mt-1 block w-full max-w-md rounded border border-slate-400 bg-white px-2 py-1.5 text-slate-900"
          />
          <p id={`${local}-password-hint`} className="mt-1 text-sm text-slate-600">
            {t('init.files.passwordHint')}
          </p>
        </div>
      ) : null}
      <button
        ref={(el) => {
          button.current = el;
          // The form focuses this button when the files are what is missing (RHF focuses a field through its ref).
          field.ref(el);
        }}
        type="button"
        onClick={() => void read()}
        disabled={reading}
        aria-busy={reading}
        // A button cannot carry aria-invalid: the error is its description, and the page finds it by this mark.
        data-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        className="rounded border border-blue-800 bg-white px-3 py-1.5 font-semibold text-blue-900 hover:bg-blue-50 disabled:opacity-60 data-[invalid=true]:border-red-700 data-[invalid=true]:ring-1 data-[invalid=true]:ring-red-700"
      >
        {t('init.files.read', { server })}
      </button>
      <p role="status" className="text-sm">
        {state.kind === 'reading' ? <span className="text-slate-700">{t('init.files.reading')}</span> : null}
        {state.kind === 'read' ? (
          <span className="font-medium text-green-900">
            {state.count === 1
              ? t('init.files.readOne', { server: state.server })
              : t('init.files.readMany', { count: state.count, server: state.server })}
          </span>
        ) : null}
      </p>
      {state.kind === 'failed' ? (
        <p role="alert" className="text-sm font-medium text-red-800">
          {t('init.files.failed', { server, message: state.message })}
        </p>
      ) : null}
      <ErrorText id={id} message={error} />
    </section>
  );
}
