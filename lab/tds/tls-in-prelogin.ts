// TLS for TDS 7.x: the handshake travels inside PRELOGIN packets, then TLS records flow raw on the socket
// ([MS-TDS] 3.2.5.2 / 3.3.5.2). The client sends one PRELOGIN message per handshake flight and waits for exactly
// one reply message, so the server's TLS output is held until its flight is complete.
import type net from 'node:net';
import { Duplex } from 'node:stream';
import tls from 'node:tls';

const RECORD_CHANGE_CIPHER_SPEC = 20;
const RECORD_HANDSHAKE = 22;
const HANDSHAKE_SERVER_HELLO_DONE = 14;

export interface TlsLayerEvents {
  /** A complete server handshake flight, to send as one PRELOGIN message. */
  flight(bytes: Buffer): void;
  /** TLS records after the handshake, to write raw on the socket. */
  raw(bytes: Buffer): void;
  /** Decrypted bytes from the client (TDS packets). */
  plaintext(bytes: Buffer): void;
  error(err: Error): void;
}

/** A server TLS session over a memory duplex, fed with handshake payloads first and raw records afterwards. */
export class TlsLayer {
  readonly socket: tls.TLSSocket;
  private readonly transport: Duplex;
  private pending: Buffer[] = [];
  private scan = Buffer.alloc(0);
  private handshakeBytes = Buffer.alloc(0);
  private sawChangeCipherSpec = false;
  /** True once the server's final flight (Finished) has gone out: from then on output is raw. */
  handshakeDone = false;

  constructor(context: tls.SecureContext, events: TlsLayerEvents) {
    this.transport = new Duplex({
      read() {},
      write: (chunk: Buffer, _enc, cb) => {
        if (this.handshakeDone) events.raw(chunk);
        else this.collect(chunk, events);
        cb();
      },
    });
    this.socket = new tls.TLSSocket(this.transport as unknown as net.Socket, {
      isServer: true,
      secureContext: context,
    });
    this.socket.on('data', (d: Buffer) => events.plaintext(d));
    this.socket.on('error', (e) => events.error(e));
  }

  /** Bytes received from the client: handshake payloads or, later, raw records. */
  receive(bytes: Buffer): void {
    this.transport.push(bytes);
  }

  private collect(chunk: Buffer, events: TlsLayerEvents): void {
    this.pending.push(chunk);
    this.scan = Buffer.concat([this.scan, chunk]);
    let flightEnds = false;
    while (this.scan.length >= 5) {
      const type = this.scan.readUInt8(0);
      const length = this.scan.readUInt16BE(3);
      if (this.scan.length < 5 + length) break;
      const body = this.scan.subarray(5, 5 + length);
      this.scan = this.scan.subarray(5 + length);
      if (type === RECORD_CHANGE_CIPHER_SPEC) {
        this.sawChangeCipherSpec = true;
      } else if (type === RECORD_HANDSHAKE && this.sawChangeCipherSpec) {
        // The encrypted Finished after ChangeCipherSpec closes the server's last flight.
        flightEnds = true;
        this.handshakeDone = true;
      } else if (type === RECORD_HANDSHAKE) {
        this.handshakeBytes = Buffer.concat([this.handshakeBytes, body]);
        while (this.handshakeBytes.length >= 4) {
          const msgType = this.handshakeBytes.readUInt8(0);
          const msgLength = this.handshakeBytes.readUIntBE(1, 3);
          if (this.handshakeBytes.length < 4 + msgLength) break;
          this.handshakeBytes = this.handshakeBytes.subarray(4 + msgLength);
          if (msgType === HANDSHAKE_SERVER_HELLO_DONE) flightEnds = true;
        }
      } else if (type === 21) {
        // An alert during the handshake ends whatever flight there is.
        flightEnds = true;
      }
    }
    if (flightEnds) {
      const flight = Buffer.concat(this.pending);
      this.pending = [];
      events.flight(flight);
    }
  }

  destroy(): void {
    this.socket.destroy();
    this.transport.destroy();
  }
}

/** A secure context limited to TLS 1.2, as SQL Server offers it for TDS 7.x. */
export function createTdsSecureContext(cert: string, key: string): tls.SecureContext {
  return tls.createSecureContext({ cert, key, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' });
}
