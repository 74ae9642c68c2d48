import { getTranslator } from '@/lib/i18n/server';
import type { Plan } from '@/lib/plan/schema';
import { getSession } from './session';
import { SqlPasswordsForm } from './sql-passwords-form';
import { secretNeeds } from './vault';

/** Server component: asks for the SQL passwords a plan needs, saying for each whether it is already available. */
export async function SqlPasswordsPanel({ plan }: { plan: Plan }) {
  const t = await getTranslator();
  const session = await getSession();
  const needs = secretNeeds(session?.id, plan);
  const status = {
    session: t('secrets.fromSession'),
    environment: t('secrets.fromEnvironment'),
    missing: t('secrets.missing'),
  };
  return (
    <section
      aria-labelledby="sql-passwords-title"
      className="space-y-3 rounded border border-slate-300 bg-white p-4"
    >
      <h2 id="sql-passwords-title" className="text-lg font-semibold">
        {t('secrets.title')}
      </h2>
      <p className="text-sm text-slate-700">{t('secrets.intro')}</p>
      {needs.length === 0 ? (
        <p>{t('secrets.none')}</p>
      ) : (
        <SqlPasswordsForm
          rows={needs.map((need) => ({
            key: need.key,
            label: t('secrets.label', { principal: need.principal, server: need.serverName }),
            roles: t('secrets.roles', {
              roles: need.roles.map((role) => t(`secrets.role.${role}`)).join(', '),
            }),
            status: status[need.source],
            missing: need.source === 'missing',
          }))}
          submit={t('secrets.submit')}
          pending={t('secrets.pending')}
          held={t('secrets.fromSession')}
        />
      )}
    </section>
  );
}
