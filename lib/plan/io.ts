import { z } from 'zod';
import type { Locale } from '@/lib/i18n';
import { safeParseIn, sayIn } from '@/lib/i18n/validation';
import { type Plan, type PlanInput, planSchema } from './schema';

export interface FieldError {
  /** Dotted path of the field, e.g. `servers.primary.name`; empty for the document itself. */
  path: string;
  message: string;
}

export type PlanParseResult = { ok: true; plan: Plan } | { ok: false; errors: FieldError[] };

/** Validates an object against the plan schema, naming each bad field in the operator's language. */
export function parsePlan(value: unknown, locale: Locale = 'en'): PlanParseResult {
  const result = safeParseIn(locale, planSchema, value);
  if (result.success) return { ok: true, plan: result.data };
  return { ok: false, errors: result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })) };
}

/** Parses a plan file's text (JSON), naming the line of a syntax error or each bad field. */
export function parsePlanJson(text: string, locale: Locale = 'en'): PlanParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = sayIn(locale, 'valid.notJson', { detail: (error as Error).message });
    return { ok: false, errors: [{ path: '', message }] };
  }
  return parsePlan(value, locale);
}

/** The plan as a JSON file an operator can keep, diff and import again; holds no password by construction. */
export function exportPlanJson(plan: Plan | PlanInput): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

/** The plan schema as JSON Schema (draft 2020-12), for `pchat-hadr schema` and editors. */
export function planJsonSchema(): unknown {
  return z.toJSONSchema(planSchema, { io: 'input', unrepresentable: 'any' });
}

/** One line per bad field, as the CLI prints them. */
export function formatFieldErrors(errors: FieldError[]): string {
  return errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('\n');
}
