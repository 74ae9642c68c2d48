import { z } from 'zod';
import { says, sayNow } from '@/lib/i18n/validation';

/** Shortest administrator password accepted, from the web form or the environment. */
export const minAdminPasswordLength = 12;

/** The administrator's user name, from the setup form or `PCHAT_HADR_ADMIN_USER`. */
export const userNameSchema = z
  .string()
  .trim()
  .min(1, { abort: true, error: says('valid.required', { what: 'field.userName' }) })
  .max(64, { error: says('valid.maxChars', { what: 'field.userName', max: 64 }) })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: says('valid.userName', { what: 'field.userName' }) });

/** The administrator's password rule; shared by the setup form and `PCHAT_HADR_ADMIN_PASSWORD`. */
export const adminPasswordSchema = z
  .string()
  .min(minAdminPasswordLength, {
    error: says('valid.passwordMin', { what: 'field.password', min: minAdminPasswordLength }),
  })
  .max(1024, { error: says('valid.maxChars', { what: 'field.password', max: 1024 }) });

/** First start: the operator chooses the local administrator's name and password. */
export const setupSchema = z
  .object({
    username: userNameSchema.default('admin'),
    password: adminPasswordSchema,
    confirm: z.string(),
  })
  .superRefine((value, ctx) => {
    if (value.confirm !== value.password) {
      ctx.addIssue({
        code: 'custom',
        path: ['confirm'],
        message: sayNow('valid.confirm'),
      });
    }
  });
export type SetupInput = z.input<typeof setupSchema>;

/** Sign-in form; only presence is checked here, so a wrong guess and a malformed one get the same answer. */
export const signInSchema = z.object({
  username: z
    .string()
    .trim()
    .min(1, { error: says('valid.required', { what: 'field.userName' }) })
    .max(64, { error: says('valid.tooLong', { what: 'field.userName' }) }),
  password: z
    .string()
    .min(1, { error: says('valid.required', { what: 'field.password' }) })
    .max(1024, { error: says('valid.tooLong', { what: 'field.password' }) }),
});
export type SignInInput = z.input<typeof signInSchema>;

/**
 * What the sign-in and setup actions answer; the client switches on `status`. Success is a redirect, not a state.
 * Only the user name is echoed so the form keeps it; a password never is.
 */
export type AuthActionState =
  | { status: 'idle' }
  | { status: 'invalid'; fieldErrors: Record<string, string>; username: string }
  | { status: 'failed'; message: string; username: string };

/** A `next` target is followed only when it is a path on this site: never `//host`, a scheme or a backslash trick. */
export function safeNextPath(next: unknown): string {
  if (typeof next !== 'string' || next.length > 2048) return '/';
  if (!next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return '/';
  // Control characters can smuggle a new origin past a browser's URL parsing (`/\t/evil.example`).
  if (/[\u0000-\u001f\u007f]/.test(next)) return '/';
  if (next === '/login' || next.startsWith('/login?') || next === '/setup' || next.startsWith('/setup?'))
    return '/';
  return next;
}
