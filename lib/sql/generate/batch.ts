import type { SqlBatch, TargetArtifact } from '@/lib/stages/artifact';
import type { ServerRole } from '@/lib/stages/ids';
import type { Plan } from '@/lib/plan/schema';
import { combineHashes, contentHash } from '@/lib/sql/hash';
import { nString } from '@/lib/sql/quote';
import { maskedSecretLines } from './log-shipping';

export type SecretKind = NonNullable<SqlBatch['secrets']>[number]['secret'];

/** A batch with its content hash and the masked secrets it holds; `sql` must not contain `GO`. */
export function sqlBatch(batch: Omit<SqlBatch, 'hash' | 'secrets'>): SqlBatch {
  const secrets = (Object.keys(maskedSecretLines) as SecretKind[])
    .filter((secret) => batch.sql.includes(maskedSecretLines[secret]))
    .map((secret) => ({ placeholder: maskedSecretLines[secret], secret }));
  return { ...batch, ...(secrets.length > 0 ? { secrets } : {}), hash: contentHash(batch.sql) };
}

/**
 * The text to send at apply time: each masked line replaced by the same argument with the real value as an N'…'
 * literal. Throws when a secret the batch needs is missing, so a masked value never reaches a server.
 */
export function fillSecrets(batch: SqlBatch, values: Partial<Record<SecretKind, string>>): string {
  let sql = batch.sql;
  for (const { placeholder, secret } of batch.secrets ?? []) {
    const value = values[secret];
    if (value === undefined) throw new Error(`Batch ${batch.id} needs the ${secret} to run.`);
    const masked = placeholder.lastIndexOf("N'");
    const filled = placeholder.slice(0, masked) + nString(value);
    sql = sql.split(placeholder).join(filled);
  }
  return sql;
}

/** The hash of a SQL target: where it runs (role and server name) and its batch hashes in order. */
export function sqlTargetHash(role: ServerRole, serverName: string, batchHashes: readonly string[]): string {
  return combineHashes([contentHash(`tsql\n${role}\n${serverName}`), ...batchHashes]);
}

/** One target's ordered batches with the hash over its place and their hashes. */
export function sqlTarget(plan: Plan, role: ServerRole, batches: SqlBatch[]): TargetArtifact {
  return {
    target: { kind: 'sql', role, serverName: plan.servers[role].name },
    language: 'tsql',
    batches,
    hash: sqlTargetHash(
      role,
      plan.servers[role].name,
      batches.map((b) => b.hash),
    ),
  };
}
