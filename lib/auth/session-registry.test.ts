import { describe, expect, it } from 'vitest';
import { SessionRegistry, sessionIdleMs } from './session-registry';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('SessionRegistry', () => {
  it('issues unguessable ids of 32 random bytes and finds the session by its id', () => {
    const sessions = new SessionRegistry();
    const a = sessions.create('admin');
    const b = sessions.create('admin');
    expect(Buffer.from(a.id, 'base64url')).toHaveLength(32);
    expect(a.id).not.toBe(b.id);
    expect(sessions.get(a.id)?.username).toBe('admin');
    expect(sessions.get('not-an-id')).toBeUndefined();
    expect(sessions.get(undefined)).toBeUndefined();
  });

  it('ends a session after 8 hours idle, and each use restarts the idle clock', () => {
    const time = clock();
    const sessions = new SessionRegistry(time.now);
    const s = sessions.create('admin');
    time.advance(sessionIdleMs - 1);
    expect(sessions.get(s.id)).toBeDefined();
    time.advance(sessionIdleMs - 1);
    expect(sessions.get(s.id)).toBeDefined();
    time.advance(sessionIdleMs);
    expect(sessions.get(s.id)).toBeUndefined();
    time.advance(-sessionIdleMs);
    expect(sessions.get(s.id)).toBeUndefined();
  });

  it('drops the passwords of a session when it expires or signs out', () => {
    const time = clock();
    const sessions = new SessionRegistry(time.now);
    const expiring = sessions.create('admin');
    const leaving = sessions.create('admin');
    expect(sessions.rememberSecret(expiring.id, 'SQL01|sql:sa', 'expiring-secret')).toBe(true);
    expect(sessions.rememberSecret(leaving.id, 'SQL01|sql:sa', 'leaving-secret')).toBe(true);
    sessions.delete(leaving.id);
    expect(sessions.secret(leaving.id, 'SQL01|sql:sa')).toBeUndefined();
    time.advance(sessionIdleMs);
    expect(sessions.secret(expiring.id, 'SQL01|sql:sa')).toBeUndefined();
    expect(sessions.rememberSecret(expiring.id, 'SQL01|sql:sa', 'too late')).toBe(false);
    expect(sessions.size).toBe(0);
  });

  it('keeps each session’s passwords to itself', () => {
    const sessions = new SessionRegistry();
    const alice = sessions.create('admin');
    const bob = sessions.create('admin');
    sessions.rememberSecret(alice.id, 'SQL01|sql:sa', 'alice-secret');
    expect(sessions.secret(alice.id, 'SQL01|sql:sa')).toBe('alice-secret');
    expect(sessions.secret(bob.id, 'SQL01|sql:sa')).toBeUndefined();
    expect(sessions.secretKeys(bob.id)).toEqual([]);
    expect(sessions.secretKeys(alice.id)).toEqual(['SQL01|sql:sa']);
    sessions.forgetSecret(alice.id, 'SQL01|sql:sa');
    expect(sessions.secret(alice.id, 'SQL01|sql:sa')).toBeUndefined();
  });

  it('never exposes the secrets through the session it hands out', () => {
    const sessions = new SessionRegistry();
    const s = sessions.create('admin');
    sessions.rememberSecret(s.id, 'SQL01|sql:sa', 'hidden-secret');
    expect(JSON.stringify(sessions.get(s.id))).not.toContain('hidden-secret');
  });

  it('ends every session at once when the administrator password is replaced', () => {
    const sessions = new SessionRegistry();
    const ids = [sessions.create('admin').id, sessions.create('admin').id];
    sessions.clear();
    for (const id of ids) expect(sessions.get(id)).toBeUndefined();
  });
});
