import type { Plan } from '@/lib/plan/schema';
import { nString } from './quote';

/**
 * Reads whether log shipping of the plan's database is already configured on an instance, as a primary or as the
 * secondary. SSMS's scripts pass `@overwrite = 1` and would replace such a configuration without a word; apply reads
 * this first: the first result set names a primary configuration, the second a secondary one. Pure.
 */
export function existingConfigQuery(plan: Plan): string {
  return [
    `SELECT primary_database FROM msdb.dbo.log_shipping_primary_databases WHERE primary_database = ${nString(plan.database)};`,
    `SELECT secondary_database FROM msdb.dbo.log_shipping_secondary_databases WHERE secondary_database = ${nString(plan.secondaryDatabase)};`,
  ].join('\n');
}
