'use server';

import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { revalidatePath } from 'next/cache';
import { isLocale, localeCookie } from '@/lib/i18n';
import { emptyPlan, labPlan } from '@/lib/plan/defaults';
import { parsePlanJson } from '@/lib/plan/io';
import { requireSession } from '@/lib/auth/session';
import { getLocale } from '@/lib/i18n/server';
import { sayIn } from '@/lib/i18n/validation';
import { getStore } from '@/lib/store';
import { type ActionResult, fieldErrorsOf } from '@/app/_lib/action-result';

const maxPlanFileBytes = 512 * 1024;

/** Creates an empty plan, or one from the lab example, and opens its first page. */
export async function createPlan(formData: FormData): Promise<void> {
  await requireSession();
  const fromLab = formData.get('from') === 'lab';
  const name = String(formData.get('name') ?? '')
    .trim()
    .slice(0, 100);
  const plan = getStore().createPlan(fromLab ? labPlan() : emptyPlan(name || undefined));
  revalidatePath('/');
  redirect(`/plans/${plan.id}/topology`);
}

/** Deletes a plan (its events stay in the record). */
export async function deletePlan(planId: string): Promise<void> {
  await requireSession();
  getStore().deletePlan(planId);
  revalidatePath('/');
}

async function readPlanFile(formData: FormData): Promise<{ text: string } | ActionResult> {
  const file = formData.get('file');
  if (!(file instanceof File) || file.size === 0) return { status: 'failed', message: 'home.import.noFile' };
  if (file.size > maxPlanFileBytes)
    return {
      status: 'invalid',
      fieldErrors: { '': sayIn(await getLocale(), 'valid.fileTooLarge', { kb: maxPlanFileBytes / 1024 }) },
    };
  return { text: await file.text() };
}

/** Imports a plan file as a new plan, or says which fields are wrong. */
export async function importPlan(_previous: ActionResult | null, formData: FormData): Promise<ActionResult> {
  await requireSession();
  const read = await readPlanFile(formData);
  if ('status' in read) return read;
  const parsed = parsePlanJson(read.text, await getLocale());
  if (!parsed.ok) return { status: 'invalid', fieldErrors: fieldErrorsOf(parsed.errors) };
  const plan = getStore().createPlan(parsed.plan, 'imported');
  revalidatePath('/');
  redirect(`/plans/${plan.id}/topology`);
}

/** Replaces a plan's answers with a plan file, or says which fields are wrong. */
export async function importIntoPlan(
  planId: string,
  _previous: ActionResult | null,
  formData: FormData,
): Promise<ActionResult> {
  await requireSession();
  const read = await readPlanFile(formData);
  if ('status' in read) return read;
  const parsed = parsePlanJson(read.text, await getLocale());
  if (!parsed.ok) return { status: 'invalid', fieldErrors: fieldErrorsOf(parsed.errors) };
  if (!getStore().saveDraft(planId, parsed.plan, 'imported'))
    return { status: 'failed', message: 'notFound.body' };
  revalidatePath(`/plans/${planId}`, 'layout');
  return { status: 'saved' };
}

/** Switches the interface language for this browser. */
export async function setLocale(formData: FormData): Promise<void> {
  const locale = formData.get('locale');
  if (isLocale(locale)) {
    (await cookies()).set(localeCookie, locale, {
      path: '/',
      maxAge: 60 * 60 * 24 * 365,
      sameSite: 'lax',
      httpOnly: true,
    });
  }
  revalidatePath('/', 'layout');
}
