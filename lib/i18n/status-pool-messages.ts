import type { Locale } from './index';

/**
 * Texts of the status page's pool section, in every locale. Kept apart from the main catalogues while en.ts and fr.ts
 * are being edited; to be merged into them (same keys, same placeholders).
 */
const en = {
  'status.pool.heading': 'Pool state',
  'status.pool.fqdn': 'Pool',
  'status.pool.state': 'State',
  'status.pool.state.Normal': 'Normal: the pool uses its primary store.',
  'status.pool.state.FailedOver': 'Failed over: the pool uses its backup store.',
  'status.pool.state.unknown': 'Unknown: the SfB Management Shell could not read it.',
  'status.pool.active': 'Active servers',
  'status.pool.inactive': 'Inactive servers',
  'status.pool.noServer': 'none',
  'status.pool.notRead': 'not read',
  'status.pool.error': 'Could not read',
  'status.pool.warnings': 'Warnings',
  'status.pool.verdict.failedOver': 'Degraded: the pool runs on the backup store, without disaster recovery.',
} as const;

export type StatusPoolMessageKey = keyof typeof en;

const fr: Record<StatusPoolMessageKey, string> = {
  'status.pool.heading': 'État du pool',
  'status.pool.fqdn': 'Pool',
  'status.pool.state': 'État',
  'status.pool.state.Normal': 'Normal : le pool utilise son magasin principal.',
  'status.pool.state.FailedOver': 'Basculé : le pool utilise son magasin de sauvegarde.',
  'status.pool.state.unknown': 'Inconnu : Skype Entreprise Server Management Shell n’a pas pu le lire.',
  'status.pool.active': 'Serveurs actifs',
  'status.pool.inactive': 'Serveurs inactifs',
  'status.pool.noServer': 'aucun',
  'status.pool.notRead': 'non lu',
  'status.pool.error': 'Lecture impossible',
  'status.pool.warnings': 'Avertissements',
  'status.pool.verdict.failedOver':
    'Dégradé : le pool fonctionne sur le magasin de sauvegarde, sans reprise après sinistre.',
};

export const statusPoolMessages: Record<Locale, Record<StatusPoolMessageKey, string>> = { en, fr };

export type StatusPoolTranslate = (key: StatusPoolMessageKey) => string;

/** The translate function of the pool texts for a locale. */
export function statusPoolTranslator(locale: Locale): StatusPoolTranslate {
  const messages = statusPoolMessages[locale];
  return (key) => messages[key];
}
