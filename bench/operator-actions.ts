// Reads what the Playwright replay of the seed procedure counted; never invents a figure when it is missing.
import { readFileSync } from 'node:fs';

export interface OperatorActions {
  fieldsTyped: number;
  clicks: number;
  keys: number;
}

export type OperatorActionsReading =
  | { measured: true; file: string; actions: OperatorActions; total: number; writtenAt: string }
  | { measured: false; file: string; reason: string };

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** The replay's counts from `file`, or why there are none (missing file, unreadable, or not the expected shape). */
export function readOperatorActions(
  file: string,
  stat: (f: string) => Date | undefined = () => undefined,
): OperatorActionsReading {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { measured: false, file, reason: 'not measured: run npm test first' };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return {
      measured: false,
      file,
      reason: `not measured: ${file} is not JSON (${(error as Error).message})`,
    };
  }
  const o = (parsed ?? {}) as Record<string, unknown>;
  if (!isCount(o.fieldsTyped) || !isCount(o.clicks) || !isCount(o.keys)) {
    return {
      measured: false,
      file,
      reason: `not measured: ${file} lacks whole counts fieldsTyped, clicks and keys`,
    };
  }
  const actions = { fieldsTyped: o.fieldsTyped, clicks: o.clicks, keys: o.keys };
  return {
    measured: true,
    file,
    actions,
    total: actions.fieldsTyped + actions.clicks + actions.keys,
    writtenAt: stat(file)?.toISOString() ?? 'unknown',
  };
}
