import { quotePs } from '../quote';
import { shellCommand } from './command';
import type { ShellCommand, ShellHostInput } from './types';

// Convention: a stage's commands do not load the module. The executor (lib/shell/execute.ts) opens one session per
// shell host, imports SkypeForBusiness once (locally, or inside a New-PSSession to the Front End) and runs each
// command in it. This command is the same set-up for a standalone .ps1 an operator downloads and runs by hand:
// errors stop the script rather than scroll past, and no prompt waits once the operator has reviewed it.
const sessionSettings = ["$ErrorActionPreference = 'Stop'", "$ConfirmPreference = 'None'"];

/**
 * Set-up for a downloaded .ps1 (not part of an executed stage): session settings and the SkypeForBusiness module,
 * loaded locally or, for a remote Front End, through implicit remoting so that the stage's commands read the same.
 */
export function sessionCommand(shellHost: ShellHostInput): ShellCommand {
  if (shellHost.kind === 'remote') {
    const frontEnd = quotePs(shellHost.frontEnd);
    return shellCommand({
      id: 'open-remote-session',
      title: `Open a PowerShell session on the Front End ${shellHost.frontEnd} and import its SkypeForBusiness commands.`,
      script: [
        ...sessionSettings,
        "if ($null -eq $sfbSession -or $sfbSession.State -ne 'Opened') {",
        `  $sfbSession = New-PSSession -ComputerName ${frontEnd}`,
        '  Invoke-Command -Session $sfbSession -ScriptBlock { Import-Module SkypeForBusiness }',
        '  Import-PSSession -Session $sfbSession -Module SkypeForBusiness -AllowClobber | Out-Null',
        '}',
      ].join('\n'),
      readOnly: true,
    });
  }
  return shellCommand({
    id: 'import-module',
    title: 'Load the SkypeForBusiness module in this session.',
    script: [...sessionSettings, 'Import-Module SkypeForBusiness'].join('\n'),
    readOnly: true,
  });
}
