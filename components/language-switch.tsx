import { setLocale } from '@/app/(wizard)/actions';
import { type Locale, locales, type Messages } from '@/lib/i18n';

/** Two buttons that set the language cookie; works without JavaScript. */
export function LanguageSwitch({ locale, messages }: { locale: Locale; messages: Messages }) {
  return (
    <form action={setLocale} className="flex items-center gap-2 text-sm">
      <span id="language-switch-label" className="text-slate-700">
        {messages['lang.label']}
      </span>
      <div role="group" aria-labelledby="language-switch-label" className="flex gap-1">
        {locales.map((l) => (
          <button
            key={l}
            type="submit"
            name="locale"
            value={l}
            lang={l}
            aria-pressed={l === locale}
            className={`rounded border px-2 py-1 ${l === locale ? 'border-blue-800 bg-blue-800 text-white' : 'border-slate-400 bg-white text-slate-900 hover:bg-slate-100'}`}
          >
            {messages[`lang.${l}`]}
          </button>
        ))}
      </div>
    </form>
  );
}
