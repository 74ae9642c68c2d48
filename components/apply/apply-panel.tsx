'use client';

import { useRouter } from 'next/navigation';
import { useId, useMemo, useRef, useState } from 'react';
import { catalogue, type Locale, translator } from '@/lib/i18n';
import type { StageId } from '@/lib/stages/ids';
import {
  reviewForApply,
  saveSecrets,
  startApply,
} from '@/app/(wizard)/plans/[planId]/review/[stage]/apply-actions';
import { ConfirmDialog } from './confirm-dialog';
import { RunLog } from './run-log';
import type { SecretNeedView } from './schema';
import { SecretsForm } from './secrets-form';

export interface ApplyPanelProps {
  planId: string;
  stage: StageId;
  /** The stage's name as the wizard shows it. */
  stageName: string;
  /** Hash of the scripts the review page shows: the apply is held to exactly these. */
  shownHash: string;
  /** The servers the stage touches, in apply order, and whether it changes them. */
  servers: { name: string; changes: boolean }[];
  /** Logins whose password must be typed first. */
  needs: SecretNeedView[];
  /** A run of this stage still going (the page was reloaded while it ran). */
  activeRunId?: string;
  locale: Locale;
}

type Phase = 'idle' | 'preparing' | 'confirm' | 'starting';

/** Apply button, confirmation naming the servers, passwords when needed, then the live log of the run. */
export function ApplyPanel(props: ApplyPanelProps) {
  const { planId, stage, stageName, shownHash, servers, locale } = props;
  const t = useMemo(() => translator(catalogue(locale)), [locale]);
  const router = useRouter();
  const id = useId();
  const [phase, setPhase] = useState<Phase>('idle');
  const [needs, setNeeds] = useState<SecretNeedView[]>(props.needs);
  const [reviewId, setReviewId] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const [runId, setRunId] = useState<string | undefined>(props.activeRunId);
  const [status, setStatus] = useState('');
  const problemRef = useRef<HTMLParagraphElement>(null);
  const applyRef = useRef<HTMLButtonElement>(null);
  const blocked = phase !== 'idle' || needs.length > 0;

  const changed = servers.filter((s) => s.changes);
  const readOnly = changed.length === 0;
  const named = readOnly ? servers : changed;

  const fail = (message: string) => {
    setProblem(message);
    setPhase('idle');
    setStatus('');
    // The alert is announced; focus follows so a keyboard user lands on the reason.
    requestAnimationFrame(() => problemRef.current?.focus());
  };

  const prepare = async () => {
    if (blocked) return;
    setProblem(undefined);
    setPhase('preparing');
    setStatus(t('apply.preparing'));
    try {
      const result = await reviewForApply({ planId, stage, shownHash });
      if (result.status === 'reviewed') {
        setReviewId(result.reviewId);
        setPhase('confirm');
        setStatus('');
      } else if (result.status === 'needs-secrets') {
        setNeeds(result.needs);
        setPhase('idle');
        setStatus('');
      } else if (result.status === 'stale') fail(t('apply.staleReview'));
      else if (result.status === 'invalid')
        fail(t('apply.failedToStart', { message: Object.keys(result.fieldErrors).join(', ') }));
      else fail(t('apply.failedToStart', { message: result.message }));
    } catch (error) {
      fail(t('apply.failedToStart', { message: (error as Error).message }));
    }
  };

  const confirm = async () => {
    if (!reviewId) return;
    setPhase('starting');
    setStatus(t('apply.starting'));
    try {
      const result = await startApply({ planId, stage, reviewId });
      if (result.status === 'started') {
        setPhase('idle');
        setStatus('');
        setRunId(result.runId);
        router.refresh();
      } else if (result.status === 'needs-secrets') {
        setNeeds(result.needs);
        setPhase('idle');
        setStatus('');
      } else if (result.status === 'refused') {
        fail(t('apply.refused', { message: result.message }));
        if (result.runId) router.refresh();
      } else fail(t('apply.failedToStart', { message: Object.keys(result.fieldErrors).join(', ') }));
    } catch (error) {
      fail(t('apply.failedToStart', { message: (error as Error).message }));
    }
  };

  return (
    <section
      aria-labelledby={`${id}-title`}
      className="mt-8 rounded border-2 border-slate-400 bg-white p-4"
      data-testid="apply-panel"
    >
      <h2 id={`${id}-title`} className="text-xl font-semibold">
        {t('apply.title')}
      </h2>
      <p className="mt-1">{readOnly ? t('apply.readOnlyIntro') : t('apply.intro')}</p>
      <h3 className="mt-3 font-semibold">{readOnly ? t('apply.reads') : t('apply.changes')}</h3>
      <ul className="mt-1 list-disc pl-6 font-mono text-sm" data-testid="apply-servers">
        {named.map((s) => (
          <li key={s.name}>{s.name}</li>
        ))}
      </ul>

      {needs.length > 0 ? (
        <SecretsForm
          needs={needs}
          t={t}
          save={(secrets) => saveSecrets({ planId, secrets })}
          onSaved={() => {
            setNeeds([]);
            setStatus(t('apply.secretsSaved'));
          }}
        />
      ) : null}

      <div className="mt-4 flex flex-wrap items-center gap-3">
        {/* aria-disabled, not disabled: a disabled button drops the keyboard focus while the servers are read. */}
        <button
          ref={applyRef}
          type="button"
          onClick={prepare}
          aria-disabled={blocked}
          className="rounded bg-red-800 px-4 py-2 font-semibold text-white hover:bg-red-900 aria-disabled:cursor-not-allowed aria-disabled:opacity-60"
        >
          {t('apply.button')}
        </button>
        <output aria-live="polite" className="text-sm text-slate-700">
          {status}
        </output>
      </div>
      <div role="alert">
        {problem ? (
          <p
            ref={problemRef}
            tabIndex={-1}
            className="mt-3 rounded border border-red-800 bg-red-50 px-3 py-2 font-medium text-red-900"
          >
            {problem}
          </p>
        ) : null}
      </div>

      <ConfirmDialog
        open={phase === 'confirm' || phase === 'starting'}
        titleId={`${id}-confirm`}
        title={t('apply.confirmTitle', { stage: stageName })}
        confirmLabel={
          named.length === 1 ? t('apply.confirmOne') : t('apply.confirm', { count: named.length })
        }
        cancelLabel={t('apply.cancel')}
        busy={phase === 'starting'}
        returnFocusTo={applyRef}
        onConfirm={confirm}
        onCancel={() => {
          setPhase('idle');
          setReviewId(undefined);
        }}
      >
        <p>{readOnly ? t('apply.confirmReads') : t('apply.confirmChanges')}</p>
        <ul className="list-disc pl-6 font-mono text-sm">
          {named.map((s) => (
            <li key={s.name}>{s.name}</li>
          ))}
        </ul>
        <p className="text-sm break-all text-slate-700">{t('apply.confirmHash', { hash: shownHash })}</p>
        <p className="text-sm">{t('apply.confirmRefuse')}</p>
      </ConfirmDialog>

      {runId ? <RunLog key={runId} runId={runId} planId={planId} locale={locale} /> : null}
    </section>
  );
}
