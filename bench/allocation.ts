// Heap bytes a function allocates per call, counting what garbage collections freed in the meantime.
import v8 from 'node:v8';
import vm from 'node:vm';
import { median } from './stats';

/**
 * `gc()` without starting node with --expose-gc (npm run bench goes through bin/run-ts.mjs): V8 installs the function
 * in contexts created after the flag is set.
 */
export function exposeGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

export interface AllocationMeasure {
  /** Median over the samples of bytes allocated per call. */
  bytesPerCall: number;
  samples: number[];
  callsPerSample: number;
  gcsDuringSamples: number;
}

const used = () => v8.getHeapStatistics().used_heap_size;

/**
 * Allocated bytes per call of `fn`: after a full GC, `callsPerSample` calls run under v8.GCProfiler; allocation is the
 * growth of the used heap plus what every GC in the window freed (used before minus used after). Results are kept
 * alive in a sink until the sample ends, so the optimiser cannot drop the work.
 */
export function measureAllocation(
  fn: () => unknown,
  { callsPerSample = 100, samples = 5 } = {},
): AllocationMeasure {
  const gc = exposeGc();
  const perCall: number[] = [];
  let gcs = 0;
  for (let s = 0; s < samples; s++) {
    const sink: unknown[] = new Array<unknown>(callsPerSample);
    gc();
    const profiler = new v8.GCProfiler();
    profiler.start();
    const before = used();
    for (let i = 0; i < callsPerSample; i++) sink[i] = fn();
    const after = used();
    const { statistics } = profiler.stop();
    const freed = statistics.reduce(
      (n, g) => n + (g.beforeGC.heapStatistics.usedHeapSize - g.afterGC.heapStatistics.usedHeapSize),
      0,
    );
    gcs += statistics.length;
    perCall.push((after - before + freed) / callsPerSample);
    sink.length = 0;
  }
  return { bytesPerCall: median(perCall), samples: perCall, callsPerSample, gcsDuringSamples: gcs };
}
