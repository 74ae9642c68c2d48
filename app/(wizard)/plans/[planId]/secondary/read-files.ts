import { z } from 'zod';
import type { Locale } from '@/lib/i18n';
import { safeParseIn } from '@/lib/i18n/validation';
import { type DatabaseFile, planSchema, type Server, serverSchema } from '@/lib/plan/schema';

/** What the "Read the files" button sends: the plan, and the primary login's password when the page asked for it. */
export const readPrimaryFilesSchema = z.object({
  planId: z.string().min(1).max(200),
  password: z.string().min(1).max(512).optional(),
});
export type ReadPrimaryFilesInput = z.input<typeof readPrimaryFilesSchema>;

/**
 * What reading the primary database's files answers. `needs-password` names the login (never a password) whose
 * password neither this session nor the environment holds, or whose password held was refused, so the page can ask.
 */
export type ReadPrimaryFilesResult =
  | { status: 'read'; server: string; files: DatabaseFile[] }
  | {
      status: 'needs-password';
      server: string;
      principal: string;
      /** Why the password held was not enough (the login failed with it); absent when none was held. */
      reason?: string;
    }
  | { status: 'failed'; message: string };

export type DraftPrimary =
  { ok: true; server: Server; database: string } | { ok: false; field: string; message: string };

/**
 * The primary store and the database name as the Topology page left them in a draft that may be incomplete, checked
 * with the plan's own rules so a read never goes to a half-typed server.
 */
export function draftPrimary(draft: unknown, locale: Locale = 'en'): DraftPrimary {
  const d = (draft && typeof draft === 'object' ? draft : {}) as {
    servers?: { primary?: unknown };
    database?: unknown;
  };
  const server = safeParseIn(locale, serverSchema, d.servers?.primary);
  if (!server.success) {
    const issue = server.error.issues[0];
    return {
      ok: false,
      field: ['servers', 'primary', ...(issue?.path ?? [])].map(String).join('.'),
      message: issue?.message ?? 'The primary store is incomplete.',
    };
  }
  const database = safeParseIn(locale, planSchema.shape.database, d.database);
  if (!database.success) {
    return {
      ok: false,
      field: 'database',
      message: database.error.issues[0]?.message ?? 'Database is invalid.',
    };
  }
  return { ok: true, server: server.data, database: database.data };
}

/** Who signs in to a server with a password, as an operator reads it; undefined when no password is involved. */
export function passwordPrincipal(auth: Server['auth']): string | undefined {
  if (auth.mode === 'sql') return auth.login;
  if (auth.mode === 'windows-ntlm') return `${auth.domain}\\${auth.user}`;
  return undefined;
}
