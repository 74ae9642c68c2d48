// Commands of the DR runbooks (dr-failover, dr-failback), built now so the runbooks only assemble them.
import { asJsonArray, cmdlet, explicitSwitch, pipeline, selectAsStrings } from './cmdlet';
import { shellCommand } from './command';
import { databaseNameOf } from './mirror-state';
import type { InstallMirrorDatabaseInput, PersistentChatPoolState, ShellCommand } from './types';

/** XdsIdentity of the pool's Persistent Chat state settings (Get/Set-CsPersistentChatState -Identity). */
export function persistentChatStateIdentity(poolFqdn: string): string {
  return `service:PersistentChatServer:${poolFqdn}`;
}

/** Service identity of the pool as Get-CsService prints it; the collection Set-CsPersistentChatActiveServer acts on. */
export function persistentChatServiceIdentity(poolFqdn: string): string {
  return `PersistentChatServer:${poolFqdn}`;
}

/** Read-only: the pool state (Normal or FailedOver) as a JSON array of { Identity, PoolState }. */
export function getPersistentChatStateCommand(poolFqdn: string): ShellCommand {
  return shellCommand({
    id: 'persistent-chat-state',
    title: `Read the state of the Persistent Chat pool ${poolFqdn}.`,
    script: asJsonArray(
      pipeline(
        cmdlet('Get-CsPersistentChatState', { Identity: persistentChatStateIdentity(poolFqdn) }),
        selectAsStrings([{ name: 'Identity' }, { name: 'PoolState' }]),
      ),
    ),
    readOnly: true,
  });
}

/** Sets the pool state: FailedOver makes the pool use the backup store, Normal returns it to the primary store. */
export function setPersistentChatStateCommand(
  poolFqdn: string,
  poolState: PersistentChatPoolState,
): ShellCommand {
  return shellCommand({
    id: `set-pool-state-${poolState === 'FailedOver' ? 'failed-over' : 'normal'}`,
    title:
      poolState === 'FailedOver'
        ? `Mark the Persistent Chat pool ${poolFqdn} as failed over to its backup store.`
        : `Return the Persistent Chat pool ${poolFqdn} to normal operation on its primary store.`,
    script: cmdlet('Set-CsPersistentChatState', {
      Identity: persistentChatStateIdentity(poolFqdn),
      PoolState: poolState,
      Verbose: true,
    }),
    readOnly: false,
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
    script: cmdlet('Set-CsPersistentChatActiveServer', {
      Identity: persistentChatServiceIdentity(poolFqdn),
      // A plain array converts to PSListModifier's Replace; $null is the documented "remove all".
      ActiveServers: servers.length === 0 ? null : servers,
      Verbose: true,
    }),
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

/** Install-CsMirrorDatabase (ByDatabase): mirror one Persistent Chat database from `sqlServerFqdn` to the mirror the topology names. */
export function installMirrorDatabaseCommand(input: InstallMirrorDatabaseInput): ShellCommand {
  const database = databaseNameOf[input.databaseType];
  const server = input.sqlInstanceName
    ? `${input.sqlServerFqdn}\\${input.sqlInstanceName}`
    : input.sqlServerFqdn;
  return shellCommand({
    id: `install-mirror-${database}`,
    title: `Mirror ${database} from ${server} to its topology mirror through the share ${input.fileShare}.`,
    script: cmdlet('Install-CsMirrorDatabase', {
      DatabaseType: input.databaseType,
      SqlServerFqdn: input.sqlServerFqdn,
      SqlInstanceName: input.sqlInstanceName,
      FileShare: input.fileShare,
      DropExistingDatabasesOnMirror: input.dropExistingDatabasesOnMirror ?? false,
      ExcludeDatabaseList:
        input.excludeDatabaseList && input.excludeDatabaseList.length > 0
          ? input.excludeDatabaseList
          : undefined,
      // The documented run stops at a Yes/Yes to All prompt; the review page is where the operator says yes.
      Confirm: explicitSwitch(false),
      Verbose: true,
    }),
    readOnly: false,
  });
}
