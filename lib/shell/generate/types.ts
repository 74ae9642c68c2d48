// Input shapes of the PowerShell generators: the minimum each stage needs, not the whole plan.

/** One PowerShell command for the SfB Management Shell, as reviewed, hashed and run. */
export interface ShellCommand {
  /** Stable within the stage, e.g. `failover-persistentchat`. */
  id: string;
  /** One plain sentence for the review page. */
  title: string;
  /** The exact text run in the shell session; user values only ever appear through quotePs. */
  script: string;
  /** True when the command changes nothing (imports, reads, verifications). */
  readOnly: boolean;
  /** sha256 hex of `script` (UTF-8). */
  hash: string;
}

/** Where the SfB Management Shell runs. */
export type ShellHostInput =
  { kind: 'local-windows-powershell' } | { kind: 'local-pwsh' } | { kind: 'remote'; frontEnd: string };

/** What the SfB stages (`topology`, `failover-to-mirror`, `failback-to-primary`) need from the plan. */
export interface ShellStageInput {
  /** The Persistent Chat pool FQDN (`-PoolFqdn`). */
  poolFqdn: string;
  /** Compliance on: `mgccomp` (DatabaseType PersistentChatCompliance) is failed over and checked too. */
  compliance: boolean;
  /** Where the commands run: names the stage's shell target. The executor opens that session and loads the module. */
  shellHost: ShellHostInput;
}

/** The documented DatabaseNameType values for the Persistent Chat stores. */
export type PersistentChatDatabaseType = 'PersistentChat' | 'PersistentChatCompliance';

/** `-NewPrincipal` of Invoke-CsDatabaseFailover (MirrorRole). */
export type MirrorRole = 'Primary' | 'Mirror';

/** `-PoolState` of Set-CsPersistentChatState. */
export type PersistentChatPoolState = 'Normal' | 'FailedOver';

/** Install-CsMirrorDatabase, ByDatabase parameter set: mirror one Persistent Chat database type of one store. */
export interface InstallMirrorDatabaseInput {
  poolFqdn: string;
  databaseType: PersistentChatDatabaseType;
  /** Which store of the pool becomes principal: its server and instance are read from the topology. */
  store: 'primary' | 'backup';
  /** UNC share the cmdlet uses to carry the backups to the mirror. */
  fileShare: string;
  dropExistingDatabasesOnMirror?: boolean;
}

/** What the DR runbooks need besides the setup stages' input. */
export interface DrShellInput extends ShellStageInput {
  fileShare: string;
  primarySiteServers: readonly string[];
  backupSiteServers: readonly string[];
}
