// npm run bench: every measurement of issue 4 in one process, printed as tables and written to bench/results/latest.json.
// Figures are measured side by side in this run; nothing here asserts a time.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { labPlan } from '@/lib/plan/defaults';
import { planSchema } from '@/lib/plan/schema';
import { benchFlow, type FlowResult } from './flow';
import { benchGeneration, type GenerationResult } from './generation';
import { type LabSession, openLabSession } from './lab-session';
import { readOperatorActions } from './operator-actions';
import { benchPreflight, type PreflightResult } from './preflight';
import { seedSections, seedStepCount } from './seed-steps';
import { benchStatusReads, type StatusReadResult } from './status';
import { bytes, ms, table } from './stats';

const root = process.cwd();
const resultsFile = path.join(root, 'bench', 'results', 'latest.json');
const operatorActionsFile = path.join(root, 'test-results', 'operator-actions.json');
const saPassword = `Bench-${randomBytes(6).toString('hex')}-7a`;

const open = new Set<LabSession>();
async function withLab<T>(label: string, body: (s: LabSession) => Promise<T>): Promise<T> {
  const session = await openLabSession(label, saPassword);
  open.add(session);
  try {
    return await body(session);
  } finally {
    open.delete(session);
    await session.close();
  }
}

// Ctrl-C or a kill must not leave a lab listening or its temp dir behind.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: stopping the lab\n`);
    void Promise.allSettled([...open].map((s) => s.close())).finally(() => process.exit(130));
  });
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const errorText = (e: unknown) => (e instanceof Error ? (e.stack ?? e.message) : String(e));

function gitHead(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

async function main() {
  const started = new Date();
  const t0 = performance.now();
  const environment = {
    startedAt: started.toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    loadAverageAtStart: os.loadavg().map((n) => Number(n.toFixed(2))),
    gitHead: gitHead(),
  };
  log(
    `pchat-hadr bench: node ${environment.node}, ${environment.cpus} CPUs, load average ${environment.loadAverageAtStart.join(' / ')} at start`,
  );
  const errors: Record<string, string> = {};
  const sectionMs: Record<string, number> = {};
  const timed = async <T>(name: string, body: () => Promise<T>): Promise<T> => {
    const s0 = performance.now();
    try {
      return await body();
    } finally {
      sectionMs[name] = performance.now() - s0;
    }
  };

  // 1. Generation
  let generation: GenerationResult | undefined;
  try {
    const plan = planSchema.parse(labPlan());
    log('\n[1/4] generation ...');
    generation = await timed('generation', async () =>
      benchGeneration(plan, new Date('2026-11-26T12:00:00Z')),
    );
    log(
      table([
        [
          'stage',
          'targets',
          'batches/cmds',
          'chars',
          'median',
          'p90',
          'allocated/call',
          'alloc samples (per call)',
        ],
        ...generation.stages.map((s) => [
          s.stage,
          String(s.targets),
          String(s.units),
          String(s.artifactChars),
          ms(s.medianMs),
          ms(s.p90Ms),
          bytes(s.allocatedBytes),
          `${s.allocationSamples.map((b) => (b / 1024).toFixed(1)).join(' ')} KiB (${s.allocationCallsPerSample} calls each, ${s.gcsDuringAllocationSamples} GCs)`,
        ]),
        ['all stages', '', '', '', ms(generation.totalMedianMs), '', '', ''],
      ]),
    );
    log(
      `full pass over every stage (median of timed passes): ${ms(generation.fullPassMedianMs)}; ${generation.iterations} iterations per stage after ${generation.warmupIterations} warm-up passes`,
    );
  } catch (e) {
    errors.generation = errorText(e);
    log(`generation FAILED: ${errors.generation}`);
  }

  // 2. Preflight ratio
  let preflight: (PreflightResult & { labStartMs: number }) | undefined;
  try {
    log('\n[2/4] preflight: one instance alone vs all four, every instance slowed by 300 ms ...');
    preflight = await timed('preflight', () =>
      withLab('preflight', async (s) => ({ ...(await benchPreflight(s)), labStartMs: s.startMs })),
    );
    const p = preflight;
    log(
      table([
        ['run', 'slowMs', 'runs', 'median', 'samples'],
        [
          `one alone (${p.aloneRole}, ${p.batchesPerRole[p.aloneRole]} batches)`,
          String(p.slowMs),
          String(p.repetitions),
          ms(p.aloneMedianMs),
          p.aloneMs.map(ms).join(', '),
        ],
        [
          'all four in parallel',
          String(p.slowMs),
          String(p.repetitions),
          ms(p.allFourMedianMs),
          p.allFourMs.map(ms).join(', '),
        ],
        [
          'all four via applyReviewedStage',
          String(p.slowMs),
          String(p.throughApply.ms.length),
          ms(p.throughApply.medianMs),
          p.throughApply.ms.map(ms).join(', '),
        ],
        ['one alone, unslowed', '0', String(p.unslowed.repetitions), ms(p.unslowed.aloneMedianMs), ''],
        ['all four, unslowed', '0', String(p.unslowed.repetitions), ms(p.unslowed.allFourMedianMs), ''],
      ]),
    );
    log(
      `ratio all four / one alone: ${p.ratio.toFixed(3)} (medians); per repetition ${p.ratioPerRepetition.map((r) => r.toFixed(3)).join(', ')} (median ${p.ratioMedianOfPairs.toFixed(3)})`,
    );
    log(
      `through applyReviewedStage: ${p.throughApply.status} (${p.throughApply.message}); ratio to one alone ${p.throughApply.ratioToAlone.toFixed(3)}`,
    );
    log(
      `round trips waited for in turn by the alone run: ${p.aloneRoundTrips.toFixed(1)} for ${p.batchesPerRole[p.aloneRole]} batches (+1 session SET)`,
    );
    log(
      `batches per instance: ${Object.entries(p.batchesPerRole)
        .map(([r, n]) => `${r} ${n}`)
        .join(', ')}; lab start ${ms(p.labStartMs)}`,
    );
    if (p.notSucceeded.length)
      log(
        `preflight reads the lab refused (they become findings, not bench errors):\n${p.notSucceeded
          .map((n) => `  ${n.replace(/\s+/g, ' ').slice(0, 220)}`)
          .join('\n')}`,
      );
  } catch (e) {
    errors.preflight = errorText(e);
    log(`preflight FAILED: ${errors.preflight}`);
  }

  // 3. Whole flow
  let flow:
    | (FlowResult & { labStartMs: number; drFailover?: FlowResult; statusReads?: StatusReadResult })
    | undefined;
  try {
    log('\n[3/4] whole flow on a fresh lab (manual clock) ...');
    flow = await timed('flow', () =>
      withLab('flow', async (s) => {
        const setup = await benchFlow(s);
        // The recovery time of a planned evacuation: dr-failover with the tail-log backup, on the set-up lab.
        // The status page's pool read on the set-up pool, before the failover changes it.
        const statusReads = setup.completed ? await benchStatusReads(s) : undefined;
        const drFailover = setup.completed
          ? await benchFlow(s, ['dr-failover'], { ...s.plan, dr: { ...s.plan.dr, primaryReachable: true } })
          : undefined;
        return { ...setup, drFailover, statusReads, labStartMs: s.startMs };
      }),
    );
    const f = flow;
    log(
      table([
        ['stage', 'status', 'review', 'apply', 'message'],
        ...f.stages.map((s) => [
          s.stage,
          s.status,
          ms(s.reviewMs),
          ms(s.applyMs),
          s.message.replace(/\s+/g, ' ').slice(0, 160),
        ]),
        ...f.skipped.map((s) => [s, 'not run (an earlier stage did not succeed)', '', '', '']),
        ['whole flow', f.completed ? 'completed' : 'NOT completed', '', ms(f.totalMs), ''],
      ]),
    );
    for (const s of f.stages.filter((x) => x.status !== 'succeeded')) {
      log(`${s.stage} did not succeed: ${s.message}`);
      for (const e of s.errors) log(`  error recorded: ${e.replace(/\s+/g, ' ')}`);
      log(
        `  steps: ${s.steps.map((st) => `${st.key}@${st.target} ${st.status}${st.durationMs === null ? '' : ` ${ms(st.durationMs)}`}`).join('; ')}`,
      );
    }
    const slowest = f.stages
      .flatMap((s) => s.steps.map((st) => ({ stage: s.stage, ...st })))
      .filter((st) => st.durationMs !== null)
      .sort((a, b) => (b.durationMs ?? 0) - (a.durationMs ?? 0))
      .slice(0, 5);
    log(
      `slowest steps: ${slowest.map((st) => `${st.stage}/${st.key} ${ms(st.durationMs ?? 0)}`).join(', ')}`,
    );
    log(
      `lab clock: ${f.labClock.before} -> ${f.labClock.after} (${f.labClock.advancedMinutes.toFixed(1)} lab minutes); lab start ${ms(f.labStartMs)} (not in the total)`,
    );
    const dr = f.drFailover?.stages[0];
    log(
      dr
        ? `dr-failover (primary reachable, tail-log backup) after the flow: ${dr.status}, review ${ms(dr.reviewMs)}, apply ${ms(dr.applyMs)} (${dr.steps.length} steps)${dr.status === 'succeeded' ? '' : `: ${dr.message}`}`
        : 'dr-failover: not run (the flow did not complete)',
    );
    const sr = f.statusReads;
    log(
      sr
        ? `status pool read (Get-CsPersistentChatState + Get-CsService, pool ${sr.states.join(', ')}): fresh session per read median ${ms(sr.freshMedianMs)} [${sr.freshMs.map(ms).join(', ')}] vs shared warm session median ${ms(sr.sharedWarmMedianMs)} [${sr.sharedWarmMs.map(ms).join(', ')}], first shared read ${ms(sr.sharedFirstMs)}; ratio fresh / warm ${sr.ratio.toFixed(2)}`
        : 'status pool read: not run (the flow did not complete)',
    );
    log(
      `pwsh start + Import-Module SkypeForBusiness alone: ${f.pwshStartMs === null ? 'n/a' : ms(f.pwshStartMs)} (${f.pwshStartStatus}); included once per PowerShell stage in the total`,
    );
  } catch (e) {
    errors.flow = errorText(e);
    log(`flow FAILED: ${errors.flow}`);
  }

  // 4. Operator actions
  log('\n[4/4] operator actions');
  const actions = readOperatorActions(operatorActionsFile, (f) => statSync(f).mtime);
  const seed = seedStepCount();
  if (actions.measured) {
    const a = actions.actions;
    log(
      `Playwright replay (${path.relative(root, actions.file)}, written ${actions.writtenAt}): ${a.fieldsTyped} fields typed, ${a.clicks} clicks, ${a.keys} keys = ${actions.total} actions`,
    );
  } else {
    log(`Playwright replay: ${actions.reason}`);
  }
  log(
    table([
      ['seed section', 'numbered', 'lettered', 'lead-in', 'what'],
      ...seedSections.map((s) => [
        s.id,
        String(s.numbered),
        String(s.lettered),
        String(s.unnumbered),
        s.note,
      ]),
    ]),
  );
  log(
    `seed procedure: ${seed.numbered} numbered steps (A.1–2 + B.1–20 + C.1–22); ${seed.withSubSteps} with A.2 a–f; ${seed.withLeadIns} with B's two lead-in instructions`,
  );

  const results = {
    sectionMs,
    environment: {
      ...environment,
      loadAverageAtEnd: os.loadavg().map((n) => Number(n.toFixed(2))),
      durationMs: performance.now() - t0,
    },
    generation: generation ?? null,
    preflight: preflight ?? null,
    flow: flow ?? null,
    operatorActions: { replay: actions, seed: { sections: seedSections, ...seed } },
    errors,
  };
  mkdirSync(path.dirname(resultsFile), { recursive: true });
  writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  log(
    `\nwrote ${path.relative(root, resultsFile)}; bench took ${ms(results.environment.durationMs)} (${Object.entries(
      sectionMs,
    )
      .map(([k, v]) => `${k} ${ms(v)}`)
      .join(', ')}); load average ${results.environment.loadAverageAtEnd.join(' / ')} at end`,
  );
  return Object.keys(errors).length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  async (e: unknown) => {
    process.stderr.write(`bench failed: ${errorText(e)}\n`);
    await Promise.allSettled([...open].map((s) => s.close()));
    process.exit(1);
  },
);
