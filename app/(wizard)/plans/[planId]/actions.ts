'use server';

import { revalidatePath } from 'next/cache';
import { requireSession } from '@/lib/auth/session';
import { getLocale } from '@/lib/i18n/server';
import { safeParseIn } from '@/lib/i18n/validation';
import { getStore } from '@/lib/store';
import { type ActionResult, fieldErrorsOf } from '@/app/_lib/action-result';
import { isPlanPageId, pageSchemas, withPageValues } from '@/app/_lib/wizard-pages';

const maxDraftBytes = 256 * 1024;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates one page with its schema (again, on the server) and saves it into the plan. */
export async function savePage(planId: string, page: string, values: unknown): Promise<ActionResult> {
  await requireSession();
  if (!isPlanPageId(page)) return { status: 'failed', message: `Unknown page ${page}.` };
  const parsed = safeParseIn(await getLocale(), pageSchemas[page], values);
  if (!parsed.success) return { status: 'invalid', fieldErrors: fieldErrorsOf(parsed.error.issues) };
  return store(planId, page, parsed.data as Record<string, unknown>, 'saved');
}

/**
 * Saves what the operator has typed so far, valid or not, so nothing is lost between pages or across a restart. The
 * values are only checked for shape and size here; `savePage` and the review validate them.
 */
export async function saveDraft(planId: string, page: string, values: unknown): Promise<ActionResult> {
  await requireSession();
  if (!isPlanPageId(page)) return { status: 'failed', message: `Unknown page ${page}.` };
  if (!isPlainObject(values) || JSON.stringify(values).length > maxDraftBytes) {
    return { status: 'failed', message: 'The draft is not a form object.' };
  }
  return store(planId, page, values, 'draft');
}

function store(
  planId: string,
  page: Parameters<typeof withPageValues>[0],
  values: Record<string, unknown>,
  how: 'saved' | 'draft',
): ActionResult {
  try {
    const storeRef = getStore();
    const current = storeRef.getPlan(planId);
    if (!current) return { status: 'failed', message: 'This plan no longer exists.' };
    const draft = withPageValues(page, current.draft as unknown as Record<string, unknown>, values);
    storeRef.saveDraft(planId, draft as never, how, { page });
  } catch (error) {
    console.error('saving the plan failed', error);
    return { status: 'failed', message: 'The plan store could not be written; see the server log.' };
  }
  // Autosaved drafts don't refresh the page under the operator's cursor; a page save refreshes the stepper.
  if (how === 'saved') revalidatePath(`/plans/${planId}`, 'layout');
  return { status: 'saved' };
}
