import { HighlightedCode } from '@/components/code/highlighted-code';
import type { Translate } from '@/lib/i18n';
import type { Finding } from '@/lib/stages/preflight-findings';

const severityClass: Record<Finding['severity'], string> = {
  error: 'border-red-800 bg-red-50 text-red-900',
  warning: 'border-amber-700 bg-amber-50 text-amber-900',
  ok: 'border-green-800 bg-green-50 text-green-900',
};
const severityMark: Record<Finding['severity'], string> = { error: '✕', warning: '!', ok: '✓' };

/** Preflight findings: server, severity in words, what, why, the fix and its script. */
export function FindingsTable({
  findings,
  t,
  idPrefix,
}: {
  findings: Finding[];
  t: Translate;
  idPrefix: string;
}) {
  if (findings.length === 0) return null;
  return (
    <section aria-labelledby={`${idPrefix}-findings`} className="mt-4">
      <h3 id={`${idPrefix}-findings`} className="text-lg font-semibold">
        {t('findings.title')}
      </h3>
      <div className="mt-2 overflow-x-auto">
        <table className="w-full border-collapse text-sm" data-testid="findings">
          <caption className="sr-only">{t('findings.caption')}</caption>
          <thead>
            <tr className="text-left">
              <th scope="col" className="border-b border-slate-400 px-2 py-1">
                {t('findings.server')}
              </th>
              <th scope="col" className="border-b border-slate-400 px-2 py-1">
                {t('findings.severity')}
              </th>
              <th scope="col" className="border-b border-slate-400 px-2 py-1">
                {t('findings.what')}
              </th>
              <th scope="col" className="border-b border-slate-400 px-2 py-1">
                {t('findings.why')}
              </th>
              <th scope="col" className="border-b border-slate-400 px-2 py-1">
                {t('findings.fix')}
              </th>
            </tr>
          </thead>
          <tbody>
            {findings.map((f, i) => (
              <tr key={i} className="align-top">
                <td className="border-b border-slate-200 px-2 py-1 font-mono whitespace-nowrap">
                  {f.server}
                </td>
                <td className="border-b border-slate-200 px-2 py-1">
                  <span
                    className={`inline-flex gap-1 rounded border px-1.5 py-0.5 text-xs font-semibold ${severityClass[f.severity]}`}
                  >
                    <span aria-hidden="true">{severityMark[f.severity]}</span>
                    {t(`severity.${f.severity}`)}
                  </span>
                </td>
                <td className="border-b border-slate-200 px-2 py-1">{f.what}</td>
                <td className="border-b border-slate-200 px-2 py-1">{f.why}</td>
                <td className="border-b border-slate-200 px-2 py-1">
                  {f.fix}
                  {f.fixScript ? (
                    <div className="mt-2">
                      <p className="text-xs font-semibold text-slate-700">{t('findings.script')}</p>
                      <HighlightedCode code={f.fixScript} language="tsql" />
                    </div>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
