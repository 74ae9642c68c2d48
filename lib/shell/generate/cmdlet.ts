import { type PsValue, quotePs } from '../quote';

/** A switch written with an explicit value, `-Name:$true` or `-Name:$false` (e.g. `-Confirm:$false`). */
export interface ExplicitSwitch {
  readonly explicitSwitch: boolean;
}

/** Marks a switch to be written with its value, so that `false` is sent rather than omitted. */
export function explicitSwitch(value: boolean): ExplicitSwitch {
  return { explicitSwitch: value };
}

/** A value read at run time from a variable the same script set, e.g. `$store[0].PoolFqdn`. */
export interface PsExpression {
  readonly expression: string;
}

// Only variables, indexes and property reads, optionally cast to [string]: never text that came from input.
const expressionShape = /^(\[string\])?\$[A-Za-z][A-Za-z0-9]*(\[\d+\])?(\.[A-Za-z][A-Za-z0-9]*)*$/;

/** Marks a parameter value as a variable reference of the script itself (checked: no literal text can pass). */
export function psExpression(expression: string): PsExpression {
  if (!expressionShape.test(expression)) throw new Error(`Not a variable reference: ${expression}`);
  return { expression };
}

/** A parameter value: `true` is a bare switch, `false`/`undefined` omit the parameter, anything else goes through quotePs. */
export type CmdletArgument = PsValue | ExplicitSwitch | PsExpression | undefined;

// Names come from this codebase, never from input; checking them keeps a typo from becoming code.
const cmdletName = /^[A-Za-z]+-[A-Za-z0-9]+$/;
const parameterName = /^[A-Za-z][A-Za-z0-9]*$/;

/**
 * One cmdlet invocation: `Name -Param 'value' -Switch`, every value through quotePs, parameters in the given order;
 * `splat` names a hashtable variable of the script whose entries are passed too (`@name`).
 */
export function cmdlet(
  name: string,
  parameters: Record<string, CmdletArgument> = {},
  options: { splat?: string } = {},
): string {
  if (!cmdletName.test(name)) throw new Error(`Not a cmdlet name: ${name}`);
  const parts = [name];
  for (const [parameter, value] of Object.entries(parameters)) {
    if (!parameterName.test(parameter)) throw new Error(`Not a parameter name: ${parameter}`);
    if (value === undefined || value === false) continue;
    if (value === true) parts.push(`-${parameter}`);
    else if (isExplicitSwitch(value)) parts.push(`-${parameter}:${quotePs(value.explicitSwitch)}`);
    else if (isExpression(value)) parts.push(`-${parameter} (${value.expression})`);
    else parts.push(`-${parameter} ${quotePs(value)}`);
  }
  if (options.splat !== undefined) {
    if (!parameterName.test(options.splat)) throw new Error(`Not a variable name: ${options.splat}`);
    parts.push(`@${options.splat}`);
  }
  return parts.join(' ');
}

function isExplicitSwitch(value: PsValue | ExplicitSwitch | PsExpression): value is ExplicitSwitch {
  return typeof value === 'object' && value !== null && 'explicitSwitch' in value;
}

function isExpression(value: PsValue | PsExpression): value is PsExpression {
  return typeof value === 'object' && value !== null && 'expression' in value;
}

/** Joins pipeline stages with ` | `. */
export function pipeline(...stages: string[]): string {
  return stages.join(' | ');
}

/** A property to project for machine-readable output: a scalar written as its string, or a list of strings. */
export interface ProjectedProperty {
  name: string;
  list?: boolean;
}

/**
 * `Select-Object` with every property turned into a string (or string list), so JSON output carries enum
 * names and FQDN texts rather than numbers or nested objects, the same on Windows PowerShell 5.1 and pwsh 7.
 */
export function selectAsStrings(properties: ProjectedProperty[]): string {
  const projections = properties.map(({ name, list }) => {
    if (!parameterName.test(name)) throw new Error(`Not a property name: ${name}`);
    // The unary comma keeps a one-element list an array when the expression's output is collected.
    const expression = list
      ? `,[string[]]@($_.${name} | Where-Object { $null -ne $_ })`
      : `[string]$_.${name}`;
    return `@{Name=${quotePs(name)};Expression={${expression}}}`;
  });
  return `Select-Object -Property ${projections.join(', ')}`;
}

/** Wraps a pipeline so it prints one compact JSON array, whatever the number of objects (0, 1 or more). */
export function asJsonArray(pipelineText: string): string {
  return `ConvertTo-Json -InputObject @(${pipelineText}) -Depth 4 -Compress`;
}
