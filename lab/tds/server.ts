// One lab instance's TDS listener: accepts connections, applies faults (down = listener closed), stops cleanly.
import net from 'node:net';
import type tls from 'node:tls';
import type { LabInstanceEngine } from '../engine/contract';
import { TdsConnection } from './connection';
import { noFaults, type FaultPatch, type InstanceFaults } from './faults';

export interface TdsServerOptions {
  engine: LabInstanceEngine;
  host?: string;
  /** More loopback addresses to listen on with the same port (the address that stands for the lab host). */
  extraHosts?: string[];
  /** 0 picks a free port. */
  port: number;
  /** Without it the server answers ENCRYPT_NOT_SUP to every client. */
  secureContext?: tls.SecureContext;
  /** Partner of a mirrored principal database, for the login's ENVCHANGE 13. */
  mirroringPartner?(database: string): string | undefined;
  /** NetBIOS domain for NTLM (default LAB). */
  domain?: string;
  log?(line: string): void;
}

/** A TDS endpoint for one engine. */
export class TdsServer {
  readonly faults: InstanceFaults = noFaults();
  private servers: net.Server[] = [];
  private readonly connections = new Set<TdsConnection>();
  private spid = 50;
  private boundPort = 0;
  private readonly host: string;

  constructor(private readonly options: TdsServerOptions) {
    this.host = options.host ?? '127.0.0.1';
  }

  get port(): number {
    return this.boundPort;
  }

  get serverName(): string {
    return this.options.engine.serverName;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Starts listening; resolves with the bound port. */
  async start(): Promise<number> {
    await this.listen(this.boundPort || this.options.port);
    return this.boundPort;
  }

  private async listen(port: number): Promise<void> {
    this.boundPort = await this.listenOn(this.host, port);
    for (const extra of this.options.extraHosts ?? []) {
      try {
        await this.listenOn(extra, this.boundPort);
      } catch (e) {
        this.options.log?.(
          `${this.serverName}: not listening on ${extra}:${this.boundPort}: ${(e as Error).message}`,
        );
      }
    }
  }

  private listenOn(host: string, port: number): Promise<number> {
    const server = net.createServer((socket) => this.accept(socket));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        this.servers.push(server);
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  }

  private accept(socket: net.Socket): void {
    if (this.faults.down) {
      socket.destroy();
      return;
    }
    const conn = new TdsConnection(socket, {
      engine: this.options.engine,
      secureContext: this.options.secureContext,
      faults: this.faults,
      domain: this.options.domain ?? 'LAB',
      mirroringPartner: this.options.mirroringPartner,
      nextSpid: () => {
        this.spid = this.spid >= 32000 ? 51 : this.spid + 1;
        return this.spid;
      },
      log: this.options.log,
    });
    this.connections.add(conn);
    socket.on('close', () => this.connections.delete(conn));
  }

  /** Applies a fault patch; `down` closes or reopens the listener on the same port. */
  async setFaults(patch: FaultPatch): Promise<InstanceFaults> {
    const wasDown = this.faults.down;
    Object.assign(this.faults, patch);
    if (this.faults.down && !wasDown) {
      await this.closeListener();
      for (const c of this.connections) c.close();
    } else if (!this.faults.down && wasDown) {
      await this.listen(this.boundPort);
    }
    return { ...this.faults };
  }

  private async closeListener(): Promise<void> {
    const servers = this.servers.splice(0);
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }

  async stop(): Promise<void> {
    const closing = this.closeListener();
    for (const c of this.connections) c.close();
    await closing;
  }
}
