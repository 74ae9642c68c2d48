// One SQL Server instance of the lab: logins, the interpreter entry points and the InstanceHost the interpreter uses.
import type {
  LabInstanceEngine,
  LabLoginResult,
  LabSession,
  LabValue,
  ResultSink,
  RpcParam,
} from './contract';
import {
  insertMessages,
  runBackup,
  runRestore,
  restoreInfo,
  statementErrors,
  type InstanceContext,
} from './backup';
import { resolveTable, resolveTvf, type LiveSession } from './catalog/system-views';
import { findDb } from './database';
import { type SqlError, sqlError } from './errors';
import { PROCS } from './procs';
import type { RuntimeHost } from './procs/runtime';
import type { DbState, InstanceState } from './state';
import type { Stmt } from './tsql/ast';
import { Interpreter } from './tsql/evaluate';
import type { Emitter, ProcDef, StatementValues, Table } from './tsql/host';
import { T, type TV } from './tsql/values';
import type { WorldInternals } from './world-internals';

export const LAB_SQL_VERSION =
  'Microsoft SQL Server 2016 (SP3) (KB5003279) - 13.0.6300.2 (X64) \n\tAug  7 2021 01:20:37 \n\tCopyright (c) Microsoft Corporation\n\tEnterprise Edition (64-bit) on Windows Server 2016 Datacenter 10.0 <X64> (Build 14393: ) (Hypervisor)\n';

/** The non-sysadmin SQL login of the lab (for permission errors). */
export const LAB_USER = { login: 'labuser', password: 'LabUser#2026' };
/** Default password of the lab's domain accounts when LAB_DOMAIN_PASSWORD is unset. */
export const LAB_DOMAIN_DEFAULT_PASSWORD = 'LabDomain#2026';
export const DOMAIN_ACCOUNTS: Record<string, { sysadmin: boolean }> = {
  'lab\\sqladmin': { sysadmin: true },
  'lab\\sqlsvc': { sysadmin: true },
};

/** SQL Server numbers user sessions from 51; lower ids are system sessions. */
const FIRST_USER_SPID = 51;

export class InstanceRuntime implements LabInstanceEngine, RuntimeHost {
  readonly version = LAB_SQL_VERSION;
  /** Connections the TDS layer reported, by spid (sys.dm_exec_sessions, KILL, RESTORE's exclusive access). */
  private readonly sessions = new Map<number, { session: LabSession; kill: () => void; loginTime: Date }>();

  constructor(
    readonly world: WorldInternals,
    private readonly serverNameValue: string,
    private readonly saPassword: string,
  ) {}

  get inst(): InstanceState {
    const s = this.world.instanceState(this.serverNameValue);
    if (!s) throw new Error(`instance ${this.serverNameValue} missing from the lab state`);
    return s;
  }

  get serverName(): string {
    return this.serverNameValue;
  }

  get machine(): string {
    return this.inst.machine;
  }

  get instanceName(): string {
    return this.inst.instanceName;
  }

  now(): Date {
    return this.world.clock.now();
  }

  // ---- logins ----

  private loginFailed(user: string): LabLoginResult {
    return { ok: false, error: sqlError(18456, [user]).toMessage(1) };
  }

  loginSql(user: string, password: string): LabLoginResult {
    const u = user.toLowerCase();
    if (u === 'sa' && password === this.saPassword)
      return { ok: true, isSysadmin: true, defaultDatabase: 'master' };
    if (u === LAB_USER.login && password === LAB_USER.password)
      return { ok: true, isSysadmin: false, defaultDatabase: 'master' };
    return this.loginFailed(user);
  }

  loginWindows(domainUser: string): LabLoginResult {
    const acct = DOMAIN_ACCOUNTS[domainUser.toLowerCase()];
    if (!acct) return this.loginFailed(domainUser);
    return { ok: true, isSysadmin: acct.sysadmin, defaultDatabase: 'master' };
  }

  domainAccountPassword(domainUser: string): string | undefined {
    if (!DOMAIN_ACCOUNTS[domainUser.toLowerCase()]) return undefined;
    return process.env.LAB_DOMAIN_PASSWORD || LAB_DOMAIN_DEFAULT_PASSWORD;
  }

  // ---- sessions ----

  sessionStarted(session: LabSession, kill: () => void): void {
    this.sessions.set(session.spid, { session, kill, loginTime: this.world.clock.now() });
  }

  sessionEnded(session: LabSession): void {
    if (this.sessions.get(session.spid)?.session === session) this.sessions.delete(session.spid);
  }

  private liveSessions(caller: LabSession): LiveSession[] {
    return [...this.sessions.values()].map(({ session, loginTime }) => ({
      spid: session.spid,
      login: session.login,
      database: session.database,
      ...(session.hostName ? { hostName: session.hostName } : {}),
      ...(session.appName ? { appName: session.appName } : {}),
      loginTime,
      running: session.spid === caller.spid,
    }));
  }

  kill(session: LabSession, spid: number): void {
    if (!session.isSysadmin) throw sqlError(6102);
    if (spid === session.spid) throw sqlError(6104);
    if (spid < FIRST_USER_SPID) throw sqlError(6107);
    const target = this.sessions.get(spid);
    if (!target) throw sqlError(6106, [spid]);
    this.sessions.delete(spid);
    target.kill();
  }

  /** Another connection whose database is `database`: RESTORE cannot get exclusive access (3101). */
  private inUseByOthers(session: LabSession, database: string): boolean {
    for (const { session: other } of this.sessions.values())
      if (
        other !== session &&
        other.spid !== session.spid &&
        other.database.toLowerCase() === database.toLowerCase()
      )
        return true;
    return false;
  }

  // ---- execution ----

  async executeBatch(session: LabSession, sql: string, sink: ResultSink, signal: AbortSignal): Promise<void> {
    try {
      await new Interpreter(this, session, sink, signal).runBatch(sql);
    } catch (e) {
      internalError(sink, e);
    }
    this.world.changed();
  }

  async executeRpc(
    session: LabSession,
    procName: string,
    params: RpcParam[],
    sink: ResultSink,
    signal: AbortSignal,
  ): Promise<void> {
    try {
      await new Interpreter(this, session, sink, signal).runRpc(procName, params);
    } catch (e) {
      internalError(sink, e);
    }
    this.world.changed();
  }

  // ---- InstanceHost ----

  private unavailableError(db: DbState): SqlError {
    if (db.state === 'RESTORING')
      return db.mirroring?.role === 'MIRROR' ? sqlError(954, [db.name]) : sqlError(927, [db.name]);
    return sqlError(942, [db.name]);
  }

  table(session: LabSession, parts: string[]): Table | undefined {
    const r = resolveTable(this.world, this.inst, session.database, parts, this.liveSessions(session));
    if (r && 'unavailable' in r) throw this.unavailableError(r.unavailable!);
    const db = parts.length === 3 ? parts[0]!.toLowerCase() : session.database.toLowerCase();
    // msdb's log-shipping and Agent tables are not readable by a login without msdb roles.
    if (r && db === 'msdb' && !session.isSysadmin)
      throw sqlError(229, ['SELECT', parts[parts.length - 1]!, 'msdb', 'dbo']);
    return r as Table | undefined;
  }

  tvf(_session: LabSession, parts: string[], args: TV[]): Table | undefined {
    return resolveTvf(this.world, this.inst, parts, args);
  }

  proc(session: LabSession, parts: string[]): ProcDef | undefined {
    const name = parts[parts.length - 1]!.toLowerCase();
    const db = parts.length >= 3 ? parts[parts.length - 3]!.toLowerCase() : session.database.toLowerCase();
    const schema = parts.length >= 2 ? parts[parts.length - 2]!.toLowerCase() : '';
    if (schema && schema !== 'dbo' && schema !== 'sys') return undefined;
    if (parts.length >= 3 && !findDb(this.inst, db)) return undefined;
    const def = PROCS.get(name);
    if (!def) return undefined;
    if (def.home === 'msdb' && db !== 'msdb') return undefined;
    return def;
  }

  useDatabase(session: LabSession, name: string): void {
    const db = findDb(this.inst, name);
    if (!db) throw sqlError(911, [name]);
    if (db.state !== 'ONLINE') throw this.unavailableError(db);
    session.database = db.name;
  }

  databaseId(name: string): number | undefined {
    return findDb(this.inst, name)?.id;
  }

  databaseName(id: number): string | undefined {
    return this.inst.databases.find((d) => d.id === id)?.name;
  }

  databaseProperty(name: string, property: string): LabValue {
    const db = findDb(this.inst, name);
    if (!db) return null;
    switch (property.toLowerCase()) {
      case 'status':
        return db.state;
      case 'recovery':
        return db.recovery;
      case 'updateability':
        return db.readOnly ? 'READ_ONLY' : 'READ_WRITE';
      case 'useraccess':
        return db.userAccess;
      case 'isinstandby':
        return db.standby ? 1 : 0;
      case 'collation':
        return 'SQL_Latin1_General_CP1_CI_AS';
      default:
        return null;
    }
  }

  serverProperty(name: string): TV {
    const inst = this.inst;
    const s = (v: string | null): TV => ({ type: T.nvarchar(128), value: v });
    const i = (v: number): TV => ({ type: T.int, value: v });
    switch (name.toLowerCase()) {
      case 'productversion':
        return s('13.0.6300.2');
      case 'productmajorversion':
        return s('13');
      case 'productminorversion':
        return s('0');
      case 'productlevel':
        return s('SP3');
      case 'productupdatelevel':
        return s(null);
      case 'edition':
        return s('Enterprise Edition (64-bit)');
      case 'engineedition':
        return i(3);
      case 'machinename':
      case 'computernamephysicalnetbios':
        return s(inst.machine);
      case 'instancename':
        return s(inst.instanceName);
      case 'servername':
        return s(inst.serverName);
      case 'isclustered':
      case 'ishadrenabled':
      case 'issingleuser':
        return i(0);
      case 'isintegratedsecurityonly':
        return i(0);
      case 'collation':
        return s('SQL_Latin1_General_CP1_CI_AS');
      case 'instancedefaultdatapath':
      case 'instancedefaultlogpath':
        return s(`C:\\Program Files\\Microsoft SQL Server\\MSSQL13.${inst.instanceName}\\MSSQL\\DATA\\`);
      case 'instancedefaultbackuppath':
        return s(`C:\\Program Files\\Microsoft SQL Server\\MSSQL13.${inst.instanceName}\\MSSQL\\Backup`);
      case 'processid':
        return i(4100);
      default:
        return { type: T.nvarchar(128), value: null };
    }
  }

  async runStatement(
    session: LabSession,
    stmt: Stmt & { k: 'backup' | 'restore' | 'alterdb' },
    values: StatementValues,
    sink: ResultSink,
    emit: Emitter,
  ): Promise<void> {
    const ctx: InstanceContext = { world: this.world, inst: this.inst, login: session.login };
    try {
      if (stmt.k === 'alterdb') return this.alterDatabase(session, stmt, values);
      if (stmt.k === 'backup') {
        const dbName = values.db ?? '';
        if (!session.isSysadmin)
          throw failure(
            sqlError(262, [`BACKUP ${stmt.what}`, dbName]),
            sqlError(3013, [`BACKUP ${stmt.what}`]),
          );
        runBackup(ctx, stmt.what, dbName, values.devices, values.options, emit);
        return;
      }
      if (stmt.what === 'DATABASE' || stmt.what === 'LOG') {
        if (!session.isSysadmin)
          throw failure(sqlError(3110, [values.db ?? '']), sqlError(3013, [`RESTORE ${stmt.what}`]));
        if (
          values.db &&
          (values.db.toLowerCase() === session.database.toLowerCase() ||
            this.inUseByOthers(session, values.db))
        )
          throw failure(sqlError(3101), sqlError(3013, [`RESTORE ${stmt.what}`]));
        runRestore(ctx, stmt.what, values.db ?? '', values.devices, values.options, values.moves, emit);
        return;
      }
      restoreInfo(ctx, stmt.what, values.devices, values.options, emit);
    } catch (e) {
      const errs = statementErrors(e);
      if (errs.length === 0) throw e;
      // All but the last go out now; the last (3013 / 5069) becomes the statement's error, as @@ERROR shows it.
      for (const err of errs.slice(0, -1)) sink.error(err.toMessage(stmt.line));
      const last = errs[errs.length - 1]!;
      last.line = stmt.line;
      throw last;
    }
  }

  private alterDatabase(session: LabSession, stmt: Stmt & { k: 'alterdb' }, values: StatementValues): void {
    const name = stmt.dbIsCurrent ? session.database : (values.db ?? '');
    const db = findDb(this.inst, name);
    const denied = () => failure(sqlError(5011, [name]), sqlError(5069));
    if (!db || !session.isSysadmin) throw denied();
    const a = stmt.action;
    switch (a.k) {
      case 'recovery':
        if (db.mirroring && a.model !== 'FULL') throw failure(sqlError(1468, [db.name]), sqlError(5069));
        if (db.state !== 'ONLINE') throw denied();
        db.recovery = a.model;
        if (a.model === 'SIMPLE') db.logBackupLsn = undefined;
        break;
      case 'access':
        if (db.state !== 'ONLINE') throw denied();
        db.userAccess = a.mode;
        break;
      case 'state':
        if (a.mode === 'OFFLINE') db.state = 'OFFLINE';
        else if (a.mode === 'ONLINE') db.state = db.state === 'OFFLINE' ? 'ONLINE' : db.state;
        else db.readOnly = a.mode === 'READ_ONLY';
        break;
      case 'safety':
        if (!db.mirroring) throw failure(sqlError(1416, [db.name]), sqlError(5069));
        this.world.setMirroringSafety(this.inst, db, a.level);
        break;
      case 'partner':
        this.partner(db, a);
        break;
    }
    this.world.changed();
  }

  private partner(db: DbState, a: { op: string; address?: string }): void {
    if (a.op === 'ADDRESS') {
      const err = this.world.setPartner(this.inst, db, a.address ?? '');
      if (err) throw failure(err, sqlError(5069));
      return;
    }
    if (!db.mirroring) throw failure(sqlError(1416, [db.name]), sqlError(5069));
    if (a.op === 'FAILOVER') {
      if (db.mirroring.role !== 'PRINCIPAL') throw failure(sqlError(5011, [db.name]), sqlError(5069));
      if (db.mirroring.state !== 'SYNCHRONIZED' || db.mirroring.safety !== 'FULL')
        throw failure(sqlError(1422, [db.name]), sqlError(5069));
      this.world.failoverFrom(this.inst, db.name);
      return;
    }
    if (a.op === 'FORCE_SERVICE_ALLOW_DATA_LOSS') {
      if (db.mirroring.role !== 'MIRROR') throw failure(sqlError(5011, [db.name]), sqlError(5069));
      this.world.forceService(this.inst, db.name);
      return;
    }
    if (a.op === 'OFF') this.world.partnerOff(this.inst, db.name);
    else if (a.op === 'SUSPEND') this.world.setMirroringState(this.inst, db.name, 'SUSPENDED');
    else if (a.op === 'RESUME') this.world.setMirroringState(this.inst, db.name, 'SYNCHRONIZED');
  }

  /** Inserts `count` chat messages into a database of this instance (control route). */
  insertMessages(database: string, count: number): DbState {
    return insertMessages({ world: this.world, inst: this.inst, login: 'LAB\\sqladmin' }, database, count);
  }
}

class Failure extends Error {
  constructor(readonly errors: SqlError[]) {
    super(errors[0]?.message);
  }
}

function failure(...errors: SqlError[]): Failure {
  return new Failure(errors);
}

export function failureErrors(e: unknown): SqlError[] {
  return e instanceof Failure ? e.errors : [];
}

/** A bug in the lab must not look like a T-SQL success nor kill the connection: it is reported as an error. */
function internalError(sink: ResultSink, e: unknown): void {
  const text = e instanceof Error ? e.message : String(e);
  sink.error({
    number: 50000,
    state: 1,
    class: 16,
    message: `Internal error in the lab engine: ${text}`,
    line: 1,
  });
  sink.done({ error: true });
}
