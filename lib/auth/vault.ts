import 'server-only';
import type { Plan, Server } from '@/lib/plan/schema';
import type { SecretSource } from '@/lib/sql/execute';
import type { ServerRole } from '@/lib/stages/ids';
import { serverRoles } from '@/lib/stages/ids';
import { type Env } from './constants';
import { sessionRegistry } from './session-registry';

/** A role whose password can come from `PCHAT_HADR_SQL_PASSWORD_<ROLE>`: the four stores and the monitor. */
export type SecretRole = ServerRole | 'monitor';

/** The environment variable suffix of a role: `primaryMirror` → `PRIMARYMIRROR`. */
export function envRoleName(role: SecretRole): string {
  return role.toUpperCase();
}

/**
 * Vault key of a login on an instance: the instance name scripts use plus who signs in. The same login on the
 * same instance shares one password, whatever role or plan asks for it.
 */
export function vaultKey(serverName: string, auth: Server['auth']): string {
  const instance = serverName.trim().toUpperCase();
  switch (auth.mode) {
    case 'sql':
      return `${instance}|sql:${auth.login}`;
    case 'windows-ntlm':
      return `${instance}|ntlm:${auth.domain.toUpperCase()}\\${auth.user.toLowerCase()}`;
    case 'windows-integrated':
      return `${instance}|integrated`;
  }
}

/** Holds a password in this session's memory; false when the session has ended. */
export function rememberSecret(sessionId: string, key: string, password: string): boolean {
  return sessionRegistry().rememberSecret(sessionId, key, password);
}

/** A password this session holds, or undefined. */
export function secretFor(sessionId: string | undefined, key: string): string | undefined {
  return sessionRegistry().secret(sessionId, key);
}

/** Forgets one password of this session (the operator typed a wrong one). */
export function forgetSecret(sessionId: string, key: string): void {
  sessionRegistry().forgetSecret(sessionId, key);
}

/** The password the environment gives a role, for unattended use: role-specific first, then the shared one. */
export function envSecret(role: SecretRole, env: Env = process.env): string | undefined {
  return env[`PCHAT_HADR_SQL_PASSWORD_${envRoleName(role)}`] || env.PCHAT_HADR_SQL_PASSWORD || undefined;
}

/** One credential a plan needs to connect, and where its password would come from now. */
export interface SecretNeed {
  key: string;
  roles: SecretRole[];
  serverName: string;
  /** Who signs in, as an operator reads it: `sa`, `CONTOSO\svc-sql`. */
  principal: string;
  /** `session`: typed in this session; `environment`: from PCHAT_HADR_SQL_PASSWORD*; `missing`: must be asked. */
  source: 'session' | 'environment' | 'missing';
}

function principalOf(auth: Server['auth']): string | undefined {
  if (auth.mode === 'sql') return auth.login;
  if (auth.mode === 'windows-ntlm') return `${auth.domain}\\${auth.user}`;
  return undefined;
}

interface Credential {
  key: string;
  role: SecretRole;
  serverName: string;
  principal: string;
}

/** Every login a plan connects with (stores, monitor, and the monitor login of the log-shipping jobs). */
function credentialsOf(plan: Plan): Credential[] {
  const out: Credential[] = [];
  const add = (role: SecretRole, serverName: string, auth: Server['auth']) => {
    const principal = principalOf(auth);
    if (principal) out.push({ key: vaultKey(serverName, auth), role, serverName, principal });
  };
  for (const role of serverRoles) add(role, plan.servers[role].name, plan.servers[role].auth);
  if (plan.monitor.enabled) {
    add('monitor', plan.monitor.server.name, plan.monitor.server.auth);
    const job = plan.monitor.jobAuth;
    if (job.mode === 'sql') add('monitor', plan.monitor.server.name, { mode: 'sql', login: job.login });
  }
  return out;
}

/** The passwords a plan needs, grouped by vault key, and whether each is available to this session. */
export function secretNeeds(sessionId: string | undefined, plan: Plan, env: Env = process.env): SecretNeed[] {
  const byKey = new Map<string, SecretNeed>();
  for (const c of credentialsOf(plan)) {
    const need = byKey.get(c.key);
    if (need) {
      if (!need.roles.includes(c.role)) need.roles.push(c.role);
      continue;
    }
    byKey.set(c.key, {
      key: c.key,
      roles: [c.role],
      serverName: c.serverName,
      principal: c.principal,
      source: 'missing',
    });
  }
  for (const need of byKey.values()) {
    if (secretFor(sessionId, need.key) !== undefined) need.source = 'session';
    else if (need.roles.some((role) => envSecret(role, env) !== undefined)) need.source = 'environment';
  }
  return [...byKey.values()];
}

function resolve(
  sessionId: string | undefined,
  key: string,
  roles: SecretRole[],
  env: Env,
): string | undefined {
  const typed = secretFor(sessionId, key);
  if (typed !== undefined) return typed;
  for (const role of roles) {
    const fromEnv = envSecret(role, env);
    if (fromEnv !== undefined) return fromEnv;
  }
  return undefined;
}

/**
 * The executor's password lookup for one apply of `plan`: what the session holds, else the environment. The values
 * are copied when the apply starts, so a run that outlasts the session (a long restore) keeps its connections.
 */
export function secretSourceFor(
  sessionId: string | undefined,
  plan: Plan,
  env: Env = process.env,
): SecretSource {
  const snapshot = new Map<string, string>();
  for (const need of secretNeeds(sessionId, plan, env)) {
    const value = resolve(sessionId, need.key, need.roles, env);
    if (value !== undefined) snapshot.set(need.key, value);
  }
  return (server: Server) => {
    if (server.auth.mode === 'windows-integrated') return undefined;
    // A server outside the plan (a topology check reading another instance) can still use the shared variable.
    const value =
      snapshot.get(vaultKey(server.name, server.auth)) ?? (env.PCHAT_HADR_SQL_PASSWORD || undefined);
    return value === undefined ? undefined : { password: value };
  };
}

/** The password of the SQL login the log-shipping jobs use to reach the monitor (`@monitor_server_password`). */
export function monitorJobPassword(
  sessionId: string | undefined,
  plan: Plan,
  env: Env = process.env,
): string | undefined {
  if (!plan.monitor.enabled || plan.monitor.jobAuth.mode !== 'sql') return undefined;
  const key = vaultKey(plan.monitor.server.name, { mode: 'sql', login: plan.monitor.jobAuth.login });
  return secretFor(sessionId, key) ?? env.PCHAT_HADR_MONITOR_JOB_PASSWORD ?? envSecret('monitor', env);
}
