import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SharedShellReader } from './shared-reader';

const pwsh = process.env.PWSH_PATH ?? path.resolve('.tools/pwsh/pwsh');
const moduleRoot = mkdtempSync(path.join(os.tmpdir(), 'pchat-shared-shell-'));
afterAll(() => rmSync(moduleRoot, { recursive: true, force: true }));

// The module is written only once the test says so: until then the host "has no SfB Management Shell".
function installModule() {
  mkdirSync(path.join(moduleRoot, 'SkypeForBusiness'), { recursive: true });
  writeFileSync(
    path.join(moduleRoot, 'SkypeForBusiness', 'SkypeForBusiness.psm1'),
    'function Get-ProbeState { "Normal" }\nExport-ModuleMember -Function Get-ProbeState',
  );
}

const command = (script: string, readOnly = true) => ({
  id: 'probe',
  title: 'probe',
  script,
  readOnly,
  hash: '',
});

describe('SharedShellReader (real pwsh)', () => {
  const reader = new SharedShellReader({
    host: { kind: 'local-pwsh' },
    executable: pwsh,
    modulePath: moduleRoot,
    timeoutMs: 30_000,
  });
  afterAll(() => reader.close());

  it('starts again after the module could not be loaded, and then keeps one warm session for every read', async () => {
    const missing = await reader.run(command('Get-ProbeState'));
    expect(missing.status).toBe('unavailable');
    installModule();
    const [first, second, third] = await Promise.all([
      reader.run(command('"$PID $(Get-ProbeState)"')),
      reader.run(command('"$PID $(Get-ProbeState)"')),
      reader.run(command('"$PID $(Get-ProbeState)"')),
    ]);
    expect(first!.status).toBe('succeeded');
    const pids = [first, second, third].map((o) =>
      o!.status === 'succeeded' ? o!.streams.output[0] : o!.status,
    );
    expect(pids[0]).toMatch(/^\d+ Normal$/);
    expect(new Set(pids).size).toBe(1);

    await reader.close();
    const after = await reader.run(command('"$PID"'));
    expect(after.status).toBe('succeeded');
    expect(after.status === 'succeeded' ? after.streams.output[0] : '').not.toBe(pids[0]!.split(' ')[0]);
  }, 120_000);

  it('refuses a command that changes the pool', () => {
    expect(() => reader.run(command('Set-CsPersistentChatState', false))).toThrow(
      /cannot run in a shared session/,
    );
  });
});
