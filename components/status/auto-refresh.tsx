'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';

/** Re-reads the page on a timer, with a visible pause (moving content must be stoppable) and a refresh button. */
export function AutoRefresh({
  seconds,
  labels,
}: {
  seconds: number;
  labels: { every: string; pause: string; resume: string; now: string };
}) {
  const router = useRouter();
  const [paused, setPaused] = useState(false);
  useEffect(() => {
    if (paused) return;
    const timer = setInterval(() => router.refresh(), seconds * 1000);
    return () => clearInterval(timer);
  }, [paused, seconds, router]);
  return (
    <div className="flex flex-wrap items-center gap-3 text-sm">
      <span>{labels.every}</span>
      <button
        type="button"
        className="rounded border border-slate-500 px-2 py-1 focus:outline-2 focus:outline-offset-2 focus:outline-blue-700"
        aria-pressed={paused}
        onClick={() => setPaused((p) => !p)}
      >
        {paused ? labels.resume : labels.pause}
      </button>
      <button
        type="button"
        className="rounded border border-slate-500 px-2 py-1 focus:outline-2 focus:outline-offset-2 focus:outline-blue-700"
        onClick={() => router.refresh()}
      >
        {labels.now}
      </button>
    </div>
  );
}
