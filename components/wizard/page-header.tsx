/** A wizard page's title and the sentence that says what it is for. */
export function PageHeader({ title, intro }: { title: string; intro?: string }) {
  return (
    <header className="mb-6 space-y-2">
      <h1 className="text-2xl font-bold">{title}</h1>
      {intro ? <p className="max-w-3xl text-slate-700">{intro}</p> : null}
    </header>
  );
}
