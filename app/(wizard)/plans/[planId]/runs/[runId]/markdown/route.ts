import { getSession } from '@/lib/auth/session';
import { runReportMarkdown } from '@/lib/stages/report';
import { getStore } from '@/lib/store';
import { RunStore } from '@/lib/store/run-store';

export const dynamic = 'force-dynamic';

/** The run report as a Markdown file for a change-management ticket (the same text as `pchat-hadr report`). */
export async function GET(
  _request: Request,
  { params }: { params: Promise<{ planId: string; runId: string }> },
) {
  if (!(await getSession())) return new Response('Sign in first.\n', { status: 401 });
  const { planId, runId } = await params;
  const store = getStore();
  const runs = new RunStore(store.db);
  const run = runs.getRun(runId);
  if (!run || run.planId !== planId) return new Response(`No run ${runId} in this plan.\n`, { status: 404 });
  const markdown = runReportMarkdown({
    run,
    planName: store.getPlan(planId)?.name ?? planId,
    steps: runs.steps(runId),
    messages: runs.messages(runId),
  });
  const day = run.startedAt.slice(0, 10);
  return new Response(markdown, {
    headers: {
      'content-type': 'text/markdown; charset=utf-8',
      'content-disposition': `attachment; filename="pchat-hadr-run-${run.stage}-${day}-${run.id.slice(0, 8)}.md"`,
      'cache-control': 'no-store',
    },
  });
}
