import { describe, expect, it } from 'vitest';
import { labPlan } from '@/lib/plan/defaults';
import { planSchema } from '@/lib/plan/schema';
import { setupStageIds } from '@/lib/stages/ids';
import { stageSummary } from '@/lib/stages/summaries';
import { en } from './en';
import { fr } from './fr';
import { catalogue, isLocale, translator } from './index';
import { translatedStageSummary } from './stage-summary';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogues', () => {
  it('have exactly the same keys in English and French', () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
  });

  it('use the same placeholders for each key in both languages', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect({ key, names: placeholders(fr[key]) }).toEqual({ key, names: placeholders(en[key]) });
    }
  });

  it('leave no French message empty or copied from English by mistake, apart from names', () => {
    const sameOnPurpose = new Set([
      'app.title',
      'status.instances',
      'status.col.agent',
      'status.none',
      'lang.en',
      'lang.fr',
      'home.title',
      'home.col.version',
      'home.col.actions',
      'plan.version',
      'form.minutes',
      'schedule.minutes',
      'review.stageHash',
    ]);
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(fr[key].trim().length, key).toBeGreaterThan(0);
      if (!sameOnPurpose.has(key) && !/^\{[^}]+\}$/.test(en[key])) expect(fr[key], key).not.toBe(en[key]);
    }
  });
});

describe('translator', () => {
  it('fills placeholders and keeps unknown ones visible', () => {
    const t = translator(catalogue('en'));
    expect(t('plan.version', { version: 3 })).toBe('Version 3');
    expect(t('plan.version')).toBe('Version {version}');
    expect(translator(catalogue('fr'))('review.position', { n: 2, total: 7 })).toBe('Étape 2 sur 7');
  });

  it('knows its locales', () => {
    expect(isLocale('fr')).toBe(true);
    expect(isLocale('de')).toBe(false);
    expect(isLocale(undefined)).toBe(false);
  });
});

describe('translatedStageSummary', () => {
  it('says in English exactly what lib/stages says, for every stage', () => {
    const plan = planSchema.parse(labPlan());
    const t = translator(catalogue('en'));
    for (const stage of setupStageIds)
      expect(translatedStageSummary(t, plan, stage)).toBe(stageSummary(plan, stage));
  });

  it('names the plan’s servers in French too', () => {
    const plan = planSchema.parse(labPlan());
    expect(translatedStageSummary(translator(catalogue('fr')), plan, 'ship-primary')).toContain(
      'de SQL01\\PCHAT vers SQLDR01\\PCHAT',
    );
  });
});
