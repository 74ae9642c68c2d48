import { connectSchema, type PlanInput, planSchema, planVersion } from './schema';
import { schemaDefaults } from './schema-defaults';

/** Default job names as SSMS derives them: `LSBackup_<db>`, `LSCopy_<primary>_<db>`, `LSRestore_<primary>_<db>`. */
export function defaultJobNames(primaryServer: string, database: string) {
  return {
    backup: `LSBackup_${database}`,
    copy: `LSCopy_${primaryServer}_${database}`,
    restore: `LSRestore_${primaryServer}_${database}`,
  };
}

const every15Minutes = { every: 15, unit: 'minutes', startTime: '00:00:00', endTime: '23:59:00' } as const;

/** The lab's topology (design §7): what `npm start` serves and every test starts from. */
export function labPlan(): PlanInput {
  const sqlLogin = { mode: 'sql', login: 'sa' } as const;
  const lab = (name: string, port: number) => ({
    name,
    connect: { host: '127.0.0.1', port, encrypt: true, trustServerCertificate: true },
    auth: sqlLogin,
  });
  return {
    version: 1,
    name: 'Lab rehearsal',
    pool: { fqdn: 'pchat.lab.local', compliance: true },
    database: 'mgc',
    secondaryDatabase: 'mgc',
    servers: {
      primary: lab('SQL01\\PCHAT', 14331),
      primaryMirror: lab('SQL02\\PCHAT', 14332),
      backup: lab('SQLDR01\\PCHAT', 14333),
      backupMirror: lab('SQLDR02\\PCHAT', 14334),
    },
    backup: {
      share: '\\\\FS01\\PChatLogShip',
      serviceRunsAsLocalSystem: false,
      retentionMinutes: 4320,
      alertThresholdMinutes: 60,
      alertEnabled: true,
      historyRetentionMinutes: 5760,
      schedule: every15Minutes,
      compression: 'server-default',
    },
    secondary: {
      initialise: { mode: 'generate-full-backup' },
      copy: { destinationFolder: 'D:\\LSCopy', deleteAfterMinutes: 4320, schedule: every15Minutes },
      restore: {
        mode: 'norecovery',
        disconnectUsers: false,
        delayMinutes: 0,
        alertThresholdMinutes: 45,
        alertEnabled: true,
        historyRetentionMinutes: 5760,
        schedule: every15Minutes,
      },
    },
    monitor: { enabled: false },
    shellHost: { kind: 'local-pwsh' },
    dr: {
      primarySiteServers: ['FE01.lab.local', 'FE02.lab.local'],
      backupSiteServers: ['FEDR01.lab.local'],
      primaryReachable: false,
      dropBackupDatabaseOnTeardown: false,
    },
  };
}

/** A new plan: SSMS and SfB defaults, servers still to be named by the operator. */
export function emptyPlan(name = 'New plan'): PlanInput {
  const { pool, database, secondaryDatabase, backup, secondary, monitor, shellHost } =
    schemaDefaults(planSchema);
  const blank = {
    name: '',
    connect: { host: '', ...schemaDefaults(connectSchema) },
    auth: { mode: 'windows-integrated' },
  } as const;
  return {
    version: planVersion,
    name,
    pool: { fqdn: '', ...pool },
    database,
    secondaryDatabase,
    servers: { primary: blank, primaryMirror: blank, backup: blank, backupMirror: blank },
    backup: { share: '', ...backup },
    // The restore settings are left to the secondary page, which shows the schema's defaults until they are saved.
    secondary: { initialise: secondary.initialise, copy: { destinationFolder: '', ...secondary.copy } },
    monitor,
    shellHost,
  };
}
