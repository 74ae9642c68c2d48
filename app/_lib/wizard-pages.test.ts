import { describe, expect, it } from 'vitest';
import { emptyPlan, labPlan } from '@/lib/plan/defaults';
import { parsePlan } from '@/lib/plan/io';
import { runbookStageIds } from '@/lib/stages/ids';
import { missingForStage } from '@/lib/stages/runbooks';
import {
  fieldId,
  isPlanPageId,
  pageOfPath,
  pageSchemas,
  pageValues,
  pathInPage,
  planPageIds,
  withPageValues,
  wizardPageIds,
} from './wizard-pages';

describe('wizard pages', () => {
  it('split a valid plan into pages that each validate with their own schema and put back the same plan', () => {
    const draft = labPlan() as unknown as Record<string, unknown>;
    let rebuilt: Record<string, unknown> = { version: 1 };
    for (const page of planPageIds) {
      const values = pageValues(page, draft);
      expect(pageSchemas[page].safeParse(values).success, page).toBe(true);
      rebuilt = withPageValues(page, rebuilt, values);
    }
    expect(rebuilt).toEqual(draft);
  });

  it('send every invalid field of an empty plan to the page that shows it, under an id the page uses', () => {
    const result = parsePlan(emptyPlan());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const where = result.errors.map((e) => `${pageOfPath(e.path)}#${fieldId(pathInPage(e.path))}`);
    expect(where).toContain('topology#f-pool-fqdn');
    expect(where).toContain('topology#f-servers-backupMirror-connect-host');
    expect(where).toContain('backup#f-share');
    expect(where).toContain('secondary#f-copy-destinationFolder');
    for (const e of result.errors) {
      const page = pageOfPath(e.path);
      const sub = pageSchemas[page].safeParse(
        pageValues(page, emptyPlan() as unknown as Record<string, unknown>),
      );
      const pagePaths = sub.success ? [] : sub.error.issues.map((i) => i.path.join('.'));
      expect(pagePaths, e.path).toContain(pathInPage(e.path));
    }
  });

  it('send the monitor and shell host to their pages', () => {
    expect(pageOfPath('monitor.server.name')).toBe('monitor');
    expect(pathInPage('monitor.server.name')).toBe('server.name');
    expect(pageOfPath('shellHost.frontEnd')).toBe('shell');
    expect(pageOfPath('secondaryDatabase')).toBe('topology');
  });
});

describe('the disaster recovery page', () => {
  const lab = () => labPlan() as unknown as Record<string, unknown> & { dr: Record<string, unknown> };

  it('saves into the plan like the setup pages but is not a step of the setup stepper', () => {
    expect(isPlanPageId('dr')).toBe(true);
    expect(wizardPageIds).toEqual(['topology', 'backup', 'secondary', 'monitor', 'shell']);
    const draft = lab();
    const values = { ...draft.dr, primaryReachable: true };
    expect(withPageValues('dr', draft, values)).toEqual({ ...draft, dr: values });
    expect(pageValues('dr', { version: 1 })).toEqual({});
  });

  it('gets the plan’s DR errors and the runbooks’ missing answers, under the ids its form uses', () => {
    const draft = lab();
    draft.dr = { ...draft.dr, backupSiteServers: ['fe01.LAB.local'] };
    const result = parsePlan(draft);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => `${pageOfPath(e.path)}#${fieldId(pathInPage(e.path))}`)).toEqual([
      'dr#f-backupSiteServers',
    ]);
    const page = pageSchemas.dr.safeParse(pageValues('dr', draft));
    expect(page.success).toBe(false);
    expect(page.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['backupSiteServers', result.errors[0]!.message],
    ]);

    const plan = labPlanWithDr({ primarySiteServers: [], backupSiteServers: [] });
    const missing = runbookStageIds.flatMap((stage) => missingForStage(plan, stage));
    expect(missing.map((m) => `${pageOfPath(m.field)}#${fieldId(pathInPage(m.field))}`).sort()).toEqual([
      'dr#f-backupSiteServers',
      'dr#f-primarySiteServers',
    ]);
  });

  it('reports a bad server name under its own box', () => {
    const page = pageSchemas.dr.safeParse({
      ...lab().dr,
      primarySiteServers: ['FE01.lab.local', 'not a server'],
    });
    expect(page.error?.issues.map((i) => i.path.join('.'))).toEqual(['primarySiteServers.1']);
    expect(fieldId('primarySiteServers.1')).toBe('f-primarySiteServers-1');
  });
});

function labPlanWithDr(dr: Record<string, unknown>) {
  const draft = labPlan();
  const result = parsePlan({ ...draft, dr: { ...draft.dr, ...dr } });
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.plan;
}
