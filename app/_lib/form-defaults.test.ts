import { describe, expect, it } from 'vitest';
import { emptyPlan, labPlan } from '@/lib/plan/defaults';
import { planSchema } from '@/lib/plan/schema';
import { schemaDefaults } from '@/lib/plan/schema-defaults';
import {
  backupDefaults,
  deepMerge,
  drDefaults,
  monitorDefaults,
  secondaryDefaults,
  shellDefaults,
  topologyDefaults,
} from './form-defaults';
import { type PlanPageId, pageSchemas, pageValues } from './wizard-pages';

const fill: Record<PlanPageId, (v: Record<string, unknown>) => Record<string, unknown>> = {
  topology: topologyDefaults,
  backup: backupDefaults,
  secondary: secondaryDefaults,
  monitor: monitorDefaults,
  shell: shellDefaults,
  dr: drDefaults,
};

describe('form defaults', () => {
  it('never change what a complete plan means: each page parses to the same values with or without them', () => {
    const draft = labPlan() as unknown as Record<string, unknown>;
    for (const page of Object.keys(fill) as PlanPageId[]) {
      const answered = pageValues(page, draft);
      expect(pageSchemas[page].parse(fill[page](answered)), page).toEqual(pageSchemas[page].parse(answered));
    }
  });

  it('give a new plan the SSMS defaults where its draft has nothing yet', () => {
    const draft = emptyPlan() as unknown as Record<string, unknown>;
    const secondary = secondaryDefaults(pageValues('secondary', draft));
    expect(secondary.restore).toMatchObject({
      mode: 'norecovery',
      delayMinutes: 0,
      alertThresholdMinutes: 45,
      alertEnabled: true,
    });
    expect(monitorDefaults({ enabled: false })).toMatchObject({
      enabled: false,
      jobAuth: { mode: 'windows' },
    });
    expect(
      (topologyDefaults({}).servers as Record<string, { auth: unknown }>).backupMirror?.auth,
    ).toMatchObject({ mode: 'windows-integrated' });
    // A plan made before the DR page existed has no answers there: the schema's own defaults, as the form shows them.
    expect(drDefaults(pageValues('dr', draft))).toEqual(pageSchemas.dr.parse({}));
  });

  it("show every default the page's schema declares, and the plan's choice for the monitor and shell host", () => {
    expect(topologyDefaults({})).toMatchObject(schemaDefaults(pageSchemas.topology));
    expect(backupDefaults({})).toMatchObject(schemaDefaults(pageSchemas.backup));
    expect(secondaryDefaults({})).toMatchObject(schemaDefaults(pageSchemas.secondary));
    expect(drDefaults({})).toEqual(schemaDefaults(pageSchemas.dr));
    const plan = schemaDefaults(planSchema);
    expect(monitorDefaults({})).toMatchObject(plan.monitor);
    expect(shellDefaults({})).toMatchObject(plan.shellHost);
  });

  it('merge deeply, keeping the answer over the default and ignoring undefined', () => {
    expect(deepMerge({ a: { b: 1, c: 2 }, d: 3 }, { a: { c: 5 }, d: undefined, e: [1] })).toEqual({
      a: { b: 1, c: 5 },
      d: 3,
      e: [1],
    });
    expect(deepMerge({ a: 1 }, 'not an object')).toEqual({ a: 1 });
  });
});
