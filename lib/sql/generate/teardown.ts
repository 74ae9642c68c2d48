// Removing log shipping with the documented procedures, in the documented order ("Remove Log Shipping"): each
// primary forgets the secondary, the secondary database is removed (which removes the copy and restore jobs with the
// last secondary of that primary), then each primary's configuration and backup job; the backup copy last, if asked.
import type { Plan } from '@/lib/plan/schema';
import type { SqlBatch } from '@/lib/stages/artifact';
import { nString, quoteIdentifier } from '@/lib/sql/quote';
import { sqlBatch } from './batch';

export interface TeardownOptions {
  /** Also drop the backup store's restoring copy of the database (it cannot be recovered into a usable state later). */
  dropSecondaryDatabase?: boolean;
}

/** On a primary (store or mirror): forget the secondary. */
export function deletePrimarySecondarySql(plan: Plan): string {
  return [
    'EXEC master.dbo.sp_delete_log_shipping_primary_secondary',
    `  @primary_database = ${nString(plan.database)},`,
    `  @secondary_server = ${nString(plan.servers.backup.name)},`,
    `  @secondary_database = ${nString(plan.secondaryDatabase)};`,
    '',
  ].join('\n');
}

/** On a primary: remove its configuration, backup job and monitor rows. */
export function deletePrimaryDatabaseSql(plan: Plan): string {
  return `EXEC master.dbo.sp_delete_log_shipping_primary_database @database = ${nString(plan.database)};\n`;
}

/** On the backup store: remove the secondary database's configuration (and the copy and restore jobs with it). */
export function deleteSecondaryDatabaseSql(plan: Plan): string {
  return `EXEC master.dbo.sp_delete_log_shipping_secondary_database @secondary_database = ${nString(plan.secondaryDatabase)};\n`;
}

/** On the backup store: drop the restoring copy. */
export function dropSecondaryDatabaseSql(plan: Plan): string {
  return `DROP DATABASE ${quoteIdentifier(plan.secondaryDatabase)};\n`;
}

/** The teardown batches per step, in apply order. */
export function teardownSteps(
  plan: Plan,
  options: TeardownOptions = {},
): { role: 'primary' | 'primaryMirror' | 'backup'; batches: SqlBatch[] }[] {
  const batch = (id: string, title: string, sql: string): SqlBatch =>
    sqlBatch({ id, title, sql, readOnly: false });
  const forget = () =>
    batch(
      'delete-primary-secondary',
      `Forget the secondary ${plan.servers.backup.name} on this primary.`,
      deletePrimarySecondarySql(plan),
    );
  const remove = () =>
    batch(
      'delete-primary-database',
      "Remove this primary's log-shipping configuration and its backup job.",
      deletePrimaryDatabaseSql(plan),
    );
  return [
    { role: 'primary' as const, batches: [forget()] },
    { role: 'primaryMirror' as const, batches: [forget()] },
    {
      role: 'backup' as const,
      batches: [
        batch(
          'delete-secondary-database',
          'Remove the secondary database from log shipping with its copy and restore jobs.',
          deleteSecondaryDatabaseSql(plan),
        ),
      ],
    },
    { role: 'primary' as const, batches: [remove()] },
    { role: 'primaryMirror' as const, batches: [remove()] },
    ...(options.dropSecondaryDatabase
      ? [
          {
            role: 'backup' as const,
            batches: [
              batch(
                'drop-secondary-database',
                `Drop the restoring copy ${plan.secondaryDatabase} on the backup store.`,
                dropSecondaryDatabaseSql(plan),
              ),
            ],
          },
        ]
      : []),
  ];
}
