// Commands of the DR runbooks (dr-failover, dr-failback), built now so the runbooks only assemble them.
import { asJsonArray, cmdlet, explicitSwitch, pipeline, psExpression, selectAsStrings } from './cmdlet';
import { shellCommand } from './command';
import { databaseNameOf, databaseTypesFor, mirrorStateCommand } from './mirror-state';
import { quotePs } from '../quote';
import type {
  DrShellInput,
  InstallMirrorDatabaseInput,
  PersistentChatDatabaseType,
  PersistentChatPoolState,
  ShellCommand,
} from './types';

/**
 * Lines that read the pool's service from the published topology into `$pool`, failing unless exactly one answers:
 * the runbooks name the pool's identity and stores the way SfB knows them, never as typed.
 */
function readPoolLines(poolFqdn: string): string[] {
  return [
    `$pool = @(${cmdlet('Get-CsService', { PersistentChatServer: true, PoolFqdn: poolFqdn })})`,
    `if ($pool.Count -ne 1) { throw ${quotePs(`The published topology has no Persistent Chat pool ${poolFqdn}: check the pool FQDN and publish the topology.`)} }`,
  ];
}

/**
 * Sets the pool state: FailedOver makes the pool use the backup store, Normal returns it to the primary store. The
 * -Identity is the pool's service identity read from Get-CsService, scoped as the runbook's `service:` form.
 */
export function setPersistentChatStateCommand(
  poolFqdn: string,
  poolState: PersistentChatPoolState,
): ShellCommand {
  return shellCommand({
    id: `set-pool-state-${poolState === 'FailedOver' ? 'failed-over' : 'normal'}`,
    title:
      poolState === 'FailedOver'
        ? `Mark the Persistent Chat pool ${poolFqdn} as failed over to its backup store (identity read from the topology).`
        : `Return the Persistent Chat pool ${poolFqdn} to normal operation on its primary store (identity read from the topology).`,
    script: [
      ...readPoolLines(poolFqdn),
      "$identity = 'service:' + [string]$pool[0].Identity",
      cmdlet('Set-CsPersistentChatState', {
        Identity: psExpression('$identity'),
        PoolState: poolState,
        Verbose: true,
      }),
    ].join('\n'),
    readOnly: false,
  });
}

/** Read-only: the pool state (Normal or FailedOver) as a JSON array of { Identity, PoolState }. */
export function getPersistentChatStateCommand(poolFqdn: string): ShellCommand {
  return shellCommand({
    id: 'persistent-chat-state',
    title: `Read the state of the Persistent Chat pool ${poolFqdn}.`,
    script: [
      ...readPoolLines(poolFqdn),
      "$identity = 'service:' + [string]$pool[0].Identity",
      asJsonArray(
        pipeline(
          cmdlet('Get-CsPersistentChatState', { Identity: psExpression('$identity') }),
          selectAsStrings([{ name: 'Identity' }, { name: 'PoolState' }]),
        ),
      ),
    ].join('\n'),
    readOnly: true,
  });
}

/** Replaces the pool's active servers with `servers`; an empty list clears them (`-ActiveServers $null`). */
export function setActiveServersCommand(poolFqdn: string, servers: readonly string[]): ShellCommand {
  return shellCommand({
    id: servers.length === 0 ? 'clear-active-servers' : 'set-active-servers',
    title:
      servers.length === 0
        ? `Clear the active servers of the Persistent Chat pool ${poolFqdn} so none connects to the databases.`
        : `Make ${servers.join(', ')} the active servers of the Persistent Chat pool ${poolFqdn}.`,
    script: [
      ...readPoolLines(poolFqdn),
      cmdlet('Set-CsPersistentChatActiveServer', {
        Identity: psExpression('[string]$pool[0].Identity'),
        // A plain array converts to PSListModifier's Replace; $null is the documented "remove all".
        ActiveServers: servers.length === 0 ? null : servers,
        Verbose: true,
      }),
    ].join('\n'),
    readOnly: false,
  });
}

/** Read-only: the pool's active and inactive servers as a JSON array of { Identity, ActiveServers, InactiveServers }. */
export function activeServersCommand(poolFqdn: string): ShellCommand {
  return shellCommand({
    id: 'active-servers',
    title: `Read the active and inactive servers of the Persistent Chat pool ${poolFqdn}.`,
    script: asJsonArray(
      pipeline(
        cmdlet('Get-CsService', { PersistentChatServer: true, PoolFqdn: poolFqdn }),
        selectAsStrings([
          { name: 'Identity' },
          { name: 'ActiveServers', list: true },
          { name: 'InactiveServers', list: true },
        ]),
      ),
    ),
    readOnly: true,
  });
}

// Get-CsService -PersistentChatServer names the store of each role by these properties.
const storeProperty: Record<InstallMirrorDatabaseInput['store'], Record<PersistentChatDatabaseType, string>> = {
  primary: {
    PersistentChat: 'PersistentChatDatabase',
    PersistentChatCompliance: 'PersistentChatComplianceDatabase',
  },
  backup: {
    PersistentChat: 'BackupPersistentChatDatabase',
    PersistentChatCompliance: 'BackupPersistentChatComplianceDatabase',
  },
};

/**
 * Install-CsMirrorDatabase (ByDatabase): mirror one Persistent Chat database from the store the topology names for
 * `store` to that store's topology mirror. Server FQDN and instance come from Get-CsService, as published.
 */
export function installMirrorDatabaseCommand(input: InstallMirrorDatabaseInput): ShellCommand {
  const database = databaseNameOf[input.databaseType];
  const which = input.store === 'backup' ? 'backup store' : 'primary store';
  return shellCommand({
    id: `install-mirror-${database}`,
    title: `Mirror ${database} from the ${which} of ${input.poolFqdn} to its topology mirror through the share ${input.fileShare}.`,
    script: [
      ...readPoolLines(input.poolFqdn),
      `$store = @(${cmdlet('Get-CsService', { Identity: psExpression(`[string]$pool[0].${storeProperty[input.store][input.databaseType]}`) })})`,
      `if ($store.Count -ne 1) { throw ${quotePs(`The topology names no ${which} of ${input.databaseType} for the pool ${input.poolFqdn}.`)} }`,
      // A default instance has no name: the parameter is passed only when the topology gives one.
      '$instance = @{}',
      'if ($store[0].SqlInstanceName) { $instance.SqlInstanceName = [string]$store[0].SqlInstanceName }',
      cmdlet(
        'Install-CsMirrorDatabase',
        {
          DatabaseType: input.databaseType,
          SqlServerFqdn: psExpression('[string]$store[0].PoolFqdn'),
          FileShare: input.fileShare,
          DropExistingDatabasesOnMirror: input.dropExistingDatabasesOnMirror ?? false,
          // The documented run stops at a Yes/Yes to All prompt; the review page is where the operator says yes.
          Confirm: explicitSwitch(false),
          Verbose: true,
        },
        { splat: 'instance' },
      ),
    ].join('\n'),
    readOnly: false,
  });
}

/**
 * dr-failover, after the backup store is recovered: the pool fails over to it, the new principal gets the backup
 * mirror (mgc, and mgccomp with compliance, so the compliance adapter writes to a protected store), the backup data
 * center's servers become the active ones; then the state is read back for the proof.
 */
export function drFailoverCommands(input: DrShellInput): ShellCommand[] {
  return [
    setPersistentChatStateCommand(input.poolFqdn, 'FailedOver'),
    ...databaseTypesFor(input.compliance).map((databaseType) =>
      installMirrorDatabaseCommand({
        poolFqdn: input.poolFqdn,
        databaseType,
        store: 'backup',
        fileShare: input.fileShare,
        // The backup mirror holds at most a copy left by an earlier DR exercise: replaced, never mirrored into.
        dropExistingDatabasesOnMirror: true,
      }),
    ),
    setActiveServersCommand(input.poolFqdn, input.backupSiteServers),
    getPersistentChatStateCommand(input.poolFqdn),
    activeServersCommand(input.poolFqdn),
  ];
}

/** dr-failback, first: no server may write to the backup store while it is copied back. */
export function drFailbackStopCommands(input: DrShellInput): ShellCommand[] {
  return [setActiveServersCommand(input.poolFqdn, [])];
}

/**
 * dr-failback, once the primary store holds the data again: mirror it (the rebuilt mirror's databases from Topology
 * Builder are replaced), return the pool to Normal before any server becomes active, so none connects to the backup
 * store, then the primary data center's servers; the state is read back for the proof.
 */
export function drFailbackResumeCommands(input: DrShellInput): ShellCommand[] {
  return [
    ...databaseTypesFor(input.compliance).map((databaseType) =>
      installMirrorDatabaseCommand({
        poolFqdn: input.poolFqdn,
        databaseType,
        store: 'primary',
        fileShare: input.fileShare,
        dropExistingDatabasesOnMirror: true,
      }),
    ),
    setPersistentChatStateCommand(input.poolFqdn, 'Normal'),
    setActiveServersCommand(input.poolFqdn, input.primarySiteServers),
    getPersistentChatStateCommand(input.poolFqdn),
    activeServersCommand(input.poolFqdn),
    ...databaseTypesFor(input.compliance).map((type) => mirrorStateCommand(input.poolFqdn, type)),
  ];
}
