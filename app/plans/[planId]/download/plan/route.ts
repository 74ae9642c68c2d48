import { exportPlanJson, parsePlan } from '@/lib/plan/io';
import { requireSession } from '@/lib/auth/session';
import { getStore } from '@/lib/store';
import { attachment, fileSafe, textResponse } from '@/app/_lib/download';

/**
 * The plan as JSON: once complete, in its validated form (autosaved form values may carry fields of options not
 * chosen, which the schema drops); while incomplete, the draft as it is, so work in progress can be kept or moved.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ planId: string }> }) {
  await requireSession();
  const { planId } = await params;
  const store = getStore();
  const record = store.getPlan(planId);
  if (!record) return textResponse(404, 'No plan has this id.');
  store.appendEvent(planId, 'plan-exported', { version: record.version });
  const parsed = parsePlan(record.draft);
  return new Response(exportPlanJson(parsed.ok ? parsed.plan : record.draft), {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': attachment(`${fileSafe(record.name)}.plan.json`),
      'Cache-Control': 'no-store',
    },
  });
}
