'use server';

import { requireSession } from '@/lib/auth/session';
import { envSecret, rememberSecret, secretFor, vaultKey } from '@/lib/auth/vault';
import { getLocale, getTranslator } from '@/lib/i18n/server';
import { SqlExecutor, SqlReadError } from '@/lib/sql/execute';
import { DatabaseMissingError, readDatabaseFiles } from '@/lib/stages/database-files';
import { getStore } from '@/lib/store';
import {
  draftPrimary,
  passwordPrincipal,
  type ReadPrimaryFilesResult,
  readPrimaryFilesSchema,
} from './read-files';

/**
 * Reads the primary database's data and log files from the primary itself, as SSMS does before it scripts a restore
 * that moves them. Works on the draft: the Secondary page is filled before the plan is complete. Reads only.
 */
export async function readPrimaryFiles(planId: string, password?: string): Promise<ReadPrimaryFilesResult> {
  const session = await requireSession();
  const t = await getTranslator();
  const input = readPrimaryFilesSchema.safeParse({ planId, password });
  if (!input.success) return { status: 'failed', message: t('init.files.badRequest') };
  const record = getStore().getPlan(input.data.planId);
  if (!record) return { status: 'failed', message: t('init.files.noPlan') };
  const primary = draftPrimary(record.draft, await getLocale());
  if (!primary.ok) {
    return { status: 'failed', message: t('init.files.noPrimary', { detail: primary.message }) };
  }
  const { server, database } = primary;

  // The same lookup an apply makes for the primary: typed now, else held by this session, else the environment.
  const key = vaultKey(server.name, server.auth);
  const principal = passwordPrincipal(server.auth);
  const typed = input.data.password;
  const secret = principal ? (typed ?? secretFor(session.id, key) ?? envSecret('primary')) : undefined;
  if (principal && secret === undefined) return { status: 'needs-password', server: server.name, principal };

  const sql = new SqlExecutor(() => (secret === undefined ? undefined : { password: secret }));
  try {
    const files = await readDatabaseFiles(sql, server, database);
    // Kept only once it has signed in, so a mistyped password never replaces one that works.
    if (typed) rememberSecret(session.id, key, typed);
    return { status: 'read', server: server.name, files };
  } catch (error) {
    // Cannot connect, login failed, no such database: the operator's to fix, said as the reader words it (the page
    // already names the server, so the detail goes without it).
    if (error instanceof SqlReadError) {
      // A password held but refused (mistyped earlier, or a stale environment value): ask for it here again.
      if (principal && error.loginRefused)
        return { status: 'needs-password', server: server.name, principal, reason: error.detail };
      return { status: 'failed', message: error.detail };
    }
    if (error instanceof DatabaseMissingError) return { status: 'failed', message: error.message };
    throw error;
  } finally {
    await sql.close();
  }
}
