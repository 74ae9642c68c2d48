import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { labPlan } from '@/lib/plan/defaults';
import { parsePlan, parsePlanJson } from '@/lib/plan/io';
import { planSchema } from '@/lib/plan/schema';
import { inLocale, safeParseIn, says, sayNow } from './validation';

// Plans edited by hand, as an imported file could be: any shape at all.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type PlanDraft = Record<string, any>;

// A plan with one bad value of each kind the schema words itself.
function brokenPlan(): unknown {
  const plan = structuredClone(labPlan()) as PlanDraft;
  plan.name = '';
  plan.pool.fqdn = 'pchat';
  plan.servers.primary.name = 'SQL01\\BAD NAME';
  plan.servers.primary.connect.port = 70000;
  plan.backup.share = 'D:\\share';
  plan.backup.retentionMinutes = 0;
  plan.backup.schedule = { every: 2000, unit: 'minutes', startTime: '10:00', endTime: '09:00' };
  plan.secondary.copy.destinationFolder = 'nowhere';
  plan.secondary.restore.delayMinutes = -1;
  plan.secondary.initialise = { mode: 'generate-full-backup', dataFolder: 'E:\\Data', files: [] };
  plan.dr.backupSiteServers = ['FE01.lab.local'];
  return plan;
}

describe('validation messages', () => {
  it('name every bad field in French when the operator reads French, and in English otherwise', () => {
    const en = parsePlan(brokenPlan(), 'en');
    const fr = parsePlan(brokenPlan(), 'fr');
    if (en.ok || fr.ok) throw new Error('the broken plan parsed');
    expect(fr.errors.map((e) => e.path)).toEqual(en.errors.map((e) => e.path));
    expect(en.errors.map((e) => e.path)).toEqual([
      'name',
      'pool.fqdn',
      'servers.primary.name',
      'servers.primary.connect.port',
      'backup.share',
      'backup.retentionMinutes',
      'backup.schedule.every',
      'backup.schedule.endTime',
      'secondary.initialise.files',
      'secondary.copy.destinationFolder',
      'secondary.restore.delayMinutes',
      'dr.backupSiteServers',
    ]);
    for (const [i, error] of fr.errors.entries())
      expect(error.message, error.path).not.toBe(en.errors[i]?.message);
    expect(fr.errors).toContainEqual({
      path: 'backup.retentionMinutes',
      message: '« Supprimer les fichiers antérieurs à » doit valoir au moins 1 minute.',
    });
    expect(en.errors).toContainEqual({
      path: 'backup.schedule.every',
      message: 'Schedule interval must be at most 1439 minutes.',
    });
  });

  it('word the rules across the plan in French too', () => {
    const plan = structuredClone(labPlan()) as PlanDraft;
    plan.servers.backupMirror.name = plan.servers.backup.name;
    plan.secondaryDatabase = 'mgccomp';
    const fr = parsePlan(plan, 'fr');
    expect(fr.ok ? [] : fr.errors).toEqual([
      {
        path: 'servers.backupMirror.name',
        message:
          'Le nom de serveur SQL Server SQLDR01\\PCHAT est déjà utilisé par : Magasin de sauvegarde ; chaque rôle a besoin de sa propre instance.',
      },
      {
        path: 'secondaryDatabase',
        message:
          'La base de données secondaire mgccomp entre en conflit avec une base que le magasin de sauvegarde contient déjà ; utilisez mgc ou un autre nom.',
      },
    ]);
  });

  it('uses zod’s own French for what the schema does not word itself', () => {
    const plan = structuredClone(labPlan()) as PlanDraft;
    plan.shellHost = { kind: 'telnet' };
    const fr = parsePlan(plan, 'fr');
    expect(fr.ok).toBe(false);
    if (!fr.ok) expect(fr.errors[0]?.message).toMatch(/^Entrée invalide|^Option invalide/);
  });

  it('words a file that is not JSON in the operator’s language', () => {
    const fr = parsePlanJson('{', 'fr');
    expect(fr.ok).toBe(false);
    if (!fr.ok) expect(fr.errors[0]?.message).toMatch(/^Le fichier n’est pas du JSON valide : /);
  });

  it('returns to English after a French parse, even one that throws', () => {
    expect(() =>
      inLocale('fr', () => {
        throw new Error('a refinement failed');
      }),
    ).toThrow('a refinement failed');
    expect(sayNow('valid.required', { what: 'field.host' })).toBe('Host is required.');
    expect(safeParseIn('fr', planSchema.shape.name, '').error?.issues[0]?.message).toBe(
      '« Nom du plan » est obligatoire.',
    );
    expect(planSchema.shape.name.safeParse('').error?.issues[0]?.message).toBe('Plan name is required.');
  });

  it('chooses the text when the issue is raised, not when the schema is built', () => {
    const schema = z.string().min(2, { error: says('valid.required', { what: 'field.login' }) });
    expect(safeParseIn('en', schema, 'a').error?.issues[0]?.message).toBe('Login is required.');
    expect(safeParseIn('fr', schema, 'a').error?.issues[0]?.message).toBe('« Connexion » est obligatoire.');
  });
});
