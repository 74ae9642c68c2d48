import JSZip from 'jszip';
import { bundleFiles, scriptBundle } from '@/lib/stages/bundle';
import { requireSession } from '@/lib/auth/session';
import { getStore } from '@/lib/store';
import { attachment, fileSafe, textResponse, validPlanOr } from '@/app/_lib/download';
import { generationDate } from '@/app/_lib/plan-data';

/** Every stage's scripts in one zip, setup stages then runbooks, a folder each, with a README of what is where. */
export async function GET(_request: Request, { params }: { params: Promise<{ planId: string }> }) {
  await requireSession();
  const { planId } = await params;
  const valid = validPlanOr(planId);
  if (valid instanceof Response) return valid;
  const zip = new JSZip();
  const date = generationDate(valid.record);
  let bundle: ReturnType<typeof scriptBundle>;
  try {
    bundle = scriptBundle(valid.plan, date);
  } catch (error) {
    console.error('scriptBundle failed', error);
    return textResponse(500, `The scripts could not be generated: ${(error as Error).message}`);
  }
  for (const file of bundleFiles(valid.record.name, date, bundle)) zip.file(file.path, file.text, { date });
  const hashes = Object.fromEntries(bundle.stages.map((entry) => [entry.folder, entry.artifacts.hash]));
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
