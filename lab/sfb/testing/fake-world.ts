// A test double of the engine's LabWorld: four instances and in-memory mirroring and docs. It stands in for the
// engine so the SfB control routes and the real pwsh module can be tested without it; the code under test is real.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { LabInstance, LabRole, LabWorld, MirroringView } from '../../engine/contract';
import { handleSfbControl, type LabWorldMirroringSetup } from '../control';

export interface FakeWorld extends LabWorld {
  failovers: { database: string; newPrincipal: string }[];
  setMirroring(serverName: string, database: string, view: MirroringView | undefined): void;
}

const labInstances: [LabRole, string][] = [
  ['primary', 'SQL01\\PCHAT'],
  ['primaryMirror', 'SQL02\\PCHAT'],
  ['backup', 'SQLDR01\\PCHAT'],
  ['backupMirror', 'SQLDR02\\PCHAT'],
];

/** The lab's starting state: mgc and mgccomp principal on SQL01\PCHAT, mirrored and synchronized to SQL02\PCHAT. */
export function createFakeWorld(
  options: { establishMirroring?: boolean } = {},
): FakeWorld & Partial<LabWorldMirroringSetup> {
  const mirroring = new Map<string, MirroringView>();
  const docs = new Map<string, unknown>();
  const key = (server: string, db: string) => `${server.toUpperCase()}|${db.toLowerCase()}`;
  const pair = (principal: string, mirror: string, database: string) => {
    mirroring.set(key(principal, database), {
      database,
      role: 'PRINCIPAL',
      state: 'SYNCHRONIZED',
      partnerServerName: mirror,
    });
    mirroring.set(key(mirror, database), {
      database,
      role: 'MIRROR',
      state: 'SYNCHRONIZED',
      partnerServerName: principal,
    });
  };
  for (const db of ['mgc', 'mgccomp']) pair('SQL01\\PCHAT', 'SQL02\\PCHAT', db);
  const instances: LabInstance[] = labInstances.map(([role, serverName]) => ({
    role,
    serverName,
    engine: new Proxy({} as LabInstance['engine'], {
      get: () => {
        throw new Error('The SfB side must not reach an instance engine.');
      },
    }),
  }));
  const world: FakeWorld & Partial<LabWorldMirroringSetup> = {
    root: '/nonexistent-lab-root',
    instances,
    failovers: [],
    instance: (serverName) => instances.find((i) => i.serverName.toUpperCase() === serverName.toUpperCase()),
    mirroring: (serverName, database) => mirroring.get(key(serverName, database)),
    setMirroring(serverName, database, view) {
      if (view) mirroring.set(key(serverName, database), view);
      else mirroring.delete(key(serverName, database));
    },
    failoverMirroring(database, newPrincipalServerName) {
      const target = mirroring.get(key(newPrincipalServerName, database));
      if (!target || target.role !== 'MIRROR')
        throw new Error(`Database "${database}" is not a mirror on ${newPrincipalServerName}.`);
      const source = mirroring.get(key(target.partnerServerName, database));
      if (!source) throw new Error('Partner is not reachable.');
      this.failovers.push({ database, newPrincipal: newPrincipalServerName });
      mirroring.set(key(newPrincipalServerName, database), { ...target, role: 'PRINCIPAL' });
      mirroring.set(key(target.partnerServerName, database), { ...source, role: 'MIRROR' });
    },
    readDoc: <T>(docKey: string, fallback: T) =>
      docs.has(docKey) ? (structuredClone(docs.get(docKey)) as T) : fallback,
    writeDoc: <T>(docKey: string, value: T) => {
      docs.set(docKey, structuredClone(value));
    },
    control: async () => undefined,
    close: async () => {},
  };
  if (options.establishMirroring) {
    world.establishMirroring = (database, principal, mirror) => pair(principal, mirror, database);
  }
  return world;
}

/** Serves handleSfbControl (then the world's own routes) over HTTP on 127.0.0.1, as the lab's control API does. */
export async function serveControl(world: LabWorld): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = text === '' ? undefined : JSON.parse(text);
        } catch {
          response
            .writeHead(400, { 'content-type': 'application/json' })
            .end('{"error":{"message":"Bad JSON"}}');
          return;
        }
        const reply = (await handleSfbControl(world, request.method ?? 'GET', request.url ?? '/', body)) ??
          (await world.control(request.method ?? 'GET', request.url ?? '/', body)) ?? {
            status: 404,
            body: { error: { message: 'Not found' } },
          };
        response
          .writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8' })
          .end(JSON.stringify(reply.body));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
