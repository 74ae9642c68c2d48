import { describe, expect, it } from 'vitest';
import { emptyPlan, labPlan } from '@/lib/plan/defaults';
import { parsePlan } from '@/lib/plan/io';
import {
  fieldId,
  pageOfPath,
  pageSchemas,
  pageValues,
  pathInPage,
  withPageValues,
  wizardPageIds,
} from './wizard-pages';

describe('wizard pages', () => {
  it('split a valid plan into pages that each validate with their own schema and put back the same plan', () => {
    const draft = labPlan() as unknown as Record<string, unknown>;
    let rebuilt: Record<string, unknown> = { version: 1 };
    for (const page of wizardPageIds) {
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
