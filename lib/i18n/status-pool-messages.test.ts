import { describe, expect, it } from 'vitest';
import { type StatusPoolMessageKey, statusPoolMessages, statusPoolTranslator } from './status-pool-messages';

describe('status pool texts', () => {
  it('has every English key in French, each translated', () => {
    const { en, fr } = statusPoolMessages;
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as StatusPoolMessageKey[]) expect(fr[key], key).not.toBe('');
    expect(statusPoolTranslator('fr')('status.pool.heading')).toBe('État du pool');
    expect(statusPoolTranslator('en')('status.pool.state.FailedOver')).toMatch(/backup store/);
  });
});
