// One client connection: PRELOGIN (+TLS), LOGIN7 (SQL or NTLM), then SQLBatch / RPC / TM requests and ATTENTION.
import type net from 'node:net';
import type tls from 'node:tls';
import type {
  LabColumn,
  LabColumnType,
  LabInstanceEngine,
  LabLoginResult,
  LabMessage,
  LabSession,
  LabValue,
  ResultSink,
} from '../engine/contract';
import type { InstanceFaults } from './faults';
import { buildChallenge, parseAuthenticate, parseNegotiate, verifyNtlmV2, type NtlmChallenge } from './ntlm';
import { MessageReader, PacketType, Status, packetize, type Message } from './packet';
import {
  Encrypt,
  PreloginOption,
  RpcParamError,
  TmRequest,
  buildPrelogin,
  parseLogin7,
  parsePrelogin,
  parseRpc,
  parseSqlBatch,
  parseTransactionManager,
  type Login7,
  type RpcCall,
} from './requests';
import { TlsLayer } from './tls-in-prelogin';
import * as tok from './tokens';
import type { ColumnShape } from './types';
import { ProtocolError, Writer } from './wire';

const TDS_7_2 = 0x72090002;
const TDS_7_4 = 0x74000004;
const KNOWN_TDS_VERSIONS = new Set([TDS_7_2, 0x730a0003, 0x730b0003, TDS_7_4]);
const DEFAULT_PACKET_SIZE = 4096;
const LOGIN_TIMEOUT_MS = 60_000;
const PRE_LOGIN_MAX_MESSAGE = 256 * 1024;
const MAX_REQUEST_MESSAGE = 64 * 1024 * 1024;

/** What a connection needs from the instance that accepted it. */
export interface ConnectionHost {
  engine: LabInstanceEngine;
  /** Undefined when this instance runs without TLS. */
  secureContext?: tls.SecureContext;
  faults: InstanceFaults;
  nextSpid(): number;
  /** Partner server of `database` when it is a mirroring principal here (sent at login as SQL Server does). */
  mirroringPartner?(database: string): string | undefined;
  /** NetBIOS domain of the lab's Windows accounts (NTLM target). */
  domain: string;
  log?(line: string): void;
}

type State = 'prelogin' | 'tls-handshake' | 'login' | 'sspi' | 'ready' | 'closed';

interface Running {
  abort: AbortController;
  attention: boolean;
}

function versionOf(engineVersion: string): [number, number, number] {
  const m = /(\d+)\.(\d+)\.(\d+)/.exec(engineVersion);
  if (!m) return [15, 0, 2000];
  return [Number(m[1]), Number(m[2]), Number(m[3]) & 0xffff];
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export class TdsConnection {
  private state: State = 'prelogin';
  private readonly reader: MessageReader;
  private tlsLayer?: TlsLayer;
  /** Socket bytes go through TLS (full encryption, or the LOGIN7 of login-only encryption). */
  private tlsActive = false;
  private loginOnlyEncryption = false;
  /** Negotiated in LOGIN7; 4096 until then. */
  packetSize = DEFAULT_PACKET_SIZE;
  private negotiatedPacketSize = DEFAULT_PACKET_SIZE;
  private tdsVersion = TDS_7_4;
  private spid = 0;
  private session?: LabSession;
  private loginDatabase = 'master';
  private pendingLogin?: Login7;
  private challenge?: NtlmChallenge;
  private queue: Message[] = [];
  private busy = false;
  private running?: Running;
  private transaction?: Buffer;
  private transactionCounter = 0;
  private readonly loginTimer: NodeJS.Timeout;

  constructor(
    readonly socket: net.Socket,
    private readonly host: ConnectionHost,
  ) {
    this.reader = new MessageReader((m) => this.onMessage(m));
    this.reader.maxMessage = PRE_LOGIN_MAX_MESSAGE;
    // A peer that never completes the login is dropped, as SQL Server drops it.
    this.loginTimer = setTimeout(() => this.fail(new Error('login not completed in time')), LOGIN_TIMEOUT_MS);
    this.loginTimer.unref();
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      try {
        if (this.tlsActive && this.tlsLayer) this.tlsLayer.receive(chunk);
        else this.reader.push(chunk);
      } catch (e) {
        this.fail(e);
      }
    });
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  get serverName(): string {
    return this.host.engine.serverName;
  }

  /** Drops the connection (malformed input, faults, shutdown). */
  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    if (this.session) this.host.engine.sessionEnded?.(this.session);
    clearTimeout(this.loginTimer);
    this.running?.abort.abort();
    this.tlsLayer?.destroy();
    this.socket.destroy();
  }

  private fail(e: unknown): void {
    this.host.log?.(`${this.serverName} spid ${this.spid}: closing connection: ${(e as Error).message}`);
    this.close();
  }

  // ---- output -------------------------------------------------------------------------------------------------------

  private writeRaw(bytes: Buffer): void {
    if (this.state === 'closed') return;
    if (this.tlsActive && this.tlsLayer) this.tlsLayer.socket.write(bytes);
    else this.socket.write(bytes);
  }

  /** Sends payload as packets; `last` false leaves the message open (more packets follow). */
  sendPackets(type: number, payload: Buffer, last: boolean, ids: { next: number }): void {
    const parts = packetize(type, payload, this.packetSize, this.spid, () => ids.next++ & 0xff, last);
    this.writeRaw(Buffer.concat(parts));
  }

  sendMessage(type: number, payload: Buffer): void {
    this.sendPackets(type, payload, true, { next: 1 });
  }

  // ---- input --------------------------------------------------------------------------------------------------------

  private onMessage(m: Message): void {
    if (this.state === 'closed') return;
    if (this.state === 'tls-handshake') {
      if (m.type !== PacketType.PRELOGIN)
        throw new ProtocolError(`expected TLS handshake, got packet type ${m.type}`);
      this.tlsLayer?.receive(m.payload);
      return;
    }
    if (m.type === PacketType.ATTENTION) {
      if (this.state !== 'ready') throw new ProtocolError('ATTENTION before login');
      this.onAttention();
      return;
    }
    if (this.state === 'login' && this.loginOnlyEncryption && m.type === PacketType.LOGIN7) {
      // Login-only encryption (ENCRYPT_OFF): TLS ends with the LOGIN7 message, the response goes in clear.
      this.tlsActive = false;
    }
    this.queue.push(m);
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.queue.length && this.state !== 'closed') {
        const m = this.queue.shift() as Message;
        await this.handle(m);
      }
    } catch (e) {
      this.fail(e);
    } finally {
      this.busy = false;
    }
  }

  private async handle(m: Message): Promise<void> {
    switch (this.state) {
      case 'prelogin':
        if (m.type !== PacketType.PRELOGIN)
          throw new ProtocolError(`expected PRELOGIN, got packet type ${m.type}`);
        return this.onPrelogin(m.payload);
      case 'login':
        if (m.type !== PacketType.LOGIN7)
          throw new ProtocolError(`expected LOGIN7, got packet type ${m.type}`);
        return this.onLogin7(m.payload);
      case 'sspi':
        if (m.type !== PacketType.SSPI) throw new ProtocolError(`expected SSPI, got packet type ${m.type}`);
        return this.onSspi(m.payload);
      case 'ready':
        return this.onRequest(m);
      default:
        return;
    }
  }

  // ---- PRELOGIN and TLS ---------------------------------------------------------------------------------------------

  private onPrelogin(payload: Buffer): void {
    const options = parsePrelogin(payload);
    const clientEncrypt = options.get(PreloginOption.ENCRYPTION)?.[0];
    const canEncrypt = this.host.secureContext !== undefined;
    // [MS-TDS] 2.2.6.5: client-certificate bit (0x80) is not supported here; decide on the low bits.
    const asked = clientEncrypt === undefined ? Encrypt.NOT_SUP : clientEncrypt & 0x0f;
    let answer: number;
    if (!canEncrypt) answer = Encrypt.NOT_SUP;
    else if (asked === Encrypt.ON || asked === Encrypt.REQ) answer = Encrypt.ON;
    else if (asked === Encrypt.OFF) answer = Encrypt.OFF;
    else answer = Encrypt.NOT_SUP;

    const [major, minor, build] = versionOf(this.host.engine.version);
    const version = Buffer.alloc(6);
    version.writeUInt8(major, 0);
    version.writeUInt8(minor, 1);
    version.writeUInt16BE(build, 2);
    const reply: [number, Buffer][] = [
      [PreloginOption.VERSION, version],
      [PreloginOption.ENCRYPTION, Buffer.from([answer])],
      [
        PreloginOption.INSTOPT,
        Buffer.from([this.instanceMatches(options.get(PreloginOption.INSTOPT)) ? 0 : 1]),
      ],
      [PreloginOption.THREADID, Buffer.alloc(0)],
      [PreloginOption.MARS, Buffer.from([0])],
    ];
    if (options.has(PreloginOption.FEDAUTHREQUIRED))
      reply.push([PreloginOption.FEDAUTHREQUIRED, Buffer.from([0])]);
    this.sendMessage(PacketType.TABULAR_RESULT, buildPrelogin(reply));

    if (answer === Encrypt.ON || answer === Encrypt.OFF) {
      this.loginOnlyEncryption = answer === Encrypt.OFF;
      this.state = 'tls-handshake';
      this.startTls();
    } else {
      this.state = 'login';
    }
  }

  /**
   * INSTOPT carries the instance name the client expects (null-terminated); empty or MSSQLServer (the default
   * instance's name) means "any". A mismatch is answered with 1 and the client gives up, as with SQL Server.
   */
  private instanceMatches(data: Buffer | undefined): boolean {
    if (!data || data.length === 0) return true;
    const end = data.indexOf(0);
    const name = data.subarray(0, end === -1 ? data.length : end).toString('latin1');
    if (name === '' || name.toUpperCase() === 'MSSQLSERVER') return true;
    return name.toUpperCase() === (this.serverName.split('\\')[1] ?? 'MSSQLSERVER').toUpperCase();
  }

  private startTls(): void {
    const layer = new TlsLayer(this.host.secureContext as tls.SecureContext, {
      flight: (bytes) => {
        this.socket.write(
          Buffer.concat(packetize(PacketType.PRELOGIN, bytes, this.packetSize, 0, counter(), true)),
        );
        if (layer.handshakeDone) {
          this.tlsActive = true;
          this.state = 'login';
        }
      },
      raw: (bytes) => {
        if (this.state !== 'closed') this.socket.write(bytes);
      },
      plaintext: (bytes) => {
        try {
          this.reader.push(bytes);
        } catch (e) {
          this.fail(e);
        }
      },
      error: (e) => this.fail(e),
    });
    this.tlsLayer = layer;
  }

  // ---- LOGIN7 -------------------------------------------------------------------------------------------------------

  private async onLogin7(payload: Buffer): Promise<void> {
    const login = parseLogin7(payload);
    this.pendingLogin = login;
    if (login.tdsVersion < TDS_7_2) {
      return this.loginFailed(login.userName, {
        number: 18456,
        state: 1,
        class: 14,
        line: 1,
        message: `Login failed for user '${login.userName}'. The client's TDS version is older than 7.2.`,
      });
    }
    this.tdsVersion = KNOWN_TDS_VERSIONS.has(login.tdsVersion) ? login.tdsVersion : TDS_7_4;
    // 0 asks for the server's default; the answer applies once the login response is out.
    if (login.packetSize >= 512 && login.packetSize <= 32767) this.negotiatedPacketSize = login.packetSize;
    else if (login.packetSize > 32767) this.negotiatedPacketSize = 32767;

    if (this.host.faults.refuseLogins) {
      return this.loginFailed(login.userName, this.loginFailedMessage(login.userName));
    }
    if (login.optionFlags2 & 0x80) {
      // Integrated security: the SSPI blob carries an NTLM NEGOTIATE; answer with a CHALLENGE.
      try {
        parseNegotiate(login.sspi);
      } catch {
        return this.loginFailed('', {
          number: 18452,
          state: 1,
          class: 14,
          line: 1,
          message:
            'Login failed. The login is from an untrusted domain and cannot be used with Windows authentication.',
        });
      }
      const computer = this.serverName.split('\\')[0] ?? 'SQL';
      this.challenge = buildChallenge(this.host.domain, computer);
      const w = new Writer();
      tok.sspi(w, this.challenge.message);
      this.state = 'sspi';
      this.sendMessage(PacketType.TABULAR_RESULT, w.toBuffer());
      return;
    }
    this.spid = this.host.nextSpid();
    const result = this.host.engine.loginSql(login.userName, login.password);
    await this.completeLogin(login, login.userName, result);
  }

  private async onSspi(payload: Buffer): Promise<void> {
    const login = this.pendingLogin as Login7;
    const challenge = this.challenge as NtlmChallenge;
    const auth = parseAuthenticate(payload);
    const domainUser = `${auth.domain.toUpperCase()}\\${auth.user}`;
    const password = this.host.engine.domainAccountPassword(domainUser);
    if (password === undefined || !verifyNtlmV2(auth, challenge.serverChallenge, password)) {
      return this.loginFailed(domainUser, {
        number: 18452,
        state: 1,
        class: 14,
        line: 1,
        message:
          'Login failed. The login is from an untrusted domain and cannot be used with Windows authentication.',
      });
    }
    this.spid = this.host.nextSpid();
    await this.completeLogin(login, domainUser, this.host.engine.loginWindows(domainUser));
  }

  private loginFailedMessage(user: string): LabMessage {
    return { number: 18456, state: 1, class: 14, line: 1, message: `Login failed for user '${user}'.` };
  }

  private loginFailed(user: string, error: LabMessage, ...more: LabMessage[]): void {
    this.host.log?.(
      `${this.serverName}: login failed for '${user}': ${[error, ...more].map((e) => e.number).join(', ')}`,
    );
    const w = new Writer();
    for (const e of [error, ...more]) tok.message(w, e, this.serverName);
    tok.done(w, tok.Token.DONE, tok.DoneStatus.ERROR, 0, 0);
    this.sendMessage(PacketType.TABULAR_RESULT, w.toBuffer());
    this.state = 'closed';
    this.socket.end();
    this.tlsLayer?.destroy();
  }

  private async completeLogin(login: Login7, loginName: string, result: LabLoginResult): Promise<void> {
    if (!result.ok) return this.loginFailed(loginName, result.error ?? this.loginFailedMessage(loginName));
    const session: LabSession = {
      spid: this.spid,
      login: loginName,
      isSysadmin: result.isSysadmin ?? false,
      database: result.defaultDatabase ?? 'master',
      appName: login.appName || undefined,
      hostName: login.hostName || undefined,
    };
    if (login.database && login.database.toLowerCase() !== session.database.toLowerCase()) {
      const errors: LabMessage[] = [];
      const quoted = `[${login.database.replace(/]/g, ']]')}]`;
      await this.host.engine.executeBatch(
        session,
        `USE ${quoted}`,
        captureSink(errors),
        new AbortController().signal,
      );
      if (errors.length) {
        // As SQL Server: 4060 for the database, then 18456 for the login (the client reports the last).
        return this.loginFailed(
          loginName,
          {
            number: 4060,
            state: 1,
            class: 11,
            line: 1,
            message: `Cannot open database "${login.database}" requested by the login. The login failed.`,
          },
          this.loginFailedMessage(loginName),
        );
      }
    }
    this.session = session;
    this.host.engine.sessionStarted?.(session, () => this.close());
    this.loginDatabase = session.database;
    this.reportedDatabase = session.database;
    const w = new Writer();
    tok.envChangeString(w, tok.EnvChange.DATABASE, session.database, 'master');
    tok.message(
      w,
      {
        number: 5701,
        state: 2,
        class: 0,
        line: 1,
        message: `Changed database context to '${session.database}'.`,
      },
      this.serverName,
    );
    const partner = this.host.mirroringPartner?.(session.database);
    // Database mirroring partner ([MS-TDS] ENVCHANGE type 13), which clients keep as their failover partner.
    if (partner) tok.envChangeString(w, tok.EnvChange.MIRRORING_PARTNER, partner, '');
    tok.collationEnvChange(w);
    tok.envChangeString(w, tok.EnvChange.LANGUAGE, 'us_english', '');
    tok.message(
      w,
      { number: 5703, state: 1, class: 0, line: 1, message: 'Changed language setting to us_english.' },
      this.serverName,
    );
    tok.loginAck(w, this.tdsVersion, 'Microsoft SQL Server', versionOf(this.host.engine.version));
    if (login.optionFlags3 & 0x10) {
      // UTF8_SUPPORT (0x0A) is acknowledged as SQL Server 2019 does; other requested features are declined by omission.
      tok.featureExtAck(w, login.features.includes(0x0a) ? [{ id: 0x0a, data: Buffer.from([1]) }] : []);
    }
    tok.envChangeString(
      w,
      tok.EnvChange.PACKET_SIZE,
      String(this.negotiatedPacketSize),
      String(DEFAULT_PACKET_SIZE),
    );
    tok.done(w, tok.Token.DONE, tok.DoneStatus.FINAL, 0, 0);
    this.sendMessage(PacketType.TABULAR_RESULT, w.toBuffer());
    this.packetSize = this.negotiatedPacketSize;
    this.state = 'ready';
    clearTimeout(this.loginTimer);
    this.reader.maxMessage = MAX_REQUEST_MESSAGE;
    this.pendingLogin = undefined;
    this.challenge = undefined;
  }

  // ---- requests -----------------------------------------------------------------------------------------------------

  private onAttention(): void {
    if (this.running) {
      this.running.attention = true;
      this.running.abort.abort();
      return;
    }
    // Nothing running (the response already went out, or was still queued): acknowledge straight away.
    const queued = this.queue.length > 0;
    if (queued) {
      // Requests sent before the ATTENTION are cancelled: they get an empty response each, then the acknowledgement.
      for (const _ of this.queue.splice(0)) this.sendDone(tok.DoneStatus.FINAL);
    }
    this.sendDone(tok.DoneStatus.ATTN);
  }

  private sendDone(status: number): void {
    const w = new Writer();
    tok.done(w, tok.Token.DONE, status, 0, 0);
    this.sendMessage(PacketType.TABULAR_RESULT, w.toBuffer());
  }

  private async onRequest(m: Message): Promise<void> {
    if (m.status & Status.IGNORE) {
      // [MS-TDS] 2.2.3.1.2: the client abandoned this message; it is answered with an empty response.
      this.sendDone(tok.DoneStatus.FINAL);
      return;
    }
    const session = this.session as LabSession;
    const resetAck = (m.status & (Status.RESET_CONNECTION | Status.RESET_CONNECTION_SKIP_TRAN)) !== 0;
    if (resetAck) session.database = this.loginDatabase;
    switch (m.type) {
      case PacketType.SQL_BATCH: {
        const { sql } = parseSqlBatch(m.payload);
        return this.run(isSessionSetup(sql) ? 'setup' : 'batch', resetAck, (sink, signal) =>
          this.host.engine.executeBatch(session, sql, sink, signal),
        );
      }
      case PacketType.RPC: {
        let calls: RpcCall[];
        try {
          calls = parseRpc(m.payload).calls;
        } catch (e) {
          if (!(e instanceof RpcParamError)) throw e;
          const err = e;
          return this.run('rpc', resetAck, async (sink) => {
            sink.error({
              number: 8009,
              state: 1,
              class: 16,
              line: 0,
              message: `The incoming tabular data stream (TDS) remote procedure call (RPC) protocol stream is incorrect. Parameter ${err.ordinal} (""): Data type 0x${err.typeId.toString(16).toUpperCase().padStart(2, '0')} is unknown.`,
            });
          });
        }
        return this.run('rpc', resetAck, async (sink, signal, response) => {
          for (let i = 0; i < calls.length; i++) {
            const call = calls[i] as RpcCall;
            if (signal.aborted) break;
            response.startProc(call);
            await this.host.engine.executeRpc(session, call.procName, call.params, sink, signal);
            response.endProc(i === calls.length - 1);
          }
        });
      }
      case PacketType.TRANSACTION_MANAGER:
        return this.onTransactionManager(m.payload, resetAck);
      default:
        throw new ProtocolError(`unexpected packet type ${m.type} after login`);
    }
  }

  private onTransactionManager(payload: Buffer, resetAck: boolean): void {
    const { requestType } = parseTransactionManager(payload);
    const w = new Writer();
    if (resetAck) tok.envChangeBytes(w, 18, Buffer.alloc(0), Buffer.alloc(0));
    let status: number = tok.DoneStatus.FINAL;
    const fail = (number: number, message: string) => {
      tok.message(w, { number, state: 1, class: 16, line: 1, message }, this.serverName);
      status = tok.DoneStatus.ERROR;
    };
    switch (requestType) {
      case TmRequest.BEGIN_XACT: {
        if (this.transaction) {
          fail(
            3902,
            'Nested transactions through the transaction manager request are not supported by the lab.',
          );
          break;
        }
        const descriptor = Buffer.alloc(8);
        descriptor.writeUInt32LE(this.spid, 0);
        descriptor.writeUInt32LE(++this.transactionCounter, 4);
        this.transaction = descriptor;
        tok.envChangeBytes(w, tok.EnvChange.BEGIN_TRAN, descriptor, Buffer.alloc(0));
        break;
      }
      case TmRequest.COMMIT_XACT:
      case TmRequest.ROLLBACK_XACT: {
        const commit = requestType === TmRequest.COMMIT_XACT;
        if (!this.transaction) {
          fail(
            commit ? 3902 : 3903,
            `The ${commit ? 'COMMIT' : 'ROLLBACK'} TRANSACTION request has no corresponding BEGIN TRANSACTION.`,
          );
          break;
        }
        tok.envChangeBytes(
          w,
          commit ? tok.EnvChange.COMMIT_TRAN : tok.EnvChange.ROLLBACK_TRAN,
          Buffer.alloc(0),
          this.transaction,
        );
        this.transaction = undefined;
        break;
      }
      case TmRequest.SAVE_XACT:
        if (!this.transaction)
          fail(628, 'Cannot issue SAVE TRANSACTION when there is no active transaction.');
        break;
      default:
        fail(8525, 'Distributed transactions are not supported by the lab.');
    }
    tok.done(w, tok.Token.DONE, status | (this.transaction ? tok.DoneStatus.INXACT : 0), 0, 0);
    this.sendMessage(PacketType.TABULAR_RESULT, w.toBuffer());
  }

  private async run(
    request: 'batch' | 'setup' | 'rpc',
    resetAck: boolean,
    body: (sink: ResultSink, signal: AbortSignal, response: Response) => Promise<void>,
  ): Promise<void> {
    const faults = this.host.faults;
    const kind = request === 'rpc' ? 'rpc' : 'batch';
    let drop = false;
    if (request !== 'setup' && (faults.dropNextRequest || (kind === 'batch' && faults.dropNextBatch))) {
      drop = true;
      if (faults.dropNextRequest) faults.dropNextRequest = false;
      else faults.dropNextBatch = false;
    }
    const running: Running = { abort: new AbortController(), attention: false };
    this.running = running;
    const response = new Response(this, kind, running, drop, () =>
      this.transaction ? tok.DoneStatus.INXACT : 0,
    );
    if (resetAck) response.resetAck();
    try {
      if (faults.slowMs > 0) await sleep(faults.slowMs, running.abort.signal);
      if (!running.abort.signal.aborted) {
        try {
          await body(response.sink, running.abort.signal, response);
        } catch (e) {
          if (this.state === 'closed') return;
          // An engine bug must not kill the connection silently: report it as SQL Server reports internal errors.
          response.sink.error({
            number: 50000,
            state: 1,
            class: 16,
            line: 1,
            message: `[lab] internal error: ${(e as Error).message}`,
          });
        }
      }
      response.finish();
      if (running.attention) this.sendDone(tok.DoneStatus.ATTN);
    } finally {
      this.running = undefined;
    }
  }

  /** Called by Response before each token: the current database may have changed (USE), which needs an ENVCHANGE. */
  databaseChanged(w: Writer): void {
    const session = this.session;
    if (!session || session.database === this.reportedDatabase) return;
    // The engine sends INFO 5701 itself (a message of the USE statement); the ENVCHANGE is the protocol's part.
    tok.envChangeString(w, tok.EnvChange.DATABASE, session.database, this.reportedDatabase ?? 'master');
    this.reportedDatabase = session.database;
  }
  private reportedDatabase?: string;

  /** For Response: the fault path that cuts the connection after the first token. */
  dropNow(): void {
    this.host.log?.(`${this.serverName} spid ${this.spid}: fault: dropping the connection mid-request`);
    this.state = 'closed';
    this.running?.abort.abort();
    // Let the bytes already written (through TLS too) reach the socket before it goes away.
    setTimeout(() => {
      this.socket.end();
      this.tlsLayer?.destroy();
      setTimeout(() => this.socket.destroy(), 500).unref();
    }, 10).unref();
  }

  get closed(): boolean {
    return this.state === 'closed';
  }
}

/**
 * A batch of nothing but SET statements: the session options every client sends right after login. The drop faults
 * pass over it so that they hit the caller's own work, not the opening of a new pooled connection.
 */
function isSessionSetup(sql: string): boolean {
  const statements = sql
    .split(/[;\r\n]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return (
    statements.length > 0 && statements.every((s) => /^set\s+[a-z_]+\b/i.test(s) && !/^set\s+@/i.test(s))
  );
}

function counter(): () => number {
  let n = 1;
  return () => n++ & 0xff;
}

function captureSink(errors: LabMessage[]): ResultSink {
  return {
    columns() {},
    row() {},
    done() {},
    info() {},
    error(m) {
      errors.push(m);
    },
    returnStatus() {},
    returnValue() {},
  };
}

interface PendingDone {
  token: number;
  status: number;
  count: number;
}

/**
 * The token stream of one response: DONE tokens are held back one step so that every DONE but the last carries
 * DONE_MORE, RPC RETURNSTATUS/RETURNVALUE go just before their DONEPROC, and packets go out as they fill.
 */
class Response {
  private w = new Writer();
  private ids = { next: 1 };
  private pendingDone?: PendingDone;
  private errorSinceDone = false;
  private anyError = false;
  private shapes: ColumnShape[] = [];
  private tokens = 0;
  private flushScheduled = false;
  private finished = false;
  // RPC call state
  private procReturnStatus?: number;
  private procReturnValues: { ordinal: number; name: string; shape: ColumnShape; value: LabValue }[] = [];
  private procError = false;
  private call?: RpcCall;
  readonly sink: ResultSink;

  constructor(
    private readonly conn: TdsConnection,
    private readonly kind: 'batch' | 'rpc',
    private readonly running: Running,
    private readonly drop: boolean,
    private readonly inXact: () => number,
  ) {
    this.sink = {
      columns: (columns: LabColumn[]) => {
        if (!this.begin()) return;
        this.flushPendingDone(true);
        this.shapes = columns.map((c) => ({ type: c.type, maxLength: c.maxLength }));
        this.atomic((w) => tok.colMetadata(w, columns));
        this.after();
      },
      row: (values: LabValue[]) => {
        if (!this.begin()) return;
        this.flushPendingDone(true);
        this.atomic((w) => tok.row(w, this.shapes, values));
        this.after();
      },
      done: (info) => {
        if (!this.begin()) return;
        this.flushPendingDone(true);
        const inProc = this.kind === 'rpc' || info.inProc === true;
        const error = info.error === true || this.errorSinceDone;
        this.pendingDone = {
          token: inProc ? tok.Token.DONEINPROC : tok.Token.DONE,
          status:
            (info.rowCount !== undefined ? tok.DoneStatus.COUNT : 0) |
            (error ? tok.DoneStatus.ERROR : 0) |
            this.inXact(),
          count: info.rowCount ?? 0,
        };
        this.errorSinceDone = false;
        this.after();
      },
      info: (m: LabMessage) => {
        if (!this.begin()) return;
        this.flushPendingDone(true);
        tok.message(this.w, m, conn.serverName);
        this.after();
        this.scheduleFlush();
      },
      error: (m: LabMessage) => {
        if (!this.begin()) return;
        this.flushPendingDone(true);
        tok.message(this.w, m, conn.serverName);
        if (m.class > 10) {
          this.errorSinceDone = true;
          this.anyError = true;
          this.procError = true;
        }
        this.after();
        this.scheduleFlush();
      },
      returnStatus: (value: number) => {
        if (!this.begin()) return;
        if (this.kind === 'rpc') {
          this.procReturnStatus = value;
          return;
        }
        this.flushPendingDone(true);
        tok.returnStatus(this.w, value);
        this.after();
      },
      returnValue: (param: { name: string; type: LabColumnType; value: LabValue; ordinal: number }) => {
        if (!this.begin()) return;
        const declared = this.call?.params.find((p) => p.ordinal === param.ordinal);
        const shape: ColumnShape = {
          type: param.type,
          maxLength: declared && declared.type === param.type ? declared.maxLength : undefined,
        };
        if (this.kind === 'rpc') {
          this.procReturnValues.push({ ordinal: param.ordinal, name: param.name, shape, value: param.value });
          return;
        }
        this.flushPendingDone(true);
        this.atomic((w) => tok.returnValue(w, param.ordinal, param.name, shape, param.value));
        this.after();
      },
    };
  }

  /**
   * Encodes a token aside and appends it whole: a value the column type cannot carry throws back to the engine
   * without leaving half a token in the stream.
   */
  private atomic(encode: (w: Writer) => void): void {
    const scratch = new Writer();
    encode(scratch);
    this.w.bytes(scratch.toBuffer());
  }

  resetAck(): void {
    tok.envChangeBytes(this.w, 18, Buffer.alloc(0), Buffer.alloc(0));
  }

  startProc(call: RpcCall): void {
    this.call = call;
    this.procReturnStatus = undefined;
    this.procReturnValues = [];
    this.procError = false;
  }

  /** Ends one RPC call: pending DONEINPROC (MORE), RETURNSTATUS, RETURNVALUEs, DONEPROC. */
  endProc(last: boolean): void {
    if (this.conn.closed || this.finished) return;
    this.flushPendingDone(true);
    if (this.procReturnStatus !== undefined || !this.procError)
      tok.returnStatus(this.w, this.procReturnStatus ?? 0);
    for (const v of this.procReturnValues.sort((a, b) => a.ordinal - b.ordinal)) {
      this.atomic((w) => tok.returnValue(w, v.ordinal, v.name, v.shape, v.value));
    }
    const status =
      (last ? 0 : tok.DoneStatus.MORE) | (this.procError ? tok.DoneStatus.ERROR : 0) | this.inXact();
    tok.done(this.w, tok.Token.DONEPROC, status, 0, 0);
    this.procDoneWritten = last;
    this.errorSinceDone = false;
    this.after();
  }
  private procDoneWritten = false;

  /** False once the response can take no more tokens (connection gone, or finished). */
  private begin(): boolean {
    if (this.finished || this.conn.closed) return false;
    this.conn.databaseChanged(this.w);
    return true;
  }

  private flushPendingDone(more: boolean): void {
    const p = this.pendingDone;
    if (!p) return;
    this.pendingDone = undefined;
    tok.done(this.w, p.token, p.status | (more ? tok.DoneStatus.MORE : 0), 0, p.count);
  }

  private after(): void {
    this.tokens++;
    if (this.drop && this.tokens === 1) {
      this.flush();
      this.running.abort.abort();
      this.conn.dropNow();
      return;
    }
    // Send whole packets as soon as they fill, so large results stream rather than pile up.
    const room = this.packetRoom();
    if (this.w.length >= room * 2) {
      const all = this.w.toBuffer();
      const whole = Math.floor(all.length / room) * room - room;
      if (whole > 0) {
        this.conn.sendPackets(
          PacketType.TABULAR_RESULT,
          Buffer.from(all.subarray(0, whole)),
          false,
          this.ids,
        );
        const rest = Buffer.from(all.subarray(whole));
        this.w = new Writer(Math.max(256, rest.length * 2));
        this.w.bytes(rest);
      }
    }
  }

  private packetRoom(): number {
    return this.conn.packetSize - 8;
  }

  /** Messages (PRINT, STATS progress) reach the client while the request still runs, as with RAISERROR WITH NOWAIT. */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      if (!this.finished && !this.conn.closed) this.flush();
    });
  }

  private flush(): void {
    if (this.w.length === 0) return;
    this.conn.sendPackets(PacketType.TABULAR_RESULT, this.w.toBuffer(), false, this.ids);
    this.w = new Writer();
  }

  /** Closes the response message: the last DONE without DONE_MORE (ATTN acknowledged separately). */
  finish(): void {
    if (this.finished || this.conn.closed) return;
    this.conn.databaseChanged(this.w);
    if (this.kind === 'rpc' && !this.procDoneWritten) {
      // Cancelled, or failed before any call completed: close the RPC with its DONEPROC.
      this.flushPendingDone(true);
      const status = (this.anyError ? tok.DoneStatus.ERROR : 0) | this.inXact();
      tok.done(this.w, tok.Token.DONEPROC, status, 0, 0);
    } else if (this.pendingDone) {
      this.flushPendingDone(false);
    } else if (this.kind === 'batch') {
      const status = (this.errorSinceDone ? tok.DoneStatus.ERROR : 0) | this.inXact();
      tok.done(this.w, tok.Token.DONE, status, 0, 0);
    }
    this.finished = true;
    this.conn.sendPackets(PacketType.TABULAR_RESULT, this.w.toBuffer(), true, this.ids);
  }
}
