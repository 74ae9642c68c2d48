import Link from 'next/link';
import { getSession } from '@/lib/auth/session';
import { getLocale, getTranslator } from '@/lib/i18n/server';
import type { Plan } from '@/lib/plan/schema';
import type { StageArtifacts } from '@/lib/stages/artifact';
import type { StageId } from '@/lib/stages/ids';
import { ApplyPanel } from './apply-panel';
import { missingSecrets } from './missing-secrets';
import { recoveredRunStore } from './recover';
import { formatStamp, stageServers } from './run-view';

/**
 * The apply panel of a review page, fed from the server: the servers the shown scripts touch, the passwords still
 * missing, and the run of this stage still going if the page was reloaded during it. Mount it under the scripts:
 * `<ApplySection planId={planId} stage={stage} plan={plan} artifacts={generated.artifacts} />`.
 */
export async function ApplySection({
  planId,
  stage,
  plan,
  artifacts,
}: {
  planId: string;
  stage: StageId;
  plan: Plan;
  artifacts: StageArtifacts;
}) {
  const locale = await getLocale();
  const t = await getTranslator();
  const session = await getSession();
  const stageRuns = recoveredRunStore()
    .listRuns(planId)
    .filter((r) => r.stage === stage);
  const running = stageRuns.find((r) => r.status === 'running');
  const last = stageRuns[0];
  const needs = missingSecrets(session?.id, plan, stage);
  return (
    <>
      <ApplyPanel
        planId={planId}
        stage={stage}
        stageName={t(`stage.${stage}`)}
        shownHash={artifacts.hash}
        servers={stageServers(artifacts.targets)}
        needs={needs}
        locale={locale}
        {...(running ? { activeRunId: running.id } : {})}
      />
      <p className="mt-3 text-sm">
        {last && !running ? (
          <>
            {t('apply.lastRun', {
              status: t(`status.${last.status}`),
              start: formatStamp(last.startedAt),
              who: last.actor,
            })}{' '}
            <Link
              href={`/plans/${encodeURIComponent(planId)}/runs/${encodeURIComponent(last.id)}`}
              className="text-blue-800 underline"
            >
              {t('apply.lastRunLink')}
            </Link>
            {' · '}
          </>
        ) : null}
        <Link href={`/plans/${encodeURIComponent(planId)}/runs`} className="text-blue-800 underline">
          {t('runs.link')}
        </Link>
      </p>
    </>
  );
}
