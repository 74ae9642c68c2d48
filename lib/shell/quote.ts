/** A value `quotePs` can write as a PowerShell literal. */
export type PsValue = string | number | boolean | null | readonly string[];

// PowerShell's tokenizer treats all four of these as single quotes, both to open/close a
// verbatim string and, doubled, as an escaped quote inside one (CharExtensions.IsSingleQuote).
const singleQuotes = /['\u2018\u2019\u201A\u201B]/g;
// In a `u` regex a surrogate pair is one code point, so \p{Cs} only matches an unpaired half.
const loneSurrogate = /\p{Cs}/u;

/**
 * Writes `value` as a PowerShell literal that evaluates to exactly `value`, whatever it contains:
 * strings single-quoted (no expansion of `$`, backtick or `"`), every single-quote variant doubled.
 */
export function quotePs(value: PsValue): string {
  if (value === null) return '$null';
  if (typeof value === 'boolean') return value ? '$true' : '$false';
  if (typeof value === 'number') return quoteNumber(value);
  if (typeof value === 'string') return quoteString(value);
  return `@(${value.map(quoteString).join(',')})`;
}

function quoteString(value: string): string {
  // NUL cannot travel in a process command line and native APIs behind the cmdlets truncate at it,
  // so a literal containing one would not mean what it shows: refuse rather than encode.
  if (value.includes('\0')) throw new RangeError('PowerShell values cannot contain a NUL character.');
  // A lone surrogate has no UTF-8 form: it would reach PowerShell as U+FFFD, a different value.
  if (loneSurrogate.test(value)) throw new RangeError('PowerShell values must be well-formed Unicode text.');
  return `'${value.replace(singleQuotes, (quote) => quote + quote)}'`;
}

function quoteNumber(value: number): string {
  if (!Number.isFinite(value))
    throw new RangeError(`PowerShell number literals must be finite, got ${value}.`);
  // String() is locale-independent ('.' decimal point, 'e+21' exponent), which PowerShell parses as is.
  // Negative values are parenthesised: in argument mode a bare `-5` is the string '-5'.
  const text = String(Object.is(value, -0) ? 0 : value);
  return value < 0 ? `(${text})` : text;
}
