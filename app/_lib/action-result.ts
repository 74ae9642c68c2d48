/** What every wizard action answers: the client switches on `status`. */
export type ActionResult =
  | { status: 'saved' }
  | { status: 'invalid'; fieldErrors: Record<string, string> }
  | { status: 'failed'; message: string };

/** Field errors keyed by dotted path, first message per field (zod issues are ordered by importance). */
export function fieldErrorsOf(
  issues: { path: PropertyKey[] | string; message: string }[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const path = typeof issue.path === 'string' ? issue.path : issue.path.map(String).join('.');
    out[path] ??= issue.message;
  }
  return out;
}
