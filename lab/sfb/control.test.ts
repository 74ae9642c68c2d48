import { describe, expect, it } from 'vitest';

import { handleSfbControl } from './control';
import { createFakeWorld } from './testing/fake-world';
import { sfbDocs } from './topology';

type Body = { objects: Record<string, unknown>[]; verbose: string[]; warnings: string[] };
type ErrorBody = { error: { message: string; errorId: string; category: string } };

async function call(world: ReturnType<typeof createFakeWorld>, method: string, path: string, body?: unknown) {
  const reply = await handleSfbControl(world, method, path, body);
  if (!reply) throw new Error(`no reply for ${path}`);
  return reply as { status: number; body: Body & ErrorBody };
}

describe('handleSfbControl routing', () => {
  it('answers only under /sfb', async () => {
    const world = createFakeWorld();
    expect(await handleSfbControl(world, 'GET', '/clock', undefined)).toBeUndefined();
    expect(await handleSfbControl(world, 'GET', '/sfbx/services', undefined)).toBeUndefined();
    const unknown = await call(world, 'DELETE', '/sfb/services');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.errorId).toBe('UnknownRoute');
  });
});

describe('Get-CsService routes', () => {
  it('shows the pool with its four stores, compliance stores and active servers', async () => {
    const world = createFakeWorld();
    const { status, body } = await call(
      world,
      'GET',
      '/sfb/services?role=PersistentChatServer&poolFqdn=PCHAT.lab.local',
    );
    expect(status).toBe(200);
    expect(body.objects).toHaveLength(1);
    expect(body.objects[0]).toMatchObject({
      Identity: 'PersistentChatServer:pchat.lab.local',
      PoolFqdn: 'pchat.lab.local',
      PersistentChatDatabase: 'PersistentChatStore:SQL01.lab.local',
      MirrorPersistentChatDatabase: 'PersistentChatStore:SQL02.lab.local',
      BackupPersistentChatDatabase: 'PersistentChatStore:SQLDR01.lab.local',
      BackupMirrorPersistentChatDatabase: 'PersistentChatStore:SQLDR02.lab.local',
      PersistentChatComplianceDatabase: 'PersistentChatComplianceStore:SQL01.lab.local',
      BackupMirrorPersistentChatComplianceDatabase: 'PersistentChatComplianceStore:SQLDR02.lab.local',
      ActiveServers: ['FE01.lab.local', 'FE02.lab.local'],
      InactiveServers: ['FEDR01.lab.local'],
      Role: 'PersistentChatServer',
    });
  });

  it('lists the stores with their instance, site and service ids, and filters by identity and wildcard', async () => {
    const world = createFakeWorld();
    const stores = (await call(world, 'GET', '/sfb/services?role=PersistentChatStore')).body.objects;
    expect(stores.map((s) => [s.Identity, s.SqlInstanceName, s.PoolFqdn, s.SiteId, s.ServiceId])).toEqual([
      [
        'PersistentChatStore:SQL01.lab.local',
        'PCHAT',
        'SQL01.lab.local',
        'Site:Primary',
        '1-PersistentChatStore-1',
      ],
      [
        'PersistentChatStore:SQL02.lab.local',
        'PCHAT',
        'SQL02.lab.local',
        'Site:Primary',
        '1-PersistentChatStore-2',
      ],
      [
        'PersistentChatStore:SQLDR01.lab.local',
        'PCHAT',
        'SQLDR01.lab.local',
        'Site:Backup',
        '2-PersistentChatStore-1',
      ],
      [
        'PersistentChatStore:SQLDR02.lab.local',
        'PCHAT',
        'SQLDR02.lab.local',
        'Site:Backup',
        '2-PersistentChatStore-2',
      ],
    ]);
    const byIdentity = (
      await call(world, 'GET', '/sfb/services?identity=persistentchatstore%3Asqldr01.lab.local')
    ).body.objects;
    expect(byIdentity.map((s) => s.Identity)).toEqual(['PersistentChatStore:SQLDR01.lab.local']);
    const byFilter = (await call(world, 'GET', '/sfb/services?filter=*ComplianceStore:SQLDR*')).body.objects;
    expect(byFilter.map((s) => s.Identity)).toEqual([
      'PersistentChatComplianceStore:SQLDR01.lab.local',
      'PersistentChatComplianceStore:SQLDR02.lab.local',
    ]);
    expect((await call(world, 'GET', '/sfb/services?role=Registrar')).body.objects).toEqual([]);
  });

  it('has no compliance stores when the topology has compliance off', async () => {
    const world = createFakeWorld();
    world.writeDoc(sfbDocs.topology, { compliance: false });
    expect(
      (await call(world, 'GET', '/sfb/services?role=PersistentChatComplianceStore')).body.objects,
    ).toEqual([]);
    const pool = (await call(world, 'GET', '/sfb/services?role=PersistentChatServer')).body.objects[0];
    expect(pool?.PersistentChatComplianceDatabase).toBeNull();
    expect(pool?.PersistentChatDatabase).toBe('PersistentChatStore:SQL01.lab.local');
  });
});

describe('mirroring routes', () => {
  it('reports principal and mirror for mgc and mgccomp', async () => {
    const world = createFakeWorld();
    const { body } = await call(world, 'GET', '/sfb/mirror-state?poolFqdn=pchat.lab.local');
    expect(body.objects).toEqual([
      {
        DatabaseName: 'mgc',
        StateOnPrimary: 'Principal',
        StateOnMirror: 'Mirror',
        MirroringStatusOnPrimary: 'Synchronized',
        MirroringStatusOnMirror: 'Synchronized',
      },
      {
        DatabaseName: 'mgccomp',
        StateOnPrimary: 'Principal',
        StateOnMirror: 'Mirror',
        MirroringStatusOnPrimary: 'Synchronized',
        MirroringStatusOnMirror: 'Synchronized',
      },
    ]);
  });

  it('says when a database is not mirrored, as the documented sample does', async () => {
    const world = createFakeWorld();
    world.setMirroring('SQL01\\PCHAT', 'mgc', undefined);
    world.setMirroring('SQL02\\PCHAT', 'mgc', undefined);
    const { body } = await call(
      world,
      'GET',
      '/sfb/mirror-state?poolFqdn=pchat.lab.local&databaseType=PersistentChat',
    );
    expect(body.objects).toEqual([
      {
        DatabaseName: 'mgc',
        StateOnPrimary: 'DatabaseInaccessibleOrMirroringNotEnabled',
        StateOnMirror: 'DatabaseInaccessibleOrMirroringNotEnabled',
        MirroringStatusOnPrimary: '',
        MirroringStatusOnMirror: '',
      },
    ]);
    const failover = await call(world, 'POST', '/sfb/database-failover', {
      poolFqdn: 'pchat.lab.local',
      databaseType: 'PersistentChat',
      newPrincipal: 'Mirror',
    });
    expect(failover.status).toBe(409);
    expect(failover.body.error.errorId).toBe('MirrorNotConfigured');
  });

  it('refuses an unknown pool and a database type the pool does not have', async () => {
    const world = createFakeWorld();
    const pool = await call(world, 'GET', '/sfb/mirror-state?poolFqdn=other.lab.local');
    expect(pool.status).toBe(404);
    expect(pool.body.error).toMatchObject({ errorId: 'PoolNotFound', category: 'ObjectNotFound' });
    expect(pool.body.error.message).toContain('other.lab.local');
    const user = await call(world, 'GET', '/sfb/mirror-state?poolFqdn=pchat.lab.local&databaseType=User');
    expect(user.body.error.message).toBe('Database type "User" is not present on pool "pchat.lab.local".');
    world.writeDoc(sfbDocs.topology, { compliance: false });
    const comp = await call(world, 'POST', '/sfb/database-failover', {
      poolFqdn: 'pchat.lab.local',
      databaseType: 'PersistentChatCompliance',
      newPrincipal: 'Mirror',
    });
    expect(comp.status).toBe(404);
    expect(world.failovers).toEqual([]);
  });

  it('fails mgc over to the mirror and back, through the world', async () => {
    const world = createFakeWorld();
    const over = await call(world, 'POST', '/sfb/database-failover', {
      poolFqdn: 'pchat.lab.local',
      databaseType: 'PersistentChat',
      newPrincipal: 'Mirror',
    });
    expect(over.status).toBe(200);
    expect(world.failovers).toEqual([{ database: 'mgc', newPrincipal: 'SQL02\\PCHAT' }]);
    expect(over.body.verbose.at(-1)).toBe(
      'Database mgc failed over: principal is now SQL02.lab.local\\PCHAT.',
    );
    const state = (
      await call(world, 'GET', '/sfb/mirror-state?poolFqdn=pchat.lab.local&databaseType=PersistentChat')
    ).body;
    expect(state.objects[0]).toMatchObject({ StateOnPrimary: 'Mirror', StateOnMirror: 'Principal' });

    const again = await call(world, 'POST', '/sfb/database-failover', {
      poolFqdn: 'pchat.lab.local',
      databaseType: 'PersistentChat',
      newPrincipal: 'Mirror',
    });
    expect(again.status).toBe(200);
    expect(again.body.warnings).toEqual([
      'Database "mgc" is already principal on SQL02.lab.local\\PCHAT; no failover was done.',
    ]);
    expect(world.failovers).toHaveLength(1);

    await call(world, 'POST', '/sfb/database-failover', {
      poolFqdn: 'pchat.lab.local',
      databaseType: 'PersistentChat',
      newPrincipal: 'Primary',
    });
    expect(world.failovers.at(-1)).toEqual({ database: 'mgc', newPrincipal: 'SQL01\\PCHAT' });
  });

  it('refuses to fail over an unsynchronized mirror without -Force, and reports engine failures', async () => {
    const world = createFakeWorld();
    const principal = world.mirroring('SQL01\\PCHAT', 'mgc')!;
    world.setMirroring('SQL01\\PCHAT', 'mgc', { ...principal, state: 'SUSPENDED' });
    const request = { poolFqdn: 'pchat.lab.local', databaseType: 'PersistentChat', newPrincipal: 'Mirror' };
    const refused = await call(world, 'POST', '/sfb/database-failover', request);
    expect(refused.status).toBe(409);
    expect(refused.body.error.errorId).toBe('MirrorNotSynchronized');
    expect(world.failovers).toEqual([]);
    const forced = await call(world, 'POST', '/sfb/database-failover', { ...request, force: true });
    expect(forced.status).toBe(200);
    expect(world.failovers).toHaveLength(1);

    world.failoverMirroring = () => {
      throw new Error('The partner is down.');
    };
    const failed = await call(world, 'POST', '/sfb/database-failover', {
      ...request,
      newPrincipal: 'Primary',
    });
    expect(failed.status).toBe(409);
    expect(failed.body.error.message).toContain('The partner is down.');
  });

  it('validates the failover request', async () => {
    const world = createFakeWorld();
    const bad = await call(world, 'POST', '/sfb/database-failover', {
      poolFqdn: 'pchat.lab.local',
      databaseType: 'PersistentChat',
      newPrincipal: 'Secondary',
    });
    expect(bad.status).toBe(400);
    const missing = await call(world, 'POST', '/sfb/database-failover', {
      databaseType: 'PersistentChat',
      newPrincipal: 'Mirror',
    });
    expect(missing.body.error.message).toBe('Parameter PoolFqdn is required.');
    expect((await call(world, 'POST', '/sfb/database-failover', 'text')).status).toBe(400);
  });
});

describe('pool state routes', () => {
  it('reads and sets the state through every documented identity form', async () => {
    const world = createFakeWorld();
    expect((await call(world, 'GET', '/sfb/persistent-chat-state')).body.objects).toEqual([
      { Identity: 'service:PersistentChatServer:pchat.lab.local', PoolState: 'Normal' },
    ]);
    for (const [identity, poolState] of [
      ['service:PersistentChatServer:pchat.lab.local', 'FailedOver'],
      ['PersistentChatServer:PCHAT.LAB.LOCAL', 'Normal'],
      ['service:pchat.lab.local', 'FailedOver'],
      ['service: pchat.lab.local', 'Normal'],
    ] as const) {
      expect((await call(world, 'POST', '/sfb/persistent-chat-state', { identity, poolState })).status).toBe(
        200,
      );
      const read = await call(
        world,
        'GET',
        `/sfb/persistent-chat-state?identity=${encodeURIComponent(identity)}`,
      );
      expect(read.body.objects[0]?.PoolState).toBe(poolState);
    }
  });

  it('refuses an unknown identity and an undocumented state', async () => {
    const world = createFakeWorld();
    const unknown = await call(world, 'POST', '/sfb/persistent-chat-state', {
      identity: 'service:PersistentChatServer:x.lab.local',
      poolState: 'FailedOver',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe(
      'Cannot get "PersistentChatState" with identity "service:PersistentChatServer:x.lab.local" because it does not exist.',
    );
    expect((await call(world, 'POST', '/sfb/persistent-chat-state', { poolState: 'Degraded' })).status).toBe(
      400,
    );
    expect(world.readDoc(sfbDocs.poolState, 'unset')).toBe('unset');
  });
});

describe('active servers route', () => {
  it('adds, removes, replaces, clears and swaps, keeping topology order', async () => {
    const world = createFakeWorld();
    const set = async (body: unknown) => {
      const reply = await call(world, 'POST', '/sfb/active-servers', body);
      expect(reply.status).toBe(200);
      return world.readDoc<string[]>(sfbDocs.activeServers, []);
    };
    expect(
      await set({ identity: 'PChatServerCollection', activeServers: { add: ['fedr01.lab.local'] } }),
    ).toEqual(['FE01.lab.local', 'FE02.lab.local', 'FEDR01.lab.local']);
    expect(await set({ identity: 'global', activeServers: { remove: ['FE01.lab.local'] } })).toEqual([
      'FE02.lab.local',
      'FEDR01.lab.local',
    ]);
    expect(await set({ activeServers: null })).toEqual([]);
    expect(
      await set({
        identity: 'PersistentChatServer:pchat.lab.local',
        activeServers: { replace: ['FEDR01.lab.local'] },
      }),
    ).toEqual(['FEDR01.lab.local']);
    expect(await set({ swap: true })).toEqual(['FE01.lab.local', 'FE02.lab.local']);
    const pool = (await call(world, 'GET', '/sfb/services?role=PersistentChatServer')).body.objects[0];
    expect(pool).toMatchObject({
      ActiveServers: ['FE01.lab.local', 'FE02.lab.local'],
      InactiveServers: ['FEDR01.lab.local'],
    });
  });

  it('refuses servers outside the pool and unknown collections', async () => {
    const world = createFakeWorld();
    const outsider = await call(world, 'POST', '/sfb/active-servers', {
      activeServers: { add: ['SQL01.lab.local'] },
    });
    expect(outsider.status).toBe(400);
    expect(outsider.body.error.message).toBe(
      'Server "SQL01.lab.local" is not a member of the Persistent Chat pool "pchat.lab.local".',
    );
    const collection = await call(world, 'POST', '/sfb/active-servers', {
      identity: 'PersistentChatServer:other',
      activeServers: null,
    });
    expect(collection.status).toBe(404);
    expect(world.readDoc(sfbDocs.activeServers, 'unset')).toBe('unset');
  });
});

describe('Install-CsMirrorDatabase route', () => {
  const request = {
    databaseType: 'PersistentChat',
    sqlServerFqdn: 'SQLDR01.lab.local',
    sqlInstanceName: 'PCHAT',
    fileShare: '\\\\FS01.lab.local\\mirror',
  };

  it('shows the documented per-database lines on a dry run without changing anything', async () => {
    const world = createFakeWorld({ establishMirroring: true });
    const { body } = await call(world, 'POST', '/sfb/mirror-database', {
      ...request,
      databaseType: undefined,
      dryRun: true,
    });
    expect(body.objects.filter((line) => String(line).startsWith('Database Name:'))).toEqual([
      'Database Name:mgc',
      'Database Name:mgccomp',
    ]);
    expect(body.objects).toContain('  Primary SQL: SQLDR01.lab.local\\PCHAT');
    expect(body.objects).toContain('   Mirror SQL: SQLDR02.lab.local\\PCHAT');
    expect(world.mirroring('SQLDR01\\PCHAT', 'mgc')).toBeUndefined();
  });

  it('mirrors the backup store to the backup mirror, once', async () => {
    const world = createFakeWorld({ establishMirroring: true });
    expect((await call(world, 'POST', '/sfb/mirror-database', request)).status).toBe(200);
    expect(world.mirroring('SQLDR01\\PCHAT', 'mgc')).toMatchObject({
      role: 'PRINCIPAL',
      partnerServerName: 'SQLDR02\\PCHAT',
    });
    const again = await call(world, 'POST', '/sfb/mirror-database', request);
    expect(again.body.warnings).toEqual([
      'Database mgc is already mirrored from SQLDR01.lab.local\\PCHAT to SQLDR02.lab.local\\PCHAT.',
    ]);
  });

  it('refuses a non-UNC share, an unknown server, a store without mirror and an engine that cannot mirror', async () => {
    const world = createFakeWorld();
    expect(
      (await call(world, 'POST', '/sfb/mirror-database', { ...request, fileShare: 'C:\\mirror' })).body.error
        .errorId,
    ).toBe('InvalidFileShare');
    expect(
      (await call(world, 'POST', '/sfb/mirror-database', { ...request, sqlServerFqdn: 'SQL99.lab.local' }))
        .status,
    ).toBe(404);
    expect(
      (await call(world, 'POST', '/sfb/mirror-database', { ...request, sqlServerFqdn: 'SQL02.lab.local' }))
        .body.error.errorId,
    ).toBe('MirrorNotDefined');
    const unsupported = await call(world, 'POST', '/sfb/mirror-database', request);
    expect(unsupported.status).toBe(501);
  });
});
