// The only way a value enters generated T-SQL (design §8): identifiers bracket-quoted, strings as N'…' literals.

/** Writes `name` as a bracket-quoted T-SQL identifier, `]` doubled: `[a]]b]`. */
export function quoteIdentifier(name: string): string {
  return `[${name.replace(/]/g, ']]')}]`;
}

/** Writes `value` as a Unicode T-SQL string literal, `'` doubled: `N'O''Brien'`. */
export function nString(value: string): string {
  return `N'${value.replace(/'/g, "''")}'`;
}
