import { z } from 'zod';
import { says } from '@/lib/i18n/validation';
import { runbookStageIds, setupStageIds } from '@/lib/stages/ids';

// Setup stages and the runbooks after setup go through the same review and apply.
const stageIdSchema = z.enum([...setupStageIds, ...runbookStageIds]);

/** What the apply button sends to take a review: the stage and the hash of the scripts the page showed. */
export const reviewForApplySchema = z.object({
  planId: z.string().min(1).max(200),
  stage: stageIdSchema,
  shownHash: z.string().regex(/^[0-9a-f]{64}$/, 'A sha256 hash in hex.'),
});
export type ReviewForApplyInput = z.input<typeof reviewForApplySchema>;

/** What the confirmation sends to start the run of exactly that review. */
export const startApplySchema = z.object({
  planId: z.string().min(1).max(200),
  stage: stageIdSchema,
  reviewId: z.uuid(),
});
export type StartApplyInput = z.input<typeof startApplySchema>;

/** Passwords typed for the logins a stage needs, by vault key; held in the session only. */
export const saveSecretsSchema = z.object({
  planId: z.string().min(1).max(200),
  secrets: z
    .array(
      z.object({
        key: z.string().min(1).max(500),
        password: z
          .string()
          .min(1, { error: says('valid.required', { what: 'field.password' }) })
          .max(512, { error: says('valid.maxChars', { what: 'field.password', max: 512 }) }),
      }),
    )
    .min(1),
});
export type SaveSecretsInput = z.input<typeof saveSecretsSchema>;

/** A login whose password must be typed before the stage can run (never the password itself). */
export interface SecretNeedView {
  key: string;
  serverName: string;
  principal: string;
}

export type ReviewForApplyResult =
  | { status: 'reviewed'; reviewId: string; hash: string }
  | { status: 'stale'; message: string }
  | { status: 'needs-secrets'; needs: SecretNeedView[] }
  | { status: 'invalid'; fieldErrors: Record<string, string[] | undefined> }
  | { status: 'failed'; message: string };

export type StartApplyResult =
  | { status: 'started'; runId: string }
  | { status: 'refused'; message: string; runId?: string }
  | { status: 'needs-secrets'; needs: SecretNeedView[] }
  | { status: 'invalid'; fieldErrors: Record<string, string[] | undefined> };

export type SaveSecretsResult =
  { status: 'saved' } | { status: 'invalid'; fieldErrors: Record<string, string[] | undefined> };
