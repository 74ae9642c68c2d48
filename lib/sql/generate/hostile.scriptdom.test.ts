// Property: hostile values in every string field the plan schema accepts (quotes, brackets, `--`, `/*`, `;`, GO,
// Unicode look-alike quotes, emoji) never change a generated script's structure. Each hostile plan is generated next
// to a benign twin with the same options; ScriptDom must parse both without error into the same statements and the
// same token types, and must read the hostile values back, unchanged, as literals.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Plan, type PlanInput, planSchema } from '@/lib/plan/schema';
import type { SqlBatch } from '@/lib/stages/artifact';
import { type ScriptDomResult, parseTsql, tokenTypes } from '@/lib/testing/scriptdom';
import { generateSqlStage } from './stages';
import { generatedFor, planWith, withMonitor } from './testing/fixtures';

const sqlStages = ['preflight', 'ship-primary', 'ship-mirror', 'verify', 'teardown'] as const;

const shared = [
  "'",
  "''",
  ']',
  '[',
  '-',
  '--',
  ' ',
  ';',
  '@',
  'N',
  '.',
  ',',
  '(',
  ')',
  '#',
  '%',
  '&',
  '=',
  '+',
  'GO',
  'é',
  '日',
  '🚀',
  '\u2019',
  '\u02bc',
  'a',
  'Z',
  '0',
];
// Database names and UNC/local path segments exclude \ / : * ? " < > | (schema); job names and logins only control characters.
const dbOrSegment = (maxLength: number) =>
  fc
    .string({ unit: fc.constantFrom(...shared), minLength: 1, maxLength })
    .filter((v) => v.trim().length > 0 && v.length <= 120);
const freeText = fc
  .string({
    unit: fc.constantFrom(...shared, '/*', '*/', '/', '*', '"', '\\', ':', '?', '<', '>', '|', '$(', '`'),
    minLength: 1,
    maxLength: 40,
  })
  .filter((v) => v.trim().length > 0 && v.length <= 128);
const serverName = (prefix: string) =>
  fc
    .tuple(
      fc.string({ unit: fc.constantFrom('a', '0', '-', '--', '.'), maxLength: 6 }),
      fc.constantFrom('', '\\PCHAT', '\\I_$1', ',14331'),
    )
    .map(([middle, suffix]) => `${prefix}${middle}x${suffix}`);

interface Values {
  database: string;
  secondaryDatabase: string;
  servers: [string, string, string, string];
  monitorServer: string;
  shareSegments: string[];
  localSegment: string;
  copySegment: string;
  dataSegment: string;
  logSegment: string;
  backupFileSegment: string;
  jobs: [string, string, string];
  monitorLogin: string;
}

interface Options {
  monitor: 'none' | 'windows' | 'sql';
  init: 'generate' | 'existing' | 'already';
  localPath: boolean;
  folders: boolean;
  sameDatabaseName: boolean;
}

const valuesArb: fc.Arbitrary<Values> = fc.record({
  database: dbOrSegment(30),
  secondaryDatabase: dbOrSegment(30),
  servers: fc.tuple(serverName('p'), serverName('m'), serverName('b'), serverName('r')),
  monitorServer: serverName('w'),
  shareSegments: fc.array(dbOrSegment(12), { minLength: 1, maxLength: 3 }),
  localSegment: dbOrSegment(12),
  copySegment: dbOrSegment(12),
  dataSegment: dbOrSegment(12),
  logSegment: dbOrSegment(12),
  backupFileSegment: dbOrSegment(12),
  jobs: fc.tuple(freeText, freeText, freeText),
  monitorLogin: freeText,
});

const optionsArb: fc.Arbitrary<Options> = fc.record({
  monitor: fc.constantFrom('none', 'windows', 'sql'),
  init: fc.constantFrom('generate', 'existing', 'already'),
  localPath: fc.boolean(),
  folders: fc.boolean(),
  sameDatabaseName: fc.boolean(),
});

const benignValues: Values = {
  database: 'mgc',
  secondaryDatabase: 'mgcdr',
  servers: ['SQL01\\PCHAT', 'SQL02\\PCHAT', 'SQLDR01\\PCHAT', 'SQLDR02\\PCHAT'],
  monitorServer: 'MON01\\PCHAT',
  shareSegments: ['PChatLogShip'],
  localSegment: 'LSBackup',
  copySegment: 'LSCopy',
  dataSegment: 'Data',
  logSegment: 'Log',
  backupFileSegment: 'full.bak',
  jobs: ['LSBackup_x', 'LSCopy_x', 'LSRestore_x'],
  monitorLogin: 'lsmonitor',
};

function buildPlan(v: Values, o: Options): Plan {
  return planWith((p: PlanInput) => {
    p.database = v.database;
    p.secondaryDatabase = o.sameDatabaseName ? v.database : v.secondaryDatabase;
    const roles = ['primary', 'primaryMirror', 'backup', 'backupMirror'] as const;
    roles.forEach((role, i) => {
      p.servers[role].name = v.servers[i]!;
    });
    p.backup.share = `\\\\FS01\\${v.shareSegments.join('\\')}`;
    if (o.localPath) p.backup.localPath = `D:\\${v.localSegment}`;
    p.backup.jobName = v.jobs[0];
    p.secondary.copy.jobName = v.jobs[1];
    p.secondary.copy.destinationFolder = `E:\\${v.copySegment}`;
    p.secondary.restore = { ...p.secondary.restore, jobName: v.jobs[2] };
    const folders = o.folders
      ? { dataFolder: `F:\\${v.dataSegment}`, logFolder: `\\\\FS02\\${v.logSegment}` }
      : {};
    p.secondary.initialise =
      o.init === 'generate'
        ? { mode: 'generate-full-backup', ...folders }
        : o.init === 'existing'
          ? { mode: 'restore-existing', backupFile: `\\\\FS01\\${v.backupFileSegment}`, ...folders }
          : { mode: 'already-initialised' };
    if (o.monitor !== 'none') {
      withMonitor(p, o.monitor === 'sql' ? { mode: 'sql', login: v.monitorLogin } : { mode: 'windows' });
      if (p.monitor?.enabled) p.monitor.server.name = v.monitorServer;
    }
  });
}

function batchesOf(plan: Plan): { label: string; batch: SqlBatch }[] {
  return sqlStages.flatMap((stage) =>
    generateSqlStage(plan, stage, generatedFor, { dropSecondaryDatabase: true }).flatMap((target, t) =>
      target.language === 'tsql'
        ? target.batches.map((batch) => ({ label: `${stage} #${t + 1} ${batch.id}`, batch }))
        : [],
    ),
  );
}

describe('hostile plan values keep every script structure', () => {
  // Only samples the schema accepts: the rest is the schema's to reject (plan tests).
  const samples = fc
    .sample(fc.tuple(valuesArb, optionsArb), { numRuns: 60, seed: 4242 })
    .filter(([v, o]) => {
      try {
        buildPlan(v, o);
        return true;
      } catch {
        return false;
      }
    })
    .slice(0, 30);
  const cases = samples.map(([v, o]) => {
    const hostile = buildPlan(v, o);
    const benign = buildPlan({ ...benignValues }, o);
    return {
      values: v,
      options: o,
      hostile,
      benign,
      hostileBatches: batchesOf(hostile),
      benignBatches: batchesOf(benign),
    };
  });
  let parsed = new Map<string, ScriptDomResult>();

  beforeAll(async () => {
    const texts = [
      ...new Set(cases.flatMap((c) => [...c.hostileBatches, ...c.benignBatches].map((b) => b.batch.sql))),
    ];
    const results = await parseTsql(texts);
    parsed = new Map(texts.map((text, i) => [text, results[i]!]));
  }, 180_000);

  it('has enough schema-valid hostile samples', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  it('parses hostile scripts without errors into the same statements and token types as the benign twin', () => {
    for (const c of cases) {
      expect(c.hostileBatches.map((b) => b.label)).toEqual(c.benignBatches.map((b) => b.label));
      c.hostileBatches.forEach(({ label, batch }, i) => {
        const hostile = parsed.get(batch.sql)!;
        const benign = parsed.get(c.benignBatches[i]!.batch.sql)!;
        const context = `${label} with ${JSON.stringify(c.values)} ${JSON.stringify(c.options)}`;
        expect(hostile.errors, context).toEqual([]);
        expect(hostile.statements, context).toEqual(benign.statements);
        expect(tokenTypes(hostile), context).toEqual(tokenTypes(benign));
      });
    }
  });

  it('reads the hostile values back unchanged as literals and identifiers', () => {
    for (const c of cases) {
      const all = c.hostileBatches.map((b) => parsed.get(b.batch.sql)!);
      const literals = new Set(all.flatMap((r) => r.stringLiterals));
      const identifiers = new Set(all.flatMap((r) => r.identifiers));
      const context = JSON.stringify(c.values);
      const p = c.hostile;
      for (const value of [
        p.database,
        p.secondaryDatabase,
        p.backup.share,
        p.backup.jobName!,
        p.secondary.copy.jobName!,
        p.secondary.restore.jobName!,
      ]) {
        expect(literals.has(value), `${value} in ${context}`).toBe(true);
      }
      expect(literals.has(p.secondary.copy.destinationFolder), context).toBe(true);
      if (p.backup.localPath) expect(literals.has(p.backup.localPath), context).toBe(true);
      expect(identifiers.has(p.secondaryDatabase), context).toBe(true);
      // The SQL login never appears in a reviewed script: SSMS masks it.
      if (p.monitor.enabled && p.monitor.jobAuth.mode === 'sql')
        expect(literals.has(p.monitor.jobAuth.login)).toBe(false);
    }
  });
});

describe('what the schema rejects instead', () => {
  // Control characters (line breaks above all) are the one thing quoting cannot make harmless in the SSMS
  // banners, which are single-line comments; the schema refuses them, naming the field.
  const fields: { path: string; set: (p: PlanInput, v: string) => void }[] = [
    { path: 'database', set: (p, v) => (p.database = v) },
    { path: 'secondaryDatabase', set: (p, v) => (p.secondaryDatabase = v) },
    { path: 'servers.primary.name', set: (p, v) => (p.servers.primary.name = v) },
    { path: 'servers.backup.name', set: (p, v) => (p.servers.backup.name = v) },
    { path: 'backup.share', set: (p, v) => (p.backup.share = `\\\\FS01\\${v}`) },
    { path: 'backup.localPath', set: (p, v) => (p.backup.localPath = `D:\\${v}`) },
    { path: 'backup.jobName', set: (p, v) => (p.backup.jobName = v) },
    { path: 'secondary.copy.jobName', set: (p, v) => (p.secondary.copy.jobName = v) },
    {
      path: 'secondary.copy.destinationFolder',
      set: (p, v) => (p.secondary.copy.destinationFolder = `E:\\${v}`),
    },
    {
      path: 'secondary.restore.jobName',
      set: (p, v) => (p.secondary.restore = { ...p.secondary.restore, jobName: v }),
    },
  ];
  const controls = ['\n', '\r', '\t', '\u0000', '\u001b', '\u007f'];
  for (const field of fields) {
    it(`${field.path}: control characters are rejected with an issue on that field`, () => {
      for (const control of controls) {
        const input = structuredClone(planWithInput());
        field.set(input, `ab${control}cd`);
        const result = planSchema.safeParse(input);
        expect(result.success, `${field.path} with ${JSON.stringify(control)}`).toBe(false);
        if (!result.success) {
          expect(result.error.issues.map((issue) => issue.path.join('.'))).toContain(field.path);
        }
      }
    });
  }
});

function planWithInput(): PlanInput {
  let captured: PlanInput | undefined;
  planWith((p) => {
    captured = structuredClone(p);
  });
  return captured!;
}
