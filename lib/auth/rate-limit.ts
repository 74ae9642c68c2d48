/** How many failed sign-ins are tolerated, and over what window. */
export interface ThrottleLimits {
  windowMs: number;
  /** Failures allowed per user name and client address. */
  perClient: number;
  /**
   * Failures allowed per user name from all addresses together: the address comes from `X-Forwarded-For`, which a
   * client can forge, so it alone cannot stop a guesser who changes it on every try.
   */
  perUser: number;
}

export const defaultThrottleLimits: ThrottleLimits = { windowMs: 5 * 60_000, perClient: 5, perUser: 20 };

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Counts failed sign-ins in a sliding window; memory only, like the sessions it guards. */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits: ThrottleLimits = defaultThrottleLimits,
    private readonly now: () => number = Date.now,
  ) {}

  private keys(username: string, client: string): [string, string] {
    const user = username.trim().toLowerCase();
    return [`client:${user}|${client}`, `user:${user}`];
  }

  private recent(key: string): number[] {
    const since = this.now() - this.limits.windowMs;
    const kept = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (kept.length) this.failures.set(key, kept);
    else this.failures.delete(key);
    return kept;
  }

  /** Whether a sign-in attempt may be checked at all; when not, how long to wait. */
  check(username: string, client: string): ThrottleDecision {
    const [clientKey, userKey] = this.keys(username, client);
    let retryAfterMs = 0;
    for (const [key, limit] of [
      [clientKey, this.limits.perClient],
      [userKey, this.limits.perUser],
    ] as const) {
      const times = this.recent(key);
      if (times.length >= limit) {
        // The oldest failure that still counts must leave the window before one more try is allowed.
        const oldest = times[times.length - limit]!;
        retryAfterMs = Math.max(retryAfterMs, oldest + this.limits.windowMs - this.now());
      }
    }
    return retryAfterMs > 0 ? { allowed: false, retryAfterMs } : { allowed: true };
  }

  /**
   * Checks and, when allowed, counts the attempt in one synchronous step, so a burst of parallel sign-ins cannot all
   * pass the check before the first one is counted. Call `succeed` when the password turns out right.
   */
  attempt(username: string, client: string): ThrottleDecision {
    const decision = this.check(username, client);
    if (decision.allowed) this.fail(username, client);
    return decision;
  }

  /** Records a failed sign-in. */
  fail(username: string, client: string): void {
    for (const key of this.keys(username, client)) this.failures.set(key, [...this.recent(key), this.now()]);
  }

  /**
   * After a successful sign-in: forgets this client's failures, and takes back the one attempt that `attempt`
   * counted against the user name.
   */
  succeed(username: string, client: string): void {
    const [clientKey, userKey] = this.keys(username, client);
    this.failures.delete(clientKey);
    const times = this.recent(userKey);
    times.pop();
    if (times.length) this.failures.set(userKey, times);
    else this.failures.delete(userKey);
  }
}
