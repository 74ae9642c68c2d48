// The command line's answers to the runbooks' questions: a DR failover is never started without the operator saying
// whether the primary data center still answers, and teardown says whether the backup copy goes too.
import type { Plan } from '@/lib/plan/schema';
import type { StageId } from '@/lib/stages/ids';
import { missingForStage } from '@/lib/stages/runbooks';

export const runbookOptions = {
  primary: { type: 'string' },
  'drop-backup-database': { type: 'boolean' },
} as const;

export const runbookUsage = `  dr-failover needs --primary reachable|lost (reachable: a tail-log backup first, nothing committed lost;
  lost: what was committed after the last shipped log is lost). teardown takes --drop-backup-database.`;

/** The plan with the runbook answers given on the command line, or the message saying what is missing. */
export function planForStage(
  plan: Plan,
  stage: StageId,
  values: { primary?: string; 'drop-backup-database'?: boolean },
): { ok: true; plan: Plan } | { ok: false; message: string } {
  let answered = plan;
  if (stage === 'dr-failover') {
    if (values.primary !== 'reachable' && values.primary !== 'lost')
      return {
        ok: false,
        message:
          'dr-failover needs --primary reachable (a tail-log backup WITH NORECOVERY is taken first: nothing committed is lost) or --primary lost (anything committed after the last log that reached the share is lost).',
      };
    answered = { ...plan, dr: { ...plan.dr, primaryReachable: values.primary === 'reachable' } };
  } else if (values.primary !== undefined) {
    return { ok: false, message: '--primary only applies to dr-failover.' };
  }
  if (values['drop-backup-database'] !== undefined) {
    if (stage !== 'teardown')
      return { ok: false, message: '--drop-backup-database only applies to teardown.' };
    answered = {
      ...answered,
      dr: { ...answered.dr, dropBackupDatabaseOnTeardown: values['drop-backup-database'] },
    };
  }
  const missing = missingForStage(answered, stage);
  if (missing.length > 0)
    return { ok: false, message: missing.map((m) => `${m.field}: ${m.message}`).join('\n') };
  return { ok: true, plan: answered };
}
