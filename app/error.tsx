'use client';

import { useEffect } from 'react';
import { useT } from '@/components/i18n-provider';

export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  const t = useT();
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <section aria-labelledby="error-title" className="max-w-2xl space-y-4">
      <h1 id="error-title" className="text-2xl font-bold">
        {t('error.title')}
      </h1>
      <p>{t('error.body')}</p>
      {error.digest ? <p className="font-mono text-sm text-slate-600">{error.digest}</p> : null}
      <button
        type="button"
        onClick={() => reset()}
        className="rounded bg-blue-800 px-4 py-2 font-semibold text-white hover:bg-blue-900"
      >
        {t('error.retry')}
      </button>
    </section>
  );
}
