// Per-stage SQL artifacts: pure functions of the plan and the generation date, one TargetArtifact per step on a
// server, in the order the steps are applied (a server appears again when the flow comes back to it).
import type { Plan } from '@/lib/plan/schema';
import type { SqlBatch, TargetArtifact } from '@/lib/stages/artifact';
import { type ServerRole, type SetupStageId, serverRoles } from '@/lib/stages/ids';
import { sqlBatch, sqlTarget } from './batch';
import { initialFullBackupSql, initialRestoreSql } from './initialise';
import {
  primaryHalfSettings,
  secondaryHalfSettings,
  splitPrimaryHalf,
  ssmsPrimaryHalf,
  ssmsSecondaryHalf,
} from './log-shipping';
import { preflightBatches } from './preflight';
import { type TeardownOptions, teardownSteps } from './teardown';
import {
  verifyBackupBatches,
  verifyCopyRestoreBatches,
  verifyMonitorBatches,
  verifyRestoredBeforeBatches,
} from './verify';

export type SqlStageId = SetupStageId | 'teardown';

/** ship-primary: primary block, initialisation, secondary block, then the primary's registration of the secondary. */
export function shipPrimaryTargets(plan: Plan, generatedFor: Date): TargetArtifact[] {
  const half = splitPrimaryHalf(ssmsPrimaryHalf(primaryHalfSettings(plan, 'primary', generatedFor)));
  const init = plan.secondary.initialise;
  const primaryFirst: SqlBatch[] = [
    sqlBatch({
      id: 'primary-configuration',
      title: 'Configure the primary as SSMS does: backup job, its schedule, and the alert job.',
      sql: half.configuration,
      readOnly: false,
    }),
  ];
  if (init.mode === 'generate-full-backup') {
    primaryFirst.push(
      sqlBatch({
        id: 'initialise-full-backup',
        title: `Take a full backup of ${plan.database} to the backup share.`,
        sql: initialFullBackupSql(plan, generatedFor),
        readOnly: false,
        longRunning: true,
      }),
    );
  }
  const backup: SqlBatch[] = [];
  if (init.mode !== 'already-initialised') {
    backup.push(
      sqlBatch({
        id: 'initialise-restore',
        title: `Restore ${plan.secondaryDatabase} on the backup store WITH NORECOVERY from the full backup.`,
        sql: initialRestoreSql(plan, generatedFor),
        readOnly: false,
        longRunning: true,
      }),
    );
  }
  backup.push(
    sqlBatch({
      id: 'secondary-configuration',
      title:
        'Configure the backup store as SSMS does: copy and restore jobs, their schedules, the secondary database.',
      sql: ssmsSecondaryHalf(secondaryHalfSettings(plan, generatedFor)),
      readOnly: false,
    }),
  );
  const registration = sqlBatch({
    id: 'primary-registration',
    title: `Register ${plan.servers.backup.name} as the primary's secondary, as SSMS does last on the primary.`,
    sql: half.registration,
    readOnly: false,
  });
  return [
    sqlTarget(plan, 'primary', primaryFirst),
    sqlTarget(plan, 'backup', backup),
    sqlTarget(plan, 'primary', [registration]),
  ];
}

/**
 * ship-mirror: the whole SSMS primary half on the primary mirror (now principal); the secondary is already set up.
 * Then the same proof as `verify`, while the mirror is principal: its backup job runs, the backup store copies and
 * restores, and the restored LSN must move.
 */
export function shipMirrorTargets(plan: Plan, generatedFor: Date): TargetArtifact[] {
  const sql = ssmsPrimaryHalf(primaryHalfSettings(plan, 'primaryMirror', generatedFor));
  return [
    sqlTarget(plan, 'primaryMirror', [
      sqlBatch({
        id: 'primary-configuration',
        title:
          'Configure the mirror as a second primary, as the first half of the SSMS script: backup job, schedule, alert job, secondary.',
        sql,
        readOnly: false,
      }),
    ]),
    sqlTarget(plan, 'backup', verifyRestoredBeforeBatches(plan)),
    sqlTarget(plan, 'primaryMirror', verifyBackupBatches(plan, 'primaryMirror')),
    sqlTarget(plan, 'backup', verifyCopyRestoreBatches(plan)),
  ];
}

/** verify: backup store reading, backup on the principal, copy and restore on the backup store, then every monitor view. */
export function verifyTargets(plan: Plan): TargetArtifact[] {
  return [
    sqlTarget(plan, 'backup', verifyRestoredBeforeBatches(plan)),
    sqlTarget(plan, 'primary', verifyBackupBatches(plan, 'primary')),
    sqlTarget(plan, 'backup', verifyCopyRestoreBatches(plan)),
    ...serverRoles.map((role) => sqlTarget(plan, role, verifyMonitorBatches())),
  ];
}

/** preflight: the read-only checks on all four instances. */
export function preflightTargets(plan: Plan): TargetArtifact[] {
  return serverRoles.map((role: ServerRole) => sqlTarget(plan, role, preflightBatches(plan, role)));
}

/** teardown: the documented sp_delete_log_shipping_* order across primary, mirror and backup store. */
export function teardownTargets(plan: Plan, options: TeardownOptions = {}): TargetArtifact[] {
  return teardownSteps(plan, options).map((step) => sqlTarget(plan, step.role, step.batches));
}

/** The SQL targets of a stage, in apply order; stages that only run PowerShell return []. */
export function generateSqlStage(
  plan: Plan,
  stage: SqlStageId,
  generatedFor: Date,
  options: TeardownOptions = {},
): TargetArtifact[] {
  switch (stage) {
    case 'preflight':
      return preflightTargets(plan);
    case 'ship-primary':
      return shipPrimaryTargets(plan, generatedFor);
    case 'ship-mirror':
      return shipMirrorTargets(plan, generatedFor);
    case 'verify':
      return verifyTargets(plan);
    case 'teardown':
      return teardownTargets(plan, options);
    case 'topology':
    case 'failover-to-mirror':
    case 'failback-to-primary':
      return [];
  }
}
