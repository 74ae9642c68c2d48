// The /sfb routes of the lab's loopback control API: what the lab's SkypeForBusiness module calls.
// Messages follow the shape of the SfB cmdlets' errors; their exact wording is composed (none is documented).
import type { LabRole, LabWorld, MirroringView } from '../engine/contract';
import {
  complianceEnabledFor,
  defaultActiveServers,
  labFrontEnds,
  labPoolFqdn,
  labStores,
  type LabStore,
  pchatDatabases,
  type PchatDatabaseType,
  sfbDocs,
  storeDisplayName,
} from './topology';

export interface ControlReply {
  status: number;
  body: unknown;
}

/** Optional engine capability: establish mirroring of `database` from `principal` to `mirror` (Install-CsMirrorDatabase). */
export interface LabWorldMirroringSetup {
  establishMirroring(
    database: string,
    principalServerName: string,
    mirrorServerName: string,
  ): void | Promise<void>;
}

type ErrorCategory =
  'ObjectNotFound' | 'InvalidArgument' | 'InvalidOperation' | 'ResourceUnavailable' | 'NotImplemented';

/** A failure the module turns into a terminating error with this id and category. */
class SfbError extends Error {
  constructor(
    readonly status: number,
    readonly errorId: string,
    readonly category: ErrorCategory,
    message: string,
  ) {
    super(message);
  }
}

/** Output of a cmdlet call: objects to write, and verbose and warning lines. */
interface CmdletResult {
  objects: unknown[];
  verbose: string[];
  warnings: string[];
}

const result = (objects: unknown[], verbose: string[] = [], warnings: string[] = []): CmdletResult => ({
  objects,
  verbose,
  warnings,
});

/** Handles `/sfb/...` control routes over the lab world; undefined for any other path. */
export async function handleSfbControl(
  world: LabWorld,
  method: string,
  path: string,
  body: unknown,
): Promise<ControlReply | undefined> {
  const url = new URL(path, 'http://lab.invalid');
  if (url.pathname !== '/sfb' && !url.pathname.startsWith('/sfb/')) return undefined;
  const query = url.searchParams;
  try {
    switch (`${method.toUpperCase()} ${url.pathname}`) {
      case 'GET /sfb/services':
        return ok(getServices(world, query));
      case 'GET /sfb/mirror-state':
        return ok(
          getMirrorState(
            world,
            required(query.get('poolFqdn'), 'poolFqdn'),
            query.get('databaseType') ?? undefined,
          ),
        );
      case 'POST /sfb/database-failover':
        return ok(invokeDatabaseFailover(world, asObject(body)));
      case 'GET /sfb/persistent-chat-state':
        return ok(
          getPersistentChatState(world, query.get('identity') ?? undefined, query.get('filter') ?? undefined),
        );
      case 'POST /sfb/persistent-chat-state':
        return ok(setPersistentChatState(world, asObject(body)));
      case 'POST /sfb/active-servers':
        return ok(setActiveServers(world, asObject(body)));
      case 'POST /sfb/mirror-database':
        return ok(await installMirrorDatabase(world, asObject(body)));
      default:
        throw new SfbError(
          404,
          'UnknownRoute',
          'ObjectNotFound',
          `No SfB control route ${method} ${url.pathname}.`,
        );
    }
  } catch (error) {
    if (error instanceof SfbError) {
      return {
        status: error.status,
        body: { error: { message: error.message, errorId: error.errorId, category: error.category } },
      };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { status: 500, body: { error: { message, errorId: 'LabFailure', category: 'InvalidOperation' } } };
  }
}

function ok(value: CmdletResult): ControlReply {
  return { status: 200, body: value };
}

// ---- request fields ----

function asObject(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new SfbError(400, 'InvalidBody', 'InvalidArgument', 'The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

function required(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new SfbError(400, 'MissingParameter', 'InvalidArgument', `Parameter ${name} is required.`);
  }
  return value;
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  return required(value, name);
}

function stringList(value: unknown, name: string): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => required(item, name));
}

const sameName = (a: string, b: string) => a.localeCompare(b, 'en', { sensitivity: 'accent' }) === 0;

// ---- topology objects ----

const storeRoleOrder: LabRole[] = ['primary', 'primaryMirror', 'backup', 'backupMirror'];
const storePrefix: Record<LabRole, string> = {
  primary: '',
  primaryMirror: 'Mirror',
  backup: 'Backup',
  backupMirror: 'BackupMirror',
};
const storeServiceRole = {
  PersistentChat: 'PersistentChatStore',
  PersistentChatCompliance: 'PersistentChatComplianceStore',
} as const;

function storeIdentity(type: PchatDatabaseType, store: LabStore): string {
  return `${storeServiceRole[type]}:${store.fqdn}`;
}

const siteId = (site: 'Primary' | 'Backup') => `Site:${site}`;
const poolIdentity = `PersistentChatServer:${labPoolFqdn}`;

function activeServers(world: LabWorld): string[] {
  return world.readDoc<string[]>(sfbDocs.activeServers, defaultActiveServers);
}

/** Microsoft.Rtc.Management.Xds.DisplayPersistentChatServer, as Get-CsService -PersistentChatServer returns it. */
function poolService(world: LabWorld): Record<string, unknown> {
  const stores = labStores(world);
  const compliance = complianceEnabledFor(world);
  const databases: Record<string, string | null> = {};
  for (const type of ['PersistentChat', 'PersistentChatCompliance'] as const) {
    for (const role of storeRoleOrder) {
      const store = stores[role];
      const key = `${storePrefix[role]}${type}Database`;
      databases[key] = store && (type === 'PersistentChat' || compliance) ? storeIdentity(type, store) : null;
    }
  }
  const active = activeServers(world);
  return {
    Identity: poolIdentity,
    ...databases,
    Registrar: 'Registrar:fepool.lab.local',
    FileStore: 'FileStore:fs01.lab.local',
    MtlsPort: 5041,
    DisplayName: 'pchat',
    ActiveServers: active,
    InactiveServers: labFrontEnds
      .map((fe) => fe.fqdn)
      .filter((fqdn) => !active.some((a) => sameName(a, fqdn))),
    DependentServiceList: [],
    ServiceId: '1-PersistentChatServer-1',
    SiteId: siteId('Primary'),
    PoolFqdn: labPoolFqdn,
    Version: 7,
    Role: 'PersistentChatServer',
  };
}

/** A SQL store service (Get-CsService -PersistentChatDatabase / -PersistentChatComplianceDatabase). */
function storeServices(world: LabWorld, type: PchatDatabaseType): Record<string, unknown>[] {
  if (type === 'PersistentChatCompliance' && !complianceEnabledFor(world)) return [];
  const stores = labStores(world);
  const counters = { Primary: 0, Backup: 0 };
  return storeRoleOrder.flatMap((role) => {
    const store = stores[role];
    if (!store) return [];
    counters[store.site] += 1;
    return [
      {
        Identity: storeIdentity(type, store),
        SqlInstanceName: store.instanceName ?? null,
        DependentServiceList: [poolIdentity],
        ServiceId: `${store.site === 'Primary' ? 1 : 2}-${storeServiceRole[type]}-${counters[store.site]}`,
        SiteId: siteId(store.site),
        PoolFqdn: store.fqdn,
        Version: 7,
        Role: storeServiceRole[type],
      },
    ];
  });
}

function wildcard(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

function getServices(world: LabWorld, query: URLSearchParams): CmdletResult {
  const role = query.get('role');
  const all = [
    poolService(world),
    ...storeServices(world, 'PersistentChat'),
    ...storeServices(world, 'PersistentChatCompliance'),
  ];
  const knownRoles = ['PersistentChatServer', 'PersistentChatStore', 'PersistentChatComplianceStore'];
  if (role && !knownRoles.includes(role)) return result([]);
  let services = role ? all.filter((s) => s.Role === role) : all;
  const poolFqdn = query.get('poolFqdn');
  if (poolFqdn) services = services.filter((s) => sameName(String(s.PoolFqdn), poolFqdn));
  const identity = query.get('identity');
  if (identity) services = services.filter((s) => sameName(String(s.Identity), identity.trim()));
  const filter = query.get('filter');
  if (filter) services = services.filter((s) => wildcard(filter).test(String(s.Identity)));
  return result(services);
}

// ---- mirroring ----

function requirePool(poolFqdn: string): void {
  if (!sameName(poolFqdn.trim(), labPoolFqdn)) {
    throw new SfbError(
      404,
      'PoolNotFound',
      'ObjectNotFound',
      `Cannot find pool "${poolFqdn}" in the topology.`,
    );
  }
}

/** The Persistent Chat database types of the pool, checked against the one asked for. */
function poolDatabaseTypes(
  world: LabWorld,
  poolFqdn: string,
  databaseType: string | undefined,
): PchatDatabaseType[] {
  requirePool(poolFqdn);
  const present: PchatDatabaseType[] = complianceEnabledFor(world)
    ? ['PersistentChat', 'PersistentChatCompliance']
    : ['PersistentChat'];
  if (databaseType === undefined) return present;
  const match = present.find((type) => type === databaseType);
  if (!match) {
    throw new SfbError(
      404,
      'DatabaseTypeNotInPool',
      'ObjectNotFound',
      `Database type "${databaseType}" is not present on pool "${labPoolFqdn}".`,
    );
  }
  return [match];
}

const roleText = (view: MirroringView | undefined) =>
  view === undefined
    ? 'DatabaseInaccessibleOrMirroringNotEnabled'
    : view.role === 'PRINCIPAL'
      ? 'Principal'
      : 'Mirror';

const statusText: Record<MirroringView['state'], string> = {
  SYNCHRONIZED: 'Synchronized',
  SYNCHRONIZING: 'Synchronizing',
  SUSPENDED: 'Suspended',
  DISCONNECTED: 'Disconnected',
  PENDING_FAILOVER: 'PendingFailover',
};

/** The topology's primary store and its mirror, which is the pair Get-CsDatabaseMirrorState reports. */
function mirroredPair(world: LabWorld): { primary: LabStore; mirror: LabStore } {
  const stores = labStores(world);
  if (!stores.primary || !stores.primaryMirror) {
    throw new SfbError(
      409,
      'MirrorNotConfigured',
      'InvalidOperation',
      'The topology defines no mirror for the Persistent Chat store.',
    );
  }
  return { primary: stores.primary, mirror: stores.primaryMirror };
}

function mirrorState(world: LabWorld, type: PchatDatabaseType): Record<string, string> {
  const database = pchatDatabases[type];
  const { primary, mirror } = mirroredPair(world);
  const onPrimary = world.mirroring(primary.serverName, database);
  const onMirror = world.mirroring(mirror.serverName, database);
  return {
    DatabaseName: database,
    StateOnPrimary: roleText(onPrimary),
    StateOnMirror: roleText(onMirror),
    MirroringStatusOnPrimary: onPrimary ? statusText[onPrimary.state] : '',
    MirroringStatusOnMirror: onMirror ? statusText[onMirror.state] : '',
  };
}

function getMirrorState(world: LabWorld, poolFqdn: string, databaseType: string | undefined): CmdletResult {
  return result(poolDatabaseTypes(world, poolFqdn, databaseType).map((type) => mirrorState(world, type)));
}

function invokeDatabaseFailover(world: LabWorld, body: Record<string, unknown>): CmdletResult {
  const poolFqdn = required(body.poolFqdn, 'PoolFqdn');
  const databaseType = required(body.databaseType, 'DatabaseType');
  const newPrincipal = required(body.newPrincipal, 'NewPrincipal');
  if (newPrincipal !== 'Primary' && newPrincipal !== 'Mirror') {
    throw new SfbError(
      400,
      'InvalidNewPrincipal',
      'InvalidArgument',
      `NewPrincipal must be Primary or Mirror, not "${newPrincipal}".`,
    );
  }
  const force = body.force === true;
  const excluded = stringList(body.excludeDatabaseList, 'ExcludeDatabaseList');
  const [type] = poolDatabaseTypes(world, poolFqdn, databaseType);
  const { primary, mirror } = mirroredPair(world);
  const database = pchatDatabases[type!];
  const verbose = [
    `Pool ${labPoolFqdn}, database ${database}: primary ${storeDisplayName(primary)}, mirror ${storeDisplayName(mirror)}.`,
  ];
  if (excluded.some((name) => sameName(name, database))) {
    return result([], [...verbose, `Database ${database} is excluded; nothing to fail over.`]);
  }
  const target = newPrincipal === 'Mirror' ? mirror : primary;
  const source = newPrincipal === 'Mirror' ? primary : mirror;
  const onTarget = world.mirroring(target.serverName, database);
  const onSource = world.mirroring(source.serverName, database);
  if (!onTarget && !onSource) {
    throw new SfbError(
      409,
      'MirrorNotConfigured',
      'InvalidOperation',
      `Cannot fail over database "${database}": it has no mirror database. Both a primary and a mirror database must be configured.`,
    );
  }
  if (onTarget?.role === 'PRINCIPAL') {
    return result([], verbose, [
      `Database "${database}" is already principal on ${storeDisplayName(target)}; no failover was done.`,
    ]);
  }
  const state = (onSource ?? onTarget)!.state;
  if (state !== 'SYNCHRONIZED' && !force) {
    throw new SfbError(
      409,
      'MirrorNotSynchronized',
      'InvalidOperation',
      `Cannot fail over database "${database}" to ${storeDisplayName(target)}: mirroring state is ${statusText[state]}. Use -Force if the current principal is not accessible.`,
    );
  }
  try {
    world.failoverMirroring(database, target.serverName);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new SfbError(
      409,
      'FailoverFailed',
      'InvalidOperation',
      `Failover of database "${database}" to ${storeDisplayName(target)} failed: ${message}`,
    );
  }
  return result(
    [],
    [...verbose, `Database ${database} failed over: principal is now ${storeDisplayName(target)}.`],
  );
}

// ---- pool state and active servers ----

/** Accepts the identity forms the docs print: service:PersistentChatServer:<pool>, PersistentChatServer:<pool>, service:<pool>. */
function poolOfStateIdentity(identity: string): string {
  const match = /^\s*(?:service:\s*)?(?:PersistentChatServer:\s*)?([^:\s]+)\s*$/i.exec(identity);
  const pool = match?.[1];
  if (!pool || !sameName(pool, labPoolFqdn)) {
    throw new SfbError(
      404,
      'IdentityNotFound',
      'ObjectNotFound',
      `Cannot get "PersistentChatState" with identity "${identity}" because it does not exist.`,
    );
  }
  return labPoolFqdn;
}

const stateIdentity = `service:PersistentChatServer:${labPoolFqdn}`;
type PoolState = 'Normal' | 'FailedOver';

function currentPoolState(world: LabWorld): PoolState {
  return world.readDoc<PoolState>(sfbDocs.poolState, 'Normal');
}

function getPersistentChatState(
  world: LabWorld,
  identity: string | undefined,
  filter: string | undefined,
): CmdletResult {
  if (identity !== undefined) poolOfStateIdentity(identity);
  if (filter !== undefined && !wildcard(filter).test(stateIdentity) && !wildcard(filter).test(labPoolFqdn))
    return result([]);
  return result([{ Identity: stateIdentity, PoolState: currentPoolState(world) }]);
}

function setPersistentChatState(world: LabWorld, body: Record<string, unknown>): CmdletResult {
  const identity = optionalString(body.identity, 'Identity');
  if (identity !== undefined) poolOfStateIdentity(identity);
  const poolState = optionalString(body.poolState, 'PoolState') ?? 'Normal';
  if (poolState !== 'Normal' && poolState !== 'FailedOver') {
    throw new SfbError(
      400,
      'InvalidPoolState',
      'InvalidArgument',
      `PoolState must be Normal or FailedOver, not "${poolState}".`,
    );
  }
  const before = currentPoolState(world);
  world.writeDoc<PoolState>(sfbDocs.poolState, poolState);
  return result([], [`Pool ${labPoolFqdn} state: ${before} -> ${poolState}.`]);
}

function requireActiveServerIdentity(identity: string | undefined): void {
  if (identity === undefined) return;
  const text = identity.trim();
  // "PChatServerCollection" (SfB docs) and "global" (Lync 2013 docs) both name the single collection.
  if (/^(global|PChatServerCollection)$/i.test(text)) return;
  const match = /^(?:service:)?PersistentChatServer:(.+)$/i.exec(text);
  if (match?.[1] && sameName(match[1], labPoolFqdn)) return;
  throw new SfbError(
    404,
    'IdentityNotFound',
    'ObjectNotFound',
    `Cannot find the Persistent Chat server collection "${identity}".`,
  );
}

function poolMember(fqdn: string): string {
  const frontEnd = labFrontEnds.find((fe) => sameName(fe.fqdn, fqdn.trim()));
  if (!frontEnd) {
    throw new SfbError(
      400,
      'ServerNotInPool',
      'InvalidArgument',
      `Server "${fqdn}" is not a member of the Persistent Chat pool "${labPoolFqdn}".`,
    );
  }
  return frontEnd.fqdn;
}

function setActiveServers(world: LabWorld, body: Record<string, unknown>): CmdletResult {
  requireActiveServerIdentity(optionalString(body.identity, 'Identity'));
  const before = activeServers(world);
  let after: string[];
  if (body.swap === true) {
    after = labFrontEnds.map((fe) => fe.fqdn).filter((fqdn) => !before.some((a) => sameName(a, fqdn)));
  } else {
    const change = body.activeServers;
    if (change === null) {
      after = [];
    } else {
      const modifier = asObject(change);
      const replace =
        modifier.replace === undefined
          ? undefined
          : stringList(modifier.replace, 'ActiveServers').map(poolMember);
      const add = stringList(modifier.add, 'ActiveServers').map(poolMember);
      const remove = stringList(modifier.remove, 'ActiveServers').map(poolMember);
      after = replace ?? [...before];
      for (const fqdn of add) if (!after.includes(fqdn)) after.push(fqdn);
      after = after.filter((fqdn) => !remove.includes(fqdn));
    }
  }
  // Keep the topology's order, as the server list is printed in it.
  const ordered = labFrontEnds.map((fe) => fe.fqdn).filter((fqdn) => after.includes(fqdn));
  world.writeDoc<string[]>(sfbDocs.activeServers, ordered);
  return result(
    [],
    [
      `Active servers of ${labPoolFqdn}: ${before.join(', ') || '(none)'} -> ${ordered.join(', ') || '(none)'}.`,
    ],
  );
}

// ---- Install-CsMirrorDatabase ----

const mirrorOf: Partial<Record<LabRole, LabRole>> = { primary: 'primaryMirror', backup: 'backupMirror' };

function hasMirroringSetup(world: LabWorld): world is LabWorld & LabWorldMirroringSetup {
  return typeof (world as Partial<LabWorldMirroringSetup>).establishMirroring === 'function';
}

async function installMirrorDatabase(world: LabWorld, body: Record<string, unknown>): Promise<CmdletResult> {
  const sqlServerFqdn = required(body.sqlServerFqdn, 'SqlServerFqdn');
  const instanceName =
    optionalString(body.sqlInstanceName, 'SqlInstanceName') ??
    optionalString(body.forInstance, 'ForInstance');
  const fileShare = required(body.fileShare, 'FileShare');
  const databaseType = optionalString(body.databaseType, 'DatabaseType');
  const dropExisting = body.dropExistingDatabasesOnMirror === true;
  const excluded = stringList(body.excludeDatabaseList, 'ExcludeDatabaseList');
  if (!/^\\\\[^\\/]+\\[^\\/]+/.test(fileShare)) {
    throw new SfbError(
      400,
      'InvalidFileShare',
      'InvalidArgument',
      `FileShare must be a UNC path such as \\\\server\\share, not "${fileShare}".`,
    );
  }
  const stores = labStores(world);
  const principal = Object.values(stores).find(
    (store) =>
      sameName(store.fqdn, sqlServerFqdn.trim()) && sameName(store.instanceName ?? '', instanceName ?? ''),
  );
  const shown = instanceName ? `${sqlServerFqdn}\\${instanceName}` : sqlServerFqdn;
  if (!principal) {
    throw new SfbError(
      404,
      'SqlStoreNotFound',
      'ObjectNotFound',
      `SQL Server store "${shown}" is not defined in the topology.`,
    );
  }
  const mirrorRole = mirrorOf[principal.role];
  const mirror = mirrorRole ? stores[mirrorRole] : undefined;
  if (!mirror) {
    throw new SfbError(
      409,
      'MirrorNotDefined',
      'InvalidOperation',
      `The topology defines no mirror for the SQL Server store "${shown}".`,
    );
  }
  const types: PchatDatabaseType[] = databaseType
    ? poolDatabaseTypes(world, labPoolFqdn, databaseType)
    : poolDatabaseTypes(world, labPoolFqdn, undefined);
  const databases = types
    .map((type) => pchatDatabases[type])
    .filter((db) => !excluded.some((x) => sameName(x, db)));
  const account = (store: LabStore) => `LAB\\${store.fqdn.split('.')[0]}$`;
  const planLines = databases.flatMap((db) => [
    `Database Name:${db}`,
    `    Data File:D:\\CsData\\PersistentChatStore\\${principal.instanceName ?? 'MSSQLSERVER'}\\DbPath\\${db}.mdf`,
    `     Log File:D:\\CsData\\PersistentChatStore\\${principal.instanceName ?? 'MSSQLSERVER'}\\LogPath\\${db}.ldf`,
    `  Primary SQL: ${storeDisplayName(principal)}`,
    `      Account: ${account(principal)}`,
    `   Mirror SQL: ${storeDisplayName(mirror)}`,
    `      Account: ${account(mirror)}`,
  ]);
  if (body.dryRun === true) return result(planLines);

  const verbose: string[] = [];
  const warnings: string[] = [];
  for (const db of databases) {
    const onPrincipal = world.mirroring(principal.serverName, db);
    if (onPrincipal?.role === 'PRINCIPAL' && sameName(onPrincipal.partnerServerName, mirror.serverName)) {
      warnings.push(
        `Database ${db} is already mirrored from ${storeDisplayName(principal)} to ${storeDisplayName(mirror)}.`,
      );
      continue;
    }
    if (world.mirroring(mirror.serverName, db) && !dropExisting) {
      throw new SfbError(
        409,
        'DatabaseExistsOnMirror',
        'InvalidOperation',
        `Database "${db}" already exists on the mirror ${storeDisplayName(mirror)}. Use -DropExistingDatabasesOnMirror to replace it.`,
      );
    }
    if (!hasMirroringSetup(world)) {
      throw new SfbError(
        501,
        'MirroringSetupUnsupported',
        'NotImplemented',
        'This lab engine cannot establish database mirroring.',
      );
    }
    await world.establishMirroring(db, principal.serverName, mirror.serverName);
    verbose.push(
      `Database ${db} mirrored from ${storeDisplayName(principal)} to ${storeDisplayName(mirror)} through ${fileShare}.`,
    );
  }
  return result([], verbose, warnings);
}
