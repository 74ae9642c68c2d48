import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { asJsonArray, cmdlet, explicitSwitch, pipeline, psExpression, selectAsStrings } from './cmdlet';
import {
  activeServersCommand,
  getPersistentChatStateCommand,
  installMirrorDatabaseCommand,
  setActiveServersCommand,
  setPersistentChatStateCommand,
} from './dr';
import { failbackToPrimaryCommands, failoverToMirrorCommands } from './failover';
import { sessionCommand } from './session';
import { topologyCommands } from './topology';
import type { ShellStageInput } from './types';

const lab: ShellStageInput = {
  poolFqdn: 'pchat.lab.local',
  compliance: false,
  shellHost: { kind: 'local-pwsh' },
};

const importModule =
  "$ErrorActionPreference = 'Stop'\n$ConfirmPreference = 'None'\nImport-Module SkypeForBusiness";
const mirrorStateSelect =
  "Select-Object -Property @{Name='DatabaseName';Expression={[string]$_.DatabaseName}}, " +
  "@{Name='StateOnPrimary';Expression={[string]$_.StateOnPrimary}}, " +
  "@{Name='StateOnMirror';Expression={[string]$_.StateOnMirror}}, " +
  "@{Name='MirroringStatusOnPrimary';Expression={[string]$_.MirroringStatusOnPrimary}}, " +
  "@{Name='MirroringStatusOnMirror';Expression={[string]$_.MirroringStatusOnMirror}}";
const mirrorState = (type: string) =>
  `ConvertTo-Json -InputObject @(Get-CsDatabaseMirrorState -PoolFqdn 'pchat.lab.local' -DatabaseType '${type}' | ${mirrorStateSelect}) -Depth 4 -Compress`;

describe('cmdlet builder', () => {
  it('writes parameters in order, switches bare, false and undefined omitted, values quoted', () => {
    expect(
      cmdlet('Invoke-CsDatabaseFailover', {
        PoolFqdn: 'pchat.lab.local',
        DatabaseType: 'PersistentChat',
        NewPrincipal: 'Mirror',
        Force: false,
        Report: undefined,
        Verbose: true,
      }),
    ).toBe(
      "Invoke-CsDatabaseFailover -PoolFqdn 'pchat.lab.local' -DatabaseType 'PersistentChat' -NewPrincipal 'Mirror' -Verbose",
    );
    expect(
      cmdlet('Set-Thing', { Confirm: explicitSwitch(false), List: ['a', "b'c"], Count: 3, Nothing: null }),
    ).toBe("Set-Thing -Confirm:$false -List @('a','b''c') -Count 3 -Nothing $null");
    expect(cmdlet('Get-CsService')).toBe('Get-CsService');
  });

  it('refuses names that are not cmdlet, parameter or property names', () => {
    expect(() => cmdlet('Get-CsService; rm', {})).toThrow(/cmdlet name/);
    expect(() => cmdlet('Get-CsService', { 'Pool Fqdn': 'x' })).toThrow(/parameter name/);
    expect(() => selectAsStrings([{ name: 'a}' }])).toThrow(/property name/);
  });

  it('projects properties as strings and string lists inside a JSON array', () => {
    expect(asJsonArray(pipeline('Get-X', selectAsStrings([{ name: 'A' }, { name: 'B', list: true }])))).toBe(
      "ConvertTo-Json -InputObject @(Get-X | Select-Object -Property @{Name='A';Expression={[string]$_.A}}, " +
        "@{Name='B';Expression={,[string[]]@($_.B | Where-Object { $null -ne $_ })}}) -Depth 4 -Compress",
    );
  });
});

describe('session command for a downloaded script', () => {
  it('imports the module locally, for Windows PowerShell and pwsh alike', () => {
    for (const kind of ['local-pwsh', 'local-windows-powershell'] as const) {
      const command = sessionCommand({ kind });
      expect(command).toMatchObject({ id: 'import-module', readOnly: true, script: importModule });
    }
  });

  it('opens one implicit-remoting session to the Front End for a remote shell host', () => {
    expect(sessionCommand({ kind: 'remote', frontEnd: 'FE01.lab.local' })).toMatchObject({
      id: 'open-remote-session',
      readOnly: true,
      script: [
        "$ErrorActionPreference = 'Stop'",
        "$ConfirmPreference = 'None'",
        "if ($null -eq $sfbSession -or $sfbSession.State -ne 'Opened') {",
        "  $sfbSession = New-PSSession -ComputerName 'FE01.lab.local'",
        '  Invoke-Command -Session $sfbSession -ScriptBlock { Import-Module SkypeForBusiness }',
        '  Import-PSSession -Session $sfbSession -Module SkypeForBusiness -AllowClobber | Out-Null',
        '}',
      ].join('\n'),
    });
  });
});

describe('topology stage', () => {
  const storeSelect =
    "Select-Object -Property @{Name='Identity';Expression={[string]$_.Identity}}, " +
    "@{Name='PoolFqdn';Expression={[string]$_.PoolFqdn}}, " +
    "@{Name='SqlInstanceName';Expression={[string]$_.SqlInstanceName}}, " +
    "@{Name='SiteId';Expression={[string]$_.SiteId}}, @{Name='Role';Expression={[string]$_.Role}}, " +
    "@{Name='DependentServiceList';Expression={,[string[]]@($_.DependentServiceList | Where-Object { $null -ne $_ })}}";
  const poolSelect = (stores: string[]) =>
    "Select-Object -Property @{Name='Identity';Expression={[string]$_.Identity}}, " +
    "@{Name='PoolFqdn';Expression={[string]$_.PoolFqdn}}, @{Name='SiteId';Expression={[string]$_.SiteId}}, " +
    "@{Name='ActiveServers';Expression={,[string[]]@($_.ActiveServers | Where-Object { $null -ne $_ })}}, " +
    "@{Name='InactiveServers';Expression={,[string[]]@($_.InactiveServers | Where-Object { $null -ne $_ })}}, " +
    stores.map((name) => `@{Name='${name}';Expression={[string]$_.${name}}}`).join(', ');
  const stores = [
    'PersistentChatDatabase',
    'MirrorPersistentChatDatabase',
    'BackupPersistentChatDatabase',
    'BackupMirrorPersistentChatDatabase',
  ];

  it('reads the pool, the stores and the mirroring state, all read-only', () => {
    const commands = topologyCommands(lab);
    expect(commands.map((c) => [c.id, c.readOnly])).toEqual([
      ['persistent-chat-pool', true],
      ['persistent-chat-stores', true],
      ['mirror-state-mgc', true],
    ]);
    expect(commands.map((c) => c.script)).toEqual([
      `ConvertTo-Json -InputObject @(Get-CsService -PersistentChatServer -PoolFqdn 'pchat.lab.local' | ${poolSelect(stores)}) -Depth 4 -Compress`,
      `ConvertTo-Json -InputObject @(Get-CsService -PersistentChatDatabase | ${storeSelect}) -Depth 4 -Compress`,
      mirrorState('PersistentChat'),
    ]);
  });

  it('adds the compliance stores and mgccomp mirroring when compliance is on', () => {
    const commands = topologyCommands({ ...lab, compliance: true });
    expect(commands.map((c) => c.id)).toEqual([
      'persistent-chat-pool',
      'persistent-chat-stores',
      'persistent-chat-compliance-stores',
      'mirror-state-mgc',
      'mirror-state-mgccomp',
    ]);
    const complianceStores = stores.map((name) =>
      name.replace('PersistentChatDatabase', 'PersistentChatComplianceDatabase'),
    );
    expect(commands[0]?.script).toBe(
      `ConvertTo-Json -InputObject @(Get-CsService -PersistentChatServer -PoolFqdn 'pchat.lab.local' | ${poolSelect([...stores, ...complianceStores])}) -Depth 4 -Compress`,
    );
    expect(commands[2]?.script).toBe(
      `ConvertTo-Json -InputObject @(Get-CsService -PersistentChatComplianceDatabase | ${storeSelect}) -Depth 4 -Compress`,
    );
    expect(commands[4]?.script).toBe(mirrorState('PersistentChatCompliance'));
  });
});

describe('failover stages', () => {
  it('fails mgc over to the mirror, then reads the state back', () => {
    const commands = failoverToMirrorCommands(lab);
    expect(commands.map((c) => [c.id, c.readOnly, c.script])).toEqual([
      [
        'failover-mgc',
        false,
        "Invoke-CsDatabaseFailover -PoolFqdn 'pchat.lab.local' -DatabaseType 'PersistentChat' -NewPrincipal 'Mirror' -Verbose",
      ],
      ['mirror-state-mgc', true, mirrorState('PersistentChat')],
    ]);
    expect(commands[0]?.title).toBe('Fail mgc of the pool pchat.lab.local over to its mirror.');
  });

  it("fails mgc and mgccomp back to the primary with compliance; the remote session is the executor's", () => {
    const commands = failbackToPrimaryCommands({
      poolFqdn: 'pchat.lab.local',
      compliance: true,
      shellHost: { kind: 'remote', frontEnd: 'FE01.lab.local' },
    });
    expect(commands.map((c) => c.id)).toEqual([
      'failover-mgc',
      'failover-mgccomp',
      'mirror-state-mgc',
      'mirror-state-mgccomp',
    ]);
    expect(commands.map((c) => c.script)).toEqual([
      "Invoke-CsDatabaseFailover -PoolFqdn 'pchat.lab.local' -DatabaseType 'PersistentChat' -NewPrincipal 'Primary' -Verbose",
      "Invoke-CsDatabaseFailover -PoolFqdn 'pchat.lab.local' -DatabaseType 'PersistentChatCompliance' -NewPrincipal 'Primary' -Verbose",
      mirrorState('PersistentChat'),
      mirrorState('PersistentChatCompliance'),
    ]);
    expect(commands[1]?.title).toBe('Fail mgccomp of the pool pchat.lab.local over to its primary store.');
  });

  it('hashes each script with sha256', () => {
    for (const command of failoverToMirrorCommands({ ...lab, compliance: true })) {
      expect(command.hash).toBe(createHash('sha256').update(command.script, 'utf8').digest('hex'));
    }
    expect(failoverToMirrorCommands(lab)[0]?.hash).not.toBe(failbackToPrimaryCommands(lab)[0]?.hash);
  });
});

describe('DR runbook commands', () => {
  const readPool =
    "$pool = @(Get-CsService -PersistentChatServer -PoolFqdn 'pchat.lab.local')\n" +
    "if ($pool.Count -ne 1) { throw 'The published topology has no Persistent Chat pool pchat.lab.local: check the pool FQDN and publish the topology.' }\n";

  it('reads and sets the pool state by the identity Get-CsService publishes, never a typed one', () => {
    expect(getPersistentChatStateCommand('pchat.lab.local')).toMatchObject({
      id: 'persistent-chat-state',
      readOnly: true,
      script:
        readPool +
        "$identity = 'service:' + [string]$pool[0].Identity\n" +
        'ConvertTo-Json -InputObject @(Get-CsPersistentChatState -Identity ($identity) | ' +
        "Select-Object -Property @{Name='Identity';Expression={[string]$_.Identity}}, " +
        "@{Name='PoolState';Expression={[string]$_.PoolState}}) -Depth 4 -Compress",
    });
    expect(setPersistentChatStateCommand('pchat.lab.local', 'FailedOver')).toMatchObject({
      id: 'set-pool-state-failed-over',
      readOnly: false,
      script:
        readPool +
        "$identity = 'service:' + [string]$pool[0].Identity\n" +
        "Set-CsPersistentChatState -Identity ($identity) -PoolState 'FailedOver' -Verbose",
    });
    expect(setPersistentChatStateCommand('pchat.lab.local', 'Normal')).toMatchObject({
      id: 'set-pool-state-normal',
      script: expect.stringMatching(/-PoolState 'Normal' -Verbose$/),
    });
  });

  it('replaces or clears the active servers and reads them back', () => {
    expect(setActiveServersCommand('pchat.lab.local', ['FEDR01.lab.local'])).toMatchObject({
      id: 'set-active-servers',
      readOnly: false,
      script:
        readPool +
        "Set-CsPersistentChatActiveServer -Identity ([string]$pool[0].Identity) -ActiveServers @('FEDR01.lab.local') -Verbose",
    });
    expect(setActiveServersCommand('pchat.lab.local', [])).toMatchObject({
      id: 'clear-active-servers',
      script:
        readPool +
        'Set-CsPersistentChatActiveServer -Identity ([string]$pool[0].Identity) -ActiveServers $null -Verbose',
    });
    expect(activeServersCommand('pchat.lab.local').script).toBe(
      "ConvertTo-Json -InputObject @(Get-CsService -PersistentChatServer -PoolFqdn 'pchat.lab.local' | " +
        "Select-Object -Property @{Name='Identity';Expression={[string]$_.Identity}}, " +
        "@{Name='ActiveServers';Expression={,[string[]]@($_.ActiveServers | Where-Object { $null -ne $_ })}}, " +
        "@{Name='InactiveServers';Expression={,[string[]]@($_.InactiveServers | Where-Object { $null -ne $_ })}}) -Depth 4 -Compress",
    );
  });

  it('mirrors the store the topology names, with its published FQDN and instance, and no prompt', () => {
    expect(
      installMirrorDatabaseCommand({
        poolFqdn: 'pchat.lab.local',
        databaseType: 'PersistentChat',
        store: 'backup',
        fileShare: '\\\\FS01.lab.local\\mirror',
        dropExistingDatabasesOnMirror: true,
      }),
    ).toMatchObject({
      id: 'install-mirror-mgc',
      readOnly: false,
      script:
        readPool +
        '$store = @(Get-CsService -Identity ([string]$pool[0].BackupPersistentChatDatabase))\n' +
        "if ($store.Count -ne 1) { throw 'The topology names no backup store of PersistentChat for the pool pchat.lab.local.' }\n" +
        '$instance = @{}\n' +
        'if ($store[0].SqlInstanceName) { $instance.SqlInstanceName = [string]$store[0].SqlInstanceName }\n' +
        "Install-CsMirrorDatabase -DatabaseType 'PersistentChat' -SqlServerFqdn ([string]$store[0].PoolFqdn) " +
        "-FileShare '\\\\FS01.lab.local\\mirror' -DropExistingDatabasesOnMirror -Confirm:$false -Verbose @instance",
    });
    expect(
      installMirrorDatabaseCommand({
        poolFqdn: 'pchat.lab.local',
        databaseType: 'PersistentChatCompliance',
        store: 'primary',
        fileShare: '\\\\fs\\m',
      }).script,
    ).toContain(
      "$store = @(Get-CsService -Identity ([string]$pool[0].PersistentChatComplianceDatabase))\n" +
        "if ($store.Count -ne 1) { throw 'The topology names no primary store of PersistentChatCompliance for the pool pchat.lab.local.' }",
    );
  });

  it('writes a variable reference only when it is one, and a splat only of a plain name', () => {
    expect(() => psExpression("$x; Remove-Item 'c:\\'")).toThrow(/Not a variable reference/);
    expect(() => psExpression('$(whoami)')).toThrow(/Not a variable reference/);
    expect(cmdlet('Get-CsService', { Identity: psExpression('[string]$pool[0].Identity') })).toBe(
      'Get-CsService -Identity ([string]$pool[0].Identity)',
    );
    expect(() => cmdlet('Get-CsService', {}, { splat: 'a;b' })).toThrow(/Not a variable name/);
  });
});
