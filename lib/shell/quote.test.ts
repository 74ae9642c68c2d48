import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { quotePs } from './quote';
import { runPwsh } from './testing/run-pwsh';

// Fragments that mean something to PowerShell's parser, mixed with arbitrary Unicode text.
const hostileFragment = fc.constantFrom(
  "'",
  "''",
  '\u2018',
  '\u2019',
  '\u201A',
  '\u201B',
  '"',
  '$(',
  ')',
  '$x',
  '${env:PATH}',
  '`',
  '`n',
  '\n',
  '\r\n',
  ';',
  '#',
  '<#',
  '#>',
  '@(',
  '@{',
  '{',
  '}',
  '|',
  '&',
  '--%',
  '-Verbose',
  ' ',
  '\t',
  '\u00a0',
  '\u2028',
  '😀',
);
const hostileString = fc
  .array(fc.oneof(hostileFragment, fc.string({ unit: 'binary', maxLength: 8 })), { maxLength: 12 })
  .map((parts) => parts.join('').replaceAll('\0', ''));

function utf8Base64(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64');
}

/** Evaluates every quoted string in one pwsh process; each comes back as its type and UTF-8 bytes. */
async function evaluateStrings(values: string[]): Promise<string[]> {
  const lines = values.map(
    (value) =>
      `$v = ${quotePs(value)}\n$out.Add($v.GetType().FullName + ':' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($v)))`,
  );
  const script = [
    '$out = [System.Collections.Generic.List[string]]::new()',
    ...lines,
    '[Console]::Out.Write($out -join "`n")',
  ].join('\n');
  const stdout = await runPwsh(script);
  return stdout === '' ? [] : stdout.split('\n');
}

describe('quotePs', { timeout: 120_000 }, () => {
  it('writes strings single-quoted with every single-quote variant doubled', () => {
    expect(quotePs('pchat.lab.local')).toBe("'pchat.lab.local'");
    expect(quotePs("O'Brien")).toBe("'O''Brien'");
    expect(quotePs('a\u2018b\u2019c\u201Ad\u201Be')).toBe(
      "'a\u2018\u2018b\u2019\u2019c\u201A\u201Ad\u201B\u201Be'",
    );
    expect(quotePs('$(Remove-Item x) `n "y"')).toBe('\'$(Remove-Item x) `n "y"\'');
    expect(quotePs('')).toBe("''");
  });

  it('writes booleans, null, numbers and string arrays as PowerShell literals', () => {
    expect(quotePs(true)).toBe('$true');
    expect(quotePs(false)).toBe('$false');
    expect(quotePs(null)).toBe('$null');
    expect(quotePs(4320)).toBe('4320');
    expect(quotePs(0.5)).toBe('0.5');
    expect(quotePs(-15)).toBe('(-15)');
    expect(quotePs(-0)).toBe('0');
    expect(quotePs(1e21)).toBe('1e+21');
    expect(quotePs(['FE01.lab.local', "it's"])).toBe("@('FE01.lab.local','it''s')");
    expect(quotePs([])).toBe('@()');
  });

  it('refuses values PowerShell cannot receive intact', () => {
    expect(() => quotePs('a\0b')).toThrow(/NUL/);
    expect(() => quotePs(['ok', '\0'])).toThrow(/NUL/);
    expect(() => quotePs('\uD800x')).toThrow(/well-formed/);
    expect(() => quotePs(Number.NaN)).toThrow(/finite/);
    expect(() => quotePs(Number.POSITIVE_INFINITY)).toThrow(/finite/);
  });

  it('round-trips hostile strings through real pwsh unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileString, { minLength: 40, maxLength: 60 }), async (values) => {
        const results = await evaluateStrings(values);
        expect(results).toEqual(values.map((value) => `System.String:${utf8Base64(value)}`));
      }),
      { numRuns: 5, endOnFailure: true },
    );
  });

  it('round-trips numbers, booleans, null and arrays through real pwsh', async () => {
    const numbers = fc.sample(fc.double({ noNaN: true, noDefaultInfinity: true }), { numRuns: 60, seed: 42 });
    const integers = fc.sample(fc.integer(), { numRuns: 20, seed: 7 });
    const all = [...numbers, ...integers, 0, -1, 1e21, 2 ** 53, -(2 ** 63)];
    const script = [
      '$ic = [cultureinfo]::InvariantCulture',
      ...all.map((n) => `[Console]::Out.WriteLine(([double](${quotePs(n)})).ToString('R', $ic))`),
      `[Console]::Out.WriteLine((${quotePs(true)}).GetType().Name + (${quotePs(false)}).ToString() + ($null -eq ${quotePs(null)}))`,
      `$a = ${quotePs(["x'y", '$z', '\u2019'])}; [Console]::Out.WriteLine($a.GetType().Name + ':' + $a.Count + ':' + ($a -join '|'))`,
      `$e = ${quotePs([])}; [Console]::Out.WriteLine($e.GetType().Name + ':' + $e.Count)`,
    ].join('\n');
    const lines = (await runPwsh(script)).trimEnd().split(/\r?\n/);
    const parsed = lines.slice(0, all.length).map(Number);
    // -0 is written as 0 on purpose: PowerShell has no negative-zero literal and the cmdlets never need one.
    expect(parsed).toEqual(all.map((n) => (Object.is(n, -0) ? 0 : n)));
    expect(lines.slice(all.length)).toEqual([
      'BooleanFalse' + 'True',
      "Object[]:3:x'y|$z|\u2019",
      'Object[]:0',
    ]);
  });
});
