'use client';

import { useState } from 'react';
import { useT } from '@/components/i18n-provider';

/** Copies a script to the clipboard and says whether it worked. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const t = useT();
  const [result, setResult] = useState<'copied' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setResult('copied');
    } catch {
      setResult('failed');
    }
  };
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        onClick={copy}
        aria-label={label}
        className="rounded border border-slate-400 bg-white px-2 py-1 text-sm hover:bg-slate-100"
      >
        {t('review.copy')}
      </button>
      <span role="status" className="text-sm">
        {result === 'copied' ? <span className="text-green-900">✓ {t('review.copied')}</span> : null}
        {result === 'failed' ? <span className="text-red-800">{t('review.copyFailed')}</span> : null}
      </span>
    </span>
  );
}
