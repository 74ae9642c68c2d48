import type { ServerRole, StageId } from './ids';

/** One T-SQL batch, sent to the server as one request exactly as shown (never a `GO` inside). */
export interface SqlBatch {
  /** Stable within the stage, e.g. `primary-configuration`, `initialise-full-backup`. */
  id: string;
  /** One plain sentence for the review page. */
  title: string;
  /** The text as displayed, exported and hashed: secrets replaced by SSMS's mask. */
  sql: string;
  /** Placeholders in `sql` that the executor fills at apply time with values it holds in memory, e.g. the monitor password. */
  secrets?: { placeholder: string; secret: 'monitor-password' | 'monitor-login' }[];
  /** Only reads: preflight and verification queries. */
  readOnly: boolean;
  /** Long-running batch (BACKUP/RESTORE): the executor sizes its timeout and shows STATS progress. */
  longRunning?: boolean;
  /**
   * A status read the executor repeats until the SQL Server Agent job it reads has finished its run (`job-run`):
   * starting a job only queues it. The batch's result must have the columns of a job-status query.
   */
  poll?: 'job-run';
  /**
   * Why the stage may go on when this batch fails (e.g. a copy job that cannot reach a lost data center's share): the
   * failure is recorded as a warning with this reason and the next batch runs.
   */
  mayFail?: string;
  /** sha256 hex of `sql`. */
  hash: string;
}

/** One PowerShell command for the SfB Management Shell. */
export interface ShellCommandArtifact {
  id: string;
  title: string;
  script: string;
  readOnly: boolean;
  hash: string;
}

export type ArtifactTarget =
  { kind: 'sql'; role: ServerRole; serverName: string } | { kind: 'shell'; host: string };

/** What one stage runs on one target, in order. */
export type TargetArtifact =
  | { target: Extract<ArtifactTarget, { kind: 'sql' }>; language: 'tsql'; batches: SqlBatch[]; hash: string }
  | {
      target: Extract<ArtifactTarget, { kind: 'shell' }>;
      language: 'powershell';
      commands: ShellCommandArtifact[];
      hash: string;
    };

/** Everything a stage will run, per target, in the order targets are applied. */
export interface StageArtifacts {
  stage: StageId;
  /** One plain sentence saying what the stage will do. */
  summary: string;
  /** The date the scripts were generated for (SSMS puts it in @active_start_date). */
  generatedFor: string;
  targets: TargetArtifact[];
  /** sha256 over the target hashes in order: what a review approves and an apply checks. */
  hash: string;
}
