import { describe, expect, it } from 'vitest';
import { type ApplyMessageKey, applyMessagesEn, applyMessagesFr, applyTranslator } from './apply-messages';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('apply texts', () => {
  it('has every English key in French, with the same placeholders', () => {
    expect(Object.keys(applyMessagesFr).sort()).toEqual(Object.keys(applyMessagesEn).sort());
    for (const key of Object.keys(applyMessagesEn) as ApplyMessageKey[]) {
      expect(placeholders(applyMessagesFr[key]), key).toEqual(placeholders(applyMessagesEn[key]));
    }
  });

  it('fills placeholders and keeps unknown ones visible', () => {
    const t = applyTranslator('fr');
    expect(t('apply.confirmTitle', { stage: 'Vérification' })).toBe('Appliquer « Vérification » ?');
    expect(applyTranslator('en')('apply.confirm')).toBe('Apply to {count} servers');
  });
});
