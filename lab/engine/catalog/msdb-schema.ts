// Column lists of the msdb tables the lab keeps: the log-shipping tables from msdb-tables.json (Microsoft's docs),
// plus the Agent and backup-history tables.
import type { SqlType } from '../tsql/ast';
import { T, typeFromCatalog } from '../tsql/values';
import msdbTables from './msdb-tables.json';

export interface TableDef {
  name: string;
  columns: { name: string; type: SqlType }[];
}

const docTables = msdbTables as unknown as Record<string, { columns: { name: string; type: string }[] }>;

function def(name: string, cols: [string, SqlType][]): TableDef {
  return { name, columns: cols.map(([n, t]) => ({ name: n, type: t })) };
}

const n128 = T.sysname;

export const MSDB_TABLES: Record<string, TableDef> = {};

for (const [full, t] of Object.entries(docTables)) {
  const name = full.split('.').pop()!.toLowerCase();
  MSDB_TABLES[name] = {
    name,
    columns: t.columns.map((c) => ({ name: c.name, type: typeFromCatalog(c.type) })),
  };
}

const extra: TableDef[] = [
  def('log_shipping_primary_secondaries', [
    ['primary_id', T.guid],
    ['secondary_server', n128],
    ['secondary_database', n128],
  ]),
  def('log_shipping_monitor_alert', [['alert_job_id', T.guid]]),
  def('sysjobs', [
    ['job_id', T.guid],
    ['originating_server_id', T.int],
    ['name', n128],
    ['enabled', T.tinyint],
    ['description', T.nvarchar(512)],
    ['start_step_id', T.int],
    ['category_id', T.int],
    ['owner_sid', { base: 'varbinary', length: 85, name: 'varbinary' }],
    ['notify_level_eventlog', T.int],
    ['delete_level', T.int],
    ['date_created', T.datetime],
    ['date_modified', T.datetime],
    ['version_number', T.int],
  ]),
  def('sysjobsteps', [
    ['job_id', T.guid],
    ['step_id', T.int],
    ['step_name', n128],
    ['subsystem', T.nvarchar(40)],
    ['command', T.nvarchar('max')],
    ['database_name', n128],
    ['on_success_action', T.tinyint],
    ['on_fail_action', T.tinyint],
    ['last_run_outcome', T.int],
    ['last_run_date', T.int],
    ['last_run_time', T.int],
  ]),
  def('sysschedules', [
    ['schedule_id', T.int],
    ['schedule_uid', T.guid],
    ['originating_server_id', T.int],
    ['name', n128],
    ['owner_sid', { base: 'varbinary', length: 85, name: 'varbinary' }],
    ['enabled', T.int],
    ['freq_type', T.int],
    ['freq_interval', T.int],
    ['freq_subday_type', T.int],
    ['freq_subday_interval', T.int],
    ['freq_relative_interval', T.int],
    ['freq_recurrence_factor', T.int],
    ['active_start_date', T.int],
    ['active_end_date', T.int],
    ['active_start_time', T.int],
    ['active_end_time', T.int],
    ['date_created', T.datetime],
    ['date_modified', T.datetime],
    ['version_number', T.int],
  ]),
  def('sysjobschedules', [
    ['schedule_id', T.int],
    ['job_id', T.guid],
    ['next_run_date', T.int],
    ['next_run_time', T.int],
  ]),
  def('sysjobhistory', [
    ['instance_id', T.int],
    ['job_id', T.guid],
    ['step_id', T.int],
    ['step_name', n128],
    ['sql_message_id', T.int],
    ['sql_severity', T.int],
    ['message', T.nvarchar(4000)],
    ['run_status', T.int],
    ['run_date', T.int],
    ['run_time', T.int],
    ['run_duration', T.int],
    ['operator_id_emailed', T.int],
    ['retries_attempted', T.int],
    ['server', n128],
  ]),
  def('syssessions', [
    ['session_id', T.int],
    ['agent_start_date', T.datetime],
  ]),
  def('sysjobactivity', [
    ['session_id', T.int],
    ['job_id', T.guid],
    ['run_requested_date', T.datetime],
    ['run_requested_source', n128],
    ['queued_date', T.datetime],
    ['start_execution_date', T.datetime],
    ['last_executed_step_id', T.int],
    ['last_executed_step_date', T.datetime],
    ['stop_execution_date', T.datetime],
    ['job_history_id', T.int],
    ['next_scheduled_run_date', T.datetime],
  ]),
  def('backupset', [
    ['backup_set_id', T.int],
    ['backup_set_uuid', T.guid],
    ['media_set_id', T.int],
    ['position', T.int],
    ['name', T.nvarchar(128)],
    ['user_name', n128],
    ['database_name', n128],
    ['server_name', n128],
    ['machine_name', n128],
    ['type', T.varchar(1)],
    ['backup_start_date', T.datetime],
    ['backup_finish_date', T.datetime],
    ['first_lsn', T.lsn],
    ['last_lsn', T.lsn],
    ['checkpoint_lsn', T.lsn],
    ['database_backup_lsn', T.lsn],
    ['recovery_model', T.nvarchar(60)],
    ['is_copy_only', T.bit],
    ['backup_size', T.lsn],
    ['compressed_backup_size', T.lsn],
    ['has_backup_checksums', T.bit],
    ['family_guid', T.guid],
  ]),
  def('backupmediafamily', [
    ['media_set_id', T.int],
    ['family_sequence_number', T.tinyint],
    ['physical_device_name', T.nvarchar(260)],
    ['device_type', T.tinyint],
  ]),
  def('restorehistory', [
    ['restore_history_id', T.int],
    ['restore_date', T.datetime],
    ['destination_database_name', n128],
    ['user_name', n128],
    ['backup_set_id', T.int],
    ['restore_type', T.varchar(1)],
    ['replace', T.bit],
    ['recovery', T.bit],
    ['restart', T.bit],
    ['stop_at', T.datetime],
    ['device_count', T.tinyint],
    ['stop_at_mark_name', T.nvarchar(128)],
    ['stop_before', T.bit],
  ]),
];

for (const t of extra) MSDB_TABLES[t.name] = t;
