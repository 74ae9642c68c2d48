import { createHash } from 'node:crypto';

/** sha256 of the UTF-8 bytes of `text`, lower-case hex: the content hash of every artifact. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The hash of an ordered list of hashes (a target's batches, a stage's targets): sha256 of them joined by LF. */
export function combineHashes(hashes: readonly string[]): string {
  return contentHash(hashes.join('\n'));
}
