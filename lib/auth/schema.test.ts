import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { safeNextPath, setupSchema, signInSchema } from './schema';

function fieldErrors(result: { success: boolean; error?: z.ZodError }) {
  return result.error ? z.flattenError(result.error).fieldErrors : {};
}

describe('setupSchema', () => {
  it('defaults the user name to admin and accepts a 12-character password confirmed exactly', () => {
    const result = setupSchema.safeParse({ password: 'twelve chars', confirm: 'twelve chars' });
    expect(result.success && result.data.username).toBe('admin');
  });

  it('names the field at fault', () => {
    expect(
      fieldErrors(
        setupSchema.safeParse({ username: 'admin', password: 'eleven char', confirm: 'eleven char' }),
      ),
    ).toEqual({
      password: ['Password must be at least 12 characters.'],
    });
    expect(
      fieldErrors(
        setupSchema.safeParse({ username: 'admin', password: 'long enough pw', confirm: 'long enough pX' }),
      ),
    ).toEqual({
      confirm: ['Confirmation must repeat the password exactly.'],
    });
    expect(
      Object.keys(
        fieldErrors(
          setupSchema.safeParse({ username: ' ', password: 'long enough pw', confirm: 'long enough pw' }),
        ),
      ),
    ).toEqual(['username']);
    expect(
      Object.keys(
        fieldErrors(
          setupSchema.safeParse({ username: 'a b', password: 'long enough pw', confirm: 'long enough pw' }),
        ),
      ),
    ).toEqual(['username']);
  });
});

describe('signInSchema', () => {
  it('only asks that both fields are present', () => {
    expect(signInSchema.safeParse({ username: 'x', password: 'y' }).success).toBe(true);
    expect(Object.keys(fieldErrors(signInSchema.safeParse({ username: '', password: '' }))).sort()).toEqual([
      'password',
      'username',
    ]);
  });
});

describe('safeNextPath', () => {
  it('keeps paths on this site', () => {
    expect(safeNextPath('/plans/3/review?stage=ship-primary')).toBe('/plans/3/review?stage=ship-primary');
  });

  it('sends anything that could leave the site, or loop, back to the home page', () => {
    for (const bad of [
      undefined,
      '',
      'https://evil.example/',
      '//evil.example/',
      '/\\evil.example',
      'javascript:alert(1)',
      '/\t/evil.example',
      '/login?next=/x',
      '/setup',
      'plans/3',
    ]) {
      expect(safeNextPath(bad)).toBe('/');
    }
  });
});
