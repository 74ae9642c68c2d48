#!/usr/bin/env node
// The `pchat-hadr` command: the same lib/ as the wizard, from a terminal.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const result = spawnSync(
  process.execPath,
  ['--conditions=react-server', '--import', 'tsx', path.join(root, 'bin/cli.ts'), ...process.argv.slice(2)],
  { stdio: 'inherit', env: { ...process.env, TSX_TSCONFIG_PATH: path.join(root, 'tsconfig.json') } },
);
process.exit(result.status ?? 1);
