// The Persistent Chat topology of the lab as Topology Builder would publish it: one stretched pool over two
// sites, its front ends, and its stores taken from the lab's SQL Server instances by role.
import { labSiteOf, type LabRole, type LabSite, type LabWorld } from '../engine/contract';

export const labDomain = 'lab.local';
export const labPoolFqdn = 'pchat.lab.local';

export interface LabFrontEnd {
  fqdn: string;
  site: LabSite;
}

export const labFrontEnds: LabFrontEnd[] = [
  { fqdn: 'FE01.lab.local', site: 'Primary' },
  { fqdn: 'FE02.lab.local', site: 'Primary' },
  { fqdn: 'FEDR01.lab.local', site: 'Backup' },
];

/** The front ends active before any DR event: those of the primary site. */
export const defaultActiveServers = labFrontEnds.filter((fe) => fe.site === 'Primary').map((fe) => fe.fqdn);

/** Persistent Chat DatabaseType values and the database each names. */
export const pchatDatabases = { PersistentChat: 'mgc', PersistentChatCompliance: 'mgccomp' } as const;
export type PchatDatabaseType = keyof typeof pchatDatabases;

/** The documented DatabaseNameType values of SfB Server 2015 (the ValidateSet of the module). */
export const databaseNameTypes = [
  'ActiveMonitoring',
  'Application',
  'Archiving',
  'CentralMgmt',
  'Edge',
  'Lyss',
  'Monitoring',
  'PersistentChat',
  'PersistentChatCompliance',
  'Provision',
  'Registrar',
  'SigninTelemetry',
  'User',
] as const;

/** One SQL Server store as the topology knows it. */
export interface LabStore {
  role: LabRole;
  /** `@@SERVERNAME`, e.g. `SQL01\PCHAT`. */
  serverName: string;
  /** FQDN of the machine, e.g. `SQL01.lab.local`. */
  fqdn: string;
  /** Named instance, or undefined for a default instance. */
  instanceName: string | undefined;
  site: LabSite;
}

/** Splits `HOST\INSTANCE` (or `host,port`) into the machine FQDN and the instance name. */
export function storeAddress(serverName: string): { fqdn: string; instanceName: string | undefined } {
  const [machine = serverName, instanceName] = serverName.split(/[\\,]/, 2);
  const fqdn = machine.includes('.') ? machine : `${machine}.${labDomain}`;
  return { fqdn, instanceName: serverName.includes('\\') ? instanceName : undefined };
}

/** The stores of the pool by role, from the lab's instances. */
export function labStores(world: LabWorld): Partial<Record<LabRole, LabStore>> {
  const stores: Partial<Record<LabRole, LabStore>> = {};
  for (const instance of world.instances) {
    stores[instance.role] = {
      role: instance.role,
      serverName: instance.serverName,
      site: labSiteOf[instance.role],
      ...storeAddress(instance.serverName),
    };
  }
  return stores;
}

/** `SQL01.lab.local\PCHAT`, the way the SfB cmdlets print a SQL Server. */
export function storeDisplayName(store: LabStore): string {
  return store.instanceName ? `${store.fqdn}\\${store.instanceName}` : store.fqdn;
}

/** Doc keys of the SfB side in the lab world. */
export const sfbDocs = {
  topology: 'sfb-topology',
  poolState: 'sfb-pool-state',
  activeServers: 'sfb-active-servers',
} as const;

/** Settings of the published topology that the lab lets a test change (compliance on by default, as the lab seeds mgccomp). */
export interface LabTopologySettings {
  compliance: boolean;
}

/** The lab topology settings (compliance on unless a test turned it off). */
export function topologySettings(world: LabWorld): LabTopologySettings {
  return world.readDoc<LabTopologySettings>(sfbDocs.topology, { compliance: true });
}

/** Compliance is enabled in the published topology: mgccomp stores exist and are failed over with mgc. */
export function complianceEnabledFor(world: LabWorld): boolean {
  return topologySettings(world).compliance;
}
