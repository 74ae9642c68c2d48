import { createHash } from 'node:crypto';

import type { ShellCommand } from './types';

/** Builds a ShellCommand, hashing its script (sha256 hex of the UTF-8 text). */
export function shellCommand(fields: Omit<ShellCommand, 'hash'>): ShellCommand {
  return { ...fields, hash: createHash('sha256').update(fields.script, 'utf8').digest('hex') };
}
