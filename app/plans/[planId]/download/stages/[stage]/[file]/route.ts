import { stageFiles } from '@/lib/stages/files';
import { isStageId } from '@/lib/stages/ids';
import { requireSession } from '@/lib/auth/session';
import { getStore } from '@/lib/store';
import { attachment, textResponse, validPlanOr } from '@/app/_lib/download';
import { generateForReview, generationDate } from '@/app/_lib/plan-data';

/** One target's script of a stage, byte for byte what the review page shows (batches joined by GO lines). */
export async function GET(
  _request: Request,
  { params }: { params: Promise<{ planId: string; stage: string; file: string }> },
) {
  await requireSession();
  const { planId, stage, file } = await params;
  if (!isStageId(stage)) return textResponse(404, 'No stage has this id.');
  const valid = validPlanOr(planId);
  if (valid instanceof Response) return valid;
  const generated = generateForReview(valid.plan, stage, generationDate(valid.record));
  if (!generated.ok) return textResponse(500, generated.message);
  const name = decodeURIComponent(file);
  const match = stageFiles(generated.artifacts).find((f) => f.name === name);
  if (!match) return textResponse(404, 'This stage has no such file.');
  getStore().appendEvent(planId, 'scripts-downloaded', { stage, file: name, hash: generated.artifacts.hash });
  return new Response(match.text, {
    headers: {
      'Content-Type': `${name.endsWith('.ps1') ? 'text/plain' : 'application/sql'}; charset=utf-8`,
      'Content-Disposition': attachment(name),
      'Cache-Control': 'no-store',
    },
  });
}
