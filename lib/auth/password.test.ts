import { describe, expect, it } from 'vitest';
import {
  defaultScryptParams,
  hashPassword,
  needsRehash,
  parsePasswordHash,
  verifyPassword,
} from './password';

describe('hashPassword / verifyPassword', () => {
  it('encodes the scrypt parameters, a 16-byte salt and a 64-byte key', async () => {
    const encoded = await hashPassword('correct horse battery staple');
    const parts = encoded.split('$');
    expect(parts.slice(0, 4)).toEqual(['scrypt', String(2 ** 15), '8', '1']);
    const parsed = parsePasswordHash(encoded);
    expect(parsed?.salt.length).toBe(16);
    expect(parsed?.key.length).toBe(64);
    expect(encoded).not.toContain('correct horse');
  });

  it('accepts the password it hashed and rejects any other', async () => {
    const encoded = await hashPassword('correct horse battery staple');
    expect(await verifyPassword('correct horse battery staple', encoded)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', encoded)).toBe(false);
    expect(await verifyPassword('Correct horse battery staple', encoded)).toBe(false);
    expect(await verifyPassword('', encoded)).toBe(false);
  });

  it('salts every hash, so the same password never hashes the same twice', async () => {
    const a = await hashPassword('same password here');
    const b = await hashPassword('same password here');
    expect(a).not.toBe(b);
    expect(await verifyPassword('same password here', b)).toBe(true);
  });

  it('treats composed and decomposed accents as the same password', async () => {
    const encoded = await hashPassword('mot de passe \u00e9t\u00e9');
    expect(await verifyPassword('mot de passe e\u0301te\u0301', encoded)).toBe(true);
  });

  it('verifies with the parameters stored in the hash, not the current defaults', async () => {
    const weak = await hashPassword('an older hash', { N: 2 ** 10, r: 8, p: 1 });
    expect(weak.startsWith('scrypt$1024$8$1$')).toBe(true);
    expect(await verifyPassword('an older hash', weak)).toBe(true);
    expect(needsRehash(weak)).toBe(true);
    expect(needsRehash(await hashPassword('a current hash'))).toBe(false);
  });

  it('refuses malformed or abusive hashes instead of running them', async () => {
    const good = await hashPassword('whatever it is', { N: 2 ** 10, r: 8, p: 1 });
    const [, , r, p, salt, key] = good.split('$');
    for (const bad of [
      '',
      'plain text',
      `bcrypt$1024$${r}$${p}$${salt}$${key}`,
      `scrypt$1000$${r}$${p}$${salt}$${key}`, // N not a power of two
      `scrypt$${2 ** 24}$${r}$${p}$${salt}$${key}`, // would need 16 GiB
      `scrypt$1024$${r}$${p}$${salt}$`,
    ]) {
      expect(parsePasswordHash(bad)).toBeUndefined();
      expect(await verifyPassword('whatever it is', bad)).toBe(false);
    }
    expect(defaultScryptParams.N).toBeGreaterThanOrEqual(2 ** 15);
  });
});
