/** Setup stages in the order the seed procedure runs them; ids appear in URLs, the CLI and records. */
export const setupStageIds = [
  'topology',
  'preflight',
  'ship-primary',
  'failover-to-mirror',
  'ship-mirror',
  'failback-to-primary',
  'verify',
] as const;

export type SetupStageId = (typeof setupStageIds)[number];

export function isSetupStageId(value: string): value is SetupStageId {
  return (setupStageIds as readonly string[]).includes(value);
}

/** Runbooks after setup: separate flows on the same machinery (design §3). */
export const runbookStageIds = ['dr-failover', 'dr-failback', 'teardown'] as const;
export type RunbookStageId = (typeof runbookStageIds)[number];

/** Any stage the review/apply machinery can run. */
export type StageId = SetupStageId | RunbookStageId;

export function isRunbookStageId(value: string): value is RunbookStageId {
  return (runbookStageIds as readonly string[]).includes(value);
}

export function isStageId(value: string): value is StageId {
  return isSetupStageId(value) || isRunbookStageId(value);
}

/** After dr-failback the backup store and the mirror are set up again with the setup stages, in this order. */
export const afterFailbackStageIds = [
  'ship-primary',
  'failover-to-mirror',
  'ship-mirror',
  'failback-to-primary',
  'verify',
] as const satisfies readonly SetupStageId[];

/** The four SQL Server instances of a Persistent Chat HA/DR topology. */
export const serverRoles = ['primary', 'primaryMirror', 'backup', 'backupMirror'] as const;
export type ServerRole = (typeof serverRoles)[number];

export function isServerRole(value: string): value is ServerRole {
  return (serverRoles as readonly string[]).includes(value);
}
