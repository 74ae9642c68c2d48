// The whole SfB path as an apply runs it: the product's executor (lib/shell/execute) drives real pwsh with the lab
// module, running the generated stage commands one by one, and the verification output passes the product's check.
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { failoverToMirrorCommands, mirrorStateProblems, parseMirrorState } from '@/lib/shell/generate';
import { ShellExecutor } from '@/lib/shell/execute';
import { pwshPath } from '@/lib/shell/testing/run-pwsh';

import { createFakeWorld, serveControl } from './testing/fake-world';

const world = createFakeWorld();
const served = serveControl(world);
let executor: ShellExecutor | undefined;

afterAll(async () => {
  await executor?.close();
  await (await served).close();
});

describe('generated stage through the product executor', { timeout: 120_000 }, () => {
  it('fails mgc and mgccomp over to the mirror and verifies it', async () => {
    // The executor's pwsh inherits the environment: this is how the lab tells its module where the control API is.
    process.env.PCHAT_LAB_CONTROL_URL = (await served).url;
    executor = new ShellExecutor({
      host: { kind: 'local-pwsh' },
      executable: pwshPath,
      modulePath: path.resolve(__dirname),
      timeoutMs: 90_000,
    });
    const commands = failoverToMirrorCommands({
      poolFqdn: 'pchat.lab.local',
      compliance: true,
      shellHost: { kind: 'local-pwsh' },
    });
    const outcomes = [];
    for (const command of commands) outcomes.push(await executor.run(command));
    expect(outcomes.map((o) => o.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    expect(outcomes[0]?.streams.verbose).toContain(
      'Database mgc failed over: principal is now SQL02.lab.local\\PCHAT.',
    );
    const [mgc, mgccomp] = outcomes.slice(2).map((o) => parseMirrorState(o.streams.output.join('\n')));
    expect(mirrorStateProblems(mgc!, 'mgc', 'Mirror')).toEqual([]);
    expect(mirrorStateProblems(mgccomp!, 'mgccomp', 'Mirror')).toEqual([]);
    expect(world.mirroring('SQL02\\PCHAT', 'mgccomp')?.role).toBe('PRINCIPAL');
  });
});
