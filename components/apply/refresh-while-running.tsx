'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

/** Re-renders a server page every few seconds while the run it shows is still going. */
export function RefreshWhileRunning({ running, everyMs = 2000 }: { running: boolean; everyMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => router.refresh(), everyMs);
    return () => clearInterval(timer);
  }, [running, everyMs, router]);
  return null;
}
