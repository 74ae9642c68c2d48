'use client';

import { useActionState, useEffect, useRef } from 'react';
import { secretFieldPrefix } from './constants';
import { rememberSqlPasswords, type SqlPasswordsState } from './sql-passwords-action';

/** One row of the form, already worded by the server. */
export interface SqlPasswordRow {
  key: string;
  label: string;
  roles: string;
  status: string;
  missing: boolean;
}

const idle: SqlPasswordsState = { status: 'idle' };

/** Password inputs for the logins a plan connects with; values go to session memory and are never shown again. */
export function SqlPasswordsForm({
  rows,
  submit,
  pending: pendingText,
  held,
}: {
  rows: SqlPasswordRow[];
  submit: string;
  pending: string;
  /** Status shown for a password just kept, until the page is rendered again. */
  held: string;
}) {
  const [state, formAction, pending] = useActionState(rememberSqlPasswords, idle);
  const statusRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (state.status !== 'idle') statusRef.current?.focus();
  }, [state]);
  const saved = new Set(state.status === 'saved' ? state.keys : []);

  return (
    <form action={formAction} className="space-y-4">
      <div role="status" aria-live="polite">
        {state.status !== 'idle' ? (
          <p
            ref={statusRef}
            tabIndex={-1}
            className={
              state.status === 'saved'
                ? 'rounded border border-green-800 bg-green-50 px-3 py-2 text-green-950'
                : 'rounded border border-red-700 bg-red-50 px-3 py-2 font-medium text-red-900'
            }
          >
            {state.message}
          </p>
        ) : null}
      </div>
      {rows.map((row, i) => {
        const id = `sql-password-${i}`;
        return (
          <div key={row.key}>
            <label htmlFor={id} className="block font-medium text-slate-900">
              {row.label}
            </label>
            <p id={`${id}-hint`} className="mt-1 text-sm text-slate-600">
              {row.roles}. {saved.has(row.key) ? `✓ ${held}` : `${row.missing ? '! ' : ''}${row.status}`}
            </p>
            <input
              id={id}
              name={`${secretFieldPrefix}${row.key}`}
              type="password"
              autoComplete="off"
              aria-describedby={`${id}-hint`}
              className="mt-1 block w-full rounded border border-slate-400 bg-white px-2 py-1.5 text-slate-900 focus:outline-2 focus:outline-offset-1 focus:outline-blue-700"
            />
          </div>
        );
      })}
      <button
        type="submit"
        disabled={pending}
        className="rounded bg-blue-800 px-4 py-2 font-semibold text-white hover:bg-blue-900 focus:outline-2 focus:outline-offset-2 focus:outline-blue-700 disabled:opacity-60"
      >
        {pending ? pendingText : submit}
      </button>
    </form>
  );
}
