import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ShellExecutor } from './execute';

const pwsh = process.env.PWSH_PATH ?? path.resolve('.tools/pwsh/pwsh');

// A throw-away module named SkypeForBusiness: the executor imports it by name, as it does the real one.
const moduleRoot = mkdtempSync(path.join(os.tmpdir(), 'pchat-shell-'));
mkdirSync(path.join(moduleRoot, 'SkypeForBusiness'));
writeFileSync(
  path.join(moduleRoot, 'SkypeForBusiness', 'SkypeForBusiness.psm1'),
  `function Get-Probe { [CmdletBinding()] param([string]$Name) Write-Verbose "probing $Name"; Write-Warning "careful"; "hello $Name" }
function Stop-Probe { throw 'the probe failed' }
Export-ModuleMember -Function Get-Probe, Stop-Probe`,
);

const executor = new ShellExecutor({
  host: { kind: 'local-pwsh' },
  executable: pwsh,
  modulePath: moduleRoot,
  timeoutMs: 20_000,
});
afterAll(() => executor.close());

const command = (script: string) => ({ id: 'c', title: 'c', script, readOnly: true, hash: '' });

describe('ShellExecutor (real pwsh)', () => {
  it('imports the module once and keeps output, warning and verbose streams apart', async () => {
    const outcome = await executor.run(command("Get-Probe -Name 'x$(whoami)`y' -Verbose"));
    expect(outcome.status).toBe('succeeded');
    expect(outcome.streams.output).toEqual(['hello x$(whoami)`y']);
    expect(outcome.streams.warnings).toEqual(['careful']);
    expect(outcome.streams.verbose).toEqual(['probing x$(whoami)`y']);
  });

  it('reports a terminating error as a failure with its message', async () => {
    const outcome = await executor.run(command('Stop-Probe'));
    expect(outcome.status).toBe('failed');
    if (outcome.status === 'failed') expect(outcome.error).toContain('the probe failed');
  });

  it('runs a multi-line script as one command', async () => {
    const outcome = await executor.run(command('$a = 1\n$b = 2\n"sum $($a + $b)"'));
    expect(outcome.streams.output).toEqual(['sum 3']);
  });

  it('says the module is unavailable when it cannot be imported', async () => {
    const lonely = new ShellExecutor({
      host: { kind: 'local-pwsh' },
      executable: pwsh,
      modulePath: os.tmpdir(),
      timeoutMs: 20_000,
    });
    try {
      const outcome = await lonely.run(command('Get-Probe'));
      expect(outcome.status).toBe('unavailable');
    } finally {
      await lonely.close();
    }
  });
});

describe('ShellExecutor when PowerShell does not finish', () => {
  it('stops a command that outlives its timeout, then starts a fresh session for the next one', async () => {
    const slow = new ShellExecutor({
      host: { kind: 'local-pwsh' },
      executable: pwsh,
      modulePath: moduleRoot,
      timeoutMs: 4_000,
    });
    try {
      await slow.run(command("Get-Probe -Name 'warm'"));
      const outcome = await slow.run(command('Start-Sleep -Seconds 60'));
      expect(outcome.status).toBe('timeout');
      const next = await slow.run(command("Get-Probe -Name 'again'"));
      expect(next.streams.output).toEqual(['hello again']);
    } finally {
      await slow.close();
    }
  });

  it('reports PowerShell killed mid-command, then starts a fresh session for the next one', async () => {
    const doomed = new ShellExecutor({ host: { kind: 'local-pwsh' }, executable: pwsh, modulePath: moduleRoot, timeoutMs: 20_000 });
    try {
      const outcome = await doomed.run(command('Stop-Process -Id $PID -Force'));
      expect(outcome.status).toBe('process-died');
      const next = await doomed.run(command("Get-Probe -Name 'after'"));
      expect(next.streams.output).toEqual(['hello after']);
    } finally {
      await doomed.close();
    }
  });
});
