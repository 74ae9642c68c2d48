import { describe, expect, it } from 'vitest';
import { backupSettingsSchema } from '@/lib/plan/schema';
import { localizedResolver } from './localized-resolver';

const options = { fields: {}, shouldUseNativeValidation: false } as const;

async function shareError(locale: 'en' | 'fr') {
  const result = await localizedResolver(backupSettingsSchema, locale)({ share: '' }, undefined, options);
  return (result.errors as { share?: { message?: string } }).share?.message;
}

describe('localizedResolver', () => {
  it('words the client-side check in the operator’s language', async () => {
    expect(await shareError('fr')).toBe(
      '« Partage de sauvegarde » est obligatoire (un chemin UNC tel que \\\\FS01\\PChatLogShip).',
    );
    expect(await shareError('en')).toBe('Backup share is required (a UNC path such as \\\\FS01\\PChatLogShip).');
  });

  it('leaves the language of later parses alone', async () => {
    await shareError('fr');
    expect(backupSettingsSchema.safeParse({ share: '' }).error?.issues[0]?.message).toMatch(/^Backup share/);
  });
});
