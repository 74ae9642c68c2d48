import JSZip from 'jszip';
import { stageFiles } from '@/lib/stages/files';
import { setupStageIds } from '@/lib/stages/ids';
import { requireSession } from '@/lib/auth/session';
import { getStore } from '@/lib/store';
import { attachment, fileSafe, textResponse, validPlanOr } from '@/app/_lib/download';
import { generateForReview, generationDate } from '@/app/_lib/plan-data';

/** Every stage's scripts in one zip, a folder per stage numbered in flow order. */
export async function GET(_request: Request, { params }: { params: Promise<{ planId: string }> }) {
  await requireSession();
  const { planId } = await params;
  const valid = validPlanOr(planId);
  if (valid instanceof Response) return valid;
  const zip = new JSZip();
  const date = generationDate(valid.record);
  const hashes: Record<string, string> = {};
  for (const [i, stage] of setupStageIds.entries()) {
    const generated = generateForReview(valid.plan, stage, date);
    if (!generated.ok) return textResponse(500, `${stage}: ${generated.message}`);
    hashes[stage] = generated.artifacts.hash;
    const folder = `${String(i + 1).padStart(2, '0')}-${stage}`;
    for (const file of stageFiles(generated.artifacts))
      zip.file(`${folder}/${file.name}`, file.text, { date });
  }
  const bytes = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
  getStore().appendEvent(planId, 'scripts-downloaded', { stages: hashes });
  return new Response(bytes as BodyInit, {
    headers: {
      'Content-Type': 'application/zip',
      'Content-Disposition': attachment(`${fileSafe(valid.record.name)}-scripts.zip`),
      'Cache-Control': 'no-store',
    },
  });
}
