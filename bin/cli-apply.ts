// `pchat-hadr apply | runs | report`: the apply machinery of the wizard, from a terminal.
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { secretSourceFor } from '@/lib/auth/vault';
import type { Plan } from '@/lib/plan/schema';
import { targetFileName, targetFileText } from '@/lib/stages/files';
import { isStageId, runbookStageIds, setupStageIds } from '@/lib/stages/ids';
import { planForStage, runbookOptions } from './cli-runbook';
import { runReportMarkdown } from '@/lib/stages/report';
import { applyReviewedStage, reviewStage } from '@/lib/stages/service';
import { getStore } from '@/lib/store';
import { RunStore, type RunEvent } from '@/lib/store/run-store';

const actor = () => `${os.userInfo().username}@${os.hostname()} (cli)`;

/** A plan given as a file is recorded under an id derived from its path, so its runs group together. */
function filePlanId(file: string): string {
  return `file:${createHash('sha256').update(path.resolve(file)).digest('hex').slice(0, 16)}`;
}

function printEvent(event: RunEvent): void {
  if (event.type === 'step-started') process.stdout.write(`\n>> ${event.step.target}: ${event.step.title}\n`);
  else if (event.type === 'step-finished') process.stdout.write(`<< ${event.status} (${event.durationMs} ms)\n`);
  else if (event.message.kind !== 'result') {
    const m = event.message;
    const head = m.kind === 'error' && m.number ? `Msg ${m.number}, Level ${m.severity}, State ${m.state}, Line ${m.line}: ` : m.kind === 'info' ? '' : `${m.kind}: `;
    process.stdout.write(`   ${head}${m.text}\n`);
  }
}

export async function applyCommand(args: string[], readPlan: (file: string | undefined) => Plan): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { stage: { type: 'string' }, yes: { type: 'boolean', default: false }, ...runbookOptions },
  });
  const file = positionals[0];
  if (!values.stage || !isStageId(values.stage)) {
    process.stderr.write(`pchat-hadr: --stage must be one of ${[...setupStageIds, ...runbookStageIds].join(', ')}\n`);
    return 2;
  }
  const answered = planForStage(readPlan(file), values.stage, values);
  if (!answered.ok) {
    process.stderr.write(`pchat-hadr: ${answered.message}\n`);
    return 2;
  }
  const plan = answered.plan;
  const db = getStore().db;
  const opts = { db, secrets: secretSourceFor(undefined, plan), env: process.env, ...(process.env.PCHAT_HADR_SQL_PASSWORD_MONITOR ? { monitorPassword: process.env.PCHAT_HADR_SQL_PASSWORD_MONITOR } : {}) };
  const planId = filePlanId(file!);
  const { review, artifacts } = await reviewStage(opts, { planId, planVersion: 1, plan, stage: values.stage, actor: actor() });
  process.stdout.write(`${artifacts.summary}\n`);
  artifacts.targets.forEach((t, i) => process.stdout.write(`\n-- ${targetFileName(artifacts.stage, i, t)}\n${targetFileText(t)}`));
  process.stdout.write(`\n-- stage ${artifacts.stage} hash ${artifacts.hash}\n`);
  const servers = [...new Set(artifacts.targets.map((t) => (t.target.kind === 'sql' ? t.target.serverName : t.target.host)))];
  if (!values.yes) {
    if (!process.stdin.isTTY) {
      process.stderr.write('pchat-hadr: not applied: confirm on a terminal, or pass --yes after reviewing the scripts above.\n');
      return 2;
    }
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const answer = await rl.question(`\nApply ${artifacts.stage} to ${servers.join(', ')}? Type yes to apply: `);
    rl.close();
    if (answer.trim().toLowerCase() !== 'yes') {
      process.stderr.write('pchat-hadr: not applied.\n');
      return 2;
    }
  }
  const result = await applyReviewedStage(opts, { planId, planVersion: 1, plan, stage: values.stage, reviewId: review.id, actor: actor() }, (runs) => runs.subscribe(printEvent));
  process.stdout.write(`\n${result.status}: ${result.message}\n`);
  if ('run' in result) process.stdout.write(`run ${result.run.id} (pchat-hadr report ${result.run.id})\n`);
  return result.status === 'succeeded' ? 0 : result.status === 'failed' || result.status === 'interrupted' ? 1 : 2;
}

export async function runsCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
  const runs = new RunStore(getStore().db);
  runs.recoverInterrupted();
  const list = runs.listRuns();
  if (values.json) {
    process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    return 0;
  }
  if (list.length === 0) process.stdout.write('no runs recorded\n');
  for (const r of list) process.stdout.write(`${r.startedAt}  ${r.status.padEnd(11)} ${r.stage.padEnd(20)} ${r.actor}  ${r.id}\n`);
  return 0;
}

export async function reportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { out: { type: 'string' } } });
  const store = getStore();
  const runs = new RunStore(store.db);
  const run = positionals[0] ? runs.getRun(positionals[0]) : undefined;
  if (!run) {
    process.stderr.write(`pchat-hadr: no run ${positionals[0] ?? '(missing run id)'}; see pchat-hadr runs\n`);
    return 2;
  }
  const planName = store.getPlan(run.planId)?.name ?? run.planId;
  const markdown = runReportMarkdown({ run, planName, steps: runs.steps(run.id), messages: runs.messages(run.id) });
  if (values.out) writeFileSync(values.out, markdown);
  else process.stdout.write(markdown);
  return 0;
}
