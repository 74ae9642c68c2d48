'use client';

import { useActionState, useEffect, useRef } from 'react';
import type { AuthActionState } from '@/lib/auth/schema';
import { signInAction } from '../actions';
import { AuthField, focusAfterAnswer } from './auth-field';

export interface LoginFormText {
  username: string;
  password: string;
  submit: string;
  pending: string;
}

const fields = ['username', 'password'] as const;
const idle: AuthActionState = { status: 'idle' };

/** The sign-in form; works without JavaScript, and with it keeps focus where the answer is. */
export function LoginForm({ next, text }: { next: string; text: LoginFormText }) {
  const [state, formAction, pending] = useActionState(signInAction, idle);
  const formRef = useRef<HTMLFormElement>(null);
  const alertRef = useRef<HTMLParagraphElement>(null);
  const errors = state.status === 'invalid' ? state.fieldErrors : {};

  useEffect(() => {
    const firstInvalid = state.status === 'invalid' ? fields.find((f) => state.fieldErrors[f]) : undefined;
    focusAfterAnswer(formRef.current, alertRef.current, state.status, firstInvalid);
  }, [state]);

  return (
    <form ref={formRef} action={formAction} noValidate className="space-y-4">
      <input type="hidden" name="next" value={next} />
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
        form="login"
        name="username"
        label={text.username}
        autoComplete="username"
        defaultValue={state.status === 'idle' ? '' : state.username}
        error={errors.username}
      />
      <AuthField
        form="login"
        name="password"
        type="password"
        label={text.password}
        autoComplete="current-password"
        error={errors.password}
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
