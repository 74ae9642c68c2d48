// The `pchat-hadr` command line: the same lib/ as the wizard. Exit codes: 0 done, 1 failed or invalid, 2 refused/usage.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatFieldErrors, parsePlanJson, planJsonSchema } from '@/lib/plan';
import { bundleFiles, scriptBundle } from '@/lib/stages/bundle';
import { targetFileName, targetFileText } from '@/lib/stages/files';
import { generateStage } from '@/lib/stages/generate';
import { isServerRole, isStageId, runbookStageIds, setupStageIds } from '@/lib/stages/ids';
import { planForStage, runbookOptions, runbookUsage } from './cli-runbook';

const stageIds = [...setupStageIds, ...runbookStageIds];

const usage = `usage: pchat-hadr <command> [options]

commands:
  schema                                   print the plan's JSON Schema
  validate <plan.json>                     check a plan; one line per bad field
  script <plan.json> --stage <id>          print (or with --out write) the stage's scripts
         [--target <role>] [--out <dir>] [--date YYYY-MM-DD]
  script <plan.json> --all --out <dir>     every stage, runbooks in all their forms, a folder each and a README
         [--date YYYY-MM-DD]
  apply <plan.json> --stage <id> [--yes]  print the stage's scripts, ask, apply, prove
                                           (exit 0 done, 1 failed, 2 refused)
  status <plan.json> [--json]              log-shipping status of every instance, verdict first
                                           (exit 0 healthy, 1 degraded, 2 unreachable, 3 usage/plan error)
  runs [--json]                            the recorded runs, newest first
  report <run-id> [--out <file.md>]        a run as a Markdown report
  lab [--reset] [--root <dir>] [--base-port <n>]
                                           run the rehearsal lab in the foreground

setup stages: ${setupStageIds.join(', ')}
runbooks:     ${runbookStageIds.join(', ')}
${runbookUsage}
roles:  primary, primaryMirror, backup, backupMirror`;

function fail(message: string, code = 2): never {
  process.stderr.write(`pchat-hadr: ${message}\n`);
  process.exit(code);
}

function readPlan(file: string | undefined) {
  if (!file) fail(`a plan file is required\n${usage}`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    fail(`cannot read ${file}: ${(error as Error).message}`, 1);
  }
  const parsed = parsePlanJson(text);
  if (!parsed.ok) {
    process.stderr.write(`${formatFieldErrors(parsed.errors)}\n`);
    process.exit(1);
  }
  return parsed.plan;
}

function parseDate(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match || Number.isNaN(Date.parse(`${value}T00:00:00Z`)))
    fail(`--date must be YYYY-MM-DD, got ${value}`);
  // Noon local time: the scripting day is the local one, whatever the zone, as in SSMS.
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 12);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'schema':
      process.stdout.write(`${JSON.stringify(planJsonSchema(), null, 2)}\n`);
      return 0;
    case 'validate': {
      const plan = readPlan(rest[0]);
      process.stdout.write(`${rest[0]}: valid plan "${plan.name}" for pool ${plan.pool.fqdn}\n`);
      return 0;
    }
    case 'script': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          stage: { type: 'string' },
          target: { type: 'string' },
          out: { type: 'string' },
          date: { type: 'string' },
          all: { type: 'boolean' },
          ...runbookOptions,
        },
      });
      if (values.all) {
        if (!values.out) fail('--all writes a folder per stage: give it --out <dir>');
        if (values.stage !== undefined || values.target !== undefined)
          fail('--all takes no --stage or --target');
        const plan = readPlan(positionals[0]);
        const date = parseDate(values.date);
        const bundle = scriptBundle(plan, date);
        for (const file of bundleFiles(plan.name, date, bundle)) {
          const target = path.join(values.out, ...file.path.split('/'));
          mkdirSync(path.dirname(target), { recursive: true });
          writeFileSync(target, file.text);
        }
        for (const entry of bundle.stages)
          process.stdout.write(`${path.join(values.out, entry.folder)}  hash ${entry.artifacts.hash}\n`);
        for (const skipped of bundle.skipped)
          for (const m of skipped.missing) process.stderr.write(`left out ${skipped.stage}: ${m.message}\n`);
        return 0;
      }
      if (!values.stage || !isStageId(values.stage)) fail(`--stage must be one of ${stageIds.join(', ')}`);
      const answered = planForStage(readPlan(positionals[0]), values.stage, values);
      if (!answered.ok) fail(answered.message);
      const plan = answered.plan;
      if (values.target !== undefined && !isServerRole(values.target) && values.target !== 'shell') {
        fail('--target must be primary, primaryMirror, backup, backupMirror or shell');
      }
      const artifacts = generateStage(plan, values.stage, parseDate(values.date));
      const files = artifacts.targets
        .map((target, i) => ({
          target,
          name: targetFileName(artifacts.stage, i, target),
          text: targetFileText(target),
        }))
        .filter(({ target }) =>
          values.target === undefined
            ? true
            : target.target.kind === 'sql'
              ? target.target.role === values.target
              : values.target === 'shell',
        );
      if (files.length === 0) fail(`stage ${values.stage} has nothing to run on ${values.target}`, 1);
      if (values.out) {
        mkdirSync(values.out, { recursive: true });
        for (const file of files) writeFileSync(path.join(values.out, file.name), file.text);
        process.stdout.write(`${files.map((f) => path.join(values.out!, f.name)).join('\n')}\n`);
      } else {
        process.stdout.write(files.map((f) => `-- ${f.name}\n${f.text}`).join('\n'));
      }
      process.stdout.write(`-- stage ${artifacts.stage} hash ${artifacts.hash}\n`);
      return 0;
    }
    case 'apply':
      return (await import('./cli-apply')).applyCommand(rest, readPlan);
    case 'status':
      return (await import('./cli-status')).statusCommand(rest, usage);
    case 'runs':
      return (await import('./cli-apply')).runsCommand(rest);
    case 'report':
      return (await import('./cli-apply')).reportCommand(rest);
    case 'lab': {
      const { runLabCli } = await import('@/lab/main');
      return runLabCli(rest);
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${usage}\n`);
      return command === undefined ? 2 : 0;
    default:
      fail(`unknown command ${command}\n${usage}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`pchat-hadr: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
