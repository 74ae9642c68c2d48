import 'server-only';
import { parsePlan } from '@/lib/plan/io';
import type { Plan } from '@/lib/plan/schema';
import { getStore, type PlanRecord } from '@/lib/store';

/** `attachment` with both the plain and the RFC 5987 file name, so any browser saves it under that name. */
export function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export function textResponse(status: number, message: string): Response {
  return new Response(`${message}\n`, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

/** The stored plan and its valid form, or the response that says why there is none. */
export function validPlanOr(planId: string): { record: PlanRecord; plan: Plan } | Response {
  const record = getStore().getPlan(planId);
  if (!record) return textResponse(404, 'No plan has this id.');
  const parsed = parsePlan(record.draft);
  if (!parsed.ok) {
    return textResponse(
      409,
      `The plan is not complete yet; fix these fields first:\n${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('\n')}`,
    );
  }
  return { record, plan: parsed.plan };
}

/** A safe file-name fragment from a plan name. */
export function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'plan';
}
