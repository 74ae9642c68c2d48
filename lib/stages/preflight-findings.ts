import type { Plan } from '@/lib/plan/schema';
import { nString, quoteIdentifier } from '@/lib/sql/quote';
import { watchedDatabases } from '@/lib/sql/generate/preflight';
import type { ServerRole } from './ids';

export type SqlRows = Record<string, unknown>[];

/** What preflight read on one instance: each batch's first result set by batch id, or why it could not read. */
export type InstanceReading =
  | {
      ok: true;
      results: Map<string, SqlRows>;
      failedChecks?: { id: string; title: string; detail: string }[];
    }
  | { ok: false; error: string };

export interface Finding {
  role: ServerRole;
  server: string;
  severity: 'error' | 'warning' | 'ok';
  /** What is wrong (or right), in one sentence. */
  what: string;
  /** Why it matters for log shipping or mirroring. */
  why: string;
  /** What to do about it. */
  fix: string;
  /** A script that fixes it, where one exists (to review and run by hand or through a stage). */
  fixScript?: string;
}

const roleLabel: Record<ServerRole, string> = {
  primary: 'primary store',
  primaryMirror: 'primary mirror',
  backup: 'backup store',
  backupMirror: 'backup mirror',
};

const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const major = (version: string) => Number(version.split('.')[0] ?? 0);

/**
 * Turns what preflight read on every instance into findings: each with the server, what is wrong, why it matters and
 * the fix. Pure, so every rule is tested on readings without a server.
 */
export function preflightFindings(plan: Plan, readings: Record<ServerRole, InstanceReading>): Finding[] {
  const findings: Finding[] = [];
  const add = (role: ServerRole, f: Omit<Finding, 'role' | 'server'>) =>
    findings.push({ role, server: plan.servers[role].name, ...f });
  const versions = new Map<ServerRole, string>();

  for (const role of Object.keys(readings) as ServerRole[]) {
    const reading = readings[role];
    const server = plan.servers[role].name;
    if (!reading.ok) {
      const login = /login failed|18456/i.test(reading.error);
      add(role, {
        severity: 'error',
        what: login ? `Login to ${server} failed.` : `${server} cannot be reached.`,
        why: `Every stage that runs on the ${roleLabel[role]} needs a connection to it.`,
        fix: login
          ? 'Check the login and password given for this server, and that the login exists and is sysadmin.'
          : 'Check the host, port or instance name, the firewall, and that SQL Server is running. ' +
            reading.error,
      });
      continue;
    }
    const rows = (id: string) => reading.results.get(id) ?? [];
    for (const check of reading.failedChecks ?? []) {
      add(role, {
        severity: 'warning',
        what: `A check could not run on ${server}: ${check.title}`,
        why: 'What it reads is unknown, so a problem it looks for may be there.',
        fix: `Check this by hand, or grant the login the permissions it needs. The server said: ${check.detail}`,
      });
    }
    const instance = rows('instance')[0];
    if (instance) {
      versions.set(role, str(instance.product_version));
      const actual = str(instance.server_name);
      if (actual && actual.toUpperCase() !== server.toUpperCase()) {
        add(role, {
          severity: 'error',
          what: `${server} answers to @@SERVERNAME ${actual}.`,
          why: 'Log shipping records and matches servers by the name @@SERVERNAME returns; the scripts would name a server that is not this one.',
          fix: `Set the SQL Server name of the ${roleLabel[role]} to ${actual} in the plan, or connect to the intended instance.`,
        });
      }
      if (Number(instance.is_sysadmin) !== 1) {
        add(role, {
          severity: 'error',
          what: `The login used for ${server} is not sysadmin.`,
          why: 'Only members of sysadmin can run the log-shipping procedures (sp_add_log_shipping_*).',
          fix: 'Use a login that is a member of the sysadmin fixed server role.',
        });
      }
      if (/express/i.test(str(instance.edition))) {
        add(role, {
          severity: 'error',
          what: `${server} runs ${str(instance.edition)}.`,
          why: 'Express edition has no SQL Server Agent, and log shipping runs as Agent jobs.',
          fix: 'Use Standard, Enterprise or Developer edition.',
        });
      }
    }
    const agent = rows('services').find((s) => s.service_kind === 'agent');
    if (agent && str(agent.status_desc).toLowerCase() !== 'running') {
      add(role, {
        severity: role === 'backupMirror' ? 'warning' : 'error',
        what: `SQL Server Agent on ${server} is ${str(agent.status_desc).toLowerCase() || 'not running'}.`,
        why: 'The backup, copy and restore jobs of log shipping are Agent jobs: nothing ships while Agent is stopped.',
        fix: 'Start SQL Server Agent and set its start mode to Automatic.',
      });
    }
    const engine = rows('services').find((s) => s.service_kind === 'engine');
    if (
      engine &&
      /localsystem|local system/i.test(str(engine.service_account)) &&
      !plan.backup.localPath &&
      (role === 'primary' || role === 'primaryMirror')
    ) {
      add(role, {
        severity: 'error',
        what: `SQL Server on ${server} runs as Local System and the plan has no local backup path.`,
        why: 'Local System cannot write to a network share; the backup job would fail.',
        fix: 'Run SQL Server under a domain account with rights on the share, or give the local path of the backup folder.',
      });
    }
    const dbs = rows('databases');
    for (const name of watchedDatabases(plan)) {
      const db = dbs.find((d) => str(d.database_name).toLowerCase() === name.toLowerCase());
      const isChatDb = name.toLowerCase() === plan.database.toLowerCase();
      if (role === 'primary' && isChatDb) {
        if (!db) {
          add(role, {
            severity: 'error',
            what: `${name} does not exist on ${server}.`,
            why: 'The primary store must hold the Persistent Chat database.',
            fix: 'Publish the topology with Topology Builder, or correct the server or database name.',
          });
          continue;
        }
        if (str(db.recovery_model_desc).toUpperCase() !== 'FULL') {
          add(role, {
            severity: 'error',
            what: `${name} on ${server} uses the ${str(db.recovery_model_desc)} recovery model.`,
            why: 'Log shipping and mirroring need the FULL recovery model: there is no log to back up otherwise.',
            fix: 'Set the recovery model to FULL, then take a full backup to start the log chain.',
            fixScript: `ALTER DATABASE ${quoteIdentifier(name)} SET RECOVERY FULL;\n`,
          });
        }
        if (str(db.mirroring_role_desc).toUpperCase() !== 'PRINCIPAL') {
          add(role, {
            severity: 'error',
            what: `${name} on ${server} is ${db.mirroring_role_desc ? `the mirroring ${str(db.mirroring_role_desc).toLowerCase()}` : 'not mirrored'}.`,
            why: 'The procedure starts with the primary store as principal and the primary mirror as mirror (Topology Builder sets this up).',
            fix: db.mirroring_role_desc
              ? 'Fail back to the primary store first (failback-to-primary).'
              : 'Set up mirroring with Topology Builder (Install-CsMirrorDatabase) first.',
          });
        } else if (str(db.mirroring_state_desc).toUpperCase() !== 'SYNCHRONIZED') {
          add(role, {
            severity: 'warning',
            what: `Mirroring of ${name} on ${server} is ${str(db.mirroring_state_desc)}.`,
            why: 'The failover to the mirror during setup needs a synchronised mirror.',
            fix: 'Wait for the mirror to synchronise, or resume mirroring, before failover-to-mirror.',
            fixScript: `ALTER DATABASE ${quoteIdentifier(name)} SET PARTNER RESUME;\n`,
          });
        }
      }
      if (
        role === 'primaryMirror' &&
        isChatDb &&
        db &&
        str(db.mirroring_role_desc).toUpperCase() !== 'MIRROR'
      ) {
        add(role, {
          severity: 'error',
          what: `${name} on ${server} is not the mirror of the primary store.`,
          why: 'The mirror becomes the second log-shipping primary during setup; it must be the mirroring partner.',
          fix: 'Check the primary mirror server in the plan, or set up mirroring with Topology Builder.',
        });
      }
    }
    if (role === 'primary' || role === 'primaryMirror') {
      const existing = rows('ls-primary-databases').filter(
        (r) => str(r.primary_database).toLowerCase() === plan.database.toLowerCase(),
      );
      if (existing.length > 0) {
        add(role, {
          severity: 'warning',
          what: `${server} already has a log-shipping primary configuration for ${plan.database}.`,
          why: 'SSMS scripts overwrite it silently (@overwrite = 1); the wizard will not, so the old jobs and history would be lost unnoticed.',
          fix: "Keep it if it is this plan's own earlier apply; otherwise remove it first (teardown) and apply again.",
          fixScript: `EXEC master.dbo.sp_delete_log_shipping_primary_database @database = ${nString(plan.database)};\n`,
        });
      }
    }
    if (role === 'backup') {
      const existing = rows('ls-secondary-databases').filter(
        (r) => str(r.secondary_database).toLowerCase() === plan.secondaryDatabase.toLowerCase(),
      );
      if (existing.length > 0) {
        add(role, {
          severity: 'warning',
          what: `${server} already has a log-shipping secondary configuration for ${plan.secondaryDatabase}.`,
          why: 'Applying again would overwrite it; an existing restore chain may be in use.',
          fix: "Keep it if it is this plan's own earlier apply; otherwise remove it first (teardown).",
          fixScript: `EXEC master.dbo.sp_delete_log_shipping_secondary_database @secondary_database = ${nString(plan.secondaryDatabase)};\n`,
        });
      }
    }
    for (const [id, pathRows] of reading.results) {
      if (!id.startsWith('path-')) continue;
      const row = pathRows[0];
      const folderOk = row && (Number(row.is_directory) === 1 || Number(row.file_exists) === 1);
      if (!folderOk) {
        const purpose = id.slice('path-'.length).replace(/-/g, ' ');
        add(role, {
          severity: 'error',
          what: `The SQL Server service on ${server} cannot see the ${purpose} ${str(row?.path)}.`,
          why: 'Backups, copies and restores run as the SQL Server and Agent service accounts, not as you.',
          fix: 'Create the folder and grant the service accounts of every SQL Server read and write access to it (share and NTFS).',
        });
      }
    }
    const files = rows('database-files').filter(
      (f) => str(f.database_name).toLowerCase() === plan.database.toLowerCase(),
    );
    if (role === 'backup' && files.length === 0 && plan.secondary.initialise.mode !== 'already-initialised') {
      // No local copy yet: fine. Space is checked on the primary's side below.
    }
    if (role === 'primary' && files.length > 0) {
      const size = files.reduce((sum, f) => sum + Number(f.size_bytes ?? 0), 0);
      const free = Math.min(
        ...files.map((f) => Number(f.volume_available_bytes ?? Number.POSITIVE_INFINITY)),
      );
      if (Number.isFinite(free) && free < size) {
        add(role, {
          severity: 'warning',
          what: `The volumes of ${plan.database} on ${server} have ${Math.round(free / 1048576)} MB free for a ${Math.round(size / 1048576)} MB database.`,
          why: 'The initial full backup and the restore on the backup store need about the size of the database.',
          fix: "Free space on the share and on the backup store's data and log volumes before ship-primary.",
        });
      }
    }
  }
  const standby = plan.secondary.restore.mode === 'standby';
  checkFilesToMove(plan, readings.primary, add);
  const primaryVersion = versions.get('primary');
  const backupVersion = versions.get('backup');
  if (primaryVersion && backupVersion) {
    if (major(backupVersion) < major(primaryVersion)) {
      add('backup', {
        severity: 'error',
        what: `The backup store runs SQL Server ${backupVersion}, older than the primary's ${primaryVersion}.`,
        why: 'A backup cannot be restored on an older version of SQL Server.',
        fix: 'Upgrade the backup store to the same version as the primary.',
      });
    } else if (standby && major(backupVersion) !== major(primaryVersion)) {
      add('backup', {
        severity: 'error',
        what: `Standby restore mode needs the same major version on both sides (${primaryVersion} and ${backupVersion}).`,
        why: 'A standby database is upgraded on restore, which cannot happen while it stays readable between restores.',
        fix: 'Choose "No recovery" on the Restore tab, or run the same major version on both sides.',
      });
    }
  }
  for (const role of Object.keys(readings) as ServerRole[]) {
    if (readings[role].ok && !findings.some((f) => f.role === role && f.severity !== 'ok')) {
      add(role, {
        severity: 'ok',
        what: `${plan.servers[role].name} is ready.`,
        why: 'Every check passed.',
        fix: '',
      });
    }
  }
  return findings;
}

/**
 * The files ship-primary's restore moves were read from the primary on the Secondary page; the database may have
 * gained, lost or renamed a file since. RESTORE ... MOVE names them by logical name, so compare the sets.
 */
function checkFilesToMove(
  plan: Plan,
  reading: InstanceReading,
  add: (role: ServerRole, f: Omit<Finding, 'role' | 'server'>) => void,
) {
  const init = plan.secondary.initialise;
  if (init.mode === 'already-initialised' || (!init.dataFolder && !init.logFolder) || !reading.ok) return;
  const read = (reading.results.get('database-files') ?? []).filter(
    (f) =>
      str(f.database_name).toLowerCase() === plan.database.toLowerCase() &&
      ['ROWS', 'LOG'].includes(str(f.type_desc)),
  );
  if (read.length === 0) return;
  const names = (files: { logical: string; type: string }[]) =>
    files.map((f) => `${f.logical} (${f.type})`).sort((a, b) => a.localeCompare(b));
  const planned = names(init.files);
  const actual = names(read.map((f) => ({ logical: str(f.logical_name), type: str(f.type_desc) })));
  if (planned.join('\n').toLowerCase() === actual.join('\n').toLowerCase()) return;
  add('primary', {
    severity: 'error',
    what: `The plan moves the files ${planned.join(', ')} of ${plan.database}, but on ${plan.servers.primary.name} it has ${actual.join(', ')}.`,
    why: "RESTORE … MOVE names each file by its logical name: a name the backup does not hold stops the restore (error 3234), and a file the plan does not name is restored to the primary's own path on the backup store.",
    fix: 'On the Secondary page (Initialize tab), read the files from the primary again, save, and review ship-primary again.',
  });
}
