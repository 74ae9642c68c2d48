// The lab module against the engine's real world (no test double): a failover through the cmdlets swaps the roles
// that sys.database_mirroring shows on both instances.
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { runPwshRaw } from '@/lib/shell/testing/run-pwsh';

import { openWorld, run } from '../engine/testing/recording-sink';
import type { EngineLabWorld } from '../engine/world';
import { serveControl } from './testing/fake-world';

const opened: { world?: EngineLabWorld; close?: () => Promise<void> } = {};

afterAll(async () => {
  await opened.close?.();
  await opened.world?.close();
});

async function mirroringRoles(world: EngineLabWorld, server: string) {
  const sink = await run(
    world,
    server,
    'SELECT d.name, m.mirroring_role_desc AS role FROM sys.database_mirroring m JOIN sys.databases d ON d.database_id = m.database_id WHERE m.mirroring_guid IS NOT NULL ORDER BY d.name',
  );
  return sink.objects();
}

describe('lab module on the engine world', { timeout: 120_000 }, () => {
  it('Invoke-CsDatabaseFailover swaps the roles sys.database_mirroring shows, and back', async () => {
    const world = await openWorld();
    opened.world = world;
    const server = await serveControl(world);
    opened.close = server.close;
    const pwsh = (script: string) =>
      runPwshRaw(`Import-Module SkypeForBusiness\n${script}`, {
        PCHAT_LAB_CONTROL_URL: server.url,
        PSModulePath: `${path.resolve(__dirname)}${path.delimiter}${process.env.PSModulePath ?? ''}`,
      });

    expect(await mirroringRoles(world, 'SQL01\\PCHAT')).toEqual([
      { name: 'mgc', role: 'PRINCIPAL' },
      { name: 'mgccomp', role: 'PRINCIPAL' },
    ]);
    const over = await pwsh(
      "Invoke-CsDatabaseFailover -PoolFqdn 'pchat.lab.local' -DatabaseType 'PersistentChat' -NewPrincipal 'Mirror'\n" +
        "Get-CsDatabaseMirrorState -PoolFqdn 'pchat.lab.local' -DatabaseType 'PersistentChat' | ConvertTo-Json -Compress",
    );
    expect(over.stderr).toBe('');
    expect(JSON.parse(over.stdout)).toMatchObject({
      DatabaseName: 'mgc',
      StateOnPrimary: 'Mirror',
      StateOnMirror: 'Principal',
    });
    expect(await mirroringRoles(world, 'SQL02\\PCHAT')).toEqual([
      { name: 'mgc', role: 'PRINCIPAL' },
      { name: 'mgccomp', role: 'MIRROR' },
    ]);
    expect(await mirroringRoles(world, 'SQL01\\PCHAT')).toEqual([
      { name: 'mgc', role: 'MIRROR' },
      { name: 'mgccomp', role: 'PRINCIPAL' },
    ]);

    const back = await pwsh(
      "Invoke-CsDatabaseFailover -PoolFqdn 'pchat.lab.local' -DatabaseType 'PersistentChat' -NewPrincipal 'Primary'",
    );
    expect(back.code).toBe(0);
    expect(await mirroringRoles(world, 'SQL01\\PCHAT')).toEqual([
      { name: 'mgc', role: 'PRINCIPAL' },
      { name: 'mgccomp', role: 'PRINCIPAL' },
    ]);
  });
});
