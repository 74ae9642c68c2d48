import type { Translate } from '@/lib/i18n';
import type { PoolStatus } from '@/lib/stages/status';

const stateStyle: Record<PoolStatus['state'], string> = {
  Normal: 'text-green-900',
  FailedOver: 'font-semibold text-amber-950',
  unknown: 'text-slate-700',
};

/** The Persistent Chat pool: its state and which servers serve it, as the SfB Management Shell reports them. */
export function PoolSection({ pool, t }: { pool: PoolStatus; t: Translate }) {
  // Servers that could not be read are not "none": saying so would hide the failure.
  const servers = (list: string[]) =>
    list.length > 0 ? (
      <ul className="font-mono">
        {list.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ul>
    ) : (
      t(pool.error ? 'status.pool.notRead' : 'status.pool.noServer')
    );
  return (
    <section className="mt-4" aria-labelledby="status-pool">
      <h2 id="status-pool" className="text-lg font-semibold">
        {t('status.pool.heading')}
      </h2>
      <dl
        data-testid="status-pool"
        data-pool-state={pool.state}
        className="mt-2 grid max-w-3xl grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm"
      >
        <dt className="font-medium">{t('status.pool.fqdn')}</dt>
        <dd className="font-mono">{pool.fqdn}</dd>
        <dt className="font-medium">{t('status.pool.state')}</dt>
        <dd className={stateStyle[pool.state]}>{t(`status.pool.state.${pool.state}`)}</dd>
        <dt className="font-medium">{t('status.pool.active')}</dt>
        <dd>{servers(pool.activeServers)}</dd>
        <dt className="font-medium">{t('status.pool.inactive')}</dt>
        <dd>{servers(pool.inactiveServers)}</dd>
        {pool.error ? (
          <>
            <dt className="font-medium">{t('status.pool.error')}</dt>
            <dd className="whitespace-pre-wrap">{pool.error}</dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}
