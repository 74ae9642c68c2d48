import type { Plan } from '@/lib/plan/schema';
import { nString } from './quote';

/**
 * The read-only query whose answer a review is based on: the plan's databases, their mirroring roles and the
 * log-shipping rows of msdb. Apply reads it again and refuses when it changed. Pure.
 */
export function liveStateQuery(plan: Plan): string {
  const names = [plan.database, plan.secondaryDatabase, ...(plan.pool.compliance ? ['mgccomp'] : [])];
  const list = [...new Set(names)].map(nString).join(', ');
  return [
    'SELECT d.name, d.state_desc, d.recovery_model_desc, m.mirroring_role_desc, m.mirroring_partner_instance',
    'FROM sys.databases AS d LEFT JOIN sys.database_mirroring AS m ON m.database_id = d.database_id',
    `WHERE d.name IN (${list})`,
    'ORDER BY d.name;',
    'SELECT primary_database FROM msdb.dbo.log_shipping_primary_databases ORDER BY primary_database;',
    'SELECT secondary_server, secondary_database FROM msdb.dbo.log_shipping_primary_secondaries ORDER BY secondary_server, secondary_database;',
    'SELECT primary_server, primary_database FROM msdb.dbo.log_shipping_secondary ORDER BY primary_server, primary_database;',
    'SELECT secondary_database FROM msdb.dbo.log_shipping_secondary_databases ORDER BY secondary_database;',
  ].join('\n');
}
