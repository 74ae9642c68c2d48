import { z } from 'zod';
import {
  backupSettingsSchema,
  monitorSchema,
  planSchema,
  secondarySettingsSchema,
  shellHostSchema,
} from '@/lib/plan/schema';
import type { MessageKey } from '@/lib/i18n';

/** The wizard's settings pages, in the order of the SSMS dialogs and the SfB procedure. */
export const wizardPageIds = ['topology', 'backup', 'secondary', 'monitor', 'shell'] as const;
export type WizardPageId = (typeof wizardPageIds)[number];

export function isWizardPageId(value: string): value is WizardPageId {
  return (wizardPageIds as readonly string[]).includes(value);
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

/** The zod schema that validates each page, on the client (zodResolver) and again in the server action. */
export const pageSchemas = {
  topology: topologyFormSchema,
  backup: backupSettingsSchema,
  secondary: secondarySettingsSchema,
  monitor: monitorSchema,
  shell: shellHostSchema,
} as const;

/** Where each page's answers live in the plan document. */
export const pagePlanKeys: Record<WizardPageId, readonly string[]> = {
  topology: ['name', 'pool', 'database', 'secondaryDatabase', 'servers'],
  backup: ['backup'],
  secondary: ['secondary'],
  monitor: ['monitor'],
  shell: ['shellHost'],
};

/** Which page holds a field of the plan, from its dotted path (`servers.primary.name` -> topology). */
export function pageOfPath(path: string): WizardPageId {
  const head = path.split('.')[0] ?? '';
  for (const page of wizardPageIds) if (pagePlanKeys[page].includes(head)) return page;
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

export const pageTitleKeys: Record<WizardPageId, MessageKey> = {
  topology: 'page.topology',
  backup: 'page.backup',
  secondary: 'page.secondary',
  monitor: 'page.monitor',
  shell: 'page.shell',
};

/** A page's answers taken out of the plan draft, for the form (the draft may be partial or invalid). */
export function pageValues(page: WizardPageId, draft: Record<string, unknown>): Record<string, unknown> {
  if (page === 'topology') return Object.fromEntries(pagePlanKeys.topology.map((k) => [k, draft[k]]));
  const value = draft[pagePlanKeys[page][0]!];
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

/** The draft with one page's answers replaced. */
export function withPageValues(
  page: WizardPageId,
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
