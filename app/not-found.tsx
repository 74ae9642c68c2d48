import Link from 'next/link';
import { getTranslator } from '@/lib/i18n/server';

export default async function NotFound() {
  const t = await getTranslator();
  return (
    <section className="max-w-2xl space-y-4">
      <h1 className="text-2xl font-bold">{t('notFound.title')}</h1>
      <p>{t('notFound.body')}</p>
      <p>
        <Link href="/" className="text-blue-800 underline">
          {t('notFound.home')}
        </Link>
      </p>
    </section>
  );
}
