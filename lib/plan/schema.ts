import { z } from 'zod';
import { type FieldName, says, sayNow } from '@/lib/i18n/validation';
import { serverRoles } from '@/lib/stages/ids';

// Every rule SQL Server or the SfB cmdlets would enforce later is enforced here, so an operator learns about a bad
// value on the form that holds it instead of halfway through an apply. Messages name the field and what is allowed,
// in the operator's language (lib/i18n/validation.ts).

// Control characters can't be typed into SSMS and would break a script's line structure.
const noControlChars = (value: string) => !/[\u0000-\u001f\u007f]/.test(value);

/** A SQL Server identifier (sysname): 1-128 characters, no control characters. */
const sysname = (what: FieldName) =>
  z
    .string()
    .trim()
    .min(1, { abort: true, error: says('valid.required', { what }) })
    .max(128, { error: says('valid.sysnameMax', { what }) })
    .refine(noControlChars, { error: says('valid.noLineBreaks', { what }) });

/** Database names: sysname, minus what SQL Server refuses in CREATE DATABASE and log shipping's file names. */
export const databaseName = (what: FieldName) =>
  sysname(what)
    .refine((v) => v.length <= 123, { error: says('valid.databaseNameMax', { what }) })
    .refine((v) => !/[\\/:*?"<>|]/.test(v), { error: says('valid.databaseNameChars', { what }) });

const hostName = z
  .string()
  .trim()
  .min(1, { abort: true, error: says('valid.required', { what: 'field.host' }) })
  .max(253, { error: says('valid.maxChars', { what: 'field.host', max: 253 }) })
  .regex(
    /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$|^\d{1,3}(\.\d{1,3}){3}$/,
    { error: says('valid.host', { what: 'field.host' }) },
  );

const instanceName = z
  .string()
  .trim()
  .max(16, { error: says('valid.maxChars', { what: 'field.instance', max: 16 }) })
  .regex(/^[A-Za-z_][A-Za-z0-9_$]*$/, { error: says('valid.instance', { what: 'field.instance' }) });

/** `HOST`, `HOST\INSTANCE` or `host,port`: what `@@SERVERNAME` returns and scripts name the server by. */
export const sqlServerName = z
  .string()
  .trim()
  .min(1, { abort: true, error: says('valid.sqlServerNameRequired', { what: 'field.sqlServerName' }) })
  .max(128, { error: says('valid.maxChars', { what: 'field.sqlServerName', max: 128 }) })
  .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(\\[A-Za-z_][A-Za-z0-9_$]{0,15}|,\d{1,5})?$/, {
    error: says('valid.sqlServerName', { what: 'field.sqlServerName' }),
  });

const port = z.coerce
  .number({ error: says('valid.number', { what: 'field.port' }) })
  .int({ error: says('valid.wholeNumber', { what: 'field.port' }) })
  .min(1, { abort: true, error: says('valid.between', { what: 'field.port', min: 1, max: 65535 }) })
  .max(65535, { error: says('valid.between', { what: 'field.port', min: 1, max: 65535 }) });

const loginName = z
  .string()
  .trim()
  .min(1, { abort: true, error: says('valid.required', { what: 'field.login' }) })
  .max(128, { error: says('valid.maxChars', { what: 'field.login', max: 128 }) })
  .refine(noControlChars, { error: says('valid.noControlChars', { what: 'field.login' }) });

const domainName = z
  .string()
  .trim()
  .min(1, { abort: true, error: says('valid.domainRequired', { what: 'field.domain' }) })
  .max(64, { error: says('valid.maxChars', { what: 'field.domain', max: 64 }) })
  .regex(/^[A-Za-z0-9][A-Za-z0-9.-]*$/, { error: says('valid.domain', { what: 'field.domain' }) });

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

const minutes = (what: FieldName, max: number) =>
  z.coerce
    .number({ error: says('valid.minutesNumber', { what }) })
    .int({ error: says('valid.minutesWhole', { what }) })
    .min(1, { abort: true, error: says('valid.minutesAtLeastOne', { what }) })
    .max(max, { error: says('valid.minutesMax', { what, max }) });

const timeOfDay = (what: FieldName) =>
  z.string().regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, { error: says('valid.time', { what }) });

/** A SQL Server Agent daily schedule that recurs every N minutes or hours, as the SSMS schedule dialog sets it. */
export const scheduleSchema = z
  .object({
    every: z.coerce
      .number({ error: says('valid.number', { what: 'field.scheduleInterval' }) })
      .int({ error: says('valid.wholeNumber', { what: 'field.scheduleInterval' }) })
      .min(1, { abort: true, error: says('valid.atLeast', { what: 'field.scheduleInterval', min: 1 }) }),
    unit: z.enum(['minutes', 'hours'], { error: says('valid.scheduleUnit', { what: 'field.scheduleUnit' }) }),
    startTime: timeOfDay('field.startTime').default('00:00:00'),
    endTime: timeOfDay('field.endTime').default('23:59:00'),
    /** YYYY-MM-DD; absent means the day the script is generated, as SSMS does. */
    startDate: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, {
        error: says('valid.date', { what: 'field.startDate' }),
      })
      .optional(),
  })
  .superRefine((s, ctx) => {
    // SQL Server Agent rejects intervals a day cannot hold (sp_add_schedule, Msg 14266-style).
    const max = s.unit === 'minutes' ? 1439 : 23;
    if (s.every > max) {
      const what = 'field.scheduleInterval';
      const message =
        s.unit === 'minutes'
          ? sayNow('valid.minutesMax', { what, max })
          : sayNow('valid.hoursMax', { what, max });
      ctx.addIssue({ code: 'custom', path: ['every'], message });
    }
    if (normaliseTime(s.endTime) <= normaliseTime(s.startTime)) {
      ctx.addIssue({
        code: 'custom',
        path: ['endTime'],
        message: sayNow('valid.endAfterStart'),
      });
    }
  });
export type Schedule = z.output<typeof scheduleSchema>;

function normaliseTime(value: string): string {
  return value.length === 5 ? `${value}:00` : value;
}

const jobName = (what: FieldName) =>
  sysname(what)
    .optional()
    .or(z.literal('').transform(() => undefined));

/** `\\server\share[\folder...]`, as SQL Server needs it to read the files from every instance. */
export const uncPath = (what: FieldName) =>
  z
    .string()
    .trim()
    .min(1, { abort: true, error: says('valid.uncRequired', { what }) })
    .max(260, { error: says('valid.maxChars', { what, max: 260 }) })
    .regex(/^\\\\[A-Za-z0-9][A-Za-z0-9.-]*(\\[^\\/:*?"<>|\u0000-\u001f\u007f]+)+\\?$/, {
      error: says('valid.unc', { what }),
    });

/** A local Windows folder `D:\folder` or a UNC path, as SQL Server's service sees it. */
export const folderPath = (what: FieldName) =>
  z
    .string()
    .trim()
    .min(1, { abort: true, error: says('valid.required', { what }) })
    .max(260, { error: says('valid.maxChars', { what, max: 260 }) })
    .regex(
      /^([A-Za-z]:\\([^\\/:*?"<>|\u0000-\u001f\u007f]+\\?)*|\\\\[A-Za-z0-9][A-Za-z0-9.-]*(\\[^\\/:*?"<>|\u0000-\u001f\u007f]+)+\\?)$/,
      { error: says('valid.folder', { what }) },
    );

const optionalFolder = (what: FieldName) =>
  folderPath(what)
    .optional()
    .or(z.literal('').transform(() => undefined));

export const backupSettingsSchema = z
  .object({
    share: uncPath('field.backupShare'),
    /** The share's folder as the primary sees it locally; required when SQL Server runs as Local System. */
    localPath: optionalFolder('field.localPath'),
    serviceRunsAsLocalSystem: z.boolean().default(false),
    retentionMinutes: minutes('field.backupRetention', 35_791_394).default(4320),
    alertThresholdMinutes: minutes('field.backupAlert', 35_791_394).default(60),
    alertEnabled: z.boolean().default(true),
    historyRetentionMinutes: minutes('field.historyRetention', 35_791_394).default(5760),
    jobName: jobName('field.backupJob'),
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
        message: sayNow('valid.localPathForLocalSystem'),
      });
    }
    if (b.localPath?.startsWith('\\\\')) {
      ctx.addIssue({
        code: 'custom',
        path: ['localPath'],
        message: sayNow('valid.localPathNotUnc'),
      });
    }
  });
export type BackupSettings = z.output<typeof backupSettingsSchema>;

/** One file of the primary database as sys.master_files lists it: RESTORE ... MOVE names it by its logical name. */
export const databaseFileSchema = z.object({
  logical: sysname('field.logicalFile'),
  type: z.enum(['ROWS', 'LOG'], { error: says('valid.fileType', { what: 'field.fileType' }) }),
  physicalName: z
    .string()
    .trim()
    .min(1, { error: says('valid.required', { what: 'field.physicalFile' }) })
    .max(260, { error: says('valid.maxChars', { what: 'field.physicalFile', max: 260 }) }),
});
export type DatabaseFile = z.output<typeof databaseFileSchema>;

/**
 * Where RESTORE ... MOVE puts the data and log files on the backup store (absent keeps the primary's paths), and the
 * primary database's files it moves, read from the primary as SSMS does when it scripts the restore. The names are
 * never guessed: a folder without the files read is an answer still missing.
 */
const restoreFolders = {
  dataFolder: optionalFolder('field.restoreDataFolder'),
  logFolder: optionalFolder('field.restoreLogFolder'),
  files: z
    .array(databaseFileSchema)
    .max(64, { error: says('valid.filesMax', { max: 64 }) })
    .default([]),
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
        message: sayNow(type === 'ROWS' ? 'valid.readDataFiles' : 'valid.readLogFiles'),
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
      backupFile: folderPath('field.existingBackup'),
      ...restoreFolders,
    })
    .superRefine(requireFilesForFolders),
  z.object({ mode: z.literal('already-initialised') }),
]);
export type Initialise = z.output<typeof initialiseSchema>;

export const secondarySettingsSchema = z.object({
  initialise: initialiseSchema.default({ mode: 'generate-full-backup', files: [] }),
  copy: z.object({
    destinationFolder: folderPath('field.copyDestination'),
    deleteAfterMinutes: minutes('field.copyDelete', 35_791_394).default(4320),
    jobName: jobName('field.copyJob'),
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
        .number({ error: says('valid.minutesNumber', { what: 'field.restoreDelay' }) })
        .int({ error: says('valid.minutesWhole', { what: 'field.restoreDelay' }) })
        .min(0, { error: says('valid.minutesZeroOrMore', { what: 'field.restoreDelay' }) })
        .max(35_791_394, { error: says('valid.minutesMax', { what: 'field.restoreDelay', max: 35_791_394 }) })
        .default(0),
      alertThresholdMinutes: minutes('field.restoreAlert', 35_791_394).default(45),
      alertEnabled: z.boolean().default(true),
      historyRetentionMinutes: minutes('field.historyRetention', 35_791_394).default(5760),
      jobName: jobName('field.restoreJob'),
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
  .min(1, {
    abort: true,
    error: says('valid.requiredExample', { what: 'field.poolFqdn', example: 'pchat.contoso.com' }),
  })
  .max(253, { error: says('valid.maxChars', { what: 'field.poolFqdn', max: 253 }) })
  .regex(/^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/, {
    error: says('valid.fqdn', { what: 'field.poolFqdn', example: 'pchat.contoso.com' }),
  });

/** A front end of the pool, by FQDN, as Set-CsPersistentChatActiveServer takes it. */
const frontEndFqdn = z
  .string()
  .trim()
  .min(1, { abort: true, error: says('valid.required', { what: 'field.serverFqdn' }) })
  .max(253, { error: says('valid.maxChars', { what: 'field.serverFqdn', max: 253 }) })
  .regex(/^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/, {
    error: says('valid.fqdn', { what: 'field.serverFqdn', example: 'pchat01.contoso.com' }),
  });

const frontEndList = (what: FieldName) =>
  z
    .array(frontEndFqdn)
    .max(8, { error: says('valid.poolServersMax', { what, max: 8 }) })
    .refine((list) => new Set(list.map((s) => s.toLowerCase())).size === list.length, {
      error: says('valid.serverTwice', { what }),
    });

/**
 * The DR runbooks' answers. Topology Builder does not say which data center each Persistent Chat server of a
 * stretched pool stands in, so the operator names them; the primary's reachability is asked when a failover starts.
 */
export const drSettingsSchema = z
  .object({
    /** Active in normal operation; made active again by dr-failback. */
    primarySiteServers: frontEndList('field.primarySiteServers').default([]),
    /** Made active by dr-failover: they must sit near the backup store (Microsoft: same data center or low latency). */
    backupSiteServers: frontEndList('field.backupSiteServers').default([]),
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
        message: sayNow('valid.serverInBothSites', { server: both }),
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
    version: z.literal(planVersion, { error: says('valid.planVersion', { version: planVersion }) }),
    name: z
      .string()
      .trim()
      .min(1, { abort: true, error: says('valid.required', { what: 'field.planName' }) })
      .max(100, { error: says('valid.maxChars', { what: 'field.planName', max: 100 }) })
      .refine(noControlChars, { error: says('valid.noControlChars', { what: 'field.planName' }) }),
    pool: z.object({
      fqdn: poolFqdn,
      /** With compliance on, mgccomp is mirrored and failed over with mgc. */
      compliance: z.boolean().default(false),
    }),
    database: databaseName('field.database').default('mgc'),
    secondaryDatabase: databaseName('field.secondaryDatabase').default('mgc'),
    servers: serversSchema,
    backup: backupSettingsSchema,
    secondary: secondarySettingsSchema,
    monitor: monitorSchema.default({ enabled: false }),
    shellHost: shellHostSchema.default({ kind: 'local-pwsh' }),
    dr: drSettingsSchema.default(drDefaults),
  })
  .superRefine((plan, ctx) => {
    const seen = new Map<string, (typeof serverRoles)[number]>();
    for (const role of serverRoles) {
      const key = plan.servers[role].name.toUpperCase();
      const other = seen.get(key);
      if (other) {
        ctx.addIssue({
          code: 'custom',
          path: ['servers', role, 'name'],
          message: sayNow('valid.serverNameTaken', {
            name: plan.servers[role].name,
            other: sayNow(`role.${other}`),
          }),
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
        message: sayNow('valid.secondaryDatabaseTaken', { name: plan.secondaryDatabase }),
      });
    }
    if (['MASTER', 'MODEL', 'MSDB', 'TEMPDB'].includes(plan.database.toUpperCase())) {
      ctx.addIssue({
        code: 'custom',
        path: ['database'],
        message: sayNow('valid.systemDatabase'),
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
          message: sayNow('valid.monitorIsPrimary'),
        });
      }
    }
  });

export type PlanInput = z.input<typeof planSchema>;
export type Plan = z.output<typeof planSchema>;
