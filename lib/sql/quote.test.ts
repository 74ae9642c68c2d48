import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nString, quoteIdentifier } from './quote';

// An independent reading of the two literal forms, as T-SQL's lexer defines them: the text between the delimiters,
// where only a doubled closing delimiter stands for itself. Returns null when the text is not exactly one literal.
function readDelimited(text: string, open: string, close: string): string | null {
  if (!text.startsWith(open) || !text.endsWith(close) || text.length < open.length + close.length)
    return null;
  let value = '';
  for (let i = open.length; i < text.length - close.length; i++) {
    const c = text[i]!;
    if (c === close) {
      if (text[i + 1] !== close || i + 1 >= text.length - close.length) return null;
      i++;
    }
    value += c;
  }
  return value;
}

describe('quoteIdentifier', () => {
  it('brackets a plain name', () => {
    expect(quoteIdentifier('mgc')).toBe('[mgc]');
  });

  it('doubles a closing bracket and leaves an opening one alone', () => {
    expect(quoteIdentifier('a]b[c')).toBe('[a]]b[c]');
    expect(quoteIdentifier(']')).toBe('[]]]');
  });

  it('reads back as the same name for any string', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        (name) => readDelimited(quoteIdentifier(name), '[', ']') === name,
      ),
    );
  });
});

describe('nString', () => {
  it('writes a Unicode literal', () => {
    expect(nString('mgc')).toBe("N'mgc'");
    expect(nString('')).toBe("N''");
  });

  it('doubles single quotes and keeps everything else as typed (-- /* ] \\ Unicode)', () => {
    expect(nString("O'Brien")).toBe("N'O''Brien'");
    expect(nString("'")).toBe("N''''");
    expect(nString('a--b/*c*/]d\\e 日本 🚀')).toBe("N'a--b/*c*/]d\\e 日本 🚀'");
  });

  it('reads back as the same value for any string', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        (value) => readDelimited(nString(value), "N'", "'") === value,
      ),
    );
  });
});
