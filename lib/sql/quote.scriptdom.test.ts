// The quoting functions checked against Microsoft's parser: whatever the value, the literal or identifier reads back
// as exactly that value and the statement keeps its shape.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTsql } from '@/lib/testing/scriptdom';
import { nString, quoteIdentifier } from './quote';

// Strings rich in what breaks naive quoting; control characters included (the quoting itself must not care).
const hostile = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom(
        "'",
        ']',
        '[',
        '"',
        '-',
        '/',
        '*',
        ';',
        '\n',
        '\r',
        '\t',
        ' ',
        'N',
        '@',
        '\u2019',
        '\u02bc',
        '日',
        '🚀',
        'é',
        'GO',
      ),
      fc.string({ unit: 'grapheme', maxLength: 1 }),
    ),
    maxLength: 40,
  })
  .filter((v) => !v.includes('\0'));

describe('quoting through ScriptDom', () => {
  it('nString and quoteIdentifier values read back exactly, one statement, no errors', async () => {
    const values = fc.sample(hostile, { numRuns: 300, seed: 20261126 });
    // Identifiers are sysname (at most 128 characters) and cannot be empty.
    const texts = values.map((v) => `SELECT ${nString(v)} AS ${quoteIdentifier(v === '' ? 'x' : v)};`);
    const results = await parseTsql(texts);
    results.forEach((r, i) => {
      const v = values[i]!;
      expect(r.errors, JSON.stringify(v)).toEqual([]);
      expect(r.statements).toEqual(['SelectStatement']);
      expect(r.stringLiterals).toEqual([v]);
      expect(r.identifiers).toEqual([v === '' ? 'x' : v]);
    });
  }, 120_000);
});
