'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

export interface StepperItem {
  href: string;
  label: string;
  /** What the step's state is, said in words (colour only repeats it). */
  status: string;
  tone: 'neutral' | 'good' | 'attention' | 'bad' | 'busy';
}

const toneClass: Record<StepperItem['tone'], string> = {
  neutral: 'border-slate-400 bg-white text-slate-700',
  good: 'border-green-800 bg-green-50 text-green-900',
  attention: 'border-amber-700 bg-amber-50 text-amber-900',
  bad: 'border-red-800 bg-red-50 text-red-900',
  busy: 'border-blue-800 bg-blue-50 text-blue-900',
};

const toneMark: Record<StepperItem['tone'], string> = {
  neutral: '○',
  good: '✓',
  attention: '!',
  bad: '✕',
  busy: '…',
};

function StepList({ items, start, current }: { items: StepperItem[]; start: number; current: string }) {
  return (
    <ol start={start} className="space-y-1">
      {items.map((item, index) => {
        const active = current === item.href;
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={active ? 'step' : undefined}
              className={`flex items-start gap-2 rounded px-2 py-1.5 ${active ? 'bg-blue-100 font-semibold text-blue-950' : 'text-slate-800 hover:bg-slate-100'}`}
            >
              <span aria-hidden="true" className="w-5 shrink-0 text-right tabular-nums text-slate-600">
                {start + index}.
              </span>
              <span className="flex-1">
                {item.label}
                <span
                  className={`ml-1 inline-block rounded border px-1.5 text-xs font-medium ${toneClass[item.tone]}`}
                >
                  <span aria-hidden="true">{toneMark[item.tone]} </span>
                  {item.status}
                </span>
              </span>
            </Link>
          </li>
        );
      })}
    </ol>
  );
}

/** Every settings page and every stage with its state; the current one is marked with aria-current="step". */
export function Stepper({
  label,
  pagesHeading,
  stagesHeading,
  pages,
  stages,
}: {
  label: string;
  pagesHeading: string;
  stagesHeading: string;
  pages: StepperItem[];
  stages: StepperItem[];
}) {
  const pathname = usePathname();
  return (
    <nav aria-label={label} className="text-sm">
      <h2 className="mb-1 px-2 text-xs font-semibold tracking-wide text-slate-600 uppercase">
        {pagesHeading}
      </h2>
      <StepList items={pages} start={1} current={pathname} />
      <h2 className="mt-4 mb-1 px-2 text-xs font-semibold tracking-wide text-slate-600 uppercase">
        {stagesHeading}
      </h2>
      <StepList items={stages} start={pages.length + 1} current={pathname} />
    </nav>
  );
}
