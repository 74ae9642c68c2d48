// Test support: plans for the golden and property tests, built from the lab plan so every variant differs from it
// in exactly the options it names.
import { labPlan } from '@/lib/plan/defaults';
import { type Plan, type PlanInput, planSchema } from '@/lib/plan/schema';

// SSMS puts the scripting machine's local date in @active_start_date; goldens are written for UTC.
process.env.TZ = 'UTC';

/** Noon UTC: the same calendar day in every time zone from UTC-11 to UTC+11, so golden dates do not depend on TZ. */
export const generatedFor = new Date('2026-11-26T12:00:00Z');

/** The lab plan with `change` applied to its input, validated by the schema (throws on an invalid variant). */
export function planWith(change: (input: PlanInput) => void = () => {}): Plan {
  const input = structuredClone(labPlan());
  change(input);
  return planSchema.parse(input);
}

/** A remote monitor on its own instance; `jobAuth` chooses Windows or SQL authentication for the jobs. */
export function withMonitor(
  input: PlanInput,
  jobAuth: { mode: 'windows' } | { mode: 'sql'; login: string },
): void {
  input.monitor = {
    enabled: true,
    server: {
      name: 'MON01\\PCHAT',
      connect: { host: '127.0.0.1', port: 14335 },
      auth: { mode: 'sql', login: 'sa' },
    },
    jobAuth,
  };
}

/** Every option branch of the log-shipping dialogs, each as a change to the lab plan. */
export const lsVariants: Record<string, (input: PlanInput) => void> = {
  'default-lab': () => {},
  'hours-schedule': (p) => {
    p.backup.schedule = { every: 2, unit: 'hours', startTime: '09:30', endTime: '18:00' };
    p.secondary.copy.schedule = { every: 1, unit: 'hours', startTime: '09:30:15', endTime: '23:59:59' };
  },
  'start-date': (p) => {
    p.backup.schedule = {
      every: 15,
      unit: 'minutes',
      startTime: '00:00:00',
      endTime: '23:59:00',
      startDate: '2027-01-15',
    };
  },
  compress: (p) => {
    p.backup.compression = 'compress';
  },
  'no-compress': (p) => {
    p.backup.compression = 'no-compress';
  },
  'standby-disconnect': (p) => {
    p.secondary.restore = { ...p.secondary.restore, mode: 'standby', disconnectUsers: true };
  },
  'restore-delay': (p) => {
    p.secondary.restore = { ...p.secondary.restore, delayMinutes: 60 };
  },
  'alerts-disabled': (p) => {
    p.backup.alertEnabled = false;
    p.secondary.restore = { ...p.secondary.restore, alertEnabled: false };
  },
  'local-path': (p) => {
    p.backup.localPath = 'D:\\PChatLogShip';
    p.backup.serviceRunsAsLocalSystem = true;
  },
  'monitor-windows': (p) => withMonitor(p, { mode: 'windows' }),
  'monitor-sql': (p) => withMonitor(p, { mode: 'sql', login: 'lsmonitor' }),
  'custom-job-names': (p) => {
    p.backup.jobName = 'PChat log backup';
    p.secondary.copy.jobName = 'PChat log copy';
    p.secondary.restore = { ...p.secondary.restore, jobName: 'PChat log restore' };
  },
  'secondary-other-name': (p) => {
    p.secondaryDatabase = 'mgc_dr';
  },
};

/** The lab primary's mgc files as sys.master_files lists them: what the Secondary page reads before a restore moves them. */
export const labPrimaryFiles = [
  { logical: 'mgc', type: 'ROWS', physicalName: 'C:\\Program Files\\Microsoft SQL Server\\DATA\\mgc.mdf' },
  {
    logical: 'mgc_log',
    type: 'LOG',
    physicalName: 'C:\\Program Files\\Microsoft SQL Server\\DATA\\mgc_log.ldf',
  },
] as const;

/** Initialisation and teardown branches of the stage generators, as changes to the lab plan. */
export const stageVariants: Record<string, (input: PlanInput) => void> = {
  'init-with-folders': (p) => {
    p.secondary.initialise = {
      mode: 'generate-full-backup',
      dataFolder: 'E:\\SQLData',
      logFolder: 'F:\\SQLLogs\\',
      files: [...labPrimaryFiles],
    };
  },
  'init-restore-existing': (p) => {
    p.secondary.initialise = {
      mode: 'restore-existing',
      backupFile: '\\\\FS01\\PChatLogShip\\mgc_full.bak',
      dataFolder: 'E:\\SQLData',
      files: [...labPrimaryFiles],
    };
  },
  'init-already-initialised': (p) => {
    p.secondary.initialise = { mode: 'already-initialised' };
  },
  'local-path-compress': (p) => {
    p.backup.localPath = 'D:\\PChatLogShip';
    p.backup.serviceRunsAsLocalSystem = true;
    p.backup.compression = 'compress';
  },
  'secondary-other-name-folders': (p) => {
    p.secondaryDatabase = 'mgc_dr';
    p.secondary.initialise = {
      mode: 'generate-full-backup',
      dataFolder: 'E:\\SQLData',
      logFolder: 'F:\\SQLLogs',
      files: [...labPrimaryFiles],
    };
  },
  'no-compliance': (p) => {
    p.pool.compliance = false;
  },
};
