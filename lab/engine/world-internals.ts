// What the engine's modules share about the world (implemented by world.ts).
import type { LabClock } from './clock';
import type { SqlError } from './errors';
import type { PathContext } from './paths';
import type { DbState, InstanceState, Row, WorldState } from './state';

export interface WorldInternals {
  readonly root: string;
  readonly state: WorldState;
  readonly clock: LabClock;
  pathContext(): PathContext;
  instanceState(serverName: string): InstanceState | undefined;
  /** Marks state dirty; it is written to disk shortly after. */
  changed(): void;
  /** Recomputes a job schedule's next run from now. */
  refreshNextRun(inst: InstanceState, jobSchedule: Row): void;
  /** Propagates a principal's changes to its mirror. */
  syncMirror(inst: InstanceState, db: DbState): void;
  /** Queues a job run now (sp_start_job); returns false when the Agent is stopped. */
  startJob(inst: InstanceState, jobId: string, requestedBy: string): void;
  isJobRunning(inst: InstanceState, jobId: string): boolean;
  /** ALTER DATABASE ... SET PARTNER = 'TCP://host:port'; returns an error when the partner cannot be reached. */
  setPartner(inst: InstanceState, db: DbState, address: string): SqlError | undefined;
  failoverFrom(inst: InstanceState, database: string): void;
  forceService(inst: InstanceState, database: string): void;
  partnerOff(inst: InstanceState, database: string): void;
  setMirroringState(inst: InstanceState, database: string, state: 'SUSPENDED' | 'SYNCHRONIZED'): void;
  setMirroringSafety(inst: InstanceState, db: DbState, level: 'FULL' | 'OFF'): void;
}
