// A small typed client for the lab's loopback control API (tests, the CLI, npm start).
import { existsSync, readFileSync } from 'node:fs';
import type { LabRole, LabSite } from './engine/contract';

export interface LabFaults {
  down: boolean;
  refuseLogins: boolean;
  dropNextBatch: boolean;
  dropNextRequest: boolean;
  slowMs: number;
}

export interface LabInstanceStatus {
  role: LabRole;
  serverName: string;
  host: string;
  port: number;
  hostAddress: string;
  faults: LabFaults;
}

/** One data center after `POST /site`: its instances, down or up, with their Agent and TDS faults. */
export interface LabSiteStatus {
  site: LabSite;
  down: boolean;
  instances: {
    serverName: string;
    role: LabRole;
    down: boolean;
    agentRunning: boolean;
    faults: LabFaults;
  }[];
}

/** An HTTP answer other than 2xx from the control API. */
export class LabControlError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    const detail =
      typeof body === 'object' && body !== null && 'error' in body
        ? String((body as { error: unknown }).error)
        : '';
    super(`lab control: HTTP ${status}${detail ? `: ${detail}` : ''}`);
    this.name = 'LabControlError';
  }
}

/** Typed helpers over the control API at `baseUrl` (e.g. http://127.0.0.1:14330). */
export function labControl(baseUrl: string) {
  const base = baseUrl.replace(/\/+$/, '');
  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new LabControlError(res.status, parsed);
    return parsed as T;
  }
  return {
    health: () => call<{ ok: boolean; instances: number; root: string }>('GET', '/health'),
    instances: () => call<LabInstanceStatus[]>('GET', '/instances'),
    faults: () => call<Record<string, LabFaults>>('GET', '/faults'),
    setFaults: (serverName: string, patch: Partial<LabFaults>) =>
      call<{ serverName: string; faults: LabFaults }>(
        'POST',
        `/faults/${encodeURIComponent(serverName)}`,
        patch,
      ),
    /** Clears every fault on every instance. */
    clearFaults: async (): Promise<void> => {
      const all = await call<Record<string, LabFaults>>('GET', '/faults');
      for (const name of Object.keys(all)) {
        await call('POST', `/faults/${encodeURIComponent(name)}`, {
          down: false,
          refuseLogins: false,
          dropNextBatch: false,
          dropNextRequest: false,
          slowMs: 0,
        });
      }
    },
    /**
     * Takes a whole data center down (listeners closed, connections dropped, Agent stopped, mirroring partners
     * elsewhere DISCONNECTED) or brings it back.
     */
    setSite: (site: LabSite, down: boolean) => call<LabSiteStatus>('POST', '/site', { site, down }),
    /** A rebuilt instance: system databases only, or with `reinstall` empty mgc and mgccomp as Topology Builder installs them. */
    rebuildInstance: (server: string, options: { reinstall?: boolean } = {}) =>
      call<{ server: string; databases: string[] }>('POST', '/instance/rebuild', { server, ...options }),
    get: <T = unknown>(path: string) => call<T>('GET', path),
    post: <T = unknown>(path: string, body?: unknown) => call<T>('POST', path, body ?? {}),
  };
}

export type LabControl = ReturnType<typeof labControl>;

/** What a running lab wrote to `<root>/lab.json`, with the sa password read from its file. */
export function readLabDiscovery(file: string): {
  controlUrl: string;
  saPassword: string | undefined;
  tls: boolean;
  instances: { role: LabRole; serverName: string; host: string; port: number; hostAddress: string }[];
} {
  const d = JSON.parse(readFileSync(file, 'utf8')) as {
    controlUrl: string;
    saPasswordFile: string;
    tls: boolean;
    instances: { role: LabRole; serverName: string; host: string; port: number; hostAddress: string }[];
  };
  return {
    controlUrl: d.controlUrl,
    // Only a generated password is on disk; one the operator chose comes from LAB_SA_PASSWORD or is theirs to give.
    saPassword: existsSync(d.saPasswordFile)
      ? readFileSync(d.saPasswordFile, 'utf8').trim()
      : process.env.LAB_SA_PASSWORD || undefined,
    tls: d.tls,
    instances: d.instances,
  };
}
