#!/usr/bin/env node
// `npm start`: builds the wizard when the build is missing or older than the sources, starts the rehearsal lab
// beside it unless real servers are configured (PCHAT_HADR_LAB=off), and serves the wizard on 127.0.0.1:3000
// (HOST and PORT override). Ctrl+C stops both.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const host = process.env.HOST ?? '127.0.0.1';
const port = process.env.PORT ?? '3000';
const useLab = (process.env.PCHAT_HADR_LAB ?? 'on') !== 'off';

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const buildId = path.join(root, '.next', 'BUILD_ID');
const sourcesChanged =
  !existsSync(buildId) ||
  Math.max(...['app', 'components', 'lib'].map((d) => newestMtime(path.join(root, d)))) > statSync(buildId).mtimeMs;
if (sourcesChanged) {
  process.stdout.write('pchat-hadr: building the wizard (first start or sources changed)...\n');
  const build = spawnSync(path.join(root, 'node_modules/.bin/next'), ['build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const children = [];
function stopAll(code) {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exit(code);
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

const env = { ...process.env };

// The SfB stages need PowerShell 7; a fresh machine gets it as a .NET tool under .tools/ (as npm test does).
if (!env.PCHAT_HADR_PWSH) {
  const local = path.join(root, '.tools', 'pwsh', 'pwsh');
  if (!existsSync(local)) {
    const got = spawnSync(process.execPath, [path.join(root, 'scripts', 'provision.mjs'), '--only', 'pwsh'], {
      cwd: root,
      stdio: 'inherit',
    });
    if (got.status !== 0) {
      process.stderr.write('pchat-hadr: PowerShell 7 could not be installed; the SfB stages will say so when applied.\n');
    }
  }
  if (existsSync(local)) env.PCHAT_HADR_PWSH = local;
}

if (useLab) {
  // One password for the lab's sa and the wizard's default SQL secret, so the lab plan works without typing one.
  if (!env.LAB_SA_PASSWORD) {
    env.LAB_SA_PASSWORD = `Lab-${randomBytes(9).toString('base64url')}`;
    process.stdout.write(`pchat-hadr: lab login sa / ${env.LAB_SA_PASSWORD} (for this run; set LAB_SA_PASSWORD to choose one)\n`);
  }
  env.PCHAT_HADR_SQL_PASSWORD ??= env.LAB_SA_PASSWORD;
  env.PCHAT_LAB_CONTROL_URL ??= `http://127.0.0.1:${env.LAB_CONTROL_PORT ?? '14330'}`;
  // Where pwsh finds the lab's SkypeForBusiness module (a real installation has its own).
  env.PCHAT_HADR_PS_MODULE_PATH ??= path.join(root, 'lab', 'sfb');
  const lab = spawn(process.execPath, [path.join(root, 'bin/pchat-hadr.mjs'), 'lab'], { cwd: root, stdio: 'inherit', env });
  children.push(lab);
  lab.on('exit', (code) => {
    process.stderr.write(`pchat-hadr: the lab stopped (exit ${code}); stopping the wizard.\n`);
    stopAll(code ?? 1);
  });
}

const web = spawn(path.join(root, 'node_modules/.bin/next'), ['start', '-H', host, '-p', port], { cwd: root, stdio: 'inherit', env });
children.push(web);
web.on('exit', (code) => stopAll(code ?? 1));
process.stdout.write(`pchat-hadr: wizard on http://${host}:${port}${useLab ? ' (with the rehearsal lab)' : ''}\n`);
