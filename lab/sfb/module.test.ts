// The lab's SkypeForBusiness module in real pwsh, against handleSfbControl served over HTTP on a fake world.
// The stages run exactly the commands lib/shell/generate produces for them.
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import {
  activeServersCommand,
  failbackToPrimaryCommands,
  failoverToMirrorCommands,
  getPersistentChatStateCommand,
  installMirrorDatabaseCommand,
  mirrorStateProblems,
  parseMirrorState,
  setActiveServersCommand,
  setPersistentChatStateCommand,
  topologyCommands,
  type ShellCommand,
  type ShellStageInput,
} from '@/lib/shell/generate';
import { runPwshRaw } from '@/lib/shell/testing/run-pwsh';

import { createFakeWorld, serveControl } from './testing/fake-world';

const moduleRoot = path.resolve(__dirname);
const stage: ShellStageInput = {
  poolFqdn: 'pchat.lab.local',
  compliance: true,
  shellHost: { kind: 'local-pwsh' },
};
const servers: { close: () => Promise<void> }[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function labShell(world: ReturnType<typeof createFakeWorld>) {
  const server = await serveControl(world);
  servers.push(server);
  return (script: string, env: Record<string, string> = { PCHAT_LAB_CONTROL_URL: server.url }) =>
    runPwshRaw(`$PSStyle.OutputRendering = 'PlainText'\n${script}`, {
      ...env,
      PSModulePath: `${moduleRoot}${path.delimiter}${process.env.PSModulePath ?? ''}`,
    });
}

/** Runs commands in one session, as the executor does, and returns each JSON line of output parsed. */
function jsonLines(stdout: string): unknown[] {
  return stdout
    .split(/\r?\n/)
    .filter((line) => line.startsWith('['))
    .map((line) => JSON.parse(line) as unknown);
}

// The executor imports the module once per session before the stage's commands; so does this test.
const script = (commands: ShellCommand[]) =>
  ['Import-Module SkypeForBusiness', ...commands.map((command) => command.script)].join('\n');

// pwsh starts slowly on a loaded two-core machine; the generous timeout is for start-up, not for what is tested.
describe('lab SkypeForBusiness module', { timeout: 120_000 }, () => {
  it('runs the generated failover-to-mirror and failback-to-primary stages, swapping roles both ways', async () => {
    const world = createFakeWorld();
    const shell = await labShell(world);
    const over = await shell(script(failoverToMirrorCommands(stage)));
    expect(over.stderr).toBe('');
    expect(over.code).toBe(0);
    expect(over.stdout).toContain(
      'VERBOSE: Database mgc failed over: principal is now SQL02.lab.local\\PCHAT.',
    );
    expect(jsonLines(over.stdout)).toEqual([
      [
        {
          DatabaseName: 'mgc',
          StateOnPrimary: 'Mirror',
          StateOnMirror: 'Principal',
          MirroringStatusOnPrimary: 'Synchronized',
          MirroringStatusOnMirror: 'Synchronized',
        },
      ],
      [
        {
          DatabaseName: 'mgccomp',
          StateOnPrimary: 'Mirror',
          StateOnMirror: 'Principal',
          MirroringStatusOnPrimary: 'Synchronized',
          MirroringStatusOnMirror: 'Synchronized',
        },
      ],
    ]);
    expect(world.mirroring('SQL02\\PCHAT', 'mgc')?.role).toBe('PRINCIPAL');
    // The executor's own check reads the same output and finds nothing wrong.
    const stateLines = over.stdout.split(/\r?\n/).filter((line) => line.startsWith('['));
    expect(
      stateLines.map((line, i) =>
        mirrorStateProblems(parseMirrorState(line), ['mgc', 'mgccomp'][i]!, 'Mirror'),
      ),
    ).toEqual([[], []]);

    const back = await shell(script(failbackToPrimaryCommands(stage)));
    expect(back.code).toBe(0);
    expect(
      jsonLines(back.stdout).map((states) => (states as { StateOnPrimary: string }[])[0]?.StateOnPrimary),
    ).toEqual(['Principal', 'Principal']);
    expect(world.failovers.map((f) => f.newPrincipal)).toEqual([
      'SQL02\\PCHAT',
      'SQL02\\PCHAT',
      'SQL01\\PCHAT',
      'SQL01\\PCHAT',
    ]);
  });

  it('runs the generated topology stage and returns the published pool as JSON', async () => {
    const shell = await labShell(createFakeWorld());
    const { code, stdout } = await shell(script(topologyCommands(stage)));
    expect(code).toBe(0);
    const [pool, stores, complianceStores, mgc] = jsonLines(stdout) as Record<string, unknown>[][];
    expect(pool).toEqual([
      {
        Identity: 'PersistentChatServer:pchat.lab.local',
        PoolFqdn: 'pchat.lab.local',
        SiteId: 'Site:Primary',
        ActiveServers: ['FE01.lab.local', 'FE02.lab.local'],
        InactiveServers: ['FEDR01.lab.local'],
        PersistentChatDatabase: 'PersistentChatStore:SQL01.lab.local',
        MirrorPersistentChatDatabase: 'PersistentChatStore:SQL02.lab.local',
        BackupPersistentChatDatabase: 'PersistentChatStore:SQLDR01.lab.local',
        BackupMirrorPersistentChatDatabase: 'PersistentChatStore:SQLDR02.lab.local',
        PersistentChatComplianceDatabase: 'PersistentChatComplianceStore:SQL01.lab.local',
        MirrorPersistentChatComplianceDatabase: 'PersistentChatComplianceStore:SQL02.lab.local',
        BackupPersistentChatComplianceDatabase: 'PersistentChatComplianceStore:SQLDR01.lab.local',
        BackupMirrorPersistentChatComplianceDatabase: 'PersistentChatComplianceStore:SQLDR02.lab.local',
      },
    ]);
    expect(stores?.[0]).toEqual({
      Identity: 'PersistentChatStore:SQL01.lab.local',
      PoolFqdn: 'SQL01.lab.local',
      SqlInstanceName: 'PCHAT',
      SiteId: 'Site:Primary',
      Role: 'PersistentChatStore',
      DependentServiceList: ['PersistentChatServer:pchat.lab.local'],
    });
    expect(complianceStores).toHaveLength(4);
    expect(mgc?.[0]).toMatchObject({
      DatabaseName: 'mgc',
      StateOnPrimary: 'Principal',
      StateOnMirror: 'Mirror',
    });
  });

  it('runs the generated DR runbook commands', async () => {
    const world = createFakeWorld({ establishMirroring: true });
    const shell = await labShell(world);
    const { code, stdout, stderr } = await shell(
      script([
        setPersistentChatStateCommand('pchat.lab.local', 'FailedOver'),
        getPersistentChatStateCommand('pchat.lab.local'),
        setActiveServersCommand('pchat.lab.local', []),
        setActiveServersCommand('pchat.lab.local', ['FEDR01.lab.local']),
        activeServersCommand('pchat.lab.local'),
        installMirrorDatabaseCommand({
          poolFqdn: 'pchat.lab.local',
          databaseType: 'PersistentChat',
          store: 'backup',
          fileShare: '\\\\FS01.lab.local\\mirror',
        }),
      ]),
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(jsonLines(stdout)).toEqual([
      [{ Identity: 'service:PersistentChatServer:pchat.lab.local', PoolState: 'FailedOver' }],
      [
        {
          Identity: 'PersistentChatServer:pchat.lab.local',
          ActiveServers: ['FEDR01.lab.local'],
          InactiveServers: ['FE01.lab.local', 'FE02.lab.local'],
        },
      ],
    ]);
    expect(stdout).toContain('   Mirror SQL: SQLDR02.lab.local\\PCHAT');
    expect(world.mirroring('SQLDR02\\PCHAT', 'mgc')).toMatchObject({
      role: 'MIRROR',
      partnerServerName: 'SQLDR01\\PCHAT',
    });
  });

  it('validates parameters as documented and fails like a cmdlet on lab errors', async () => {
    const world = createFakeWorld({ establishMirroring: true });
    const shell = await labShell(world);
    const attempts = [
      "Invoke-CsDatabaseFailover -PoolFqdn 'pchat.lab.local' -DatabaseType 'Bogus' -NewPrincipal 'Mirror'",
      "Invoke-CsDatabaseFailover -PoolFqdn 'pchat.lab.local' -DatabaseType 'PersistentChat' -NewPrincipal 'Secondary'",
      "Invoke-CsDatabaseFailover -PoolFqdn 'other.lab.local' -DatabaseType 'PersistentChat' -NewPrincipal 'Mirror'",
      "Set-CsPersistentChatState -Identity 'service:PersistentChatServer:pchat.lab.local' -PoolState 'Degraded'",
      "Set-CsPersistentChatActiveServer -ActiveServers @{Add='SQL01.lab.local'}",
      'Get-CsService -PersistentChatServer -PersistentChatDatabase',
      // The documented Yes/Yes to All prompt cannot be answered in a non-interactive session.
      "Install-CsMirrorDatabase -DatabaseType 'PersistentChat' -SqlServerFqdn 'SQLDR01.lab.local' -SqlInstanceName 'PCHAT' -FileShare '\\\\fs\\m'",
    ];
    const probe = attempts
      .map(
        (attempt) =>
          `try { ${attempt} | Out-Null; 'no error' } catch { ConvertTo-Json -Compress -InputObject @(@{ id = $_.FullyQualifiedErrorId; category = [string]$_.CategoryInfo.Category; message = $_.Exception.Message }) }`,
      )
      .join('\n');
    const { stdout } = await shell(`Import-Module SkypeForBusiness\n${probe}`);
    const errors = jsonLines(stdout).map(
      (e) => (e as { id: string; category: string; message: string }[])[0]!,
    );
    expect(stdout).not.toContain('no error');
    expect(errors.map((e) => e.id)).toEqual([
      'ParameterArgumentValidationError,Invoke-CsDatabaseFailover',
      'ParameterArgumentValidationError,Invoke-CsDatabaseFailover',
      'PoolNotFound,Invoke-CsDatabaseFailover',
      'ParameterArgumentValidationError,Set-CsPersistentChatState',
      'ServerNotInPool,Set-CsPersistentChatActiveServer',
      'AmbiguousParameterSet,Get-CsService',
      expect.stringMatching(/Install-CsMirrorDatabase/),
    ]);
    expect(errors[2]).toMatchObject({
      category: 'ObjectNotFound',
      message: 'Cannot find pool "other.lab.local" in the topology.',
    });
    expect(errors[6]?.message).toMatch(/NonInteractive/);
    expect(world.failovers).toEqual([]);
    expect(world.mirroring('SQLDR01\\PCHAT', 'mgc')).toBeUndefined();
  });

  it('says so when the control API address is missing', async () => {
    const shell = await labShell(createFakeWorld());
    const { code, stderr } = await shell(
      "Import-Module SkypeForBusiness\nGet-CsDatabaseMirrorState -PoolFqdn 'pchat.lab.local'",
      {
        PCHAT_LAB_CONTROL_URL: '',
      },
    );
    expect(code).not.toBe(0);
    expect(stderr).toContain('PCHAT_LAB_CONTROL_URL is not set');
  });
});
