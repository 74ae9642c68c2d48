'use client';

import { useActionState, useEffect, useRef } from 'react';
import { AuthField, focusAfterAnswer } from '@/app/login/_components/auth-field';
import type { AuthActionState } from '@/lib/auth/schema';
import { setupAction } from '../actions';

export interface SetupFormText {
  username: string;
  usernameHint: string;
  password: string;
  passwordHint: string;
  confirm: string;
  submit: string;
  pending: string;
}

const fields = ['username', 'password', 'confirm'] as const;
const idle: AuthActionState = { status: 'idle' };

/** First-start form: the administrator's name and password, typed twice. */
export function SetupForm({ text }: { text: SetupFormText }) {
  const [state, formAction, pending] = useActionState(setupAction, idle);
  const formRef = useRef<HTMLFormElement>(null);
  const alertRef = useRef<HTMLParagraphElement>(null);
  const errors = state.status === 'invalid' ? state.fieldErrors : {};

  useEffect(() => {
    const firstInvalid = state.status === 'invalid' ? fields.find((f) => state.fieldErrors[f]) : undefined;
    focusAfterAnswer(formRef.current, alertRef.current, state.status, firstInvalid);
  }, [state]);

  return (
    <form ref={formRef} action={formAction} noValidate className="space-y-4">
      <div role="alert">
        {state.status === 'failed' ? (
          <p
            ref={alertRef}
            tabIndex={-1}
            className="rounded border border-red-700 bg-red-50 px-3 py-2 font-medium text-red-900"
          >
            {state.message}
          </p>
        ) : null}
      </div>
      <AuthField
        form="setup"
        name="username"
        label={text.username}
        hint={text.usernameHint}
        autoComplete="username"
        defaultValue={state.status === 'idle' ? 'admin' : state.username}
        error={errors.username}
      />
      <AuthField
        form="setup"
        name="password"
        type="password"
        label={text.password}
        hint={text.passwordHint}
        autoComplete="new-password"
        error={errors.password}
      />
      <AuthField
        form="setup"
        name="confirm"
        type="password"
        label={text.confirm}
        autoComplete="new-password"
        error={errors.confirm}
      />
      <button
        type="submit"
        disabled={pending}
        className="rounded bg-blue-800 px-4 py-2 font-semibold text-white hover:bg-blue-900 focus:outline-2 focus:outline-offset-2 focus:outline-blue-700 disabled:opacity-60"
      >
        {pending ? text.pending : text.submit}
      </button>
    </form>
  );
}
