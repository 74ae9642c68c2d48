'use client';

/** Opens the browser's print dialog: the run page's print stylesheet makes the page the report. */
export function PrintButton({ label }: { label: string }) {
  return (
    <button
      type="button"
      onClick={() => window.print()}
      className="rounded border border-slate-500 bg-white px-3 py-1.5 font-semibold text-slate-900 hover:bg-slate-100"
    >
      {label}
    </button>
  );
}
