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

/** Install-CsMirrorDatabase, ByDatabase parameter set: mirror one Persistent Chat database type. */
export interface InstallMirrorDatabaseInput {
  databaseType: PersistentChatDatabaseType;
  /** FQDN of the SQL Server that will be the principal (the cmdlet's -SqlServerFqdn is the primary). */
  sqlServerFqdn: string;
  /** Named instance on that server; omitted for the default instance. */
  sqlInstanceName?: string;
  /** UNC share the cmdlet uses to carry the backups to the mirror. */
  fileShare: string;
  dropExistingDatabasesOnMirror?: boolean;
  excludeDatabaseList?: string[];
}
