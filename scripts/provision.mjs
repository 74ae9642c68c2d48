#!/usr/bin/env node
// Installs what the test suites need and a fresh machine lacks: Debian's Chromium, pwsh (a .NET tool) and
// Microsoft's T-SQL parser (ScriptDom, from NuGet). Each step says what it does and fails loudly: a suite must
// never be skipped because a tool is missing.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const tools = {
  chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  pwsh: process.env.PWSH_PATH ?? path.join(root, '.tools/pwsh/pwsh'),
  scriptDom: path.join(root, '.tools/scriptdom/Microsoft.SqlServer.TransactSql.ScriptDom.dll'),
};

const PWSH_VERSION = '7.6.9';
const SCRIPTDOM_VERSION = '180.140.0';

function run(cmd, args, opts = {}) {
  process.stdout.write(`provision: ${cmd} ${args.join(' ')}\n`);
  execFileSync(cmd, args, { stdio: 'inherit', ...opts });
}

function fail(what, error) {
  process.stderr.write(`provision: FAILED to install ${what}: ${error?.message ?? error}\n`);
  process.exit(1);
}

function hasCommand(cmd) {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function provisionChromium() {
  if (existsSync(tools.chromium)) return;
  try {
    if (!hasCommand('apt-get')) throw new Error('apt-get is not available; install Chromium and set CHROMIUM_PATH');
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', 'chromium'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (!existsSync(tools.chromium)) throw new Error(`${tools.chromium} still missing after apt-get install chromium`);
  } catch (error) {
    fail('Chromium', error);
  }
}

export function provisionPwsh() {
  if (existsSync(tools.pwsh)) return;
  try {
    run('dotnet', ['tool', 'install', 'PowerShell', '--version', PWSH_VERSION, '--tool-path', path.join(root, '.tools/pwsh')]);
    if (!existsSync(tools.pwsh)) throw new Error(`${tools.pwsh} still missing after dotnet tool install`);
  } catch (error) {
    fail(`pwsh ${PWSH_VERSION}`, error);
  }
}

export function provisionScriptDom() {
  if (existsSync(tools.scriptDom)) return;
  try {
    const packages = path.join(root, '.tools/nuget');
    run('dotnet', ['restore', path.join(root, 'tools/scriptdom/scriptdom.csproj'), '--packages', packages]);
    const dll = path.join(
      packages,
      'microsoft.sqlserver.transactsql.scriptdom',
      SCRIPTDOM_VERSION,
      'lib/netstandard2.1/Microsoft.SqlServer.TransactSql.ScriptDom.dll',
    );
    if (!existsSync(dll)) throw new Error(`${dll} missing after dotnet restore`);
    mkdirSync(path.dirname(tools.scriptDom), { recursive: true });
    copyFileSync(dll, tools.scriptDom);
  } catch (error) {
    fail(`ScriptDom ${SCRIPTDOM_VERSION}`, error);
  }
}

export function provisionAll() {
  provisionPwsh();
  provisionScriptDom();
  provisionChromium();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const only = process.argv.indexOf('--only');
  if (only > 0 && process.argv[only + 1] === 'pwsh') {
    provisionPwsh();
    process.exit(0);
  }
  provisionAll();
  process.stdout.write(`provision: ready (chromium ${tools.chromium}, pwsh ${tools.pwsh}, scriptdom ${tools.scriptDom})\n`);
}
