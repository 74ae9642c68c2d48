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

/**
 * Runs `exec` only where the configuration it removes exists, saying so otherwise: a teardown after a partial setup
 * (the mirror never configured) or a second teardown must not stop at SQL Server's 32010 "does not exist".
 */
function whereConfigured(exists: string, exec: string[], absent: string): string {
  return [
    `IF EXISTS (${exists})`,
    'BEGIN',
    ...exec.map((line) => `  ${line}`),
    'END',
    'ELSE',
    `  PRINT ${nString(absent)};`,
    '',
  ].join('\n');
}

/** On a primary (store or mirror): forget the secondary. */
export function deletePrimarySecondarySql(plan: Plan): string {
  return whereConfigured(
    [
      'SELECT 1 FROM msdb.dbo.log_shipping_primary_secondaries AS s',
      '    JOIN msdb.dbo.log_shipping_primary_databases AS p ON p.primary_id = s.primary_id',
      `    WHERE p.primary_database = ${nString(plan.database)} AND s.secondary_server = ${nString(plan.servers.backup.name)}`,
      `      AND s.secondary_database = ${nString(plan.secondaryDatabase)}`,
    ].join('\n'),
    [
      'EXEC master.dbo.sp_delete_log_shipping_primary_secondary',
      `    @primary_database = ${nString(plan.database)},`,
      `    @secondary_server = ${nString(plan.servers.backup.name)},`,
      `    @secondary_database = ${nString(plan.secondaryDatabase)};`,
    ],
    `${plan.database} has no log-shipping secondary ${plan.servers.backup.name} on this instance: nothing to remove.`,
  );
}

/** On a primary: remove its configuration, backup job and monitor rows. */
export function deletePrimaryDatabaseSql(plan: Plan): string {
  return whereConfigured(
    `SELECT 1 FROM msdb.dbo.log_shipping_primary_databases WHERE primary_database = ${nString(plan.database)}`,
    [`EXEC master.dbo.sp_delete_log_shipping_primary_database @database = ${nString(plan.database)};`],
    `${plan.database} is not a log-shipping primary on this instance: nothing to remove.`,
  );
}

/** On the backup store: remove the secondary database's configuration (and the copy and restore jobs with it). */
export function deleteSecondaryDatabaseSql(plan: Plan): string {
  return whereConfigured(
    `SELECT 1 FROM msdb.dbo.log_shipping_secondary_databases WHERE secondary_database = ${nString(plan.secondaryDatabase)}`,
    [
      `EXEC master.dbo.sp_delete_log_shipping_secondary_database @secondary_database = ${nString(plan.secondaryDatabase)};`,
    ],
    `${plan.secondaryDatabase} is not a log-shipping secondary on this instance: nothing to remove.`,
  );
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
