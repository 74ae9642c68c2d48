import { getSession } from '@/lib/auth/session';
import { getStore } from '@/lib/store';
import { RunStore } from '@/lib/store/run-store';
import { recoveredRunStore } from '@/components/apply/recover';
import { liveProgress } from '@/components/apply/live-progress';
import { type RunSnapshot, stepView } from '@/components/apply/run-view';

export const dynamic = 'force-dynamic';

/**
 * A run as recorded so far, for a page following it: the run, every step (without its script), the messages after
 * `?after=<id>`, and the live BACKUP/RESTORE percentages. Polled, so a reload or a server restart loses nothing.
 */
export async function GET(request: Request, { params }: { params: Promise<{ runId: string }> }) {
  if (!(await getSession())) return Response.json({ error: 'Sign in first.' }, { status: 401 });
  const { runId } = await params;
  let runs = new RunStore(getStore().db);
  // A run left "running" by a server that died is shown as interrupted, with what it recorded.
  if (runs.getRun(runId)?.status === 'running') runs = recoveredRunStore();
  const run = runs.getRun(runId);
  if (!run) return Response.json({ error: `No run ${runId}.` }, { status: 404 });
  const after = Number(new URL(request.url).searchParams.get('after') ?? 0);
  const snapshot: RunSnapshot = {
    run,
    steps: runs.steps(runId).map(stepView),
    messages: runs.messages(runId, Number.isSafeInteger(after) && after > 0 ? after : 0),
    progress: liveProgress(runId),
  };
  return Response.json(snapshot, { headers: { 'cache-control': 'no-store' } });
}
