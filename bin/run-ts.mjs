#!/usr/bin/env node
// Runs a TypeScript entry point with tsx, resolving `server-only` as the server does (react-server condition).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  process.stderr.write('usage: run-ts.mjs <entry.ts> [args...]\n');
  process.exit(2);
}
const result = spawnSync(
  process.execPath,
  ['--conditions=react-server', '--import', 'tsx', path.resolve(root, entry), ...args],
  { stdio: 'inherit', cwd: process.cwd(), env: { ...process.env, TSX_TSCONFIG_PATH: path.join(root, 'tsconfig.json') } },
);
process.exit(result.status ?? 1);
