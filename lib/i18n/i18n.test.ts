import { describe, expect, it } from 'vitest';
import { labPlan } from '@/lib/plan/defaults';
import { type Plan, planSchema } from '@/lib/plan/schema';
import { runbookStageIds, setupStageIds } from '@/lib/stages/ids';
import { missingForStage } from '@/lib/stages/runbooks';
import { stageSummary } from '@/lib/stages/summaries';
import { en } from './en';
import { fr } from './fr';
import { catalogue, isLocale, translator } from './index';
import { translatedMissing, translatedStageSummary } from './stage-summary';

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
      'status.pool.fqdn',
      'lang.en',
      'lang.fr',
      'home.title',
      'home.col.version',
      'home.col.actions',
      'plan.version',
      'form.minutes',
      'schedule.minutes',
      'review.stageHash',
      'log.messages',
      'severity.ok',
      'run.plan',
      'run.planVersion',
      'run.stepHeading',
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
  it('says in English exactly what lib/stages says, for every stage and every DR answer', () => {
    const lab = planSchema.parse(labPlan());
    const t = translator(catalogue('en'));
    const variants: Plan[] = [
      lab,
      { ...lab, dr: { ...lab.dr, primaryReachable: true, dropBackupDatabaseOnTeardown: true } },
      { ...lab, dr: { ...lab.dr, primarySiteServers: [], backupSiteServers: [] } },
    ];
    for (const plan of variants)
      for (const stage of [...setupStageIds, ...runbookStageIds])
        expect(translatedStageSummary(t, plan, stage), stage).toBe(stageSummary(plan, stage));
  });

  it('says in French what the DR answers change', () => {
    const lab = planSchema.parse(labPlan());
    const t = translator(catalogue('fr'));
    const reachable = { ...lab, dr: { ...lab.dr, primaryReachable: true } };
    expect(translatedStageSummary(t, reachable, 'dr-failover')).toContain('rien de ce qui a été validé');
    expect(translatedStageSummary(t, lab, 'dr-failover')).toContain('est perdu');
    expect(translatedStageSummary(t, lab, 'dr-failover')).toContain('FEDR01.lab.local');
    const none = { ...lab, dr: { ...lab.dr, primarySiteServers: [] } };
    expect(translatedStageSummary(t, none, 'dr-failback')).toContain(
      'rend actifs les serveurs du centre de données principal',
    );
  });

  it('names the plan’s servers in French too', () => {
    const plan = planSchema.parse(labPlan());
    expect(translatedStageSummary(translator(catalogue('fr')), plan, 'ship-primary')).toContain(
      'de SQL01\\PCHAT vers SQLDR01\\PCHAT',
    );
  });
});

describe('translatedMissing', () => {
  it('says in English what lib/stages says a runbook still needs, and says it in French too', () => {
    const lab = planSchema.parse(labPlan());
    const empty = { ...lab, dr: { ...lab.dr, primarySiteServers: [], backupSiteServers: [] } };
    const missing = runbookStageIds.flatMap((stage) => missingForStage(empty, stage));
    expect(missing.map((m) => m.field).sort()).toEqual(['dr.backupSiteServers', 'dr.primarySiteServers']);
    for (const m of missing) {
      expect(translatedMissing(translator(catalogue('en')), m)).toBe(m.message);
      expect(translatedMissing(translator(catalogue('fr')), m)).not.toBe(m.message);
    }
  });

  it('falls back to the English message for a field it has no words for', () => {
    const m = { field: 'dr.somethingNew', message: 'Name something new.' };
    expect(translatedMissing(translator(catalogue('fr')), m)).toBe(m.message);
  });
});
