// SSMS "Script Configuration" output for log shipping, byte for byte (reference/logshipping-tsql.md §1 and
// reference/ssms-logshipping-template.txt): TABs, trailing spaces, blank lines and LF endings are part of the format,
// so every line below is spelled out whole. `·` in comments means a trailing space.
import { defaultJobNames } from '@/lib/plan/defaults';
import type { Plan, Schedule } from '@/lib/plan/schema';
import { nString } from '@/lib/sql/quote';
import { agentDate, agentTime, subdayType } from './format';

/** What SSMS prints in place of the monitor's SQL login and password. */
export const ssmsMask = '**********';

/** A SQL Server Agent schedule as SSMS scripts it (daily, every N minutes or hours). */
export interface LsSchedule {
  name: string;
  subdayType: 4 | 8;
  every: number;
  /** YYYYMMDD. */
  startDate: number;
  /** HHMMSS. */
  startTime: number;
  endTime: number;
}

/** The remote monitor as the add procedures see it: Windows (1) or SQL (0, login and password masked). */
export interface LsMonitor {
  server: string;
  securityMode: 0 | 1;
}

/** Inputs of the primary half: the SSMS *Transaction Log Backup Settings* dialog plus the secondaries it registers. */
export interface PrimaryHalfSettings {
  primaryServer: string;
  database: string;
  backupDirectory: string;
  backupShare: string;
  backupJobName: string;
  retentionMinutes: number;
  /** 0 do not compress, 1 compress, 2 server default; null omits the line (SSMS without the compression option). */
  compression: 0 | 1 | 2 | null;
  monitor: LsMonitor | null;
  backupThresholdMinutes: number;
  alertEnabled: boolean;
  historyRetentionMinutes: number;
  schedule: LsSchedule;
  secondaries: { server: string; database: string }[];
  /** Older SSMS builds configure the monitor in separate Monitor blocks and pass `@ignoreremotemonitor = 1`. */
  legacyMonitorBlocks?: boolean;
}

/** Inputs of the secondary half: the three tabs of the SSMS *Secondary Database Settings* dialog. */
export interface SecondaryHalfSettings {
  primaryServer: string;
  primaryDatabase: string;
  secondaryServer: string;
  secondaryDatabase: string;
  backupShare: string;
  copyDestination: string;
  copyJobName: string;
  restoreJobName: string;
  fileRetentionMinutes: number;
  monitor: LsMonitor | null;
  copySchedule: LsSchedule;
  restoreSchedule: LsSchedule;
  restoreDelayMinutes: number;
  restoreMode: 0 | 1;
  disconnectUsers: boolean;
  restoreThresholdMinutes: number;
  restoreAlertEnabled: boolean;
  historyRetentionMinutes: number;
  legacyMonitorBlocks?: boolean;
}

/** The two servers that can be a log-shipping primary: the primary store, and its mirror after a failover. */
export type PrimaryRole = 'primary' | 'primaryMirror';

const compressionCode = { 'server-default': 2, compress: 1, 'no-compress': 0 } as const;

function lsSchedule(name: string, schedule: Schedule, generatedFor: Date): LsSchedule {
  return {
    name,
    subdayType: subdayType(schedule),
    every: schedule.every,
    startDate: agentDate(schedule.startDate, generatedFor),
    startTime: agentTime(schedule.startTime),
    endTime: agentTime(schedule.endTime),
  };
}

/** The monitor as the plan describes it, or null when the primary monitors itself. */
export function lsMonitor(plan: Plan): LsMonitor | null {
  if (!plan.monitor.enabled) return null;
  return { server: plan.monitor.server.name, securityMode: plan.monitor.jobAuth.mode === 'windows' ? 1 : 0 };
}

/** Primary-half inputs for the primary store or the primary mirror, from the plan. */
export function primaryHalfSettings(plan: Plan, role: PrimaryRole, generatedFor: Date): PrimaryHalfSettings {
  const primaryServer = plan.servers[role].name;
  return {
    primaryServer,
    database: plan.database,
    // SSMS writes the local path when one was typed, otherwise the share (msdb-procs.json, @backup_directory).
    backupDirectory: plan.backup.localPath ?? plan.backup.share,
    backupShare: plan.backup.share,
    backupJobName: plan.backup.jobName ?? defaultJobNames(primaryServer, plan.database).backup,
    retentionMinutes: plan.backup.retentionMinutes,
    compression: compressionCode[plan.backup.compression],
    monitor: lsMonitor(plan),
    backupThresholdMinutes: plan.backup.alertThresholdMinutes,
    alertEnabled: plan.backup.alertEnabled,
    historyRetentionMinutes: plan.backup.historyRetentionMinutes,
    schedule: lsSchedule(`LSBackupSchedule_${primaryServer}1`, plan.backup.schedule, generatedFor),
    secondaries: [{ server: plan.servers.backup.name, database: plan.secondaryDatabase }],
  };
}

/** Secondary-half inputs for the backup store, from the plan; the primary is always the primary store. */
export function secondaryHalfSettings(plan: Plan, generatedFor: Date): SecondaryHalfSettings {
  const primaryServer = plan.servers.primary.name;
  const defaults = defaultJobNames(primaryServer, plan.database);
  const { copy, restore } = plan.secondary;
  return {
    primaryServer,
    primaryDatabase: plan.database,
    secondaryServer: plan.servers.backup.name,
    secondaryDatabase: plan.secondaryDatabase,
    backupShare: plan.backup.share,
    copyDestination: copy.destinationFolder,
    copyJobName: copy.jobName ?? defaults.copy,
    restoreJobName: restore.jobName ?? defaults.restore,
    fileRetentionMinutes: copy.deleteAfterMinutes,
    monitor: lsMonitor(plan),
    copySchedule: lsSchedule('DefaultCopyJobSchedule', copy.schedule, generatedFor),
    restoreSchedule: lsSchedule('DefaultRestoreJobSchedule', restore.schedule, generatedFor),
    restoreDelayMinutes: restore.delayMinutes,
    restoreMode: restore.mode === 'standby' ? 1 : 0,
    disconnectUsers: restore.mode === 'standby' && restore.disconnectUsers,
    restoreThresholdMinutes: restore.alertThresholdMinutes,
    restoreAlertEnabled: restore.alertEnabled,
    historyRetentionMinutes: restore.historyRetentionMinutes,
  };
}

const T = '\t\t';
const flag = (value: boolean) => (value ? 1 : 0);

/** The argument lines SSMS prints for a remote monitor; with SQL authentication the login and password are masked. */
function monitorArgumentLines(monitor: LsMonitor | null): string[] {
  if (!monitor) return [];
  const lines = [
    `${T},@monitor_server = ${nString(monitor.server)} `,
    `${T},@monitor_server_security_mode = ${monitor.securityMode} `,
  ];
  if (monitor.securityMode === 0) {
    // Unlike their neighbours these two lines carry no trailing space (seen in a real SSMS output).
    lines.push(
      `${T},@monitor_server_login = N'${ssmsMask}'`,
      `${T},@monitor_server_password = N'${ssmsMask}'`,
    );
  }
  return lines;
}

/** The exact line holding a masked monitor secret, as it appears in a script: what the executor substitutes. */
export const maskedSecretLines = {
  'monitor-login': `${T},@monitor_server_login = N'${ssmsMask}'`,
  'monitor-password': `${T},@monitor_server_password = N'${ssmsMask}'`,
} as const;

function scheduleLines(s: LsSchedule, uidVariable: string, idVariable: string): string[] {
  return [
    'EXEC msdb.dbo.sp_add_schedule ',
    `${T}@schedule_name =${nString(s.name)} `,
    `${T},@enabled = 1 `,
    `${T},@freq_type = 4 `,
    `${T},@freq_interval = 1 `,
    `${T},@freq_subday_type = ${s.subdayType} `,
    `${T},@freq_subday_interval = ${s.every} `,
    `${T},@freq_recurrence_factor = 0 `,
    `${T},@active_start_date = ${s.startDate} `,
    `${T},@active_end_date = 99991231 `,
    `${T},@active_start_time = ${s.startTime} `,
    `${T},@active_end_time = ${s.endTime} `,
    `${T},@schedule_uid = ${uidVariable} OUTPUT `,
    `${T},@schedule_id = ${idVariable} OUTPUT `,
  ];
}

/** The line that opens the primary's registration of a secondary; the primary half splits there (see ship-primary). */
export const primaryRegistrationStart = 'EXEC master.dbo.sp_add_log_shipping_primary_secondary \n';

/**
 * The Primary half of SSMS's script, from the `-- Execute the following statements at the Primary` banner to the
 * two empty lines after `-- ****** End: Script to be run at Primary: [...]  ******`.
 */
export function ssmsPrimaryHalf(s: PrimaryHalfSettings): string {
  const lines = [
    '-- Execute the following statements at the Primary to configure Log Shipping ',
    `-- for the database [${s.primaryServer}].[${s.database}],`,
    '-- The script needs to be run at the Primary in the context of the [msdb] database.  ',
    `${'-'.repeat(85)} `,
    '-- Adding the Log Shipping configuration ',
    '',
    `-- ****** Begin: Script to be run at Primary: [${s.primaryServer}] ******`,
    '',
    '',
    'DECLARE @LS_BackupJobId\tAS uniqueidentifier ',
    'DECLARE @LS_PrimaryId\tAS uniqueidentifier ',
    'DECLARE @SP_Add_RetCode\tAs int ',
    '',
    '',
    'EXEC @SP_Add_RetCode = master.dbo.sp_add_log_shipping_primary_database ',
    `${T}@database = ${nString(s.database)} `,
    `${T},@backup_directory = ${nString(s.backupDirectory)} `,
    `${T},@backup_share = ${nString(s.backupShare)} `,
    `${T},@backup_job_name = ${nString(s.backupJobName)} `,
    `${T},@backup_retention_period = ${s.retentionMinutes}`,
    ...(s.compression === null ? [] : [`${T},@backup_compression = ${s.compression}`]),
    ...monitorArgumentLines(s.monitor),
    `${T},@backup_threshold = ${s.backupThresholdMinutes} `,
    `${T},@threshold_alert_enabled = ${flag(s.alertEnabled)}`,
    `${T},@history_retention_period = ${s.historyRetentionMinutes} `,
    `${T},@backup_job_id = @LS_BackupJobId OUTPUT `,
    `${T},@primary_id = @LS_PrimaryId OUTPUT `,
    `${T},@overwrite = 1 `,
    ...(s.monitor && s.legacyMonitorBlocks ? [`${T},@ignoreremotemonitor = 1 `] : []),
    '',
    '',
    'IF (@@ERROR = 0 AND @SP_Add_RetCode = 0) ',
    'BEGIN ',
    '',
    'DECLARE @LS_BackUpScheduleUID\tAs uniqueidentifier ',
    'DECLARE @LS_BackUpScheduleID\tAS int ',
    '',
    '',
    ...scheduleLines(s.schedule, '@LS_BackUpScheduleUID', '@LS_BackUpScheduleID'),
    '',
    'EXEC msdb.dbo.sp_attach_schedule ',
    `${T}@job_id = @LS_BackupJobId `,
    `${T},@schedule_id = @LS_BackUpScheduleID  `,
    '',
    'EXEC msdb.dbo.sp_update_job ',
    `${T}@job_id = @LS_BackupJobId `,
    `${T},@enabled = 1 `,
    '',
    '',
    'END ',
    '',
    '',
    // With a remote monitor the alert job lives on the monitor, so SSMS leaves this call out.
    ...(s.monitor ? [] : ['EXEC master.dbo.sp_add_log_shipping_alert_job ', '']),
    ...s.secondaries.flatMap((secondary) => [
      'EXEC master.dbo.sp_add_log_shipping_primary_secondary ',
      `${T}@primary_database = ${nString(s.database)} `,
      `${T},@secondary_server = ${nString(secondary.server)} `,
      `${T},@secondary_database = ${nString(secondary.database)} `,
      `${T},@overwrite = 1 `,
      '',
    ]),
    `-- ****** End: Script to be run at Primary: [${s.primaryServer}]  ******`,
    '',
    '',
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * The Secondary half of SSMS's script, from the `-- Execute the following statements at the Secondary` banner to
 * the two empty lines after `-- ****** End: Script to be run at Secondary: [...] ******`.
 */
export function ssmsSecondaryHalf(s: SecondaryHalfSettings): string {
  const lines = [
    '-- Execute the following statements at the Secondary to configure Log Shipping ',
    `-- for the database [${s.secondaryServer}].[${s.secondaryDatabase}],`,
    '-- the script needs to be run at the Secondary in the context of the [msdb] database. ',
    `${'-'.repeat(85)} `,
    '-- Adding the Log Shipping configuration ',
    '',
    `-- ****** Begin: Script to be run at Secondary: [${s.secondaryServer}] ******`,
    '',
    '',
    'DECLARE @LS_Secondary__CopyJobId\tAS uniqueidentifier ',
    'DECLARE @LS_Secondary__RestoreJobId\tAS uniqueidentifier ',
    'DECLARE @LS_Secondary__SecondaryId\tAS uniqueidentifier ',
    'DECLARE @LS_Add_RetCode\tAs int ',
    '',
    '',
    'EXEC @LS_Add_RetCode = master.dbo.sp_add_log_shipping_secondary_primary ',
    `${T}@primary_server = ${nString(s.primaryServer)} `,
    `${T},@primary_database = ${nString(s.primaryDatabase)} `,
    `${T},@backup_source_directory = ${nString(s.backupShare)} `,
    `${T},@backup_destination_directory = ${nString(s.copyDestination)} `,
    `${T},@copy_job_name = ${nString(s.copyJobName)} `,
    `${T},@restore_job_name = ${nString(s.restoreJobName)} `,
    `${T},@file_retention_period = ${s.fileRetentionMinutes} `,
    ...monitorArgumentLines(s.monitor),
    `${T},@overwrite = 1 `,
    `${T},@copy_job_id = @LS_Secondary__CopyJobId OUTPUT `,
    `${T},@restore_job_id = @LS_Secondary__RestoreJobId OUTPUT `,
    `${T},@secondary_id = @LS_Secondary__SecondaryId OUTPUT `,
    '',
    'IF (@@ERROR = 0 AND @LS_Add_RetCode = 0) ',
    'BEGIN ',
    '',
    'DECLARE @LS_SecondaryCopyJobScheduleUID\tAs uniqueidentifier ',
    'DECLARE @LS_SecondaryCopyJobScheduleID\tAS int ',
    '',
    '',
    ...scheduleLines(s.copySchedule, '@LS_SecondaryCopyJobScheduleUID', '@LS_SecondaryCopyJobScheduleID'),
    '',
    'EXEC msdb.dbo.sp_attach_schedule ',
    `${T}@job_id = @LS_Secondary__CopyJobId `,
    `${T},@schedule_id = @LS_SecondaryCopyJobScheduleID  `,
    '',
    'DECLARE @LS_SecondaryRestoreJobScheduleUID\tAs uniqueidentifier ',
    'DECLARE @LS_SecondaryRestoreJobScheduleID\tAS int ',
    '',
    '',
    ...scheduleLines(
      s.restoreSchedule,
      '@LS_SecondaryRestoreJobScheduleUID',
      '@LS_SecondaryRestoreJobScheduleID',
    ),
    '',
    'EXEC msdb.dbo.sp_attach_schedule ',
    `${T}@job_id = @LS_Secondary__RestoreJobId `,
    `${T},@schedule_id = @LS_SecondaryRestoreJobScheduleID  `,
    '',
    '',
    'END ',
    '',
    '',
    'DECLARE @LS_Add_RetCode2\tAs int ',
    '',
    '',
    'IF (@@ERROR = 0 AND @LS_Add_RetCode = 0) ',
    'BEGIN ',
    '',
    'EXEC @LS_Add_RetCode2 = master.dbo.sp_add_log_shipping_secondary_database ',
    `${T}@secondary_database = ${nString(s.secondaryDatabase)} `,
    `${T},@primary_server = ${nString(s.primaryServer)} `,
    `${T},@primary_database = ${nString(s.primaryDatabase)} `,
    `${T},@restore_delay = ${s.restoreDelayMinutes} `,
    `${T},@restore_mode = ${s.restoreMode} `,
    `${T},@disconnect_users\t= ${flag(s.disconnectUsers)} `,
    `${T},@restore_threshold = ${s.restoreThresholdMinutes}   `,
    `${T},@threshold_alert_enabled = ${flag(s.restoreAlertEnabled)} `,
    `${T},@history_retention_period\t= ${s.historyRetentionMinutes} `,
    `${T},@overwrite = 1 `,
    // The older builds that print this line also leave two empty lines before END (a real SSMS output).
    ...(s.monitor && s.legacyMonitorBlocks ? [`${T},@ignoreremotemonitor = 1 `, ''] : []),
    '',
    'END ',
    '',
    '',
    'IF (@@error = 0 AND @LS_Add_RetCode = 0) ',
    'BEGIN ',
    '',
    'EXEC msdb.dbo.sp_update_job ',
    `${T}@job_id = @LS_Secondary__CopyJobId `,
    `${T},@enabled = 1 `,
    '',
    'EXEC msdb.dbo.sp_update_job ',
    `${T}@job_id = @LS_Secondary__RestoreJobId `,
    `${T},@enabled = 1 `,
    '',
    'END ',
    '',
    '',
    `-- ****** End: Script to be run at Secondary: [${s.secondaryServer}] ******`,
    '',
    '',
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * The Monitor block older SSMS builds print after the Primary half when a remote monitor is set
 * (`sp_processlogshippingmonitorprimary`, undocumented). `@primary_id` is empty: SSMS scripts it before the
 * primary exists. Current SSMS lets `sp_add_log_shipping_primary_database` configure the monitor instead.
 */
export function ssmsLegacyMonitorPrimaryBlock(s: PrimaryHalfSettings & { monitor: LsMonitor }): string {
  const lines = [
    `-- ****** Begin: Script to be run at Monitor: [${s.monitor.server}] ******`,
    '',
    '',
    'EXEC msdb.dbo.sp_processlogshippingmonitorprimary ',
    `${T}@mode = 1 `,
    `${T},@primary_id = N'' `,
    `${T},@primary_server = ${nString(s.primaryServer)} `,
    `${T},@monitor_server = ${nString(s.monitor.server)} `,
    `${T},@monitor_server_security_mode = ${s.monitor.securityMode} `,
    `${T},@primary_database = ${nString(s.database)} `,
    `${T},@backup_threshold = ${s.backupThresholdMinutes} `,
    `${T},@threshold_alert = 14420 `,
    `${T},@threshold_alert_enabled = ${flag(s.alertEnabled)} `,
    `${T},@history_retention_period = ${s.historyRetentionMinutes} `,
    '',
    `-- ****** End: Script to be run at Monitor: [${s.monitor.server}] ******`,
    '',
    '',
  ];
  return `${lines.join('\n')}\n`;
}

/** The Monitor block older SSMS builds print after the Secondary half (`sp_processlogshippingmonitorsecondary`). */
export function ssmsLegacyMonitorSecondaryBlock(s: SecondaryHalfSettings & { monitor: LsMonitor }): string {
  const lines = [
    `-- ****** Begin: Script to be run at Monitor: [${s.monitor.server}] ******`,
    '',
    '',
    'EXEC msdb.dbo.sp_processlogshippingmonitorsecondary ',
    `${T}@mode = 1 `,
    `${T},@secondary_server = ${nString(s.secondaryServer)} `,
    `${T},@secondary_database = ${nString(s.secondaryDatabase)} `,
    `${T},@secondary_id = N'' `,
    `${T},@primary_server = ${nString(s.primaryServer)} `,
    `${T},@primary_database = ${nString(s.primaryDatabase)} `,
    `${T},@restore_threshold = ${s.restoreThresholdMinutes}   `,
    `${T},@threshold_alert = 14420 `,
    `${T},@threshold_alert_enabled = ${flag(s.restoreAlertEnabled)} `,
    `${T},@history_retention_period\t= ${s.historyRetentionMinutes} `,
    `${T},@monitor_server = ${nString(s.monitor.server)} `,
    `${T},@monitor_server_security_mode = ${s.monitor.securityMode} `,
    `-- ****** End: Script to be run at Monitor: [${s.monitor.server}] ******`,
    '',
    '',
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * SSMS's whole *Script Configuration* output: Primary half, then Secondary half (and, for older builds with a
 * remote monitor, a Monitor block after each), exactly what a DBA would paste into a query window.
 */
export function ssmsScript(primary: PrimaryHalfSettings, secondary: SecondaryHalfSettings): string {
  const legacy = primary.legacyMonitorBlocks && primary.monitor;
  return (
    ssmsPrimaryHalf(primary) +
    (legacy ? ssmsLegacyMonitorPrimaryBlock({ ...primary, monitor: primary.monitor! }) : '') +
    ssmsSecondaryHalf(secondary) +
    (legacy && secondary.monitor
      ? ssmsLegacyMonitorSecondaryBlock({ ...secondary, monitor: secondary.monitor })
      : '')
  );
}

/**
 * The primary half cut where the registration of the secondary starts: `configuration` (job, schedule, alert job)
 * runs before the secondary is initialised, `registration` after, and the two concatenated are SSMS's half.
 */
export function splitPrimaryHalf(half: string): { configuration: string; registration: string } {
  // Anchored at a line start: values sit inside N'…' literals and cannot end a line with this text.
  const at = half.indexOf(`\n${primaryRegistrationStart}`);
  if (at === -1) return { configuration: half, registration: '' };
  return { configuration: half.slice(0, at + 1), registration: half.slice(at + 1) };
}

/** SSMS's whole script for the plan's primary store → backup store configuration, as the review offers it for SSMS. */
export function ssmsScriptForPlan(plan: Plan, generatedFor: Date): string {
  return ssmsScript(
    primaryHalfSettings(plan, 'primary', generatedFor),
    secondaryHalfSettings(plan, generatedFor),
  );
}
