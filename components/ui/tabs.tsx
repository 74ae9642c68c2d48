'use client';

import { useId, useRef } from 'react';

export interface TabDefinition {
  id: string;
  label: React.ReactNode;
  panel: React.ReactNode;
}

/**
 * The WAI-ARIA tabs pattern with automatic activation: one tab stop, arrow keys move between tabs, Home/End jump.
 * Every panel stays mounted (only hidden), so a form keeps the values and fields of the tabs not shown.
 */
export function Tabs({
  label,
  tabs,
  selected,
  onSelect,
}: {
  label: string;
  tabs: TabDefinition[];
  selected: string;
  onSelect: (id: string) => void;
}) {
  const base = useId();
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});

  const onKeyDown = (event: React.KeyboardEvent, index: number) => {
    const last = tabs.length - 1;
    const target = {
      ArrowRight: index === last ? 0 : index + 1,
      ArrowLeft: index === 0 ? last : index - 1,
      Home: 0,
      End: last,
    }[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const tab = tabs[target]!;
    onSelect(tab.id);
    refs.current[tab.id]?.focus();
  };

  return (
    <div>
      <div role="tablist" aria-label={label} className="flex flex-wrap gap-1 border-b border-slate-400">
        {tabs.map((tab, index) => {
          const active = tab.id === selected;
          return (
            <button
              key={tab.id}
              ref={(el) => {
                refs.current[tab.id] = el;
              }}
              type="button"
              role="tab"
              id={`${base}-tab-${tab.id}`}
              aria-selected={active}
              aria-controls={`${base}-panel-${tab.id}`}
              tabIndex={active ? 0 : -1}
              onClick={() => onSelect(tab.id)}
              onKeyDown={(e) => onKeyDown(e, index)}
              className={`-mb-px rounded-t border px-4 py-2 font-medium ${active ? 'border-slate-400 border-b-white bg-white text-blue-900' : 'border-transparent text-slate-700 hover:bg-slate-100'}`}
            >
              {tab.label}
            </button>
          );
        })}
      </div>
      {tabs.map((tab) => (
        <div
          key={tab.id}
          role="tabpanel"
          id={`${base}-panel-${tab.id}`}
          aria-labelledby={`${base}-tab-${tab.id}`}
          hidden={tab.id !== selected}
          tabIndex={0}
          className="space-y-6 border border-t-0 border-slate-400 bg-white p-4"
        >
          {tab.panel}
        </div>
      ))}
    </div>
  );
}
