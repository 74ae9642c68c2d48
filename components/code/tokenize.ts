/** What a piece of script is, for colouring only: the text itself is never changed. */
export type TokenKind =
  'keyword' | 'string' | 'comment' | 'variable' | 'number' | 'identifier' | 'parameter' | 'command' | 'plain';

export interface Token {
  kind: TokenKind;
  text: string;
}

export type ScriptLanguage = 'tsql' | 'powershell';

// What the generated scripts use, plus the common rest; an unknown word simply stays plain.
const tsqlKeywords = new Set(
  `add all alter and as asc authorization backup begin between break by cascade case catch check checkpoint close
  column commit compression constraint continue create cross cursor database dbcc deallocate declare default delete
  deny desc disk distinct drop else end exec execute exists fetch file for from full function go goto grant group
  having if in index inner insert into is join key kill left like log merge move name next nocount norecovery not null
  of off on open option or order output over partner percent primary print proc procedure raiserror read recovery
  restore return returns revoke right rollback rows select set standby stats table then throw to top tran transaction
  trigger truncate try union unique update use values view waitfor when where while with xact_abort`.split(
    /\s+/,
  ),
);

const psKeywords = new Set(
  `begin break catch class continue data do dynamicparam else elseif end exit filter finally for foreach function if
  in param process return switch throw trap try until using while`.split(/\s+/),
);

interface Rule {
  kind: TokenKind;
  pattern: RegExp;
}

// Sticky patterns tried in order at each position; the first that matches wins.
const tsqlRules: Rule[] = [
  { kind: 'comment', pattern: /--[^\n]*/y },
  { kind: 'comment', pattern: /\/\*[\s\S]*?(\*\/|$)/y },
  { kind: 'string', pattern: /N?'(?:[^']|'')*('|$)/y },
  { kind: 'identifier', pattern: /\[(?:[^\]]|\]\])*(\]|$)/y },
  { kind: 'variable', pattern: /@@?[A-Za-z_#$@][\w#$@]*/y },
  { kind: 'number', pattern: /\b\d+(\.\d+)?\b/y },
  { kind: 'keyword', pattern: /[A-Za-z_][\w$#]*/y },
];

const psRules: Rule[] = [
  { kind: 'comment', pattern: /<#[\s\S]*?(#>|$)/y },
  { kind: 'comment', pattern: /#[^\n]*/y },
  { kind: 'string', pattern: /'(?:[^']|'')*('|$)/y },
  { kind: 'string', pattern: /"(?:[^"`]|`[\s\S]|"")*("|$)/y },
  { kind: 'variable', pattern: /\$\{[^}]*\}?|\$[\w:?^$]+/y },
  { kind: 'parameter', pattern: /(?<![\w-])-[A-Za-z][\w]*/y },
  { kind: 'command', pattern: /[A-Za-z]+-[A-Za-z][\w]*/y },
  { kind: 'number', pattern: /\b\d+(\.\d+)?\b/y },
  { kind: 'keyword', pattern: /[A-Za-z_][\w]*/y },
];

function wordKind(language: ScriptLanguage, text: string): TokenKind {
  const words = language === 'tsql' ? tsqlKeywords : psKeywords;
  return words.has(text.toLowerCase()) ? 'keyword' : 'plain';
}

/** Splits a script into coloured tokens; joining the tokens' text always gives back the script unchanged. */
export function tokenize(source: string, language: ScriptLanguage): Token[] {
  const rules = language === 'tsql' ? tsqlRules : psRules;
  const tokens: Token[] = [];
  const push = (kind: TokenKind, text: string) => {
    const last = tokens[tokens.length - 1];
    if (last && last.kind === kind && kind === 'plain') last.text += text;
    else tokens.push({ kind, text });
  };
  let i = 0;
  while (i < source.length) {
    let matched = false;
    for (const rule of rules) {
      rule.pattern.lastIndex = i;
      const m = rule.pattern.exec(source);
      if (m && m[0].length > 0) {
        push(rule.kind === 'keyword' ? wordKind(language, m[0]) : rule.kind, m[0]);
        i += m[0].length;
        matched = true;
        break;
      }
    }
    if (!matched) {
      push('plain', source[i]!);
      i += 1;
    }
  }
  return tokens;
}
