import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { combineHashes, contentHash } from './hash';

describe('contentHash', () => {
  it('is the sha256 of the UTF-8 bytes, lower-case hex (known vector)', () => {
    expect(contentHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(contentHash('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('hashes non-ASCII text by its UTF-8 bytes', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }),
        (text) => contentHash(text) === createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex'),
      ),
    );
  });

  it('changes when a single trailing space changes', () => {
    expect(contentHash('END ')).not.toBe(contentHash('END'));
  });
});

describe('combineHashes', () => {
  it('depends on the order of the hashes', () => {
    const a = contentHash('a');
    const b = contentHash('b');
    expect(combineHashes([a, b])).not.toBe(combineHashes([b, a]));
    expect(combineHashes([a, b])).toBe(contentHash(`${a}\n${b}`));
  });
});
