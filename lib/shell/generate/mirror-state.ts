import { asJsonArray, cmdlet, pipeline, selectAsStrings } from './cmdlet';
import { shellCommand } from './command';
import type { PersistentChatDatabaseType, ShellCommand } from './types';

/** The database each Persistent Chat DatabaseType names; used in command ids and titles. */
export const databaseNameOf: Record<PersistentChatDatabaseType, string> = {
  PersistentChat: 'mgc',
  PersistentChatCompliance: 'mgccomp',
};

/** The database types a stage acts on: mgc always, mgccomp when compliance is on. */
export function databaseTypesFor(compliance: boolean): PersistentChatDatabaseType[] {
  return compliance ? ['PersistentChat', 'PersistentChatCompliance'] : ['PersistentChat'];
}

/** Properties of Get-CsDatabaseMirrorState's output (DatabaseMirrorState) that the executor checks. */
export const mirrorStateProperties = [
  'DatabaseName',
  'StateOnPrimary',
  'StateOnMirror',
  'MirroringStatusOnPrimary',
  'MirroringStatusOnMirror',
] as const;

/** Read-only: the mirroring state of one database type of the pool, as a JSON array of mirrorStateProperties. */
export function mirrorStateCommand(poolFqdn: string, databaseType: PersistentChatDatabaseType): ShellCommand {
  const database = databaseNameOf[databaseType];
  return shellCommand({
    id: `mirror-state-${database}`,
    title: `Read the mirroring state of ${database} for the pool ${poolFqdn}.`,
    script: asJsonArray(
      pipeline(
        cmdlet('Get-CsDatabaseMirrorState', { PoolFqdn: poolFqdn, DatabaseType: databaseType }),
        selectAsStrings(mirrorStateProperties.map((name) => ({ name }))),
      ),
    ),
    readOnly: true,
  });
}
