import { describe, expect, it } from 'vitest';
import { emptyPlan, labPlan } from './defaults';
import { exportPlanJson, parsePlan, parsePlanJson, planJsonSchema } from './io';
import { type PlanInput } from './schema';

function errorsFor(mutate: (plan: PlanInput) => void) {
  const plan = structuredClone(labPlan());
  mutate(plan);
  const result = parsePlan(plan);
  return result.ok ? [] : result.errors;
}

describe('plan schema', () => {
  it('accepts the lab plan and fills SSMS defaults', () => {
    const result = parsePlan(labPlan());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.plan.backup.retentionMinutes).toBe(4320);
    expect(result.plan.backup.alertThresholdMinutes).toBe(60);
    expect(result.plan.secondary.restore.alertThresholdMinutes).toBe(45);
    expect(result.plan.backup.schedule).toEqual({
      every: 15,
      unit: 'minutes',
      startTime: '00:00:00',
      endTime: '23:59:00',
    });
    expect(result.plan.backup.compression).toBe('server-default');
    expect(result.plan.secondary.restore.mode).toBe('norecovery');
    expect(result.plan.secondary.restore.delayMinutes).toBe(0);
  });

  it('names each missing field of an empty plan once', () => {
    const result = parsePlan(emptyPlan());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const paths = result.errors.map((e) => e.path);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths).toEqual(
      expect.arrayContaining([
        'pool.fqdn',
        'servers.primary.name',
        'servers.backupMirror.connect.host',
        'backup.share',
        'secondary.copy.destinationFolder',
      ]),
    );
  });

  it.each([
    ['a path with a drive letter', 'D:\\LSBackup'],
    ['forward slashes', '//FS01/share'],
    ['a bare host', '\\\\FS01'],
    ['a wildcard', '\\\\FS01\\share*'],
  ])('rejects a backup share that is %s', (_label, share) => {
    const errors = errorsFor((p) => {
      p.backup.share = share;
    });
    expect(errors).toEqual([
      expect.objectContaining({ path: 'backup.share', message: expect.stringContaining('UNC path') }),
    ]);
  });

  it('requires a local path when the service runs as Local System', () => {
    const errors = errorsFor((p) => {
      p.backup.serviceRunsAsLocalSystem = true;
    });
    expect(errors).toEqual([
      expect.objectContaining({ path: 'backup.localPath', message: expect.stringContaining('Local System') }),
    ]);
  });

  it('asks for the files read from the primary before a restore folder moves them, data and log each', () => {
    const errors = errorsFor((p) => {
      p.secondary.initialise = { mode: 'generate-full-backup', dataFolder: 'E:\\Data', logFolder: 'F:\\Log' };
    });
    expect(errors).toEqual([
      expect.objectContaining({
        path: 'secondary.initialise.files',
        message: expect.stringContaining('data files'),
      }),
      expect.objectContaining({
        path: 'secondary.initialise.files',
        message: expect.stringContaining('log files'),
      }),
    ]);
    const onlyData = errorsFor((p) => {
      p.secondary.initialise = {
        mode: 'restore-existing',
        backupFile: '\\\\FS01\\PChatLogShip\\mgc.bak',
        dataFolder: 'E:\\Data',
        files: [{ logical: 'mgc', type: 'ROWS', physicalName: 'D:\\Data\\mgc.mdf' }],
      };
    });
    expect(onlyData).toEqual([]);
  });

  it('refuses schedules a day cannot hold and an end before the start', () => {
    const errors = errorsFor((p) => {
      p.backup.schedule = { every: 30, unit: 'hours', startTime: '10:00', endTime: '09:00' };
    });
    expect(errors.map((e) => e.path)).toEqual(['backup.schedule.every', 'backup.schedule.endTime']);
  });

  it('refuses minute values out of range with the field name', () => {
    const errors = errorsFor((p) => {
      p.backup.retentionMinutes = 0;
      p.secondary.restore = { ...p.secondary.restore, delayMinutes: -1 };
    });
    expect(errors).toEqual([
      { path: 'backup.retentionMinutes', message: 'Delete files older than must be at least 1 minute.' },
      {
        path: 'secondary.restore.delayMinutes',
        message: 'Delay restoring backups must be 0 or more minutes.',
      },
    ]);
  });

  it('refuses the same instance in two roles', () => {
    const errors = errorsFor((p) => {
      p.servers.backup.name = 'sql01\\pchat';
    });
    expect(errors).toEqual([
      expect.objectContaining({
        path: 'servers.backup.name',
        message: expect.stringContaining('already used by the Primary store'),
      }),
    ]);
  });

  it.each(["SQL01\\PCHAT'; DROP", 'SQL01\\PC HAT', 'SQL01\\', 'SQL01,99999x', 'SQL01\nX'])(
    'refuses the server name %j',
    (name) => {
      const errors = errorsFor((p) => {
        p.servers.primary.name = name;
      });
      expect(errors.map((e) => e.path)).toEqual(['servers.primary.name']);
    },
  );

  it.each(['SQL01', 'SQL01\\PCHAT', 'sql01.contoso.com,1433', 'SQL-01\\INST_2$'])(
    'accepts the server name %j',
    (name) => {
      expect(errorsFor((p) => void (p.servers.primary.name = name))).toEqual([]);
    },
  );

  it('refuses database names SQL Server or log shipping cannot use', () => {
    const errors = errorsFor((p) => {
      p.database = 'mgc/x';
      p.secondaryDatabase = '';
    });
    expect(errors.map((e) => e.path)).toEqual(['database', 'secondaryDatabase']);
  });

  it.each(['msdb', 'MGCCOMP'])(
    'refuses a secondary database that collides with %s on the backup store',
    (name) => {
      const errors = errorsFor((p) => void (p.secondaryDatabase = name));
      expect(errors).toEqual([
        expect.objectContaining({ path: 'secondaryDatabase', message: expect.stringContaining('collides') }),
      ]);
    },
  );

  it('keeps quotes and brackets in names it accepts: quoting is the generator’s job', () => {
    expect(errorsFor((p) => void (p.database = "mg'c]x"))).toEqual([]);
  });

  it('has no password field anywhere', () => {
    expect(JSON.stringify(planJsonSchema()).toLowerCase()).not.toContain('password');
  });

  it('round-trips through JSON export and import', () => {
    const parsed = parsePlan(labPlan());
    if (!parsed.ok) throw new Error('lab plan invalid');
    const again = parsePlanJson(exportPlanJson(parsed.plan));
    expect(again).toEqual(parsed);
  });

  it('says where a plan file is not JSON', () => {
    const result = parsePlanJson('{"version": 1,');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.message).toMatch(/^The file is not valid JSON/);
  });
});

describe('the DR answers', () => {
  it('default to nothing for a plan written before them, and refuse a server in both data centers', () => {
    const old = structuredClone(labPlan());
    delete old.dr;
    const parsed = parsePlan(old);
    expect(parsed.ok && parsed.plan.dr).toEqual({
      primarySiteServers: [],
      backupSiteServers: [],
      primaryReachable: false,
      dropBackupDatabaseOnTeardown: false,
    });
    const both = structuredClone(labPlan());
    both.dr = { ...both.dr!, backupSiteServers: ['fe01.lab.local'] };
    const refused = parsePlan(both);
    expect(refused.ok).toBe(false);
    if (!refused.ok)
      expect(refused.errors).toContainEqual(
        expect.objectContaining({
          path: 'dr.backupSiteServers',
          message: 'Server fe01.lab.local is listed in both data centers; each server stands in one.',
        }),
      );
  });
});

describe('examples/lab-plan.json', () => {
  it('is the lab plan, so the demo and the tests describe the same topology', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('../../examples/lab-plan.json', import.meta.url), 'utf8');
    expect(text).toBe(exportPlanJson(labPlan()));
    expect(parsePlanJson(text).ok).toBe(true);
  });
});
