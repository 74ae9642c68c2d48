import 'server-only';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { getLocale } from '@/lib/i18n/server';
import { parsePlan, type PlanParseResult } from '@/lib/plan/io';
import type { Plan } from '@/lib/plan/schema';
import type { StageArtifacts } from '@/lib/stages/artifact';
import { generateStage } from '@/lib/stages/generate';
import type { StageId } from '@/lib/stages/ids';
import { getStore, type PlanRecord } from '@/lib/store';

/** A plan by id for this request, or the not-found page. */
export const loadPlan = cache((planId: string): PlanRecord => {
  const plan = getStore().getPlan(planId);
  if (!plan) notFound();
  return plan;
});

/** The plan's draft checked against the full schema, its messages in the operator's language. */
export const checkPlan = cache(
  async (planId: string): Promise<PlanParseResult> => parsePlan(loadPlan(planId).draft, await getLocale()),
);

/**
 * The date scripts are generated for: the moment the plan was last saved. The generators put it in backup file names
 * and schedule start dates, so taking the clock instead would make the page, its downloads and a later apply differ
 * by seconds; pinned to the plan version, the same plan always gives the same bytes and the same hash.
 */
export function generationDate(record: PlanRecord): Date {
  return new Date(record.updatedAt);
}

export type StageGeneration = { ok: true; artifacts: StageArtifacts } | { ok: false; message: string };

/** A stage's artifacts for a date, or why they could not be generated; never throws for a generator bug. */
export function generateForReview(plan: Plan, stage: StageId, date: Date): StageGeneration {
  try {
    return { ok: true, artifacts: generateStage(plan, stage, date) };
  } catch (error) {
    console.error(`generateStage(${stage}) failed`, error);
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
