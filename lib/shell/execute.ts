import 'server-only';
import { PowerShell } from 'node-powershell';
import type { ShellHost } from '@/lib/plan/schema';
import type { ShellCommandArtifact } from '@/lib/stages/artifact';
import { quotePs } from './quote';

/** What one command wrote to each PowerShell stream, kept apart as the operator needs to read them. */
export interface ShellStreams {
  output: string[];
  errors: string[];
  warnings: string[];
  verbose: string[];
  information: string[];
}

export type CommandOutcome =
  | { status: 'succeeded'; streams: ShellStreams; durationMs: number }
  | { status: 'failed'; streams: ShellStreams; durationMs: number; error: string }
  | {
      status: 'timeout' | 'process-died' | 'unavailable';
      streams: ShellStreams;
      durationMs: number;
      detail: string;
    };

export interface ShellExecutorOptions {
  host: ShellHost;
  /** Path of the PowerShell executable; defaults to pwsh (or powershell.exe for local Windows PowerShell). */
  executable?: string;
  /** Extra folders prepended to PSModulePath, where the SkypeForBusiness module lives when it is not installed. */
  modulePath?: string;
  timeoutMs?: number;
}

// The console may interleave terminal control sequences with output; the result line is found by this marker.
const resultMarker = '@@pchat-hadr-result@@';

const emptyStreams = (): ShellStreams => ({
  output: [],
  errors: [],
  warnings: [],
  verbose: [],
  information: [],
});

// The command travels base64-encoded so that no character of it is ever interpreted on the way in: pwsh reads
// `-Command -` line by line, and a multi-line script or a stray quote would otherwise change what runs.
function toBase64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/**
 * Wraps a reviewed script so that its streams come back as one JSON line, classified by record type, and so that a
 * terminating error is reported, not thrown away. Pure; exported for its test.
 */
export function wrapCommand(script: string, remote: boolean): string {
  const load = `[scriptblock]::Create([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String(${quotePs(toBase64(script))})))`;
  // Verbose output appears where a command asks for it (`-Verbose`, as the SfB procedure does for failovers).
  const invoke = remote ? `Invoke-Command -Session $global:PchatHadrSession -ScriptBlock $__sb` : `& $__sb`;
  return [
    `$__r = @{ output = @(); errors = @(); warnings = @(); verbose = @(); information = @(); failed = $false };`,
    `try { $__sb = ${load}; $ErrorActionPreference = 'Stop';`,
    ` foreach ($__x in (${invoke} *>&1)) {`,
    `  if ($__x -is [System.Management.Automation.ErrorRecord]) { $__r.errors += $__x.ToString(); $__r.failed = $true }`,
    `  elseif ($__x -is [System.Management.Automation.WarningRecord]) { $__r.warnings += $__x.Message }`,
    `  elseif ($__x -is [System.Management.Automation.VerboseRecord]) { $__r.verbose += $__x.Message }`,
    `  elseif ($__x -is [System.Management.Automation.InformationRecord]) { $__r.information += [string]$__x.MessageData }`,
    `  elseif ($__x -is [string]) { $__r.output += $__x }`,
    `  else { $__r.output += ($__x | ConvertTo-Json -Depth 6 -Compress) } } }`,
    `catch { $__r.errors += $_.ToString(); $__r.failed = $true };`,
    `$ErrorActionPreference = 'Continue'; [Console]::Out.WriteLine(${quotePs(resultMarker)} + ($__r | ConvertTo-Json -Depth 3 -Compress))`,
  ].join(' ');
}

/** One PowerShell session per executor: the SkypeForBusiness module is imported once, commands run one by one. */
export class ShellExecutor {
  private shell: PowerShell | undefined;
  private ready: Promise<CommandOutcome> | undefined;

  constructor(private readonly options: ShellExecutorOptions) {}

  private start(): Promise<CommandOutcome> {
    if (this.ready) return this.ready;
    const { host, modulePath } = this.options;
    const executable =
      this.options.executable ?? (host.kind === 'local-windows-powershell' ? 'powershell' : 'pwsh');
    // No terminal: keeps pwsh from writing control sequences and colour into the results.
    const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'dumb', NO_COLOR: '1' };
    if (modulePath)
      env.PSModulePath = [modulePath, process.env.PSModulePath]
        .filter(Boolean)
        .join(process.platform === 'win32' ? ';' : ':');
    this.shell = new PowerShell({
      executable,
      executableOptions: { '-NoProfile': true, '-NonInteractive': true },
      spawnOptions: { env },
      throwOnInvocationError: false,
    });
    const setup =
      host.kind === 'remote'
        ? `$global:PchatHadrSession = New-PSSession -ComputerName ${quotePs(host.frontEnd)}; Invoke-Command -Session $global:PchatHadrSession -ScriptBlock { Import-Module SkypeForBusiness }`
        : 'Import-Module SkypeForBusiness';
    // Starting PowerShell and loading the module can take a while on a busy host; it is not the command's time.
    this.ready = this.invoke(setup, Math.max(this.options.timeoutMs ?? 0, 120_000));
    return this.ready;
  }

  /** Runs one reviewed command exactly as shown, after the module import. */
  async run(command: ShellCommandArtifact): Promise<CommandOutcome> {
    const setup = await this.start();
    if (setup.status !== 'succeeded') {
      const why = setup.status === 'failed' ? setup.error : setup.detail;
      return {
        status: 'unavailable',
        streams: setup.streams,
        durationMs: 0,
        detail: `The SkypeForBusiness module could not be loaded: ${why}`,
      };
    }
    return this.invoke(command.script);
  }

  private async invoke(script: string, timeoutMs = this.options.timeoutMs ?? 10 * 60_000): Promise<CommandOutcome> {
    const started = Date.now();
    const shell = this.shell;
    if (!shell) throw new Error('shell not started');
    let timedOut = false;
    // child-shell's own timeout leaves the process running; a stuck cmdlet must be stopped, so the timer kills it.
    const timer = setTimeout(() => {
      timedOut = true;
      void shell.dispose('SIGKILL').catch(() => undefined);
    }, timeoutMs);
    let result: Awaited<ReturnType<PowerShell['invoke']>> | undefined;
    let failure: Error | undefined;
    try {
      result = await shell.invoke(wrapCommand(script, this.options.host.kind === 'remote'));
    } catch (error) {
      failure = error as Error;
    } finally {
      clearTimeout(timer);
    }
    if (timedOut || failure || result?.stdout === undefined) {
      this.shell = undefined;
      this.ready = undefined;
      if (!timedOut) await shell.dispose('SIGKILL').catch(() => undefined);
      return {
        status: timedOut ? 'timeout' : 'process-died',
        streams: emptyStreams(),
        durationMs: Date.now() - started,
        detail: timedOut
          ? `PowerShell did not finish within ${timeoutMs} ms and was stopped.`
          : /ENOENT/.test(failure?.message ?? '')
            ? `PowerShell was not found (${failure?.message}). Install PowerShell 7 (pwsh) or set PCHAT_HADR_PWSH to its path.`
            : `PowerShell stopped before the command finished${failure ? `: ${failure.message}` : '.'}`,
      };
    }
    const durationMs = Date.now() - started;
    const raw = (result.stdout?.toString('utf8') ?? '').trim();
    const at = raw.lastIndexOf(resultMarker);
    let parsed: (ShellStreams & { failed: boolean }) | undefined;
    try {
      parsed =
        at < 0
          ? undefined
          : (JSON.parse(raw.slice(at + resultMarker.length).split(/\r?\n/)[0] ?? '') as ShellStreams & {
              failed: boolean;
            });
    } catch {
      parsed = undefined;
    }
    if (!parsed) {
      const stderr = result.stderr?.toString('utf8').trim();
      return {
        status: 'failed',
        streams: { ...emptyStreams(), output: raw ? [raw] : [] },
        durationMs,
        error: stderr || 'PowerShell returned no result.',
      };
    }
    const streams: ShellStreams = {
      output: asList(parsed.output),
      errors: asList(parsed.errors),
      warnings: asList(parsed.warnings),
      verbose: asList(parsed.verbose),
      information: asList(parsed.information),
    };
    if (parsed.failed) return { status: 'failed', streams, durationMs, error: streams.errors.join('\n') };
    return { status: 'succeeded', streams, durationMs };
  }

  /** Ends the PowerShell process. */
  async close(): Promise<void> {
    const shell = this.shell;
    this.shell = undefined;
    this.ready = undefined;
    await shell?.dispose().catch(() => undefined);
  }
}

// ConvertTo-Json writes a one-element array as a scalar and an empty one as nothing.
function asList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}
