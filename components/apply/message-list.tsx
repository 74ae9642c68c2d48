import type { MessageRecord } from '@/lib/store/run-store';
import { isLogMessage, messageDisplay, type MessageTone, resultRows } from './run-view';

const toneClass: Record<MessageTone, string> = {
  error: 'text-red-800',
  warning: 'text-amber-900',
  info: 'text-slate-900',
  verbose: 'text-slate-600',
  output: 'text-slate-900',
};

/** A step's messages as SSMS's Messages tab shows them: errors with their `Msg …` header, then the text. */
export function MessageList({ messages, label }: { messages: MessageRecord[]; label: string }) {
  const shown = messages.filter(isLogMessage);
  if (shown.length === 0) return null;
  return (
    <div
      role="group"
      aria-label={label}
      className="mt-1 rounded border border-slate-200 bg-slate-50 px-3 py-2 font-mono text-[13px] leading-relaxed"
      data-testid="messages"
    >
      {shown.map((m) => {
        const d = messageDisplay(m);
        return (
          <p key={m.id} className={`break-words whitespace-pre-wrap ${toneClass[d.tone]}`} data-kind={m.kind}>
            {d.head ? (
              <>
                <span className="font-semibold">{d.head}</span>
                {'\n'}
              </>
            ) : null}
            {d.text}
          </p>
        );
      })}
    </div>
  );
}

const MAX_ROWS = 50;

/** The result sets a step returned, each folded under its row count so a long log stays readable. */
export function ResultSets({
  messages,
  summary,
}: {
  messages: MessageRecord[];
  summary: (count: number) => string;
}) {
  const sets = messages.filter((m) => m.kind === 'result').map((m) => ({ id: m.id, rows: resultRows(m) }));
  if (sets.length === 0) return null;
  return (
    <>
      {sets.map(({ id, rows }) => {
        const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
        return (
          <details key={id} className="mt-1 text-sm">
            <summary className="cursor-pointer text-blue-800 underline">{summary(rows.length)}</summary>
            {rows.length > 0 ? (
              <div className="mt-1 overflow-x-auto">
                <table className="border-collapse font-mono text-xs">
                  <thead>
                    <tr>
                      {columns.map((c) => (
                        <th
                          key={c}
                          scope="col"
                          className="border border-slate-300 bg-slate-100 px-2 py-1 text-left"
                        >
                          {c}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {rows.slice(0, MAX_ROWS).map((row, i) => (
                      <tr key={i}>
                        {columns.map((c) => (
                          <td key={c} className="border border-slate-300 px-2 py-1 align-top">
                            {row[c] === null || row[c] === undefined ? 'NULL' : String(row[c])}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : null}
          </details>
        );
      })}
    </>
  );
}
