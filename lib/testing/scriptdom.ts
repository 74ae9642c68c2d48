// Test support: Microsoft's own T-SQL parser (ScriptDom) in real pwsh, many texts per process so a suite pays the
// start-up cost once. Never a mock and never skipped: a missing pwsh or DLL fails the suite loudly.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Path of the pwsh the tests use: PWSH_PATH or the repo's .NET-tool install. */
export const scriptDomPwshPath = path.resolve(process.env.PWSH_PATH ?? '.tools/pwsh/pwsh');
/** The ScriptDom assembly `node scripts/provision.mjs` installs. */
export const scriptDomDllPath = path.resolve(
  '.tools/scriptdom/Microsoft.SqlServer.TransactSql.ScriptDom.dll',
);

export interface ScriptDomError {
  number: number;
  line: number;
  column: number;
  message: string;
}

export interface ScriptDomToken {
  /** ScriptDom's TSqlTokenType name, e.g. `UnicodeStringLiteral`, `QuotedIdentifier`, `SingleLineComment`. */
  type: string;
  text: string;
}

export interface ScriptDomResult {
  errors: ScriptDomError[];
  /** Every token in order, whitespace included. */
  tokens: ScriptDomToken[];
  /** Type names of every statement, nested ones included, in visiting order (e.g. `ExecuteStatement`). */
  statements: string[];
  /** Values of the string literals as the parser decoded them (quotes removed, doubled quotes undone). */
  stringLiterals: string[];
  /** Values of the identifiers as the parser decoded them (brackets removed, `]]` undone). */
  identifiers: string[];
}

export type ScriptDomParser = 'TSql160Parser' | 'TSql170Parser' | 'TSql180Parser';

// The parsing loop is C# compiled once per process: a visitor is the parser's own way to read decoded literal and
// identifier values, PowerShell classes cannot derive from a type loaded by the same script, and a PowerShell loop
// over thousands of tokens would dominate the run time.
const runnerSource = String.raw`
using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using Microsoft.SqlServer.TransactSql.ScriptDom;
public class PchatCollector : TSqlFragmentVisitor {
  public List<string> Statements = new List<string>();
  public List<string> Literals = new List<string>();
  public List<string> Identifiers = new List<string>();
  public override void Visit(TSqlStatement node) { Statements.Add(node.GetType().Name); }
  public override void Visit(StringLiteral node) { Literals.Add(node.Value); }
  public override void Visit(Identifier node) { Identifiers.Add(node.Value); }
}
public static class PchatScriptDom {
  public static void Run(string inputPath, string outputPath, string parserName) {
    var texts = JsonSerializer.Deserialize<string[]>(File.ReadAllText(inputPath));
    var parserType = typeof(TSql160Parser).Assembly.GetType("Microsoft.SqlServer.TransactSql.ScriptDom." + parserName, true);
    var results = new List<Dictionary<string, object>>();
    foreach (var text in texts) {
      var parser = (TSqlParser)Activator.CreateInstance(parserType, new object[] { true });
      IList<ParseError> errors;
      var fragment = parser.Parse(new StringReader(text), out errors);
      var collector = new PchatCollector();
      var tokens = new List<Dictionary<string, string>>();
      if (fragment != null) {
        fragment.Accept(collector);
        if (fragment.ScriptTokenStream != null) {
          foreach (var t in fragment.ScriptTokenStream) {
            if (t.TokenType == TSqlTokenType.EndOfFile) continue;
            tokens.Add(new Dictionary<string, string> { { "type", t.TokenType.ToString() }, { "text", t.Text } });
          }
        }
      }
      var errs = new List<Dictionary<string, object>>();
      foreach (var e in errors) {
        errs.Add(new Dictionary<string, object> { { "number", e.Number }, { "line", e.Line }, { "column", e.Column }, { "message", e.Message } });
      }
      results.Add(new Dictionary<string, object> {
        { "errors", errs }, { "tokens", tokens }, { "statements", collector.Statements },
        { "stringLiterals", collector.Literals }, { "identifiers", collector.Identifiers }
      });
    }
    File.WriteAllText(outputPath, JsonSerializer.Serialize(results));
  }
}`;

const runnerScript = String.raw`
$ErrorActionPreference = 'Stop'
$dll = $env:SCRIPTDOM_DLL
Add-Type -Path $dll
$refs = @($dll, 'netstandard', 'System.Collections', 'System.Runtime', 'System.Text.Json', 'System.Memory', 'System.Runtime.Extensions', 'System.IO')
Add-Type -TypeDefinition $env:SCRIPTDOM_RUNNER -ReferencedAssemblies $refs -IgnoreWarnings -WarningAction SilentlyContinue
[PchatScriptDom]::Run($env:SCRIPTDOM_IN, $env:SCRIPTDOM_OUT, $env:SCRIPTDOM_PARSER)
`;

/**
 * Parses every text with ScriptDom (QUOTED_IDENTIFIER on) in one pwsh process and returns, per text, the parse
 * errors, the token stream, the statement types and the decoded literal and identifier values.
 */
export async function parseTsql(
  texts: readonly string[],
  parser: ScriptDomParser = 'TSql160Parser',
): Promise<ScriptDomResult[]> {
  if (!existsSync(scriptDomPwshPath)) {
    throw new Error(
      `pwsh not found at ${scriptDomPwshPath}: run \`node scripts/provision.mjs\` or set PWSH_PATH.`,
    );
  }
  if (!existsSync(scriptDomDllPath)) {
    throw new Error(`ScriptDom not found at ${scriptDomDllPath}: run \`node scripts/provision.mjs\`.`);
  }
  if (texts.length === 0) return [];
  // Generated stages repeat many texts (the same preflight batch on four instances): parse each distinct text once.
  const unique = [...new Set(texts)];
  const byText = new Map((await parseUnique(unique, parser)).map((result, i) => [unique[i]!, result]));
  return texts.map((text) => byText.get(text)!);
}

async function parseUnique(texts: readonly string[], parser: ScriptDomParser): Promise<ScriptDomResult[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'scriptdom-'));
  const input = path.join(dir, 'in.json');
  const output = path.join(dir, 'out.json');
  try {
    writeFileSync(input, JSON.stringify(texts), 'utf8');
    await new Promise<void>((resolve, reject) => {
      execFile(
        scriptDomPwshPath,
        ['-NoProfile', '-NonInteractive', '-Command', runnerScript],
        {
          env: {
            ...process.env,
            SCRIPTDOM_DLL: scriptDomDllPath,
            SCRIPTDOM_RUNNER: runnerSource,
            SCRIPTDOM_IN: input,
            SCRIPTDOM_OUT: output,
            SCRIPTDOM_PARSER: parser,
          },
          maxBuffer: 64 * 1024 * 1024,
        },
        (error, _stdout, stderr) =>
          error ? reject(new Error(`ScriptDom run failed: ${error.message}\n${stderr}`)) : resolve(),
      );
    });
    const results = JSON.parse(readFileSync(output, 'utf8')) as ScriptDomResult[];
    if (results.length !== texts.length) {
      throw new Error(`ScriptDom returned ${results.length} results for ${texts.length} texts.`);
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The token types of a parse, whitespace left out: what a script's structure is made of. */
export function tokenTypes(result: ScriptDomResult): string[] {
  return result.tokens.filter((t) => t.type !== 'WhiteSpace').map((t) => t.type);
}
