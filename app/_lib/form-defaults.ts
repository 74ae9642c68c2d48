import { connectSchema, planSchema } from '@/lib/plan/schema';
import { schemaDefaults } from '@/lib/plan/schema-defaults';
import { serverRoles } from '@/lib/stages/ids';
import { pageSchemas } from './wizard-pages';

// A form needs a value for every input it renders (RHF registers them all), but a draft may lack whole branches: a
// new plan has no restore settings yet, a monitor that is off has no server. These fill the gaps with the schema's
// defaults (the SSMS ones) under whatever the operator already answered. The blanks below are only what the schema
// has no default for: the text inputs the operator must fill, and the fields of the choices not yet made.

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

/** The form's blanks, under the schema's defaults, under the operator's answers. */
const fill = (blanks: Obj, defaults: Obj, values: Obj): Obj => deepMerge(deepMerge(blanks, defaults), values);

// Optional inputs (port, instance, start date) stay undefined: an empty string would fail their format rules.

/** A server's form values: every input present, the auth fields of all modes kept so switching mode loses nothing. */
export const blankServer = () => ({
  name: '',
  connect: { host: '', ...schemaDefaults(connectSchema) },
  auth: { mode: 'windows-integrated', domain: '', user: '', login: '' },
});

export function topologyDefaults(values: Obj): Obj {
  const blanks = {
    name: '',
    pool: { fqdn: '' },
    servers: Object.fromEntries(serverRoles.map((role) => [role, blankServer()])),
  };
  return fill(blanks, schemaDefaults(pageSchemas.topology), values);
}

export function backupDefaults(values: Obj): Obj {
  return fill({ share: '', localPath: '', jobName: '' }, schemaDefaults(pageSchemas.backup), values);
}

export function secondaryDefaults(values: Obj): Obj {
  const blanks = {
    initialise: { backupFile: '', dataFolder: '', logFolder: '' },
    copy: { destinationFolder: '', jobName: '' },
    restore: { jobName: '' },
  };
  return fill(blanks, schemaDefaults(pageSchemas.secondary), values);
}

// The monitor and shell host pages hold a choice (a discriminated union): their defaults are the plan's.

export function monitorDefaults(values: Obj): Obj {
  const blanks = { server: blankServer(), jobAuth: { mode: 'windows', login: '' } };
  return fill(blanks, schemaDefaults(planSchema).monitor, values);
}

export function shellDefaults(values: Obj): Obj {
  return fill({ frontEnd: '' }, schemaDefaults(planSchema).shellHost, values);
}

export function drDefaults(values: Obj): Obj {
  return deepMerge(schemaDefaults(pageSchemas.dr), values);
}
