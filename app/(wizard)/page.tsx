import Link from 'next/link';
import { ImportForm } from '@/components/wizard/import-form';
import { getTranslator } from '@/lib/i18n/server';
import { parsePlan } from '@/lib/plan/io';
import { getStore } from '@/lib/store';
import { createPlan, deletePlan, importPlan } from './actions';

export const dynamic = 'force-dynamic';

export default async function PlansPage() {
  const t = await getTranslator();
  const plans = getStore().listPlans();
  return (
    <div className="space-y-8">
      <section aria-labelledby="plans-title" className="space-y-3">
        <h1 id="plans-title" className="text-2xl font-bold">
          {t('home.title')}
        </h1>
        <p className="max-w-3xl text-slate-700">{t('home.intro')}</p>
        {plans.length === 0 ? (
          <p className="text-slate-700">{t('home.empty')}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full border-collapse bg-white text-left text-sm">
              <caption className="sr-only">{t('home.caption')}</caption>
              <thead>
                <tr className="border-b border-slate-300">
                  <th scope="col" className="px-3 py-2">
                    {t('home.col.name')}
                  </th>
                  <th scope="col" className="px-3 py-2">
                    {t('home.col.status')}
                  </th>
                  <th scope="col" className="px-3 py-2">
                    {t('home.col.version')}
                  </th>
                  <th scope="col" className="px-3 py-2">
                    {t('home.col.updated')}
                  </th>
                  <th scope="col" className="px-3 py-2">
                    {t('home.col.actions')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {plans.map((plan) => {
                  const check = parsePlan(plan.draft);
                  return (
                    <tr key={plan.id} className="border-b border-slate-200">
                      <th scope="row" className="px-3 py-2 font-medium">
                        <Link href={`/plans/${plan.id}/topology`} className="text-blue-800 underline">
                          {plan.name}
                        </Link>
                      </th>
                      <td className="px-3 py-2">
                        {check.ok ? (
                          <span className="text-green-900">✓ {t('home.status.complete')}</span>
                        ) : (
                          <span className="text-amber-900">
                            ! {t('home.status.incomplete', { count: check.errors.length })}
                          </span>
                        )}
                      </td>
                      <td className="px-3 py-2 tabular-nums">{plan.version}</td>
                      <td className="px-3 py-2 tabular-nums">
                        {plan.updatedAt.slice(0, 19).replace('T', ' ')}
                      </td>
                      <td className="px-3 py-2">
                        <form action={deletePlan.bind(null, plan.id)}>
                          <button
                            type="submit"
                            aria-label={t('home.deleteLabel', { name: plan.name })}
                            className="rounded border border-red-800 px-2 py-1 text-red-900 hover:bg-red-50"
                          >
                            {t('home.delete')}
                          </button>
                        </form>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <div className="grid gap-6 md:grid-cols-2">
        <section
          aria-labelledby="new-plan-title"
          className="space-y-3 rounded border border-slate-300 bg-white p-4"
        >
          <h2 id="new-plan-title" className="text-lg font-semibold">
            {t('home.new.title')}
          </h2>
          <form action={createPlan} className="space-y-3">
            <div>
              <label htmlFor="new-plan-name" className="block font-medium">
                {t('home.new.name')}
              </label>
              <input
                id="new-plan-name"
                name="name"
                type="text"
                maxLength={100}
                autoComplete="off"
                className="mt-1 block w-full rounded border border-slate-400 px-2 py-1.5"
              />
            </div>
            <div className="flex flex-wrap gap-2">
              <button
                type="submit"
                name="from"
                value="empty"
                className="rounded bg-blue-800 px-4 py-2 font-semibold text-white hover:bg-blue-900"
              >
                {t('home.new.submit')}
              </button>
              <button
                type="submit"
                name="from"
                value="lab"
                className="rounded border border-blue-800 bg-white px-4 py-2 font-semibold text-blue-900 hover:bg-blue-50"
              >
                {t('home.new.lab')}
              </button>
            </div>
          </form>
        </section>
        <section aria-label={t('home.import.title')} className="rounded border border-slate-300 bg-white p-4">
          <ImportForm
            action={importPlan}
            legend={t('home.import.title')}
            submitLabel={t('home.import.submit')}
          />
        </section>
      </div>
    </div>
  );
}
