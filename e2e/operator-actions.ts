import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';

/** What an operator did in the browser: distinct fields typed into, clicks, keys pressed. */
export interface OperatorActions {
  fieldsTyped: number;
  clicks: number;
  keys: number;
}

const storageKey = 'pchat-hadr-operator-actions';

/**
 * Counts trusted input, click and keydown events in the page (what a person's actions, or Playwright's, produce), so
 * the replay's effort is measured by what happened in the browser rather than by what the test code says it did.
 */
export async function countOperatorActions(page: Page): Promise<void> {
  await page.addInitScript((key: string) => {
    const load = () =>
      JSON.parse(sessionStorage.getItem(key) ?? '{"fields":[],"clicks":0,"keys":0}') as {
        fields: string[];
        clicks: number;
        keys: number;
      };
    const save = (v: { fields: string[]; clicks: number; keys: number }) =>
      sessionStorage.setItem(key, JSON.stringify(v));
    const fieldKey = (t: EventTarget | null) => {
      const el = t as HTMLInputElement | null;
      return `${location.pathname}#${el?.id || el?.name || el?.getAttribute?.('aria-label') || 'field'}`;
    };
    document.addEventListener(
      'input',
      (e) => {
        if (!e.isTrusted) return;
        const v = load();
        const k = fieldKey(e.target);
        if (!v.fields.includes(k)) v.fields.push(k);
        save(v);
      },
      true,
    );
    document.addEventListener(
      'click',
      (e) => {
        if (!e.isTrusted) return;
        const v = load();
        v.clicks += 1;
        save(v);
      },
      true,
    );
    document.addEventListener(
      'keydown',
      (e) => {
        if (!e.isTrusted) return;
        const v = load();
        v.keys += 1;
        save(v);
      },
      true,
    );
  }, storageKey);
}

/** Reads what the page counted so far. */
export async function readOperatorActions(page: Page): Promise<OperatorActions> {
  const v = await page.evaluate(
    (key) => JSON.parse(sessionStorage.getItem(key) ?? '{"fields":[],"clicks":0,"keys":0}'),
    storageKey,
  );
  return {
    fieldsTyped: (v as { fields: string[] }).fields.length,
    clicks: (v as { clicks: number }).clicks,
    keys: (v as { keys: number }).keys,
  };
}

/** Adds up the counts of several pages and writes them where `npm run bench` reads them. */
export function writeOperatorActions(all: OperatorActions[]): OperatorActions {
  const total = all.reduce(
    (a, b) => ({
      fieldsTyped: a.fieldsTyped + b.fieldsTyped,
      clicks: a.clicks + b.clicks,
      keys: a.keys + b.keys,
    }),
    { fieldsTyped: 0, clicks: 0, keys: 0 },
  );
  const file = path.resolve('test-results', 'operator-actions.json');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(total, null, 2)}\n`);
  return total;
}
