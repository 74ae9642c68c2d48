// The lab world: four instances, their databases and msdb, Agent on a lab clock, shares, persistence, control routes.
import fs from 'node:fs';
import path from 'node:path';
import {
  labSiteOf,
  type LabInstance,
  type LabRole,
  type LabSite,
  type LabWorld,
  type MirroringView,
} from './contract';
import {
  dueRuns,
  findJob,
  markJobStarted,
  refreshAllNextRuns,
  refreshNextRun,
  runJob,
  startAgentSession,
} from './agent';
import { LabClock, type ClockMode } from './clock';
import { copyToMirror, findDb, newGuid, pchatDatabase, pchatDataDir, systemDatabases } from './database';
import { sqlError, type SqlError } from './errors';
import { InstanceRuntime } from './instance';
import { rows, sameText } from './msdb';
import { shareKey, type PathContext } from './paths';
import {
  deserializeState,
  serializeState,
  type DbState,
  type InstanceState,
  type Row,
  type ShareState,
  type WorldState,
} from './state';
import type { WorldInternals } from './world-internals';

export interface LabWorldOptions {
  root: string;
  reset?: boolean;
  clock?: ClockMode;
  saPassword: string;
}

/** The lab's topology as Topology Builder leaves it. */
export const LAB_TOPOLOGY: { role: LabRole; serverName: string }[] = [
  { role: 'primary', serverName: 'SQL01\\PCHAT' },
  { role: 'primaryMirror', serverName: 'SQL02\\PCHAT' },
  { role: 'backup', serverName: 'SQLDR01\\PCHAT' },
  { role: 'backupMirror', serverName: 'SQLDR02\\PCHAT' },
];

export const FILE_SERVER = 'FS01';
export const DEFAULT_SHARE = '\\\\FS01\\PChatLogShip';
const BACKUP_DIR = 'C:\\Program Files\\Microsoft SQL Server\\MSSQL13.PCHAT\\MSSQL\\Backup';
const SQL_DATA_DIR = 'C:\\Program Files\\Microsoft SQL Server\\MSSQL13.PCHAT\\MSSQL\\DATA';
/** The copy destination the operator creates on the backup side before configuring log shipping (a prerequisite). */
export const COPY_DESTINATION = 'D:\\LSCopy';

/** The concrete world: the contract plus a few test and wiring helpers. */
export interface EngineLabWorld extends LabWorld {
  /**
   * Install-CsMirrorDatabase's effect: the principal's database backed up and restored WITH NORECOVERY on the mirror
   * (replacing a database of that name there), then a SYNCHRONIZED session with SAFETY FULL.
   */
  establishMirroring(database: string, principalServerName: string, mirrorServerName: string): void;
  /** Resolves when no sp_start_job run is pending. */
  whenIdle(): Promise<void>;
  /** Runs scheduled jobs due up to the current lab time (the realtime timer calls this). */
  runDueJobs(): Promise<void>;
}

/** The Persistent Chat stores Topology Builder installs on each store: chat and compliance. */
const PCHAT_STORES = ['mgc', 'mgccomp'] as const;

/** What Install-CsDatabase leaves: a store in FULL recovery with `seedMessages` chat rows, files in the instance's data folder. */
function installPchatStore(
  inst: InstanceState,
  name: string,
  now: Date,
  familyGuid: string,
  seedMessages: number,
): DbState {
  const db = pchatDatabase(name, inst.nextDbId++, now, familyGuid, seedMessages, inst.instanceName);
  inst.databases.push(db);
  return db;
}

function machineOf(serverName: string): string {
  return serverName.split('\\')[0]!.toUpperCase();
}

function initialInstance(
  role: LabRole,
  serverName: string,
  now: Date,
  families: Map<string, string>,
): InstanceState {
  const machine = machineOf(serverName);
  const inst: InstanceState = {
    serverName,
    role,
    machine,
    instanceName: serverName.split('\\')[1] ?? 'MSSQLSERVER',
    agentRunning: true,
    nextDbId: 5,
    databases: systemDatabases(now),
    msdb: {},
    counters: {},
  };
  if (role === 'primary' || role === 'primaryMirror') {
    for (const name of PCHAT_STORES) {
      const family = families.get(name) ?? newGuid();
      families.set(name, family);
      const db = installPchatStore(inst, name, now, family, 3);
      // Mirroring was set up from a full + log backup, so the log chain exists.
      db.logBackupLsn = db.endLsn;
      db.lastFullCheckpointLsn = db.endLsn;
      db.tailDirty = false;
      db.mirroring = {
        role: role === 'primary' ? 'PRINCIPAL' : 'MIRROR',
        partner: role === 'primary' ? 'SQL02\\PCHAT' : 'SQL01\\PCHAT',
        state: 'SYNCHRONIZED',
        guid: families.get(`${name}:mirroring`) ?? newGuid(),
        safety: 'FULL',
        roleSequence: 1,
        safetySequence: 1,
      };
      families.set(`${name}:mirroring`, db.mirroring.guid);
      if (role === 'primaryMirror') {
        db.state = 'RESTORING';
        db.redoLsn = db.endLsn;
      }
    }
  } else if (role === 'backup') {
    // Installed by Topology Builder (Install-CsDatabase), not mirrored yet: log shipping's initialisation restores over it.
    for (const name of PCHAT_STORES) installPchatStore(inst, name, now, newGuid(), 3);
  }
  return inst;
}

function initialState(now: Date, mode: ClockMode): WorldState {
  const families = new Map<string, string>();
  return {
    version: 1,
    clock: { mode, manualMs: now.getTime(), offsetMs: 0 },
    instances: LAB_TOPOLOGY.map((t) => initialInstance(t.role, t.serverName, now, families)),
    shares: { [shareKey(FILE_SERVER, 'PChatLogShip')]: { present: true, writable: true } },
    docs: {},
  };
}

/** Creates (or reopens) the lab world under `root`. */
export async function createLabWorld(opts: LabWorldOptions): Promise<EngineLabWorld> {
  const world = new World(opts);
  world.start();
  return world;
}

class World implements EngineLabWorld, WorldInternals {
  readonly root: string;
  readonly state: WorldState;
  readonly clock: LabClock;
  readonly instances: LabInstance[];
  private readonly runtimes = new Map<string, InstanceRuntime>();
  private persistTimer: NodeJS.Timeout | undefined;
  private tickTimer: NodeJS.Timeout | undefined;
  private readonly pending = new Set<Promise<void>>();
  private readonly running = new Set<string>();
  private closed = false;
  private ticking = false;

  constructor(opts: LabWorldOptions) {
    this.root = path.resolve(opts.root);
    if (opts.reset)
      for (const d of ['state', 'shares', 'hosts'])
        fs.rmSync(path.join(this.root, d), { recursive: true, force: true });
    const file = this.stateFile();
    const fresh = !fs.existsSync(file);
    this.state = !fresh
      ? deserializeState<WorldState>(fs.readFileSync(file, 'utf8'))
      : initialState(new Date(), opts.clock ?? 'realtime');
    this.clock = new LabClock(this.state.clock);
    if (opts.clock) this.clock.setMode(opts.clock);
    this.ensureFolders(fresh);
    this.instances = this.state.instances.map((s) => {
      const rt = new InstanceRuntime(this, s.serverName, opts.saPassword);
      this.runtimes.set(s.serverName.toLowerCase(), rt);
      return { role: s.role, serverName: s.serverName, engine: rt };
    });
    this.flush();
  }

  private stateFile(): string {
    return path.join(this.root, 'state', 'world.json');
  }

  private ensureFolders(fresh: boolean): void {
    const mk = (...p: string[]) => fs.mkdirSync(path.join(this.root, ...p), { recursive: true });
    mk('state');
    mk('shares', FILE_SERVER, 'PChatLogShip');
    for (const m of [...this.state.instances.map((i) => i.machine), FILE_SERVER]) {
      mk('hosts', m, 'C');
      mk('hosts', m, 'D');
    }
    for (const i of this.state.instances)
      for (const dir of [
        pchatDataDir(i.instanceName),
        BACKUP_DIR,
        SQL_DATA_DIR,
        ...(fresh && (i.role === 'backup' || i.role === 'backupMirror') ? [COPY_DESTINATION] : []),
      ]) {
        const [drive, ...rest] = dir.split('\\');
        mk('hosts', i.machine, drive!.replace(':', ''), ...rest);
      }
  }

  start(): void {
    // Each start of the lab is a start of every running Agent, as after a reboot.
    for (const inst of this.state.instances) {
      refreshAllNextRuns(inst, this.clock.nowMs());
      if (inst.agentRunning) startAgentSession(this, inst);
    }
    this.tickTimer = setInterval(() => {
      if (this.clock.mode === 'realtime') void this.runDueJobs();
    }, 1000);
    this.tickTimer.unref();
  }

  // ---- WorldInternals ----

  pathContext(): PathContext {
    return {
      root: this.root,
      machines: new Set([
        ...this.state.instances.map((i) => i.machine),
        FILE_SERVER,
        ...Object.keys(this.state.shares).map((k) => k.slice(2).split('\\')[0]!.toUpperCase()),
      ]),
      shares: this.state.shares,
      defaultBackupDir: BACKUP_DIR,
    };
  }

  instanceState(serverName: string): InstanceState | undefined {
    return this.state.instances.find((i) => i.serverName.toLowerCase() === serverName.toLowerCase());
  }

  changed(): void {
    if (this.closed || this.persistTimer) return;
    this.persistTimer = setTimeout(() => {
      this.persistTimer = undefined;
      this.flush();
    }, 50);
    this.persistTimer.unref();
  }

  private flush(): void {
    const file = this.stateFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file + '.tmp', serializeState(this.state));
    fs.renameSync(file + '.tmp', file);
  }

  refreshNextRun(inst: InstanceState, js: Row): void {
    refreshNextRun(inst, js, this.clock.nowMs());
  }

  private partnerDb(db: DbState): { inst: InstanceState; db: DbState } | undefined {
    if (!db.mirroring) return undefined;
    const other = this.instanceState(db.mirroring.partner);
    const odb = other ? findDb(other, db.name) : undefined;
    return other && odb ? { inst: other, db: odb } : undefined;
  }

  syncMirror(inst: InstanceState, db: DbState): void {
    if (
      db.mirroring?.role !== 'PRINCIPAL' ||
      db.mirroring.state === 'SUSPENDED' ||
      db.mirroring.state === 'DISCONNECTED'
    )
      return;
    const p = this.partnerDb(db);
    if (p?.db.mirroring?.role === 'MIRROR') copyToMirror(db, p.db);
  }

  startJob(inst: InstanceState, jobId: string, requestedBy: string): void {
    const key = `${inst.serverName}|${jobId}`.toLowerCase();
    this.running.add(key);
    markJobStarted(this, inst, jobId, requestedBy);
    const p = new Promise<void>((resolve) => {
      setImmediate(() => {
        try {
          if (!this.closed) runJob(this, inst, jobId, requestedBy);
        } finally {
          this.running.delete(key);
          resolve();
        }
      });
    });
    this.pending.add(p);
    void p.then(() => this.pending.delete(p));
  }

  isJobRunning(inst: InstanceState, jobId: string): boolean {
    return this.running.has(`${inst.serverName}|${jobId}`.toLowerCase());
  }

  setPartner(inst: InstanceState, db: DbState, address: string): SqlError | undefined {
    const host = /^TCP:\/\/([^:/]+)/i.exec(address)?.[1]?.split('.')[0]?.toUpperCase();
    const other = this.state.instances.find((i) => i.machine === host);
    if (!other || other === inst || other.down) return sqlError(1418, [address]);
    const odb = findDb(other, db.name);
    if (db.state === 'RESTORING') {
      // Mirror side first: remember the principal it will accept.
      db.mirroring = {
        role: 'MIRROR',
        partner: other.serverName,
        state: 'DISCONNECTED',
        guid: newGuid(),
        safety: 'FULL',
        roleSequence: 1,
        safetySequence: 1,
      };
      return undefined;
    }
    if (
      !odb ||
      odb.mirroring?.role !== 'MIRROR' ||
      odb.mirroring.partner.toLowerCase() !== inst.serverName.toLowerCase()
    )
      return sqlError(1418, [address]);
    db.mirroring = {
      role: 'PRINCIPAL',
      partner: other.serverName,
      state: 'SYNCHRONIZED',
      guid: odb.mirroring.guid,
      safety: 'FULL',
      roleSequence: 1,
      safetySequence: 1,
    };
    odb.mirroring.state = 'SYNCHRONIZED';
    copyToMirror(db, odb);
    return undefined;
  }

  failoverFrom(inst: InstanceState, database: string): void {
    const db = findDb(inst, database);
    if (!db?.mirroring) return;
    const p = this.partnerDb(db);
    if (!p?.db.mirroring) return;
    copyToMirror(db, p.db);
    db.mirroring.role = 'MIRROR';
    db.state = 'RESTORING';
    db.redoLsn = db.endLsn;
    p.db.mirroring.role = 'PRINCIPAL';
    p.db.state = 'ONLINE';
    p.db.redoLsn = undefined;
    db.mirroring.roleSequence++;
    p.db.mirroring.roleSequence = db.mirroring.roleSequence;
    this.changed();
  }

  forceService(inst: InstanceState, database: string): void {
    const db = findDb(inst, database);
    if (!db?.mirroring) return;
    db.mirroring.role = 'PRINCIPAL';
    db.mirroring.state = 'DISCONNECTED';
    db.state = 'ONLINE';
    db.redoLsn = undefined;
    const p = this.partnerDb(db);
    if (p?.db.mirroring) {
      p.db.mirroring.role = 'MIRROR';
      p.db.mirroring.state = 'SUSPENDED';
      p.db.state = 'RESTORING';
    }
    this.changed();
  }

  partnerOff(inst: InstanceState, database: string): void {
    const db = findDb(inst, database);
    if (!db) return;
    const p = this.partnerDb(db);
    const guid = db.mirroring?.guid;
    db.mirroring = undefined;
    const other = p?.db.mirroring;
    if (p && other && other.guid === guid) {
      // A partner that cannot be reached keeps its half of the session, cut off, until PARTNER OFF runs there too.
      if (!p.inst.down) p.db.mirroring = undefined;
      else if (other.state !== 'SUSPENDED') other.state = 'DISCONNECTED';
    }
    this.changed();
  }

  /** Every session with a half in a downed data center is cut: DISCONNECTED on both halves (SUSPENDED stays). */
  private disconnectSessions(): void {
    for (const inst of this.state.instances)
      for (const db of inst.databases) {
        const m = db.mirroring;
        if (!m || m.state === 'SUSPENDED') continue;
        if (inst.down || this.instanceState(m.partner)?.down) m.state = 'DISCONNECTED';
      }
  }

  /**
   * Sessions of `members` whose two halves are up again and still agree resume, as partners do when they reconnect:
   * SYNCHRONIZED with the mirror caught up, or SUSPENDED when either half was suspended (after FORCE_SERVICE).
   */
  private reconnectSessions(members: InstanceState[]): void {
    for (const inst of this.state.instances) {
      if (inst.down) continue;
      for (const db of inst.databases) {
        const m = db.mirroring;
        if (m?.state !== 'DISCONNECTED') continue;
        const partner = this.instanceState(m.partner);
        if (!partner || partner.down || (!members.includes(inst) && !members.includes(partner))) continue;
        const pdb = findDb(partner, db.name);
        const pm = pdb?.mirroring;
        if (!pdb || !pm || pm.guid !== m.guid || pm.partner.toLowerCase() !== inst.serverName.toLowerCase())
          continue;
        if (pm.state === 'SUSPENDED') {
          m.state = 'SUSPENDED';
          continue;
        }
        m.state = 'SYNCHRONIZED';
        pm.state = 'SYNCHRONIZED';
        if (m.role === 'PRINCIPAL') this.syncMirror(inst, db);
        else this.syncMirror(partner, pdb);
      }
    }
  }

  /** A data center goes down (unreachable, Agent stopped, sessions cut) or comes back (Agent started, sessions resume). */
  private setSiteDown(site: LabSite, down: boolean): InstanceState[] {
    const members = this.state.instances.filter((i) => labSiteOf[i.role] === site);
    for (const inst of members) {
      inst.down = down;
      if (down) inst.agentRunning = false;
      else if (!inst.agentRunning) {
        // The machines boot again: Agent starts automatically and only future schedule times are due.
        refreshAllNextRuns(inst, this.clock.nowMs());
        startAgentSession(this, inst);
        inst.agentRunning = true;
      }
    }
    if (down) this.disconnectSessions();
    else this.reconnectSessions(members);
    this.changed();
    return members;
  }

  private siteSummary(
    site: LabSite,
    members = this.state.instances.filter((i) => labSiteOf[i.role] === site),
  ) {
    return {
      site,
      down: members.length > 0 && members.every((i) => i.down === true),
      instances: members.map((i) => ({
        serverName: i.serverName,
        role: i.role,
        down: i.down === true,
        agentRunning: i.agentRunning,
      })),
    };
  }

  setMirroringState(inst: InstanceState, database: string, state: 'SUSPENDED' | 'SYNCHRONIZED'): void {
    const db = findDb(inst, database);
    if (!db?.mirroring) return;
    const p = this.partnerDb(db);
    db.mirroring.state = state;
    if (p?.db.mirroring) p.db.mirroring.state = state;
    const principal = db.mirroring.role === 'PRINCIPAL' ? { inst, db } : p;
    if (state === 'SYNCHRONIZED' && principal) this.syncMirror(principal.inst, principal.db);
    this.changed();
  }

  setMirroringSafety(inst: InstanceState, db: DbState, level: 'FULL' | 'OFF'): void {
    const p = this.partnerDb(db);
    for (const d of [db, p?.db])
      if (d?.mirroring) {
        d.mirroring.safety = level;
        d.mirroring.safetySequence++;
      }
    this.changed();
  }

  // ---- LabWorld ----

  instance(serverName: string): LabInstance | undefined {
    return this.instances.find((i) => i.serverName.toLowerCase() === serverName.toLowerCase());
  }

  mirroring(serverName: string, database: string): MirroringView | undefined {
    const inst = this.instanceState(serverName);
    // A store in a downed data center cannot be asked (SfB reports it inaccessible).
    const db = inst && !inst.down ? findDb(inst, database) : undefined;
    if (!db?.mirroring) return undefined;
    return {
      database: db.name,
      role: db.mirroring.role,
      state: db.mirroring.state,
      partnerServerName: db.mirroring.partner,
    };
  }

  failoverMirroring(database: string, newPrincipalServerName: string): void {
    const target = this.instanceState(newPrincipalServerName);
    const db = target ? findDb(target, database) : undefined;
    if (target?.down) throw new Error(`${target.serverName} is down: its data center is down`);
    if (!target || !db?.mirroring)
      throw new Error(`${database} is not mirrored on ${newPrincipalServerName}`);
    if (db.mirroring.role === 'PRINCIPAL') return;
    const principal = this.instanceState(db.mirroring.partner);
    if (!principal) throw new Error(`partner ${db.mirroring.partner} of ${database} is unknown`);
    // With the principal unreachable only a forced service (with possible data loss) is left.
    if (principal.down) this.forceService(target, database);
    else this.failoverFrom(principal, database);
  }

  establishMirroring(database: string, principalServerName: string, mirrorServerName: string): void {
    const principal = this.instanceState(principalServerName);
    const mirror = this.instanceState(mirrorServerName);
    if (!principal || !mirror || principal === mirror)
      throw new Error(`cannot mirror ${database} from ${principalServerName} to ${mirrorServerName}`);
    for (const i of [principal, mirror])
      if (i.down) throw new Error(`${i.serverName} is down: its data center is down`);
    const db = findDb(principal, database);
    if (!db || db.state !== 'ONLINE' || db.standby)
      throw new Error(`database ${database} is not online on ${principal.serverName}`);
    if (db.mirroring && db.mirroring.partner.toLowerCase() !== mirror.serverName.toLowerCase())
      throw new Error(
        `database ${database} on ${principal.serverName} is already mirrored to ${db.mirroring.partner}`,
      );
    db.recovery = 'FULL';
    // The cmdlet takes a full and a log backup through the file share: the log chain starts here if it had not.
    if (db.logBackupLsn === undefined) {
      db.lastFullCheckpointLsn = db.endLsn;
      db.logBackupLsn = db.endLsn;
    }
    mirror.databases = mirror.databases.filter((d) => d.name.toLowerCase() !== db.name.toLowerCase());
    const copy: DbState = {
      ...db,
      id: mirror.nextDbId++,
      files: db.files.map((f) => ({ ...f })),
      chat: [],
      state: 'RESTORING',
      standby: false,
      readOnly: false,
      userAccess: 'MULTI_USER',
    };
    const guid = newGuid();
    db.mirroring = {
      role: 'PRINCIPAL',
      partner: mirror.serverName,
      state: 'SYNCHRONIZED',
      guid,
      safety: 'FULL',
      roleSequence: 1,
      safetySequence: 1,
    };
    copy.mirroring = {
      role: 'MIRROR',
      partner: principal.serverName,
      state: 'SYNCHRONIZED',
      guid,
      safety: 'FULL',
      roleSequence: 1,
      safetySequence: 1,
    };
    copyToMirror(db, copy);
    mirror.databases.push(copy);
    this.changed();
  }

  readDoc<T>(key: string, fallback: T): T {
    return key in this.state.docs ? (this.state.docs[key] as T) : fallback;
  }

  writeDoc<T>(key: string, value: T): void {
    this.state.docs[key] = value;
    this.changed();
  }

  async whenIdle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  async runDueJobs(): Promise<void> {
    await this.runUntil(this.clock.nowMs());
  }

  /** Runs every scheduled job due up to `untilMs` in time order, moving the clock to each run. */
  private async runUntil(untilMs: number): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    let ran = false;
    try {
      for (let guard = 0; guard < 100000; guard++) {
        const next = dueRuns(this.state.instances, untilMs)[0];
        if (!next) break;
        ran = true;
        this.clock.setNow(next.at);
        refreshNextRun(next.inst, next.js, next.at);
        const job = findJob(next.inst, { id: next.js.job_id ?? null });
        const sched = rows(next.inst, 'sysschedules').find((s) => s.schedule_id === next.js.schedule_id);
        if (job && Number(job.enabled) === 1 && !this.isJobRunning(next.inst, String(job.job_id)))
          runJob(
            this,
            next.inst,
            String(job.job_id),
            `Schedule ${String(next.js.schedule_id)} (${String(sched?.name ?? '')})`,
          );
      }
    } finally {
      this.ticking = false;
    }
    if (ran) this.changed();
  }

  async control(
    method: string,
    route: string,
    body: unknown,
  ): Promise<{ status: number; body: unknown } | undefined> {
    const url = new URL(route, 'http://lab.local');
    const b = (body ?? {}) as Record<string, unknown>;
    const m = method.toUpperCase();
    const bad = (message: string) => ({ status: 400, body: { error: message } });
    const instanceOr404 = (name: unknown) => {
      const inst = typeof name === 'string' ? this.instanceState(name) : undefined;
      return inst;
    };
    switch (`${m} ${url.pathname}`) {
      case 'GET /state':
        return { status: 200, body: this.summary() };
      case 'GET /clock':
        return { status: 200, body: { now: this.clock.now().toISOString(), mode: this.clock.mode } };
      case 'POST /clock/advance': {
        const minutes = Number(b.minutes);
        if (!Number.isFinite(minutes) || minutes < 0) return bad('minutes must be a non-negative number');
        await this.whenIdle();
        const target = this.clock.nowMs() + minutes * 60000;
        await this.runUntil(target);
        this.clock.setNow(target);
        this.changed();
        return { status: 200, body: { now: this.clock.now().toISOString(), mode: this.clock.mode } };
      }
      case 'POST /clock/mode': {
        if (b.mode !== 'realtime' && b.mode !== 'manual') return bad("mode must be 'realtime' or 'manual'");
        this.clock.setMode(b.mode);
        this.changed();
        return { status: 200, body: { now: this.clock.now().toISOString(), mode: this.clock.mode } };
      }
      case 'POST /agent': {
        const inst = instanceOr404(b.server);
        if (!inst) return { status: 404, body: { error: `unknown server ${String(b.server)}` } };
        if (typeof b.running !== 'boolean') return bad('running must be a boolean');
        if (b.running && inst.down)
          return {
            status: 409,
            body: { error: `${inst.serverName} is down: bring its data center back with POST /site` },
          };
        if (b.running && !inst.agentRunning) {
          refreshAllNextRuns(inst, this.clock.nowMs());
          startAgentSession(this, inst);
        }
        inst.agentRunning = b.running;
        this.changed();
        return { status: 200, body: { server: inst.serverName, running: inst.agentRunning } };
      }
      case 'POST /shares': {
        const unc = /^\\\\([^\\]+)\\([^\\]+)\\?$/.exec(String(b.unc ?? ''));
        if (!unc) return bad('unc must be \\\\HOST\\share');
        const key = shareKey(unc[1]!, unc[2]!);
        const cur: ShareState = this.state.shares[key] ?? { present: false, writable: true };
        if (typeof b.present === 'boolean') cur.present = b.present;
        if (typeof b.writable === 'boolean') cur.writable = b.writable;
        if (typeof b.path === 'string') {
          const local = /^([A-Za-z]):\\(.*)$/.exec(b.path);
          if (!local) return bad('path must be a local path on the share host, such as D:\\LSBackup');
          cur.localPath = b.path;
        }
        this.state.shares[key] = cur;
        if (cur.present && cur.localPath) {
          const local = /^([A-Za-z]):\\(.*)$/.exec(cur.localPath)!;
          const host = unc[1]!.split('.')[0]!.toUpperCase();
          fs.mkdirSync(
            path.join(
              this.root,
              'hosts',
              host,
              local[1]!.toUpperCase(),
              ...local[2]!.split('\\').filter(Boolean),
            ),
            { recursive: true },
          );
        } else if (cur.present)
          fs.mkdirSync(path.join(this.root, 'shares', unc[1]!.toUpperCase(), unc[2]!), { recursive: true });
        this.changed();
        return { status: 200, body: { unc: String(b.unc), ...cur } };
      }
      case 'POST /folders': {
        // A local folder on an instance's machine, e.g. remove the copy destination to see the copy job fail.
        const inst = instanceOr404(b.server);
        if (!inst) return { status: 404, body: { error: `unknown server ${String(b.server)}` } };
        const local = /^([A-Za-z]):\\(.+)$/.exec(String(b.path ?? ''));
        if (!local || typeof b.present !== 'boolean')
          return bad('path must be a local path such as D:\\LSCopy and present a boolean');
        const hostPath = path.join(
          this.root,
          'hosts',
          inst.machine,
          local[1]!.toUpperCase(),
          ...local[2]!.split('\\').filter(Boolean),
        );
        if (b.present) fs.mkdirSync(hostPath, { recursive: true });
        else fs.rmSync(hostPath, { recursive: true, force: true });
        return { status: 200, body: { server: inst.serverName, path: String(b.path), present: b.present } };
      }
      case 'POST /data/messages': {
        const rt = typeof b.server === 'string' ? this.runtimes.get(b.server.toLowerCase()) : undefined;
        if (!rt) return { status: 404, body: { error: `unknown server ${String(b.server)}` } };
        if (this.instanceState(rt.serverName)?.down)
          return {
            status: 503,
            body: {
              error: `${rt.serverName} is down: no chat message can reach it until its data center is back`,
            },
          };
        const count = Number(b.count ?? 1);
        if (!Number.isInteger(count) || count < 1 || count > 10000)
          return bad('count must be an integer from 1 to 10000');
        try {
          const db = rt.insertMessages(String(b.database ?? 'mgc'), count);
          return {
            status: 200,
            body: {
              server: rt.serverName,
              database: db.name,
              count: db.chat.length,
              lsn: db.endLsn.toString(),
            },
          };
        } catch (e) {
          const err = e as SqlError;
          return { status: 409, body: { error: err.message, number: err.number } };
        }
      }
      case 'GET /data/messages': {
        const inst = instanceOr404(url.searchParams.get('server'));
        if (!inst)
          return { status: 404, body: { error: `unknown server ${String(url.searchParams.get('server'))}` } };
        const db = findDb(inst, url.searchParams.get('database') ?? 'mgc');
        if (!db) return { status: 404, body: { error: 'unknown database' } };
        return {
          status: 200,
          body: {
            server: inst.serverName,
            database: db.name,
            state: db.state,
            count: db.chat.length,
            lsn: db.endLsn.toString(),
          },
        };
      }
      case 'POST /instance/rebuild': {
        const inst = instanceOr404(b.server);
        if (!inst) return { status: 404, body: { error: `unknown server ${String(b.server)}` } };
        if (b.reinstall !== undefined && typeof b.reinstall !== 'boolean')
          return bad('reinstall must be a boolean');
        for (const other of this.state.instances)
          for (const d of other.databases)
            if (d.mirroring && d.mirroring.partner.toLowerCase() === inst.serverName.toLowerCase())
              d.mirroring.state = 'DISCONNECTED';
        const now = this.clock.now();
        inst.databases = systemDatabases(now);
        inst.nextDbId = 5;
        inst.msdb = {};
        inst.counters = {};
        // "The mgc database and the mgccomp database have been rebuilt and reinstalled by using Topology Builder":
        // empty stores of a new lineage, so the failback restore needs WITH REPLACE as on a real rebuilt server.
        if (b.reinstall === true)
          for (const name of PCHAT_STORES) installPchatStore(inst, name, now, newGuid(), 0);
        // A machine rebuilt while its data center is down stays down (and its Agent with it) until POST /site.
        inst.agentRunning = !inst.down;
        if (inst.agentRunning) startAgentSession(this, inst);
        this.changed();
        return {
          status: 200,
          body: { server: inst.serverName, databases: inst.databases.map((d) => d.name) },
        };
      }
      case 'GET /site':
        return {
          status: 200,
          body: { sites: (['Primary', 'Backup'] as const).map((site) => this.siteSummary(site)) },
        };
      case 'POST /site': {
        if (b.site !== 'Primary' && b.site !== 'Backup') return bad("site must be 'Primary' or 'Backup'");
        if (typeof b.down !== 'boolean') return bad('down must be a boolean');
        const members = this.setSiteDown(b.site, b.down);
        return { status: 200, body: this.siteSummary(b.site, members) };
      }
      default:
        return undefined;
    }
  }

  private summary(): unknown {
    return {
      clock: { now: this.clock.now().toISOString(), mode: this.clock.mode },
      shares: Object.entries(this.state.shares).map(([unc, s]) => ({ unc, ...s })),
      instances: this.state.instances.map((i) => ({
        serverName: i.serverName,
        role: i.role,
        machine: i.machine,
        down: i.down === true,
        agentRunning: i.agentRunning,
        databases: i.databases
          .filter((d) => !d.system)
          .map((d) => ({
            name: d.name,
            state: d.state,
            standby: d.standby,
            recovery: d.recovery,
            mirroring: d.mirroring
              ? { role: d.mirroring.role, state: d.mirroring.state, partner: d.mirroring.partner }
              : null,
            lsn: d.endLsn.toString(),
            messages: d.chat.length,
          })),
        jobs: rows(i, 'sysjobs').map((j) => {
          const js = rows(i, 'sysjobschedules').find((r) => sameText(r.job_id, j.job_id));
          const last = rows(i, 'sysjobhistory')
            .filter((h) => sameText(h.job_id, j.job_id) && h.step_id === 0)
            .slice(-1)[0];
          return {
            name: j.name,
            enabled: Number(j.enabled) === 1,
            lastOutcome: last ? (Number(last.run_status) === 1 ? 'Succeeded' : 'Failed') : null,
            nextRun: typeof js?.next_run_ms === 'number' ? new Date(js.next_run_ms).toISOString() : null,
          };
        }),
      })),
    };
  }

  async close(): Promise<void> {
    if (this.tickTimer) clearInterval(this.tickTimer);
    await this.whenIdle();
    this.closed = true;
    if (this.persistTimer) clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    this.flush();
  }
}
