#!/usr/bin/env node
// `npm test`: every suite, none skipped. Installs the tools the suites need when missing (and fails loudly if it
// cannot), then type-checks, lints, runs the unit and integration tests (vitest, against the lab over real TDS and
// real pwsh), builds the app and runs the browser tests (Playwright in Debian's Chromium).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { provisionAll, tools } from './provision.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Outside test-results/, which Playwright empties when it starts.
const reports = path.join(root, '.test-reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const env = { ...process.env, PWSH_PATH: tools.pwsh, CHROMIUM_PATH: tools.chromium, NEXT_TELEMETRY_DISABLED: '1' };
const started = Date.now();
const results = [];

function step(name, cmd, args, extraEnv = {}) {
  const t0 = Date.now();
  process.stdout.write(`\n=== ${name}: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...env, ...extraEnv } });
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  results.push({ name, ok: r.status === 0, seconds });
  process.stdout.write(`=== ${name}: ${r.status === 0 ? 'ok' : `FAILED (exit ${r.status ?? r.signal})`} in ${seconds}s\n`);
  return r.status === 0;
}

function countVitest(file) {
  try {
    const json = JSON.parse(readFileSync(file, 'utf8'));
    return { passed: json.numPassedTests ?? 0, failed: json.numFailedTests ?? 0, skipped: (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0) };
  } catch {
    return { passed: 0, failed: 1, skipped: 0 };
  }
}

function countPlaywright(file) {
  try {
    const stats = JSON.parse(readFileSync(file, 'utf8')).stats;
    return { passed: stats.expected ?? 0, failed: (stats.unexpected ?? 0) + (stats.flaky ?? 0), skipped: stats.skipped ?? 0 };
  } catch {
    return { passed: 0, failed: 1, skipped: 0 };
  }
}

provisionAll();

const npx = (bin) => path.join(root, 'node_modules', '.bin', bin);
step('typecheck', npx('tsc'), ['--noEmit']);
step('lint', npx('eslint'), ['.', '--max-warnings=0']);
const vitestJson = path.join(reports, 'vitest.json');
step('unit and integration tests', npx('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
const built = step('build', npx('next'), ['build']);
const playwrightJson = path.join(reports, 'playwright.json');
if (built) {
  step('browser tests', npx('playwright'), ['test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson });
}

const unit = countVitest(vitestJson);
const browser = built ? countPlaywright(playwrightJson) : { passed: 0, failed: 1, skipped: 0 };
const failedSteps = results.filter((r) => !r.ok);
process.stdout.write('\n');
for (const r of results) process.stdout.write(`${r.ok ? 'ok    ' : 'FAILED'} ${r.name} (${r.seconds}s)\n`);
process.stdout.write(`vitest: ${unit.passed} passed, ${unit.failed} failed, ${unit.skipped} skipped\n`);
process.stdout.write(`playwright: ${browser.passed} passed, ${browser.failed} failed, ${browser.skipped} skipped\n`);
process.stdout.write(`total time ${((Date.now() - started) / 1000).toFixed(0)}s\n`);
const skipped = unit.skipped + browser.skipped;
if (skipped > 0) process.stdout.write(`${skipped} tests were skipped: that is a failure here (no suite may be skipped)\n`);
const passed = unit.passed + browser.passed;
const failed = unit.failed + browser.failed + failedSteps.length + (skipped > 0 ? 1 : 0);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
