import { z } from 'zod';
import { serverRoles } from '@/lib/stages/ids';

// Every rule SQL Server or the SfB cmdlets would enforce later is enforced here, so an operator learns about a bad
// value on the form that holds it instead of halfway through an apply. Messages name what is allowed.

// Control characters can't be typed into SSMS and would break a script's line structure.
const noControlChars = (value: string) => !/[\u0000-\u001f\u007f]/.test(value);

/** A SQL Server identifier (sysname): 1-128 characters, no control characters. */
const sysname = (what: string) =>
  z
    .string()
    .trim()
    .min(1, { abort: true, error: `${what} is required.` })
    .max(128, { error: `${what} must be at most 128 characters (sysname).` })
    .refine(noControlChars, { error: `${what} must not contain control characters or line breaks.` });

/** Database names: sysname, minus what SQL Server refuses in CREATE DATABASE and log shipping's file names. */
export const databaseName = (what: string) =>
  sysname(what)
    .refine((v) => v.length <= 123, {
      error: `${what} must be at most 123 characters (SQL Server's limit for database names).`,
    })
    .refine((v) => !/[\\/:*?"<>|]/.test(v), {
      error: `${what} must not contain \\ / : * ? " < > | (log shipping uses it in backup file names).`,
    });

const hostName = z
  .string()
  .trim()
  .min(1, { abort: true, error: 'Host is required.' })
  .max(253, { error: 'Host must be at most 253 characters.' })
  .regex(
    /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$|^\d{1,3}(\.\d{1,3}){3}$/,
    {
      error: 'Host must be a DNS name (letters, digits, hyphens, dots) or an IPv4 address.',
    },
  );

const instanceName = z
  .string()
  .trim()
  .max(16, { error: 'Instance name must be at most 16 characters.' })
  .regex(/^[A-Za-z_][A-Za-z0-9_$]*$/, {
    error: 'Instance name must start with a letter or _ and hold only letters, digits, _ and $.',
  });

/** `HOST`, `HOST\INSTANCE` or `host,port`: what `@@SERVERNAME` returns and scripts name the server by. */
export const sqlServerName = z
  .string()
  .trim()
  .min(1, {
    abort: true,
    error: 'SQL Server name is required (the value @@SERVERNAME returns, e.g. SQL01\\PCHAT).',
  })
  .max(128, { error: 'SQL Server name must be at most 128 characters.' })
  .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(\\[A-Za-z_][A-Za-z0-9_$]{0,15}|,\d{1,5})?$/, {
    error:
      'SQL Server name must be HOST, HOST\\INSTANCE or host,port (letters, digits, dots and hyphens in the host).',
  });

const port = z.coerce
  .number({ error: 'Port must be a number.' })
  .int({ error: 'Port must be a whole number.' })
  .min(1, { abort: true, error: 'Port must be between 1 and 65535.' })
  .max(65535, { error: 'Port must be between 1 and 65535.' });

const loginName = z
  .string()
  .trim()
  .min(1, { abort: true, error: 'Login is required.' })
  .max(128, { error: 'Login must be at most 128 characters.' })
  .refine(noControlChars, { error: 'Login must not contain control characters.' });

const domainName = z
  .string()
  .trim()
  .min(1, { abort: true, error: 'Domain is required for NTLM.' })
  .max(64, { error: 'Domain must be at most 64 characters.' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9.-]*$/, {
    error: 'Domain must hold only letters, digits, dots and hyphens.',
  });

/** How to authenticate; a password is never part of the plan (asked at apply time or read from the environment). */
export const authSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('windows-integrated') }),
  z.object({ mode: z.literal('windows-ntlm'), domain: domainName, user: loginName }),
  z.object({ mode: z.literal('sql'), login: loginName }),
]);
export type Auth = z.output<typeof authSchema>;

/** Where to reach an instance, kept apart from the name scripts use. */
export const connectSchema = z.object({
  host: hostName,
  /** Fixed TCP port; when absent the instance name is resolved through SQL Server Browser (UDP 1434). */
  port: port.optional(),
  instance: instanceName.optional(),
  encrypt: z.boolean().default(true),
  /** Explicit choice to trust a self-signed certificate (no CA validation). */
  trustServerCertificate: z.boolean().default(false),
});
export type Connect = z.output<typeof connectSchema>;

export const serverSchema = z.object({
  name: sqlServerName,
  connect: connectSchema,
  auth: authSchema,
});
export type Server = z.output<typeof serverSchema>;

const minutes = (what: string, max: number) =>
  z.coerce
    .number({ error: `${what} must be a number of minutes.` })
    .int({ error: `${what} must be a whole number of minutes.` })
    .min(1, { abort: true, error: `${what} must be at least 1 minute.` })
    .max(max, { error: `${what} must be at most ${max} minutes.` });

const timeOfDay = (what: string) =>
  z.string().regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, {
    error: `${what} must be a time HH:MM or HH:MM:SS (24-hour).`,
  });

/** A SQL Server Agent daily schedule that recurs every N minutes or hours, as the SSMS schedule dialog sets it. */
export const scheduleSchema = z
  .object({
    every: z.coerce
      .number({ error: 'Schedule interval must be a number.' })
      .int({ error: 'Schedule interval must be a whole number.' })
      .min(1, { abort: true, error: 'Schedule interval must be at least 1.' }),
    unit: z.enum(['minutes', 'hours'], { error: 'Schedule unit must be minutes or hours.' }),
    startTime: timeOfDay('Start time').default('00:00:00'),
    endTime: timeOfDay('End time').default('23:59:00'),
    /** YYYY-MM-DD; absent means the day the script is generated, as SSMS does. */
    startDate: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { error: 'Start date must be YYYY-MM-DD.' })
      .optional(),
  })
  .superRefine((s, ctx) => {
    // SQL Server Agent rejects intervals a day cannot hold (sp_add_schedule, Msg 14266-style).
    const max = s.unit === 'minutes' ? 1439 : 23;
    if (s.every > max) {
      ctx.addIssue({ code: 'custom', path: ['every'], message: `Every ${s.unit} must be at most ${max}.` });
    }
    if (normaliseTime(s.endTime) <= normaliseTime(s.startTime)) {
      ctx.addIssue({
        code: 'custom',
        path: ['endTime'],
        message: 'End time must be later than the start time.',
      });
    }
  });
export type Schedule = z.output<typeof scheduleSchema>;

function normaliseTime(value: string): string {
  return value.length === 5 ? `${value}:00` : value;
}

const jobName = (what: string) =>
  sysname(what)
    .optional()
    .or(z.literal('').transform(() => undefined));

/** `\\server\share[\folder...]`, as SQL Server needs it to read the files from every instance. */
export const uncPath = (what: string) =>
  z
    .string()
    .trim()
    .min(1, { abort: true, error: `${what} is required (a UNC path such as \\\\FS01\\PChatLogShip).` })
    .max(260, { error: `${what} must be at most 260 characters.` })
    .regex(/^\\\\[A-Za-z0-9][A-Za-z0-9.-]*(\\[^\\/:*?"<>|\u0000-\u001f\u007f]+)+\\?$/, {
      error: `${what} must be a UNC path \\\\server\\share[\\folder] (no / : * ? " < > | characters).`,
    });

/** A local Windows folder `D:\folder` or a UNC path, as SQL Server's service sees it. */
export const folderPath = (what: string) =>
  z
    .string()
    .trim()
    .min(1, { abort: true, error: `${what} is required.` })
    .max(260, { error: `${what} must be at most 260 characters.` })
    .regex(
      /^([A-Za-z]:\\([^\\/:*?"<>|\u0000-\u001f\u007f]+\\?)*|\\\\[A-Za-z0-9][A-Za-z0-9.-]*(\\[^\\/:*?"<>|\u0000-\u001f\u007f]+)+\\?)$/,
      {
        error: `${what} must be a local path such as D:\\LSCopy or a UNC path \\\\server\\share\\folder.`,
      },
    );

const optionalFolder = (what: string) =>
  folderPath(what)
    .optional()
    .or(z.literal('').transform(() => undefined));

export const backupSettingsSchema = z
  .object({
    share: uncPath('Backup share'),
    /** The share's folder as the primary sees it locally; required when SQL Server runs as Local System. */
    localPath: optionalFolder('Local path of the backup folder'),
    serviceRunsAsLocalSystem: z.boolean().default(false),
    retentionMinutes: minutes('Delete files older than', 35_791_394).default(4320),
    alertThresholdMinutes: minutes('Alert if no backup occurs within', 35_791_394).default(60),
    alertEnabled: z.boolean().default(true),
    historyRetentionMinutes: minutes('History retention', 35_791_394).default(5760),
    jobName: jobName('Backup job name'),
    schedule: scheduleSchema.default({
      every: 15,
      unit: 'minutes',
      startTime: '00:00:00',
      endTime: '23:59:00',
    }),
    compression: z.enum(['server-default', 'compress', 'no-compress']).default('server-default'),
  })
  .superRefine((b, ctx) => {
    if (b.serviceRunsAsLocalSystem && !b.localPath) {
      ctx.addIssue({
        code: 'custom',
        path: ['localPath'],
        message:
          'Local path is required when the SQL Server service runs as Local System (it cannot write to a share).',
      });
    }
    if (b.localPath?.startsWith('\\\\')) {
      ctx.addIssue({
        code: 'custom',
        path: ['localPath'],
        message: 'Local path must be a local folder such as D:\\LSBackup, not a UNC path.',
      });
    }
  });
export type BackupSettings = z.output<typeof backupSettingsSchema>;

/** One file of the primary database as sys.master_files lists it: RESTORE ... MOVE names it by its logical name. */
export const databaseFileSchema = z.object({
  logical: sysname('Logical file name'),
  type: z.enum(['ROWS', 'LOG'], { error: 'File type must be ROWS or LOG.' }),
  physicalName: z
    .string()
    .trim()
    .min(1, { error: 'Physical file name is required.' })
    .max(260, { error: 'Physical file name must be at most 260 characters.' }),
});
export type DatabaseFile = z.output<typeof databaseFileSchema>;

/**
 * Where RESTORE ... MOVE puts the data and log files on the backup store (absent keeps the primary's paths), and the
 * primary database's files it moves, read from the primary as SSMS does when it scripts the restore. The names are
 * never guessed: a folder without the files read is an answer still missing.
 */
const restoreFolders = {
  dataFolder: optionalFolder('Restore data folder'),
  logFolder: optionalFolder('Restore log folder'),
  files: z.array(databaseFileSchema).max(64, { error: 'At most 64 database files.' }).default([]),
};

function requireFilesForFolders(
  init: { dataFolder?: string | undefined; logFolder?: string | undefined; files: DatabaseFile[] },
  ctx: z.RefinementCtx,
) {
  if (!init.dataFolder && !init.logFolder) return;
  for (const type of ['ROWS', 'LOG'] as const) {
    const folder = type === 'ROWS' ? init.dataFolder : init.logFolder;
    if (folder && !init.files.some((f) => f.type === type))
      ctx.addIssue({
        code: 'custom',
        path: ['files'],
        message: `Read the database's files from the primary: the restore moves its ${type === 'ROWS' ? 'data' : 'log'} files by their logical names.`,
      });
  }
}

export const initialiseSchema = z.discriminatedUnion('mode', [
  z
    .object({ mode: z.literal('generate-full-backup'), ...restoreFolders })
    .superRefine(requireFilesForFolders),
  z
    .object({
      mode: z.literal('restore-existing'),
      backupFile: folderPath('Existing backup file'),
      ...restoreFolders,
    })
    .superRefine(requireFilesForFolders),
  z.object({ mode: z.literal('already-initialised') }),
]);
export type Initialise = z.output<typeof initialiseSchema>;

export const secondarySettingsSchema = z.object({
  initialise: initialiseSchema.default({ mode: 'generate-full-backup', files: [] }),
  copy: z.object({
    destinationFolder: folderPath('Destination folder for copied files'),
    deleteAfterMinutes: minutes('Delete copied files after', 35_791_394).default(4320),
    jobName: jobName('Copy job name'),
    schedule: scheduleSchema.default({
      every: 15,
      unit: 'minutes',
      startTime: '00:00:00',
      endTime: '23:59:00',
    }),
  }),
  restore: z
    .object({
      mode: z.enum(['norecovery', 'standby']).default('norecovery'),
      disconnectUsers: z.boolean().default(false),
      delayMinutes: z.coerce
        .number({ error: 'Delay restoring backups must be a number of minutes.' })
        .int({ error: 'Delay restoring backups must be a whole number of minutes.' })
        .min(0, { error: 'Delay restoring backups must be 0 or more minutes.' })
        .max(35_791_394, { error: 'Delay restoring backups must be at most 35791394 minutes.' })
        .default(0),
      alertThresholdMinutes: minutes('Alert if no restore occurs within', 35_791_394).default(45),
      alertEnabled: z.boolean().default(true),
      historyRetentionMinutes: minutes('History retention', 35_791_394).default(5760),
      jobName: jobName('Restore job name'),
      schedule: scheduleSchema.default({
        every: 15,
        unit: 'minutes',
        startTime: '00:00:00',
        endTime: '23:59:00',
      }),
    })
    .default({
      mode: 'norecovery',
      disconnectUsers: false,
      delayMinutes: 0,
      alertThresholdMinutes: 45,
      alertEnabled: true,
      historyRetentionMinutes: 5760,
      schedule: { every: 15, unit: 'minutes', startTime: '00:00:00', endTime: '23:59:00' },
    }),
});
export type SecondarySettings = z.output<typeof secondarySettingsSchema>;

export const monitorSchema = z.discriminatedUnion('enabled', [
  z.object({ enabled: z.literal(false) }),
  z.object({
    enabled: z.literal(true),
    server: serverSchema,
    /** How the log-shipping jobs connect to the monitor: impersonating the job's proxy (Windows) or a SQL login. */
    jobAuth: z.discriminatedUnion('mode', [
      z.object({ mode: z.literal('windows') }),
      z.object({ mode: z.literal('sql'), login: loginName }),
    ]),
  }),
]);
export type Monitor = z.output<typeof monitorSchema>;

export const shellHostSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local-windows-powershell') }),
  z.object({ kind: z.literal('local-pwsh') }),
  z.object({ kind: z.literal('remote'), frontEnd: hostName }),
]);
export type ShellHost = z.output<typeof shellHostSchema>;

const poolFqdn = z
  .string()
  .trim()
  .min(1, { abort: true, error: 'Pool FQDN is required (e.g. pchat.contoso.com).' })
  .max(253, { error: 'Pool FQDN must be at most 253 characters.' })
  .regex(/^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/, {
    error: 'Pool FQDN must be a fully qualified DNS name such as pchat.contoso.com.',
  });

/** A front end of the pool, by FQDN, as Set-CsPersistentChatActiveServer takes it. */
const frontEndFqdn = z
  .string()
  .trim()
  .min(1, { abort: true, error: 'Server FQDN is required.' })
  .max(253, { error: 'Server FQDN must be at most 253 characters.' })
  .regex(/^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/, {
    error: 'Server FQDN must be a fully qualified DNS name such as pchat01.contoso.com.',
  });

const frontEndList = (what: string) =>
  z
    .array(frontEndFqdn)
    .max(8, { error: `${what}: a Persistent Chat pool holds at most 8 servers.` })
    .refine((list) => new Set(list.map((s) => s.toLowerCase())).size === list.length, {
      error: `${what} must not name a server twice.`,
    });

/**
 * The DR runbooks' answers. Topology Builder does not say which data center each Persistent Chat server of a
 * stretched pool stands in, so the operator names them; the primary's reachability is asked when a failover starts.
 */
export const drSettingsSchema = z
  .object({
    /** Active in normal operation; made active again by dr-failback. */
    primarySiteServers: frontEndList('Primary data center servers').default([]),
    /** Made active by dr-failover: they must sit near the backup store (Microsoft: same data center or low latency). */
    backupSiteServers: frontEndList('Backup data center servers').default([]),
    /** Reachable: dr-failover takes a tail-log backup WITH NORECOVERY first, so no committed message is lost. */
    primaryReachable: z.boolean().default(false),
    /** teardown also drops the backup store's restoring copy of the database. */
    dropBackupDatabaseOnTeardown: z.boolean().default(false),
  })
  .superRefine((dr, ctx) => {
    const primarySite = new Set(dr.primarySiteServers.map((s) => s.toLowerCase()));
    const both = dr.backupSiteServers.find((s) => primarySite.has(s.toLowerCase()));
    if (both) {
      ctx.addIssue({
        code: 'custom',
        path: ['backupSiteServers'],
        message: `Server ${both} is listed in both data centers; each server stands in one.`,
      });
    }
  });
export type DrSettings = z.output<typeof drSettingsSchema>;

const drDefaults: DrSettings = {
  primarySiteServers: [],
  backupSiteServers: [],
  primaryReachable: false,
  dropBackupDatabaseOnTeardown: false,
};

const serversSchema = z.object(
  Object.fromEntries(serverRoles.map((role) => [role, serverSchema])) as Record<
    (typeof serverRoles)[number],
    typeof serverSchema
  >,
);

/** Version of the plan document; bumped with a migration in lib/plan/io.ts when the shape changes. */
export const planVersion = 1;

/** Every answer of the wizard: the single source of truth for forms, server actions, the CLI and JSON files. */
export const planSchema = z
  .object({
    version: z.literal(planVersion, { error: `Plan version must be ${planVersion}.` }),
    name: z
      .string()
      .trim()
      .min(1, { abort: true, error: 'Plan name is required.' })
      .max(100, { error: 'Plan name must be at most 100 characters.' })
      .refine(noControlChars, { error: 'Plan name must not contain control characters.' }),
    pool: z.object({
      fqdn: poolFqdn,
      /** With compliance on, mgccomp is mirrored and failed over with mgc. */
      compliance: z.boolean().default(false),
    }),
    database: databaseName('Database').default('mgc'),
    secondaryDatabase: databaseName('Secondary database').default('mgc'),
    servers: serversSchema,
    backup: backupSettingsSchema,
    secondary: secondarySettingsSchema,
    monitor: monitorSchema.default({ enabled: false }),
    shellHost: shellHostSchema.default({ kind: 'local-pwsh' }),
    dr: drSettingsSchema.default(drDefaults),
  })
  .superRefine((plan, ctx) => {
    const seen = new Map<string, string>();
    for (const role of serverRoles) {
      const key = plan.servers[role].name.toUpperCase();
      const other = seen.get(key);
      if (other) {
        ctx.addIssue({
          code: 'custom',
          path: ['servers', role, 'name'],
          message: `SQL Server name ${plan.servers[role].name} is already used by the ${other} server; each role needs its own instance.`,
        });
      }
      seen.set(key, role);
    }
    // The backup store already holds the system databases and the compliance store `mgccomp` (Topology Builder
    // installs it there); restoring the chat database over either would destroy it.
    const taken = ['MASTER', 'MODEL', 'MSDB', 'TEMPDB', 'MGCCOMP'];
    if (taken.includes(plan.secondaryDatabase.toUpperCase())) {
      ctx.addIssue({
        code: 'custom',
        path: ['secondaryDatabase'],
        message: `Secondary database ${plan.secondaryDatabase} collides with a database the backup store already holds; use mgc or another name.`,
      });
    }
    if (['MASTER', 'MODEL', 'MSDB', 'TEMPDB'].includes(plan.database.toUpperCase())) {
      ctx.addIssue({
        code: 'custom',
        path: ['database'],
        message: 'Database must be the Persistent Chat database (mgc), not a system database.',
      });
    }
    if (plan.monitor.enabled) {
      const monitorName = plan.monitor.server.name.toUpperCase();
      if (
        monitorName === plan.servers.primary.name.toUpperCase() ||
        monitorName === plan.servers.primaryMirror.name.toUpperCase()
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['monitor', 'server', 'name'],
          message: 'The monitor server should not be a primary: it must outlive the principal it watches.',
        });
      }
    }
  });

export type PlanInput = z.input<typeof planSchema>;
export type Plan = z.output<typeof planSchema>;
