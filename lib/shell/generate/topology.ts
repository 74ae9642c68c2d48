import { asJsonArray, cmdlet, pipeline, type ProjectedProperty, selectAsStrings } from './cmdlet';
import { shellCommand } from './command';
import { databaseTypesFor, mirrorStateCommand } from './mirror-state';
import type { ShellCommand, ShellStageInput } from './types';

const storeRoles = ['', 'Mirror', 'Backup', 'BackupMirror'] as const;

/** Properties of Get-CsService -PersistentChatServer (DisplayPersistentChatServer) shown for the pool. */
export function poolProperties(compliance: boolean): ProjectedProperty[] {
  const stores = storeRoles.map((prefix) => `${prefix}PersistentChatDatabase`);
  const complianceStores = compliance
    ? storeRoles.map((prefix) => `${prefix}PersistentChatComplianceDatabase`)
    : [];
  return [
    { name: 'Identity' },
    { name: 'PoolFqdn' },
    { name: 'SiteId' },
    { name: 'ActiveServers', list: true },
    { name: 'InactiveServers', list: true },
    ...[...stores, ...complianceStores].map((name) => ({ name })),
  ];
}

/** Properties of the SQL store services (Get-CsService -PersistentChatDatabase / -PersistentChatComplianceDatabase). */
export const storeProperties: ProjectedProperty[] = [
  { name: 'Identity' },
  { name: 'PoolFqdn' },
  { name: 'SqlInstanceName' },
  { name: 'SiteId' },
  { name: 'Role' },
  { name: 'DependentServiceList', list: true },
];

/** `topology` stage (read-only): the pool, its stores, mirrors and backup stores as published, and the mirroring state. */
export function topologyCommands(input: ShellStageInput): ShellCommand[] {
  const { poolFqdn, compliance } = input;
  const commands = [
    shellCommand({
      id: 'persistent-chat-pool',
      title: `Read the published Persistent Chat pool ${poolFqdn}: its stores, mirrors, backup stores and active servers.`,
      script: asJsonArray(
        pipeline(
          cmdlet('Get-CsService', { PersistentChatServer: true, PoolFqdn: poolFqdn }),
          selectAsStrings(poolProperties(compliance)),
        ),
      ),
      readOnly: true,
    }),
    shellCommand({
      id: 'persistent-chat-stores',
      title: 'List the Persistent Chat SQL Server stores of the topology.',
      script: asJsonArray(
        pipeline(cmdlet('Get-CsService', { PersistentChatDatabase: true }), selectAsStrings(storeProperties)),
      ),
      readOnly: true,
    }),
  ];
  if (compliance) {
    commands.push(
      shellCommand({
        id: 'persistent-chat-compliance-stores',
        title: 'List the Persistent Chat compliance SQL Server stores of the topology.',
        script: asJsonArray(
          pipeline(
            cmdlet('Get-CsService', { PersistentChatComplianceDatabase: true }),
            selectAsStrings(storeProperties),
          ),
        ),
        readOnly: true,
      }),
    );
  }
  return [...commands, ...databaseTypesFor(compliance).map((type) => mirrorStateCommand(poolFqdn, type))];
}
