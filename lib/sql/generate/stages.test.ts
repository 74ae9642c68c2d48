import { describe, expect, it } from 'vitest';
import { contentHash, combineHashes } from '@/lib/sql/hash';
import { setupStageIds } from '@/lib/stages/ids';
import { fillSecrets } from './batch';
import { initialRestoreSql } from './initialise';
import { generateSqlStage } from './stages';
import { generatedFor, lsVariants, planWith, stageVariants } from './testing/fixtures';
import { expectGolden, renderTargets } from './testing/golden';

const sqlStages = ['preflight', 'ship-primary', 'ship-mirror', 'verify', 'teardown'] as const;

describe('stage golden files', () => {
  const plan = planWith();
  for (const stage of sqlStages) {
    it(`default lab plan: ${stage}`, () => {
      expectGolden(
        `stages/default-lab/${stage}.txt`,
        renderTargets(generateSqlStage(plan, stage, generatedFor)),
      );
    });
  }

  it('teardown dropping the backup copy', () => {
    expectGolden(
      'stages/teardown-drop/teardown.txt',
      renderTargets(generateSqlStage(plan, 'teardown', generatedFor, { dropSecondaryDatabase: true })),
    );
  });

  for (const [variant, change] of Object.entries(stageVariants)) {
    it(`${variant}: ship-primary and preflight`, () => {
      const p = planWith(change);
      expectGolden(
        `stages/${variant}/ship-primary.txt`,
        renderTargets(generateSqlStage(p, 'ship-primary', generatedFor)),
      );
      expectGolden(
        `stages/${variant}/preflight.txt`,
        renderTargets(generateSqlStage(p, 'preflight', generatedFor)),
      );
    });
  }

  it('monitor-sql: ship-primary and ship-mirror carry masked secrets', () => {
    const p = planWith(lsVariants['monitor-sql']);
    expectGolden(
      'stages/monitor-sql/ship-primary.txt',
      renderTargets(generateSqlStage(p, 'ship-primary', generatedFor)),
    );
    expectGolden(
      'stages/monitor-sql/ship-mirror.txt',
      renderTargets(generateSqlStage(p, 'ship-mirror', generatedFor)),
    );
  });

  it('custom job names reach verify and preflight', () => {
    const p = planWith(lsVariants['custom-job-names']);
    expectGolden(
      'stages/custom-job-names/verify.txt',
      renderTargets(generateSqlStage(p, 'verify', generatedFor)),
    );
  });
});

describe('stage artifacts', () => {
  const plan = planWith();

  it('shell-only stages have no SQL targets', () => {
    for (const stage of setupStageIds.filter((s) => !(sqlStages as readonly string[]).includes(s))) {
      expect(generateSqlStage(plan, stage, generatedFor)).toEqual([]);
    }
  });

  it('every batch hash is the sha256 of its SQL and every target hash covers its batches in order', () => {
    for (const stage of sqlStages) {
      for (const target of generateSqlStage(plan, stage, generatedFor)) {
        if (target.language !== 'tsql') throw new Error('sql stages produce tsql targets');
        for (const batch of target.batches) expect(batch.hash).toBe(contentHash(batch.sql));
        expect(target.hash).toBe(
          combineHashes([
            contentHash(`tsql\n${target.target.role}\n${target.target.serverName}`),
            ...target.batches.map((b) => b.hash),
          ]),
        );
      }
    }
  });

  it('no batch holds a GO separator or a CR', () => {
    for (const stage of sqlStages) {
      for (const target of generateSqlStage(plan, stage, generatedFor)) {
        if (target.language !== 'tsql') continue;
        for (const batch of target.batches) {
          expect(batch.sql).not.toMatch(/^\s*GO\b/im);
          expect(batch.sql).not.toContain('\r');
        }
      }
    }
  });

  it('the same batches on two servers give two target hashes', () => {
    const teardown = generateSqlStage(plan, 'teardown', generatedFor);
    expect(teardown[0]!.hash).not.toBe(teardown[1]!.hash);
  });

  it('ship-primary runs on primary, backup store, then primary again, and preflight only reads', () => {
    const ship = generateSqlStage(plan, 'ship-primary', generatedFor);
    expect(ship.map((t) => (t.target.kind === 'sql' ? t.target.role : t.target.kind))).toEqual([
      'primary',
      'backup',
      'primary',
    ]);
    expect(ship.flatMap((t) => (t.language === 'tsql' ? t.batches.map((b) => b.id) : []))).toEqual([
      'primary-configuration',
      'initialise-full-backup',
      'initialise-restore',
      'secondary-configuration',
      'primary-registration',
    ]);
    const preflight = generateSqlStage(plan, 'preflight', generatedFor);
    expect(preflight.every((t) => t.language === 'tsql' && t.batches.every((b) => b.readOnly))).toBe(true);
  });

  it('the generation date only moves the schedule start date and the initial backup file name', () => {
    const a = renderTargets(generateSqlStage(plan, 'ship-primary', generatedFor));
    const b = renderTargets(generateSqlStage(plan, 'ship-primary', new Date('2026-11-26T12:00:01Z')));
    expect(b).not.toBe(a);
    expect(b.replace(/mgc_20261126120001\.bak/g, 'mgc_20261126120000.bak').replace(/^#### .*$/gm, '')).toBe(
      a.replace(/^#### .*$/gm, ''),
    );
  });

  it('moves the files the plan read from the primary, by their logical names, into the restore folders', () => {
    const p = planWith((input) => {
      input.secondary.initialise = {
        mode: 'generate-full-backup',
        dataFolder: 'E:\\SQLData',
        logFolder: 'F:\\SQLLogs\\',
        files: [
          {
            logical: 'mgc',
            type: 'ROWS',
            physicalName: 'C:\\Program Files\\Microsoft SQL Server\\DATA\\mgc.mdf',
          },
          { logical: 'mgc_log2', type: 'LOG', physicalName: 'L:\\logs\\mgc_1.ldf' },
        ],
      };
    });
    const sql = initialRestoreSql(p, generatedFor);
    expect(sql).toBe(
      [
        'RESTORE DATABASE [mgc]',
        "  FROM DISK = N'\\\\FS01\\PChatLogShip\\mgc_20261126120000.bak'",
        '  WITH NORECOVERY,',
        '    REPLACE,',
        "    MOVE N'mgc' TO N'E:\\SQLData\\mgc.mdf',",
        "    MOVE N'mgc_log2' TO N'F:\\SQLLogs\\mgc_1.ldf',",
        '    STATS = 10;',
        '',
      ].join('\n'),
    );
  });
});

describe('secrets', () => {
  it('are masked in the reviewed SQL and filled only by fillSecrets, as N literals', () => {
    const p = planWith(lsVariants['monitor-sql']);
    const [first] = generateSqlStage(p, 'ship-primary', generatedFor);
    if (!first || first.language !== 'tsql') throw new Error('expected the primary target');
    const batch = first.batches[0]!;
    expect(batch.secrets?.map((s) => s.secret)).toEqual(['monitor-login', 'monitor-password']);
    expect(batch.sql).not.toContain("pa'ss");
    const filled = fillSecrets(batch, { 'monitor-login': 'lsmonitor', 'monitor-password': "pa'ss" });
    expect(filled).toContain("\t\t,@monitor_server_login = N'lsmonitor'\n");
    expect(filled).toContain("\t\t,@monitor_server_password = N'pa''ss'\n");
    expect(filled.replace("N'lsmonitor'", "N'**********'").replace("N'pa''ss'", "N'**********'")).toBe(
      batch.sql,
    );
  });

  it('refuse to fill a batch when a secret is missing', () => {
    const p = planWith(lsVariants['monitor-sql']);
    const [first] = generateSqlStage(p, 'ship-primary', generatedFor);
    if (!first || first.language !== 'tsql') throw new Error('expected the primary target');
    expect(() => fillSecrets(first.batches[0]!, { 'monitor-login': 'lsmonitor' })).toThrow(
      /monitor-password/,
    );
  });

  it('are absent with a Windows-authenticated monitor', () => {
    const p = planWith(lsVariants['monitor-windows']);
    for (const t of generateSqlStage(p, 'ship-primary', generatedFor)) {
      if (t.language === 'tsql') for (const b of t.batches) expect(b.secrets).toBeUndefined();
    }
  });
});
