import { describe, expect, it } from 'vitest';
import { labPlan } from '@/lib/plan/defaults';
import { planSchema } from '@/lib/plan/schema';
import { databasesSql, servicesSql } from './preflight';
import { clockSql, monitorErrorsSql, monitorPrimarySql, statusJobs, statusQueries } from './status';
import { jobStatusSql, monitorSecondarySql } from './verify';

const plan = planSchema.parse(labPlan());

describe('status queries', () => {
  it('reads the instance clock with GETDATE and GETUTCDATE', () => {
    expect(clockSql).toBe(`SELECT
  GETDATE() AS server_now,
  GETUTCDATE() AS server_utc_now;
`);
  });

  it('reads the primary monitor row of the database, quoted as N-strings', () => {
    expect(monitorPrimarySql("it's")).toBe(`SELECT
  primary_server,
  primary_database,
  backup_threshold,
  threshold_alert_enabled,
  last_backup_file,
  last_backup_date,
  last_backup_date_utc
FROM msdb.dbo.log_shipping_monitor_primary
WHERE primary_database = N'it''s';
`);
  });

  it('reads the newest error rows first, at most the limit asked', () => {
    expect(monitorErrorsSql('mgc', 5)).toBe(`SELECT TOP (5)
  agent_id,
  agent_type,
  session_id,
  database_name,
  sequence_number,
  log_time,
  log_time_utc,
  message,
  source
FROM msdb.dbo.log_shipping_monitor_error_detail
WHERE database_name = N'mgc'
ORDER BY log_time_utc DESC;
`);
    expect(monitorErrorsSql('mgc')).toMatch(/^SELECT TOP \(20\)\n/);
  });

  it('names the backup job per primary and the copy and restore jobs on the backup store', () => {
    expect(statusJobs(plan, 'primary')).toEqual([{ kind: 'backup', name: 'LSBackup_mgc' }]);
    expect(statusJobs(plan, 'primaryMirror')).toEqual([{ kind: 'backup', name: 'LSBackup_mgc' }]);
    expect(statusJobs(plan, 'backup')).toEqual([
      { kind: 'copy', name: 'LSCopy_SQL01\\PCHAT_mgc' },
      { kind: 'restore', name: 'LSRestore_SQL01\\PCHAT_mgc' },
    ]);
    expect(statusJobs(plan, 'backupMirror')).toEqual([]);
  });

  it('sends each instance the reads of its role, reusing the preflight and verify queries', () => {
    expect(statusQueries(plan, 'primary')).toEqual([
      { id: 'clock', sql: clockSql },
      { id: 'services', sql: servicesSql },
      { id: 'databases', sql: databasesSql(['mgc']) },
      { id: 'monitor-primary', sql: monitorPrimarySql('mgc') },
      { id: 'errors', sql: monitorErrorsSql('mgc') },
      { id: 'job-backup', sql: jobStatusSql('LSBackup_mgc') },
    ]);
    expect(statusQueries(plan, 'primaryMirror').map((q) => q.id)).toEqual([
      'clock',
      'services',
      'databases',
      'monitor-primary',
      'errors',
      'job-backup',
    ]);
    expect(statusQueries(plan, 'backup')).toEqual([
      { id: 'clock', sql: clockSql },
      { id: 'services', sql: servicesSql },
      { id: 'databases', sql: databasesSql(['mgc']) },
      { id: 'monitor-secondary', sql: monitorSecondarySql('mgc') },
      { id: 'errors', sql: monitorErrorsSql('mgc') },
      { id: 'job-copy', sql: jobStatusSql('LSCopy_SQL01\\PCHAT_mgc') },
      { id: 'job-restore', sql: jobStatusSql('LSRestore_SQL01\\PCHAT_mgc') },
    ]);
    expect(statusQueries(plan, 'backupMirror').map((q) => q.id)).toEqual(['clock', 'services', 'databases']);
  });

  it('reads the secondary database on the backup side when it has another name', () => {
    const renamed = planSchema.parse({ ...labPlan(), secondaryDatabase: 'mgc_dr' });
    const backup = statusQueries(renamed, 'backup');
    expect(backup.find((q) => q.id === 'databases')?.sql).toBe(databasesSql(['mgc_dr']));
    expect(backup.find((q) => q.id === 'monitor-secondary')?.sql).toBe(monitorSecondarySql('mgc_dr'));
    expect(backup.find((q) => q.id === 'errors')?.sql).toBe(monitorErrorsSql('mgc_dr'));
    expect(statusQueries(renamed, 'primary').find((q) => q.id === 'databases')?.sql).toBe(
      databasesSql(['mgc']),
    );
  });
});
