import { cmdlet } from './cmdlet';
import { shellCommand } from './command';
import { databaseNameOf, databaseTypesFor, mirrorStateCommand } from './mirror-state';
import type { MirrorRole, PersistentChatDatabaseType, ShellCommand, ShellStageInput } from './types';

/** One Invoke-CsDatabaseFailover of one database type to `newPrincipal`. */
export function databaseFailoverCommand(
  poolFqdn: string,
  databaseType: PersistentChatDatabaseType,
  newPrincipal: MirrorRole,
): ShellCommand {
  const database = databaseNameOf[databaseType];
  const towards = newPrincipal === 'Mirror' ? 'its mirror' : 'its primary store';
  return shellCommand({
    id: `failover-${database}`,
    title: `Fail ${database} of the pool ${poolFqdn} over to ${towards}.`,
    script: cmdlet('Invoke-CsDatabaseFailover', {
      PoolFqdn: poolFqdn,
      DatabaseType: databaseType,
      NewPrincipal: newPrincipal,
      Verbose: true,
    }),
    readOnly: false,
  });
}

function failoverStage(input: ShellStageInput, newPrincipal: MirrorRole): ShellCommand[] {
  const types = databaseTypesFor(input.compliance);
  return [
    ...types.map((type) => databaseFailoverCommand(input.poolFqdn, type, newPrincipal)),
    ...types.map((type) => mirrorStateCommand(input.poolFqdn, type)),
  ];
}

/** `failover-to-mirror` stage: the mirror becomes principal (mgc, and mgccomp with compliance), then the state is read back. */
export function failoverToMirrorCommands(input: ShellStageInput): ShellCommand[] {
  return failoverStage(input, 'Mirror');
}

/** `failback-to-primary` stage: the primary store becomes principal again, then the state is read back. */
export function failbackToPrimaryCommands(input: ShellStageInput): ShellCommand[] {
  return failoverStage(input, 'Primary');
}
