import 'server-only';
import type { ShellCommandArtifact } from '@/lib/stages/artifact';
import { type CommandOutcome, ShellExecutor, type ShellExecutorOptions } from './execute';

/**
 * One PowerShell session kept warm for read-only commands (the status page's pool reads, every 30 seconds): starting
 * pwsh and importing the SkypeForBusiness module costs seconds each time on a front end, the read itself very little.
 * Commands run one after another; the session ends after `idleMs` without use, and is started afresh after a failure
 * to load the module or a dead process, so a fixed host is picked up on the next read. Never used to apply a stage:
 * a stage gets its own session, so nothing another command left in a session can change what it runs.
 */
export class SharedShellReader {
  private executor: ShellExecutor | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: ShellExecutorOptions,
    private readonly idleMs = 5 * 60_000,
  ) {}

  run(command: ShellCommandArtifact): Promise<CommandOutcome> {
    if (!command.readOnly)
      throw new Error(`${command.id} changes the pool: it cannot run in a shared session.`);
    const next = this.queue.then(() => this.runNow(command));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async runNow(command: ShellCommandArtifact): Promise<CommandOutcome> {
    clearTimeout(this.idleTimer);
    this.executor ??= new ShellExecutor(this.options);
    const outcome = await this.executor.run(command);
    if (outcome.status === 'unavailable' || outcome.status === 'process-died' || outcome.status === 'timeout')
      await this.close();
    else {
      this.idleTimer = setTimeout(() => void this.close(), this.idleMs);
      // A warm session must not keep a CLI or a test process alive.
      this.idleTimer.unref();
    }
    return outcome;
  }

  /** Ends the session now; the next command starts a new one. */
  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const executor = this.executor;
    this.executor = undefined;
    await executor?.close();
  }
}

const readers = new Map<string, SharedShellReader>();

/** The shared reader for these options: one per shell host, executable and module path in this server process. */
export function sharedShellReader(options: ShellExecutorOptions): SharedShellReader {
  const key = JSON.stringify([options.host, options.executable ?? null, options.modulePath ?? null]);
  let reader = readers.get(key);
  if (!reader) {
    reader = new SharedShellReader(options);
    readers.set(key, reader);
  }
  return reader;
}
