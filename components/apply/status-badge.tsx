import type { Translate } from '@/lib/i18n';
import type { RunStatus, StepStatus } from '@/lib/store/run-store';

const tone: Record<RunStatus | StepStatus, { mark: string; className: string }> = {
  running: { mark: '…', className: 'border-blue-800 bg-blue-50 text-blue-900' },
  succeeded: { mark: '✓', className: 'border-green-800 bg-green-50 text-green-900' },
  failed: { mark: '✕', className: 'border-red-800 bg-red-50 text-red-900' },
  interrupted: { mark: '!', className: 'border-amber-700 bg-amber-50 text-amber-900' },
  refused: { mark: '⊘', className: 'border-amber-700 bg-amber-50 text-amber-900' },
  skipped: { mark: '–', className: 'border-slate-500 bg-white text-slate-700' },
};

/** A run or step status in words, with a mark and a colour that only repeat them. */
export function StatusBadge({ status, t }: { status: RunStatus | StepStatus; t: Translate }) {
  const { mark, className } = tone[status];
  return (
    <span
      className={`inline-flex items-center gap-1 rounded border px-1.5 py-0.5 text-xs font-semibold whitespace-nowrap ${className}`}
      data-status={status}
    >
      <span aria-hidden="true">{mark}</span>
      {t(`status.${status}`)}
    </span>
  );
}
