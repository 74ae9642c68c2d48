// SQL Server Browser ([MC-SQLR]) on UDP 1434: tells clients which TCP port an instance name listens on.
//
// Lab mapping: every lab host is its own loopback address (Linux routes all of 127.0.0.0/8 to lo). The browser on
// 127.0.0.N:1434 lists only the instance of lab host N, so `server: '127.0.0.2', instanceName: 'PCHAT'` finds
// SQL02\PCHAT exactly as `SQL02\PCHAT` finds it on a network; the TDS listener of that instance also listens on
// 127.0.0.N. Host names themselves (SQL02) do not resolve: the lab does not touch the machine's name resolution.
import dgram from 'node:dgram';

export interface BrowserEntry {
  /** Loopback address that stands for the instance's host. */
  address: string;
  /** `HOST\INSTANCE`. */
  serverName: string;
  port: number;
  version: string;
}

const CLNT_BCAST_EX = 0x02;
const CLNT_UCAST_EX = 0x03;
const CLNT_UCAST_INST = 0x04;
const SVR_RESP = 0x05;

function describe(entry: BrowserEntry): string {
  const [host = '', instance = 'MSSQLSERVER'] = entry.serverName.split('\\');
  const version = /(\d+\.\d+\.\d+(\.\d+)?)/.exec(entry.version)?.[1] ?? '15.0.2000.5';
  return `ServerName;${host};InstanceName;${instance};IsClustered;No;Version;${version};tcp;${entry.port};;`;
}

/** The SVR_RESP datagram for a request, or undefined when the browser stays silent (unknown instance, DAC, junk). */
export function browserResponse(request: Buffer, entries: BrowserEntry[]): Buffer | undefined {
  const type = request[0];
  let text: string;
  if (type === CLNT_BCAST_EX || type === CLNT_UCAST_EX) {
    text = entries.map(describe).join('');
  } else if (type === CLNT_UCAST_INST) {
    const end = request.indexOf(0, 1);
    const name = request.subarray(1, end === -1 ? request.length : end).toString('latin1');
    const found = entries.find(
      (e) => (e.serverName.split('\\')[1] ?? '').toUpperCase() === name.toUpperCase(),
    );
    if (!found) return undefined;
    text = describe(found);
  } else {
    return undefined;
  }
  const data = Buffer.from(text, 'latin1');
  const out = Buffer.alloc(3 + data.length);
  out.writeUInt8(SVR_RESP, 0);
  out.writeUInt16LE(data.length, 1);
  data.copy(out, 3);
  return out;
}

export interface BrowserHandle {
  /** Addresses on which the responder is bound. */
  bound: string[];
  stop(): Promise<void>;
}

/** Binds UDP `port` (1434) on each entry's address; an address that cannot be bound is reported and skipped. */
export async function startBrowser(
  entries: BrowserEntry[],
  options: { port?: number; warn?(line: string): void } = {},
): Promise<BrowserHandle> {
  const port = options.port ?? 1434;
  const byAddress = new Map<string, BrowserEntry[]>();
  for (const e of entries) byAddress.set(e.address, [...(byAddress.get(e.address) ?? []), e]);
  const sockets: dgram.Socket[] = [];
  const bound: string[] = [];
  const failed: string[] = [];
  for (const [address, list] of byAddress) {
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: false });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(port, address, () => {
          socket.off('error', reject);
          resolve();
        });
      });
    } catch (e) {
      failed.push(`${address} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      socket.close();
      continue;
    }
    socket.on('error', (e) => options.warn?.(`SQL Server Browser on ${address}: ${e.message}`));
    socket.on('message', (msg, rinfo) => {
      const reply = browserResponse(msg, list);
      if (reply) socket.send(reply, rinfo.port, rinfo.address);
    });
    sockets.push(socket);
    bound.push(address);
  }
  if (failed.length) {
    options.warn?.(
      `SQL Server Browser not started on UDP ${port} of ${failed.join(', ')}; connect by port instead`,
    );
  }
  return {
    bound,
    stop: async () => {
      await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
