// Hostile pool, server and share names must stay literals: the parsed structure of every generated command is
// the same as with a plain name, and the value comes back from PowerShell's own parser as a single-quoted constant.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { runPwsh } from '../testing/run-pwsh';
import {
  activeServersCommand,
  getPersistentChatStateCommand,
  installMirrorDatabaseCommand,
  setActiveServersCommand,
  setPersistentChatStateCommand,
} from './dr';
import { failbackToPrimaryCommands, failoverToMirrorCommands } from './failover';
import { sessionCommand } from './session';
import { topologyCommands } from './topology';
import type { ShellCommand } from './types';

// Describes each script's AST: parse errors, statement count, and every command with its elements in order
// (parameters by name, constants with their quoting kind and value, other expressions by their node type).
const describeAst = String.raw`
function Get-ElementShape($element) {
  switch ($element.GetType().Name) {
    'CommandParameterAst' { return @{ kind = 'parameter'; name = $element.ParameterName; attached = ($null -ne $element.Argument) } }
    'StringConstantExpressionAst' { return @{ kind = 'string'; quoting = [string]$element.StringConstantType; value = $element.Value } }
    'ConstantExpressionAst' { return @{ kind = 'constant'; value = [string]$element.Value } }
    'VariableExpressionAst' { return @{ kind = 'variable'; name = $element.VariablePath.UserPath } }
    default {
      $strings = @($element.FindAll({ param($n) $n -is [System.Management.Automation.Language.StringConstantExpressionAst] }, $true) |
        ForEach-Object { @{ quoting = [string]$_.StringConstantType; value = $_.Value } })
      return @{ kind = $element.GetType().Name; strings = $strings }
    }
  }
}
$shapes = foreach ($encoded in $scripts) {
  $text = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($encoded))
  $tokens = $null; $errors = $null
  $ast = [System.Management.Automation.Language.Parser]::ParseInput($text, [ref]$tokens, [ref]$errors)
  $commands = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true) | ForEach-Object {
    @{ name = $_.GetCommandName(); elements = @($_.CommandElements | Select-Object -Skip 1 | ForEach-Object { Get-ElementShape $_ }) }
  })
  @{ errors = $errors.Count; statements = $ast.EndBlock.Statements.Count; commands = $commands }
}
[Console]::Out.Write((ConvertTo-Json -InputObject @($shapes) -Depth 12 -Compress))
`;

async function astShapes(scripts: string[]): Promise<unknown[]> {
  const encoded = scripts.map((script) => `'${Buffer.from(script, 'utf8').toString('base64')}'`).join(',');
  return JSON.parse(await runPwsh(`$scripts = @(${encoded})\n${describeAst}`)) as unknown[];
}

/** Replaces, deep inside a shape, every marker within a string by the hostile value it stands for. */
function substitute(shape: unknown, replacements: Map<string, string>): unknown {
  if (typeof shape === 'string') {
    let text = shape;
    for (const [marker, value] of replacements) text = text.split(marker).join(value);
    return text;
  }
  if (Array.isArray(shape)) return shape.map((item) => substitute(item, replacements));
  if (shape && typeof shape === 'object') {
    return Object.fromEntries(
      Object.entries(shape).map(([key, value]) => [key, substitute(value, replacements)]),
    );
  }
  return shape;
}

interface Names {
  pool: string;
  frontEnd: string;
  server: string;
  sqlServer: string;
  instance: string;
  share: string;
}

function everyCommand(names: Names): ShellCommand[] {
  return [
    ...topologyCommands({ poolFqdn: names.pool, compliance: true, shellHost: { kind: 'local-pwsh' } }),
    ...failoverToMirrorCommands({
      poolFqdn: names.pool,
      compliance: true,
      shellHost: { kind: 'local-pwsh' },
    }),
    ...failbackToPrimaryCommands({
      poolFqdn: names.pool,
      compliance: false,
      shellHost: { kind: 'local-pwsh' },
    }),
    sessionCommand({ kind: 'remote', frontEnd: names.frontEnd }),
    getPersistentChatStateCommand(names.pool),
    setPersistentChatStateCommand(names.pool, 'FailedOver'),
    setActiveServersCommand(names.pool, [names.server, names.frontEnd]),
    activeServersCommand(names.pool),
    installMirrorDatabaseCommand({
      poolFqdn: names.pool,
      databaseType: 'PersistentChat',
      store: 'backup',
      fileShare: names.share,
    }),
  ];
}

const hostileFragment = fc.constantFrom(
  "'",
  '\u2018',
  '\u2019',
  '\u201A',
  '\u201B',
  '"',
  '$(Remove-Item -Recurse /)',
  '`',
  '\n',
  '\r',
  ';',
  '#',
  '<#',
  '| Out-Null',
  '-Force',
  '@(',
  '{',
  '}',
  ' ',
  '\\',
  '😀',
);
const hostile = fc
  .array(fc.oneof(hostileFragment, fc.string({ unit: 'binary', maxLength: 6 })), {
    minLength: 1,
    maxLength: 8,
  })
  .map((parts) => parts.join('').replaceAll('\0', ''));

// Plain values standing in for the hostile ones; each occurs nowhere else in the generated text.
const markers: Names = {
  pool: 'marker-pool.example',
  frontEnd: 'marker-fe.example',
  server: 'marker-server.example',
  sqlServer: 'marker-sql.example',
  instance: 'MARKERINSTANCE',
  share: '\\\\marker-share\\x',
};

describe('generated PowerShell under hostile names', { timeout: 120_000 }, () => {
  it('keeps the same AST, with each name a single-quoted constant equal to the input', async () => {
    const plainCommands = everyCommand(markers);
    const plainShapes = await astShapes(plainCommands.map((c) => c.script));
    expect(plainShapes.every((shape) => (shape as { errors: number }).errors === 0)).toBe(true);
    const names = fc.record({
      pool: hostile,
      frontEnd: hostile,
      server: hostile,
      sqlServer: hostile,
      instance: hostile,
      share: hostile,
    });
    // One pwsh process per run parses a whole batch of name sets.
    await fc.assert(
      fc.asyncProperty(fc.array(names, { minLength: 4, maxLength: 4 }), async (batch) => {
        const hostileCommands = batch.flatMap((set) =>
          everyCommand(set).map((c) => ({ set, script: c.script })),
        );
        const hostileShapes = await astShapes(hostileCommands.map((c) => c.script));
        hostileCommands.forEach(({ set }, index) => {
          const replacements = new Map(
            (Object.keys(markers) as (keyof Names)[]).map(
              (key) => [markers[key], set[key]] as [string, string],
            ),
          );
          expect(hostileShapes[index]).toEqual(
            substitute(plainShapes[index % plainCommands.length], replacements),
          );
        });
      }),
      { numRuns: 3, endOnFailure: true },
    );
  });
});
