// Every stage's scripts for one plan version, as the "Download all stages" zip holds them: the setup stages in flow
// order, then the runbooks. dr-failover comes in both of its forms, because the day it is needed the operator may
// not know yet whether the primary data center answers, and may not reach this tool either: printed or copied
// beforehand, both are at hand. A runbook still missing answers is listed with what it needs instead of its scripts.
import type { Plan } from '@/lib/plan/schema';
import type { StageArtifacts } from './artifact';
import { stageFiles } from './files';
import { generateStage } from './generate';
import { runbookStageIds, setupStageIds, type StageId } from './ids';
import { missingForStage } from './runbooks';

export interface BundledStage {
  /** The zip folder: `NN-<stage>[-<variant>]`, numbered in the order an operator would run them. */
  folder: string;
  stage: StageId;
  /** What distinguishes this copy of a stage, in words, when the bundle holds two (dr-failover). */
  variant?: string;
  artifacts: StageArtifacts;
}

export interface SkippedStage {
  stage: StageId;
  missing: { field: string; message: string }[];
}

export interface ScriptBundle {
  stages: BundledStage[];
  skipped: SkippedStage[];
}

/** The stages and their variants, each with the plan it is generated from. */
type BundleEntry = { stage: StageId; suffix: string; variant?: string; plan: Plan };

function bundleEntries(plan: Plan): BundleEntry[] {
  return [
    ...setupStageIds.map((stage): BundleEntry => ({ stage, suffix: '', plan })),
    ...runbookStageIds.flatMap((stage): BundleEntry[] =>
      stage === 'dr-failover'
        ? ([true, false] as const).map((primaryReachable) => ({
            stage,
            suffix: primaryReachable ? '-primary-reachable' : '-primary-lost',
            variant: primaryReachable
              ? 'the primary data center still answers (tail-log backup, nothing lost)'
              : 'the primary data center is lost (what was shipped survives)',
            plan: { ...plan, dr: { ...plan.dr, primaryReachable } },
          }))
        : [{ stage, suffix: '', plan }],
    ),
  ];
}

/** Generates every stage for `generatedFor`. Pure; throws only for a generator bug, as generateStage does. */
export function scriptBundle(plan: Plan, generatedFor: Date): ScriptBundle {
  const stages: BundledStage[] = [];
  const skipped: SkippedStage[] = [];
  for (const entry of bundleEntries(plan)) {
    const missing = missingForStage(entry.plan, entry.stage);
    if (missing.length > 0) {
      if (!skipped.some((s) => s.stage === entry.stage)) skipped.push({ stage: entry.stage, missing });
      continue;
    }
    stages.push({
      folder: `${String(stages.length + 1).padStart(2, '0')}-${entry.stage}${entry.suffix}`,
      stage: entry.stage,
      ...(entry.variant ? { variant: entry.variant } : {}),
      artifacts: generateStage(entry.plan, entry.stage, generatedFor),
    });
  }
  return { stages, skipped };
}

/** The zip's README.txt: what each folder is, the hash a review of it approves, and what was left out and why. */
export function bundleReadme(planName: string, generatedFor: Date, bundle: ScriptBundle): string {
  const lines = [
    `pchat-hadr scripts for the plan "${planName}", generated for ${generatedFor.toISOString()}.`,
    '',
    'Each folder holds one stage, its files numbered in the order they run: .sql files are run on the server their',
    'name gives (batches separated by GO, as SSMS and sqlcmd run them), .ps1 files in the SfB Management Shell.',
    'A stage applied from pchat-hadr runs exactly these bytes when its hash matches.',
    '',
  ];
  for (const s of bundle.stages) {
    lines.push(`${s.folder}  ${s.artifacts.summary}`);
    if (s.variant) lines.push(`    when ${s.variant}`);
    lines.push(`    hash ${s.artifacts.hash}`);
  }
  if (bundle.skipped.length > 0) {
    lines.push('', 'Not included until the plan answers what they need:');
    for (const s of bundle.skipped)
      for (const m of s.missing) lines.push(`${s.stage}: ${m.message} (${m.field})`);
  }
  lines.push('');
  return lines.join('\r\n');
}

/** Every file of the bundle, by its path inside the zip or folder: each stage's files, then README.txt. */
export function bundleFiles(
  planName: string,
  generatedFor: Date,
  bundle: ScriptBundle,
): { path: string; text: string }[] {
  return [
    ...bundle.stages.flatMap((entry) =>
      stageFiles(entry.artifacts).map((file) => ({ path: `${entry.folder}/${file.name}`, text: file.text })),
    ),
    { path: 'README.txt', text: bundleReadme(planName, generatedFor, bundle) },
  ];
}
