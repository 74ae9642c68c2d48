'use server';

import { z } from 'zod';
import { monitorJobPassword, rememberSecret, secretNeeds, secretSourceFor } from '@/lib/auth/vault';
import { requireSession } from '@/lib/auth/session';
import { getLocale } from '@/lib/i18n/server';
import { safeParseIn } from '@/lib/i18n/validation';
import { parsePlan } from '@/lib/plan/io';
import type { Plan } from '@/lib/plan/schema';
import { generateStage } from '@/lib/stages/generate';
import { missingForStage } from '@/lib/stages/runbooks';
import { reviewStage, type StageServiceOptions } from '@/lib/stages/service';
import { getStore, type PlanRecord } from '@/lib/store';
import { RunStore } from '@/lib/store/run-store';
import { reportProgress } from '@/components/apply/live-progress';
import { missingSecrets } from '@/components/apply/missing-secrets';
import { startRunInBackground } from '@/components/apply/start-run';
import {
  type ReviewForApplyResult,
  reviewForApplySchema,
  type SaveSecretsResult,
  saveSecretsSchema,
  type StartApplyResult,
  startApplySchema,
} from '@/components/apply/schema';
import { generationDate } from '@/app/_lib/plan-data';

type Loaded = { ok: true; record: PlanRecord; plan: Plan } | { ok: false; message: string };

function loadValidPlan(planId: string): Loaded {
  const record = getStore().getPlan(planId);
  if (!record) return { ok: false, message: `No plan ${planId}.` };
  const parsed = parsePlan(record.draft);
  if (!parsed.ok)
    return { ok: false, message: 'The plan has fields to fill or fix; the stage cannot be applied yet.' };
  return { ok: true, record, plan: parsed.plan };
}

function serviceOptions(sessionId: string, plan: Plan): StageServiceOptions {
  const monitorPassword = monitorJobPassword(sessionId, plan);
  return {
    db: getStore().db,
    secrets: secretSourceFor(sessionId, plan),
    env: process.env,
    ...(monitorPassword ? { monitorPassword } : {}),
  };
}

/**
 * Records the review an apply will be held to: the scripts the page showed (their hash must still be what the plan
 * generates) and the servers' live state now. Reads only.
 */
export async function reviewForApply(input: unknown): Promise<ReviewForApplyResult> {
  const session = await requireSession();
  const parsed = reviewForApplySchema.safeParse(input);
  if (!parsed.success) return { status: 'invalid', fieldErrors: z.flattenError(parsed.error).fieldErrors };
  const { planId, stage, shownHash } = parsed.data;
  const loaded = loadValidPlan(planId);
  if (!loaded.ok) return { status: 'failed', message: loaded.message };
  const { record, plan } = loaded;
  const missing = missingForStage(plan, stage);
  if (missing.length > 0) return { status: 'failed', message: missing.map((m) => m.message).join(' ') };
  const now = generationDate(record);
  if (generateStage(plan, stage, now).hash !== shownHash) {
    return { status: 'stale', message: 'The scripts changed since this page was shown.' };
  }
  const needs = missingSecrets(session.id, plan, stage);
  if (needs.length > 0) return { status: 'needs-secrets', needs };
  try {
    const { review } = await reviewStage(serviceOptions(session.id, plan), {
      planId,
      planVersion: record.version,
      plan,
      stage,
      actor: session.username,
      now,
    });
    return { status: 'reviewed', reviewId: review.id, hash: review.artifactHash };
  } catch (error) {
    console.error(`reviewForApply(${stage}) failed`, error);
    return { status: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Starts applying exactly the reviewed stage in this server process and answers as soon as the run is recorded (or
 * refused); the page then follows the run through `/api/runs/<id>`.
 */
export async function startApply(input: unknown): Promise<StartApplyResult> {
  const session = await requireSession();
  const parsed = startApplySchema.safeParse(input);
  if (!parsed.success) return { status: 'invalid', fieldErrors: z.flattenError(parsed.error).fieldErrors };
  const { planId, stage, reviewId } = parsed.data;
  const loaded = loadValidPlan(planId);
  if (!loaded.ok) return { status: 'refused', message: loaded.message };
  const { record, plan } = loaded;
  const review = new RunStore(getStore().db).getReview(reviewId);
  if (!review || review.planId !== planId || review.stage !== stage) {
    return {
      status: 'refused',
      message: 'This review is not one of this stage of this plan; review the stage again.',
    };
  }
  const needs = missingSecrets(session.id, plan, stage);
  if (needs.length > 0) return { status: 'needs-secrets', needs };

  const started = await startRunInBackground(
    serviceOptions(session.id, plan),
    {
      planId,
      planVersion: record.version,
      plan,
      stage,
      reviewId,
      artifactHash: review.artifactHash,
      actor: session.username,
    },
    getStore(),
    reportProgress,
  );
  return started.status === 'started' ? { status: 'started', runId: started.runId } : started;
}

/** Keeps the passwords typed for the plan's logins in this session's memory; answers without echoing them. */
export async function saveSecrets(input: unknown): Promise<SaveSecretsResult> {
  const session = await requireSession();
  const parsed = safeParseIn(await getLocale(), saveSecretsSchema, input);
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues)
      (fieldErrors[issue.path.map(String).join('.')] ??= []).push(issue.message);
    return { status: 'invalid', fieldErrors };
  }
  const loaded = loadValidPlan(parsed.data.planId);
  if (!loaded.ok) return { status: 'invalid', fieldErrors: { planId: [loaded.message] } };
  const known = new Set(secretNeeds(session.id, loaded.plan).map((n) => n.key));
  const fieldErrors: Record<string, string[]> = {};
  parsed.data.secrets.forEach((s, i) => {
    if (!known.has(s.key)) fieldErrors[`secrets.${i}.password`] = ['This login is not one the plan uses.'];
  });
  if (Object.keys(fieldErrors).length > 0) return { status: 'invalid', fieldErrors };
  for (const s of parsed.data.secrets) {
    if (!rememberSecret(session.id, s.key, s.password)) {
      return { status: 'invalid', fieldErrors: { planId: ['Your session ended. Sign in again.'] } };
    }
  }
  return { status: 'saved' };
}
