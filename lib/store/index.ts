import 'server-only';
import { PlanStore } from './plan-store';

export * from './plan-store';

/** Where the store lives: `PCHAT_HADR_DB`, or `data/pchat-hadr.sqlite` under the working directory. */
export function storeFile(): string {
  return process.env.PCHAT_HADR_DB || 'data/pchat-hadr.sqlite';
}

// One connection per server process; kept on globalThis so dev-mode module reloads don't open the file again.
const globalForStore = globalThis as unknown as { pchatHadrStore?: PlanStore };

/** The process-wide store, opened (and migrated) on first use. */
export function getStore(): PlanStore {
  globalForStore.pchatHadrStore ??= new PlanStore(storeFile());
  return globalForStore.pchatHadrStore;
}
