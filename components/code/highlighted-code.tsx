import { type ScriptLanguage, type TokenKind, tokenize } from './tokenize';

const tokenClass: Record<TokenKind, string> = {
  keyword: 'font-semibold text-blue-800',
  string: 'text-red-800',
  comment: 'italic text-green-800',
  variable: 'text-purple-800',
  number: 'text-amber-800',
  identifier: 'text-teal-800',
  parameter: 'text-slate-700',
  command: 'font-semibold text-blue-900',
  plain: '',
};

/** A script with syntax colouring; the text content is exactly the script, so selecting and copying it is safe. */
export function HighlightedCode({
  code,
  language,
  id,
}: {
  code: string;
  language: ScriptLanguage;
  id?: string;
}) {
  return (
    <pre
      tabIndex={0}
      className="max-h-[32rem] overflow-auto rounded border border-slate-300 bg-slate-50 p-3 font-mono text-[13px] leading-relaxed text-slate-900"
    >
      <code id={id} data-language={language}>
        {tokenize(code, language).map((token, i) =>
          token.kind === 'plain' ? (
            token.text
          ) : (
            <span key={i} className={tokenClass[token.kind]}>
              {token.text}
            </span>
          ),
        )}
      </code>
    </pre>
  );
}
