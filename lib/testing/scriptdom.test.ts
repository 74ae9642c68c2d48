import { describe, expect, it } from 'vitest';
import { parseTsql, tokenTypes } from './scriptdom';

describe('parseTsql (real ScriptDom in pwsh)', () => {
  it('reports errors for bad T-SQL, none for good, and decodes literals and identifiers', async () => {
    const [good, bad, unterminated] = await parseTsql([
      "SELECT N'a''b' AS [x]]y]; EXEC master.dbo.sp_who -- done\n",
      'SELEC 1 FROM',
      "SELECT N'open",
    ]);
    expect(good!.errors).toEqual([]);
    expect(good!.statements).toEqual(['SelectStatement', 'ExecuteStatement']);
    expect(good!.stringLiterals).toEqual(["a'b"]);
    expect(good!.identifiers).toContain('x]y');
    expect(tokenTypes(good!)).toContain('SingleLineComment');
    expect(bad!.errors.length).toBeGreaterThan(0);
    expect(bad!.errors[0]!.line).toBe(1);
    expect(unterminated!.errors.length).toBeGreaterThan(0);
  }, 60_000);

  it('returns one result per text, repeated texts included, in order', async () => {
    const results = await parseTsql(['SELECT 1;', 'SELECT FROM WHERE', 'SELECT 1;']);
    expect(results.map((r) => r.errors.length > 0)).toEqual([false, true, false]);
  }, 60_000);
});
