import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './rate-limit';

function clock(start = 5_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}
const limits = { windowMs: 5 * 60_000, perClient: 5, perUser: 20 };

describe('LoginThrottle', () => {
  it('refuses a sixth try after five failures in five minutes, until the oldest leaves the window', () => {
    const time = clock();
    const throttle = new LoginThrottle(limits, time.now);
    for (let i = 0; i < 5; i++) {
      expect(throttle.check('admin', '10.0.0.1').allowed).toBe(true);
      throttle.fail('admin', '10.0.0.1');
      time.advance(10_000);
    }
    const refused = throttle.check('admin', '10.0.0.1');
    expect(refused).toEqual({ allowed: false, retryAfterMs: 5 * 60_000 - 50_000 });
    time.advance(5 * 60_000 - 50_000);
    expect(throttle.check('admin', '10.0.0.1').allowed).toBe(true);
  });

  it('counts per user name (any case) and client address', () => {
    const throttle = new LoginThrottle(limits, clock().now);
    for (let i = 0; i < 5; i++) throttle.fail('Admin', '10.0.0.1');
    expect(throttle.check('admin', '10.0.0.1').allowed).toBe(false);
    expect(throttle.check('admin', '10.0.0.2').allowed).toBe(true);
    expect(throttle.check('operator', '10.0.0.1').allowed).toBe(true);
  });

  it('caps a guesser who forges a new address on every try', () => {
    const throttle = new LoginThrottle(limits, clock().now);
    for (let i = 0; i < 20; i++) throttle.fail('admin', `forged-${i}`);
    expect(throttle.check('admin', 'forged-new').allowed).toBe(false);
  });

  it('forgets a client’s failures once it signs in', () => {
    const throttle = new LoginThrottle(limits, clock().now);
    for (let i = 0; i < 4; i++) throttle.fail('admin', '10.0.0.1');
    throttle.succeed('admin', '10.0.0.1');
    for (let i = 0; i < 4; i++) throttle.fail('admin', '10.0.0.1');
    expect(throttle.check('admin', '10.0.0.1').allowed).toBe(true);
  });

  it('does not let successful sign-ins use up the user name’s allowance', () => {
    const throttle = new LoginThrottle(limits, clock().now);
    for (let i = 0; i < 30; i++) {
      expect(throttle.attempt('admin', `10.0.0.${i}`).allowed).toBe(true);
      throttle.succeed('admin', `10.0.0.${i}`);
    }
    expect(throttle.check('admin', '10.0.0.99').allowed).toBe(true);
  });

  it('counts an attempt as it is allowed, so the sixth of a burst is refused before any is checked', () => {
    const throttle = new LoginThrottle(limits, clock().now);
    const decisions = Array.from({ length: 6 }, () => throttle.attempt('admin', '10.0.0.1').allowed);
    expect(decisions).toEqual([true, true, true, true, true, false]);
  });
});
