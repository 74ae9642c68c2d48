import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  backupSettingsSchema,
  connectSchema,
  drSettingsSchema,
  planSchema,
  secondarySettingsSchema,
} from './schema';
import { schemaDefaults } from './schema-defaults';

// The expected objects restate the SSMS and SfB defaults on purpose: changing one in the schema shows up here.
const every15Minutes = { every: 15, unit: 'minutes', startTime: '00:00:00', endTime: '23:59:00' };

describe('schemaDefaults', () => {
  it("gives the backup page's SSMS defaults and nothing for the share, local path or job name", () => {
    expect(schemaDefaults(backupSettingsSchema)).toStrictEqual({
      serviceRunsAsLocalSystem: false,
      retentionMinutes: 4320,
      alertThresholdMinutes: 60,
      alertEnabled: true,
      historyRetentionMinutes: 5760,
      schedule: every15Minutes,
      compression: 'server-default',
    });
  });

  it("gives the secondary page's defaults, the copy job's from inside its object", () => {
    expect(schemaDefaults(secondarySettingsSchema)).toStrictEqual({
      initialise: { mode: 'generate-full-backup', files: [] },
      copy: { deleteAfterMinutes: 4320, schedule: every15Minutes },
      restore: {
        mode: 'norecovery',
        disconnectUsers: false,
        delayMinutes: 0,
        alertThresholdMinutes: 45,
        alertEnabled: true,
        historyRetentionMinutes: 5760,
        schedule: every15Minutes,
      },
    });
  });

  it('gives the DR defaults and a connection that encrypts without trusting any certificate', () => {
    expect(schemaDefaults(drSettingsSchema)).toStrictEqual({
      primarySiteServers: [],
      backupSiteServers: [],
      primaryReachable: false,
      dropBackupDatabaseOnTeardown: false,
    });
    expect(schemaDefaults(connectSchema)).toStrictEqual({ encrypt: true, trustServerCertificate: false });
  });

  it("gives a plan's defaults down to each server's connection, but no version, name or server answers", () => {
    const plan = schemaDefaults(planSchema);
    expect(Object.keys(plan)).toEqual([
      'pool',
      'database',
      'secondaryDatabase',
      'servers',
      'backup',
      'secondary',
      'monitor',
      'shellHost',
      'dr',
    ]);
    expect(plan.pool).toStrictEqual({ compliance: false });
    expect([plan.database, plan.secondaryDatabase]).toEqual(['mgc', 'mgc']);
    expect(plan.servers.backupMirror).toStrictEqual({
      connect: { encrypt: true, trustServerCertificate: false },
    });
    expect(plan.monitor).toStrictEqual({ enabled: false });
    expect(plan.shellHost).toStrictEqual({ kind: 'local-pwsh' });
  });

  it('keeps defaults, recurses into objects without one, and leaves out what has no default', () => {
    const made = z
      .object({
        required: z.string(),
        optional: z.string().optional(),
        count: z.coerce.number().default(3),
        list: z.array(z.string()).default(() => ['a']),
        options: z.object({ deep: z.boolean().default(true), name: z.string() }),
        noDefaults: z.object({ name: z.string() }),
        whole: z.object({ deep: z.boolean().default(true) }).default({ deep: false }),
        either: z
          .discriminatedUnion('kind', [
            z.object({ kind: z.literal('a') }),
            z.object({ kind: z.literal('b') }),
          ])
          .default({ kind: 'b' }),
      })
      .superRefine(() => undefined);
    const defaults = schemaDefaults(made);
    expect(defaults).toStrictEqual({
      count: 3,
      list: ['a'],
      options: { deep: true },
      whole: { deep: false },
      either: { kind: 'b' },
    });
    expectTypeOf(defaults).toEqualTypeOf<{
      count: number;
      list: string[];
      options: { deep: boolean };
      whole: { deep: boolean };
      either: { kind: 'a' } | { kind: 'b' };
    }>();
  });
});
