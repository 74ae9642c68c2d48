// Times generateStage for every stage, and measures what one generation allocates on the heap.
import { performance } from 'node:perf_hooks';
import type { Plan } from '@/lib/plan/schema';
import { generateStage } from '@/lib/stages/generate';
import { type SetupStageId, setupStageIds } from '@/lib/stages/ids';
import { type AllocationMeasure, measureAllocation } from './allocation';
import { median, percentile } from './stats';

export interface StageGenerationResult {
  stage: SetupStageId;
  iterations: number;
  medianMs: number;
  p90Ms: number;
  targets: number;
  units: number;
  artifactChars: number;
  /** Median over the samples of heap bytes one generation allocates (see allocationMethod). */
  allocatedBytes: number;
  /** Bytes per call of each sample, to show the spread. */
  allocationSamples: number[];
  allocationCallsPerSample: number;
  gcsDuringAllocationSamples: number;
}

export interface GenerationResult {
  warmupIterations: number;
  iterations: number;
  stages: StageGenerationResult[];
  /** Sum of the per-stage medians: one generation of every stage. */
  totalMedianMs: number;
  /** Median of timed passes that generate every stage in turn. */
  fullPassMedianMs: number;
  allocationMethod: string;
}

/** Runs `iterations` timed generations per stage after a warm-up, then allocation samples. */
export function benchGeneration(
  plan: Plan,
  generatedFor: Date,
  {
    warmupIterations = 50,
    iterations = 300,
    allocation = { callsPerSample: 100, samples: 5 },
  }: {
    warmupIterations?: number;
    iterations?: number;
    allocation?: { callsPerSample: number; samples: number };
  } = {},
): GenerationResult {
  const stages: StageGenerationResult[] = [];
  for (let i = 0; i < warmupIterations; i++)
    for (const stage of setupStageIds) generateStage(plan, stage, generatedFor);

  // Timing: one stage at a time, so a stage's figure is not polluted by another's shapes in the inline caches.
  const timings = new Map<SetupStageId, number[]>();
  for (const stage of setupStageIds) {
    const samples: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const t0 = performance.now();
      generateStage(plan, stage, generatedFor);
      samples.push(performance.now() - t0);
    }
    timings.set(stage, samples);
  }
  const passes: number[] = [];
  for (let i = 0; i < Math.max(20, Math.floor(iterations / 5)); i++) {
    const t0 = performance.now();
    for (const stage of setupStageIds) generateStage(plan, stage, generatedFor);
    passes.push(performance.now() - t0);
  }

  // Allocation, after the timing so that the code measured is the optimised code the timing ran.
  const allocations = new Map<SetupStageId, AllocationMeasure>();
  for (const stage of setupStageIds) {
    allocations.set(
      stage,
      measureAllocation(() => generateStage(plan, stage, generatedFor), allocation),
    );
  }

  for (const stage of setupStageIds) {
    const artifacts = generateStage(plan, stage, generatedFor);
    const samples = timings.get(stage) ?? [];
    const alloc = allocations.get(stage)!;
    stages.push({
      stage,
      iterations,
      medianMs: median(samples),
      p90Ms: percentile(samples, 90),
      targets: artifacts.targets.length,
      units: artifacts.targets.reduce(
        (n, t) => n + (t.language === 'tsql' ? t.batches.length : t.commands.length),
        0,
      ),
      artifactChars: artifacts.targets.reduce(
        (n, t) =>
          n +
          (t.language === 'tsql'
            ? t.batches.reduce((m, b) => m + b.sql.length, 0)
            : t.commands.reduce((m, c) => m + c.script.length, 0)),
        0,
      ),
      allocatedBytes: alloc.bytesPerCall,
      allocationSamples: alloc.samples,
      allocationCallsPerSample: alloc.callsPerSample,
      gcsDuringAllocationSamples: alloc.gcsDuringSamples,
    });
  }
  return {
    warmupIterations,
    iterations,
    stages,
    totalMedianMs: stages.reduce((n, s) => n + s.medianMs, 0),
    fullPassMedianMs: median(passes),
    allocationMethod:
      'v8.GCProfiler: after a full gc() (exposed at run time via v8.setFlagsFromString), N calls of generateStage with results kept alive; bytes = growth of used_heap_size + sum over GCs in the window of (usedHeapSize before - after), divided by N; median of the samples. The measure’s own fixed cost (about 20 KiB per sample) is included, i.e. about 0.2 KiB per call at 100 calls.',
  };
}
