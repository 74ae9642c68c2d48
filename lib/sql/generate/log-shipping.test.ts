import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  maskedSecretLines,
  primaryHalfSettings,
  secondaryHalfSettings,
  splitPrimaryHalf,
  ssmsPrimaryHalf,
  ssmsScript,
  ssmsScriptForPlan,
  ssmsSecondaryHalf,
} from './log-shipping';
import { generatedFor, lsVariants, planWith } from './testing/fixtures';
import { expectGolden, lineDiff } from './testing/golden';

const templateFile = readFileSync(
  new URL('./__golden__/ssms-logshipping-template.txt', import.meta.url),
  'utf8',
);
const template = templateFile.slice(
  templateFile.indexOf('#### BEGIN TEMPLATE\n') + '#### BEGIN TEMPLATE\n'.length,
);

const T = '\t\t';
const scriptFor = (variant: string) => {
  const plan = planWith(lsVariants[variant]);
  return ssmsScript(
    primaryHalfSettings(plan, 'primary', generatedFor),
    secondaryHalfSettings(plan, generatedFor),
  );
};

describe('SSMS script against the reference template', () => {
  it('fills to exactly the bytes of the default lab plan', () => {
    const values: Record<string, string> = {
      PRIMARY_SERVER: 'SQL01\\PCHAT',
      PRIMARY_DB: 'mgc',
      SECONDARY_SERVER: 'SQLDR01\\PCHAT',
      SECONDARY_DB: 'mgc',
      BACKUP_DIRECTORY: '\\\\FS01\\PChatLogShip',
      BACKUP_SHARE: '\\\\FS01\\PChatLogShip',
      BACKUP_RETENTION_MIN: '4320',
      BACKUP_COMPRESSION: '2',
      BACKUP_THRESHOLD_MIN: '60',
      BACKUP_ALERT_ENABLED: '1',
      HISTORY_RETENTION_MIN: '5760',
      BACKUP_FREQ_SUBDAY_TYPE: '4',
      BACKUP_FREQ_SUBDAY_INTERVAL: '15',
      ACTIVE_START_DATE_YYYYMMDD: '20261126',
      COPY_DESTINATION: 'D:\\LSCopy',
      FILE_RETENTION_MIN: '4320',
      COPY_FREQ_SUBDAY_TYPE: '4',
      COPY_FREQ_SUBDAY_INTERVAL: '15',
      RESTORE_FREQ_SUBDAY_TYPE: '4',
      RESTORE_FREQ_SUBDAY_INTERVAL: '15',
      RESTORE_DELAY_MIN: '0',
      RESTORE_MODE: '0',
      DISCONNECT_USERS: '0',
      RESTORE_THRESHOLD_MIN: '45',
      RESTORE_ALERT_ENABLED: '1',
      SECONDARY_HISTORY_RETENTION_MIN: '5760',
    };
    const filled = template.replace(/\{\{([A-Z_]+)\}\}/g, (_, name: string) => {
      const value = values[name];
      if (value === undefined) throw new Error(`No value for template placeholder ${name}`);
      return value;
    });
    expect(scriptFor('default-lab')).toBe(filled);
  });
});

describe('SSMS script golden files', () => {
  for (const variant of Object.keys(lsVariants)) {
    it(`${variant} matches its golden file`, () => {
      expectGolden(`ssms/${variant}.sql`, scriptFor(variant));
    });
  }

  it('mirror-as-primary: the primary half for the primary mirror matches its golden file', () => {
    const plan = planWith();
    expectGolden(
      'ssms/mirror-as-primary.sql',
      ssmsPrimaryHalf(primaryHalfSettings(plan, 'primaryMirror', generatedFor)),
    );
  });

  it('legacy monitor blocks (older SSMS builds) match their golden file', () => {
    const plan = planWith(lsVariants['monitor-windows']);
    const script = ssmsScript(
      { ...primaryHalfSettings(plan, 'primary', generatedFor), legacyMonitorBlocks: true },
      { ...secondaryHalfSettings(plan, generatedFor), legacyMonitorBlocks: true },
    );
    expectGolden('ssms/legacy-monitor-windows.sql', script);
  });
});

// Each variant changes exactly the lines the SSMS dialog option maps to (logshipping-tsql.md §1.3-1.4), nothing else.
describe('each option changes exactly its own lines', () => {
  const base = scriptFor('default-lab');
  const expected: Record<string, { removed: string[]; added: string[] }> = {
    'hours-schedule': {
      removed: [
        `${T},@freq_subday_type = 4 `,
        `${T},@freq_subday_interval = 15 `,
        `${T},@active_start_time = 0 `,
        `${T},@active_end_time = 235900 `,
        `${T},@freq_subday_type = 4 `,
        `${T},@freq_subday_interval = 15 `,
        `${T},@active_start_time = 0 `,
        `${T},@active_end_time = 235900 `,
      ],
      added: [
        `${T},@freq_subday_type = 8 `,
        `${T},@freq_subday_interval = 2 `,
        `${T},@active_start_time = 93000 `,
        `${T},@active_end_time = 180000 `,
        `${T},@freq_subday_type = 8 `,
        `${T},@freq_subday_interval = 1 `,
        `${T},@active_start_time = 93015 `,
        `${T},@active_end_time = 235959 `,
      ],
    },
    'start-date': {
      removed: [`${T},@active_start_date = 20261126 `],
      added: [`${T},@active_start_date = 20270115 `],
    },
    compress: { removed: [`${T},@backup_compression = 2`], added: [`${T},@backup_compression = 1`] },
    'no-compress': { removed: [`${T},@backup_compression = 2`], added: [`${T},@backup_compression = 0`] },
    'standby-disconnect': {
      removed: [`${T},@restore_mode = 0 `, `${T},@disconnect_users\t= 0 `],
      added: [`${T},@restore_mode = 1 `, `${T},@disconnect_users\t= 1 `],
    },
    'restore-delay': { removed: [`${T},@restore_delay = 0 `], added: [`${T},@restore_delay = 60 `] },
    'alerts-disabled': {
      removed: [`${T},@threshold_alert_enabled = 1`, `${T},@threshold_alert_enabled = 1 `],
      added: [`${T},@threshold_alert_enabled = 0`, `${T},@threshold_alert_enabled = 0 `],
    },
    'local-path': {
      removed: [`${T},@backup_directory = N'\\\\FS01\\PChatLogShip' `],
      added: [`${T},@backup_directory = N'D:\\PChatLogShip' `],
    },
    'monitor-windows': {
      removed: ['EXEC master.dbo.sp_add_log_shipping_alert_job ', ''],
      added: [
        `${T},@monitor_server = N'MON01\\PCHAT' `,
        `${T},@monitor_server_security_mode = 1 `,
        `${T},@monitor_server = N'MON01\\PCHAT' `,
        `${T},@monitor_server_security_mode = 1 `,
      ],
    },
    'monitor-sql': {
      removed: ['EXEC master.dbo.sp_add_log_shipping_alert_job ', ''],
      added: [
        `${T},@monitor_server = N'MON01\\PCHAT' `,
        `${T},@monitor_server_security_mode = 0 `,
        `${T},@monitor_server_login = N'**********'`,
        `${T},@monitor_server_password = N'**********'`,
        `${T},@monitor_server = N'MON01\\PCHAT' `,
        `${T},@monitor_server_security_mode = 0 `,
        `${T},@monitor_server_login = N'**********'`,
        `${T},@monitor_server_password = N'**********'`,
      ],
    },
    'custom-job-names': {
      removed: [
        `${T},@backup_job_name = N'LSBackup_mgc' `,
        `${T},@copy_job_name = N'LSCopy_SQL01\\PCHAT_mgc' `,
        `${T},@restore_job_name = N'LSRestore_SQL01\\PCHAT_mgc' `,
      ],
      added: [
        `${T},@backup_job_name = N'PChat log backup' `,
        `${T},@copy_job_name = N'PChat log copy' `,
        `${T},@restore_job_name = N'PChat log restore' `,
      ],
    },
    'secondary-other-name': {
      removed: [
        `${T},@secondary_database = N'mgc' `,
        '-- for the database [SQLDR01\\PCHAT].[mgc],',
        `${T}@secondary_database = N'mgc' `,
      ],
      added: [
        `${T},@secondary_database = N'mgc_dr' `,
        '-- for the database [SQLDR01\\PCHAT].[mgc_dr],',
        `${T}@secondary_database = N'mgc_dr' `,
      ],
    },
  };
  for (const [variant, change] of Object.entries(expected)) {
    it(variant, () => {
      const diff = lineDiff(base, scriptFor(variant));
      expect([...diff.removed].sort()).toEqual([...change.removed].sort());
      expect([...diff.added].sort()).toEqual([...change.added].sort());
    });
  }

  it('mirror-as-primary differs from the primary half only in the primary server name', () => {
    const plan = planWith();
    const primary = ssmsPrimaryHalf(primaryHalfSettings(plan, 'primary', generatedFor));
    const mirror = ssmsPrimaryHalf(primaryHalfSettings(plan, 'primaryMirror', generatedFor));
    expect(lineDiff(primary, mirror)).toEqual({
      removed: [
        '-- for the database [SQL01\\PCHAT].[mgc],',
        '-- ****** Begin: Script to be run at Primary: [SQL01\\PCHAT] ******',
        `${T}@schedule_name =N'LSBackupSchedule_SQL01\\PCHAT1' `,
        '-- ****** End: Script to be run at Primary: [SQL01\\PCHAT]  ******',
      ],
      added: [
        '-- for the database [SQL02\\PCHAT].[mgc],',
        '-- ****** Begin: Script to be run at Primary: [SQL02\\PCHAT] ******',
        `${T}@schedule_name =N'LSBackupSchedule_SQL02\\PCHAT1' `,
        '-- ****** End: Script to be run at Primary: [SQL02\\PCHAT]  ******',
      ],
    });
  });
});

describe('script structure', () => {
  it('the primary half splits before the registration and the parts join back to SSMS bytes', () => {
    const half = ssmsPrimaryHalf(primaryHalfSettings(planWith(), 'primary', generatedFor));
    const { configuration, registration } = splitPrimaryHalf(half);
    expect(configuration + registration).toBe(half);
    expect(configuration.endsWith('EXEC master.dbo.sp_add_log_shipping_alert_job \n\n')).toBe(true);
    expect(registration.startsWith('EXEC master.dbo.sp_add_log_shipping_primary_secondary \n')).toBe(true);
    expect(
      registration.endsWith('-- ****** End: Script to be run at Primary: [SQL01\\PCHAT]  ******\n\n\n'),
    ).toBe(true);
  });

  it('the whole script is the primary half then the secondary half, LF only, no GO', () => {
    const plan = planWith();
    const script = scriptFor('default-lab');
    expect(script).toBe(
      ssmsPrimaryHalf(primaryHalfSettings(plan, 'primary', generatedFor)) +
        ssmsSecondaryHalf(secondaryHalfSettings(plan, generatedFor)),
    );
    expect(ssmsScriptForPlan(plan, generatedFor)).toBe(script);
    expect(script).not.toMatch(/\r/);
    expect(script).not.toMatch(/^\s*GO\s*$/im);
  });

  it('a masked secret line appears once per half with a SQL-authenticated monitor', () => {
    const script = scriptFor('monitor-sql');
    expect(script.split(maskedSecretLines['monitor-password']).length - 1).toBe(2);
    expect(script.split(maskedSecretLines['monitor-login']).length - 1).toBe(2);
    expect(script).not.toContain('lsmonitor');
  });

  it('values with quotes are written as N literals with doubled quotes, in banners raw', () => {
    const plan = planWith((p) => {
      p.database = "mgc'x";
      p.secondaryDatabase = "mgc'x";
    });
    const half = ssmsPrimaryHalf(primaryHalfSettings(plan, 'primary', generatedFor));
    expect(half).toContain(`${T}@database = N'mgc''x' `);
    expect(half).toContain(`${T},@backup_job_name = N'LSBackup_mgc''x' `);
    expect(half).toContain("-- for the database [SQL01\\PCHAT].[mgc'x],");
  });
});
