// `pchat-hadr lab` / `node bin/run-ts.mjs lab/main.ts`: runs the rehearsal lab in the foreground until Ctrl+C.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { startLab, type RunningLab } from './server';

const usage =
  'usage: lab [--reset] [--root DIR] [--base-port N] [--control-port N] [--no-tls] [--manual-clock]';

/** The lines printed at start: one per instance, then the control API and the login. */
export function describeLab(lab: RunningLab): string[] {
  const lines = lab.instances.map((i) => {
    const browser = lab.browserAddresses.includes(i.hostAddress)
      ? `  (or ${i.hostAddress}\\${i.serverName.split('\\')[1] ?? ''} via SQL Server Browser)`
      : '';
    return `${i.role.padEnd(14)} ${i.serverName.padEnd(15)} ${i.host},${i.port}${browser}`;
  });
  lines.push(`control API    ${lab.controlUrl}`);
  lines.push(
    lab.saPasswordGenerated
      ? `login          sa / ${lab.saPassword}   (generated; also in ${lab.saPasswordFile}; set LAB_SA_PASSWORD to choose one)`
      : `login          sa / password from ${process.env.LAB_SA_PASSWORD ? 'LAB_SA_PASSWORD' : lab.saPasswordFile}`,
  );
  lines.push(`lab root       ${lab.root}   (discovery file ${path.basename(lab.discoveryFile)})`);
  return lines;
}

/** Parses the CLI arguments, starts the lab, prints it, and resolves with an exit code after SIGINT/SIGTERM. */
export async function runLabCli(args: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args,
      options: {
        reset: { type: 'boolean' },
        root: { type: 'string' },
        'base-port': { type: 'string' },
        'control-port': { type: 'string' },
        'no-tls': { type: 'boolean' },
        'no-browser': { type: 'boolean' },
        'manual-clock': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (e) {
    process.stderr.write(`lab: ${(e as Error).message}\n${usage}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const port = (name: string): number | undefined => {
    const v = values[name];
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 65535)
      throw new Error(`--${name} must be a port number, got ${String(v)}`);
    return n;
  };
  let lab: RunningLab;
  try {
    lab = await startLab({
      root: typeof values.root === 'string' ? values.root : undefined,
      reset: values.reset === true,
      basePort: port('base-port'),
      controlPort: port('control-port'),
      tls: values['no-tls'] !== true,
      browser: values['no-browser'] === true ? false : undefined,
      clock: values['manual-clock'] ? 'manual' : 'realtime',
      log: (line) => process.stderr.write(`lab: ${line}\n`),
    });
  } catch (e) {
    process.stderr.write(`lab: cannot start: ${(e as Error).message}\n`);
    return 1;
  }
  process.stdout.write(`${describeLab(lab).join('\n')}\n`);
  const parent = process.ppid;
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    // A wrapper that runs us with spawnSync does not pass its own SIGTERM on: stop when it is gone.
    const watchdog = setInterval(() => {
      if (process.ppid !== parent) {
        clearInterval(watchdog);
        resolve();
      }
    }, 1000);
    watchdog.unref();
  });
  await lab.stop();
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  runLabCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`lab: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(1);
    },
  );
}
