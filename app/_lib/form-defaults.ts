import { serverRoles } from '@/lib/stages/ids';

// A form needs a value for every input it renders (RHF registers them all), but a draft may lack whole branches: a
// new plan has no restore settings yet, a monitor that is off has no server. These fill the gaps with the SSMS
// defaults under whatever the operator already answered.

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `base` overlaid with every defined value of `over`, recursively. */
export function deepMerge(base: Obj, over: unknown): Obj {
  if (!isObj(over)) return base;
  const out: Obj = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    out[key] = isObj(value) && isObj(base[key]) ? deepMerge(base[key], value) : value;
  }
  return out;
}

// Optional inputs (port, instance, start date) stay undefined: an empty string would fail their format rules.
const schedule = { every: 15, unit: 'minutes', startTime: '00:00:00', endTime: '23:59:00' };

/** A server's form values: every input present, the auth fields of all modes kept so switching mode loses nothing. */
export const blankServer = () => ({
  name: '',
  connect: { host: '', encrypt: true, trustServerCertificate: false },
  auth: { mode: 'windows-integrated', domain: '', user: '', login: '' },
});

export function topologyDefaults(values: Obj): Obj {
  const base: Obj = {
    name: '',
    pool: { fqdn: '', compliance: false },
    database: 'mgc',
    secondaryDatabase: 'mgc',
    servers: Object.fromEntries(serverRoles.map((role) => [role, blankServer()])),
  };
  return deepMerge(base, values);
}

export function backupDefaults(values: Obj): Obj {
  return deepMerge(
    {
      share: '',
      localPath: '',
      serviceRunsAsLocalSystem: false,
      retentionMinutes: 4320,
      alertThresholdMinutes: 60,
      alertEnabled: true,
      historyRetentionMinutes: 5760,
      jobName: '',
      schedule,
      compression: 'server-default',
    },
    values,
  );
}

export function secondaryDefaults(values: Obj): Obj {
  return deepMerge(
    {
      initialise: { mode: 'generate-full-backup', backupFile: '', dataFolder: '', logFolder: '', files: [] },
      copy: { destinationFolder: '', deleteAfterMinutes: 4320, jobName: '', schedule },
      restore: {
        mode: 'norecovery',
        disconnectUsers: false,
        delayMinutes: 0,
        alertThresholdMinutes: 45,
        alertEnabled: true,
        historyRetentionMinutes: 5760,
        jobName: '',
        schedule,
      },
    },
    values,
  );
}

export function monitorDefaults(values: Obj): Obj {
  return deepMerge(
    { enabled: false, server: blankServer(), jobAuth: { mode: 'windows', login: '' } },
    values,
  );
}

export function shellDefaults(values: Obj): Obj {
  return deepMerge({ kind: 'local-pwsh', frontEnd: '' }, values);
}

export function drDefaults(values: Obj): Obj {
  return deepMerge(
    {
      primarySiteServers: [],
      backupSiteServers: [],
      primaryReachable: false,
      dropBackupDatabaseOnTeardown: false,
    },
    values,
  );
}
