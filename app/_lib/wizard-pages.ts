import { z } from 'zod';
import {
  backupSettingsSchema,
  drSettingsSchema,
  monitorSchema,
  planSchema,
  secondarySettingsSchema,
  shellHostSchema,
} from '@/lib/plan/schema';
import type { MessageKey } from '@/lib/i18n';

/** The wizard's settings pages, in the order of the SSMS dialogs and the SfB procedure: the setup stepper. */
export const wizardPageIds = ['topology', 'backup', 'secondary', 'monitor', 'shell'] as const;
export type WizardPageId = (typeof wizardPageIds)[number];

/**
 * Every page that saves a part of the plan: the setup pages, then the disaster recovery page. The DR answers are only
 * needed by the runbooks after setup, so that page stays out of the stepper.
 */
export const planPageIds = [...wizardPageIds, 'dr'] as const;
export type PlanPageId = (typeof planPageIds)[number];

export function isPlanPageId(value: string): value is PlanPageId {
  return (planPageIds as readonly string[]).includes(value);
}

// The topology page holds the plan's top-level answers; the other pages hold one sub-document each. Built from the
// plan schema's own shape so that the form, the server action and the plan can never disagree on a rule.
const shape = planSchema.shape;
export const topologyFormSchema = z.object({
  name: shape.name,
  pool: shape.pool,
  database: shape.database,
  secondaryDatabase: shape.secondaryDatabase,
  servers: shape.servers,
});

/** The DR page holds the plan's `dr` document; its schema also refuses a server named in both data centers. */
export const drFormSchema = drSettingsSchema;

/** The zod schema that validates each page, on the client (zodResolver) and again in the server action. */
export const pageSchemas = {
  topology: topologyFormSchema,
  backup: backupSettingsSchema,
  secondary: secondarySettingsSchema,
  monitor: monitorSchema,
  shell: shellHostSchema,
  dr: drFormSchema,
} as const;

/** Where each page's answers live in the plan document. */
export const pagePlanKeys: Record<PlanPageId, readonly string[]> = {
  topology: ['name', 'pool', 'database', 'secondaryDatabase', 'servers'],
  backup: ['backup'],
  secondary: ['secondary'],
  monitor: ['monitor'],
  shell: ['shellHost'],
  dr: ['dr'],
};

/** Which page holds a field of the plan, from its dotted path (`servers.primary.name` -> topology). */
export function pageOfPath(path: string): PlanPageId {
  const head = path.split('.')[0] ?? '';
  for (const page of planPageIds) if (pagePlanKeys[page].includes(head)) return page;
  return 'topology';
}

/** The id of a field's input on its page: `servers.primary.name` -> `f-servers-primary-name`. */
export function fieldId(pathInPage: string): string {
  return `f-${pathInPage.replace(/[^A-Za-z0-9]+/g, '-')}`;
}

/** A plan path as the page's form names it: page-level documents drop their first segment. */
export function pathInPage(path: string): string {
  const page = pageOfPath(path);
  return page === 'topology' ? path : path.split('.').slice(1).join('.');
}

export const pageTitleKeys: Record<PlanPageId, MessageKey> = {
  topology: 'page.topology',
  backup: 'page.backup',
  secondary: 'page.secondary',
  monitor: 'page.monitor',
  shell: 'page.shell',
  dr: 'page.dr',
};

/** A page's answers taken out of the plan draft, for the form (the draft may be partial or invalid). */
export function pageValues(page: PlanPageId, draft: Record<string, unknown>): Record<string, unknown> {
  if (page === 'topology') return Object.fromEntries(pagePlanKeys.topology.map((k) => [k, draft[k]]));
  const value = draft[pagePlanKeys[page][0]!];
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

/** The draft with one page's answers replaced. */
export function withPageValues(
  page: PlanPageId,
  draft: Record<string, unknown>,
  values: Record<string, unknown>,
): Record<string, unknown> {
  if (page === 'topology') {
    const next = { ...draft };
    for (const k of pagePlanKeys.topology) if (k in values) next[k] = values[k];
    return next;
  }
  return { ...draft, [pagePlanKeys[page][0]!]: values };
}
