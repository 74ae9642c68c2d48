import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Token, tokenize } from './tokenize';

const kinds = (tokens: Token[]) => tokens.filter((t) => t.kind !== 'plain').map((t) => [t.kind, t.text]);

describe('tokenize T-SQL', () => {
  it('colours keywords, N-strings with doubled quotes, variables, brackets and both comment forms', () => {
    const sql =
      "DECLARE @LS_BackupJobId AS uniqueidentifier -- job id\nEXEC @SP_Add_RetCode = master.dbo.sp_add_log_shipping_primary_database @database = N'mg''c' /* x */ , @x = 15 [a]]b]";
    expect(kinds(tokenize(sql, 'tsql'))).toEqual([
      ['keyword', 'DECLARE'],
      ['variable', '@LS_BackupJobId'],
      ['keyword', 'AS'],
      ['comment', '-- job id'],
      ['keyword', 'EXEC'],
      ['variable', '@SP_Add_RetCode'],
      ['variable', '@database'],
      ['string', "N'mg''c'"],
      ['comment', '/* x */'],
      ['variable', '@x'],
      ['number', '15'],
      ['identifier', '[a]]b]'],
    ]);
  });

  it('treats @@SERVERNAME as one variable and a comment marker inside a string as string', () => {
    expect(kinds(tokenize("SELECT @@SERVERNAME, N'-- not a comment'", 'tsql'))).toEqual([
      ['keyword', 'SELECT'],
      ['variable', '@@SERVERNAME'],
      ['string', "N'-- not a comment'"],
    ]);
  });
});

describe('tokenize PowerShell', () => {
  it('colours cmdlets, parameters, variables, both string forms and comments', () => {
    const ps =
      '# check\nInvoke-CsDatabaseFailover -PoolFqdn \'pchat.contoso.com\' -NewPrincipal Mirror -Confirm:$false\n$state = "x`"y"';
    expect(kinds(tokenize(ps, 'powershell'))).toEqual([
      ['comment', '# check'],
      ['command', 'Invoke-CsDatabaseFailover'],
      ['parameter', '-PoolFqdn'],
      ['string', "'pchat.contoso.com'"],
      ['parameter', '-NewPrincipal'],
      ['parameter', '-Confirm'],
      ['variable', '$false'],
      ['variable', '$state'],
      ['string', '"x`"y"'],
    ]);
  });

  it('keeps a single-quoted string with a doubled quote and $( in one piece', () => {
    expect(kinds(tokenize("Write-Output 'it''s $(bad)'", 'powershell'))).toEqual([
      ['command', 'Write-Output'],
      ['string', "'it''s $(bad)'"],
    ]);
  });
});

describe('tokenize', () => {
  it('gives back any text unchanged, including unterminated strings and comments', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        fc.constantFrom('tsql' as const, 'powershell' as const),
        (text, language) => {
          expect(
            tokenize(text, language)
              .map((t) => t.text)
              .join(''),
          ).toBe(text);
        },
      ),
      { numRuns: 500 },
    );
  });
});
