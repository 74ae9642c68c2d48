import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { catalogue, translator } from '@/lib/i18n';
import type { PoolStatus } from '@/lib/stages/status';
import { PoolSection } from './pool-section';

const render = (pool: PoolStatus, locale: 'en' | 'fr' = 'en') =>
  renderToStaticMarkup(createElement(PoolSection, { pool, t: translator(catalogue(locale)) }));

describe('PoolSection', () => {
  it('labels its section by the heading and lists the state and the servers as a definition list', () => {
    const html = render({
      fqdn: 'pchat.lab.local',
      state: 'FailedOver',
      activeServers: ['FEDR01.lab.local'],
      inactiveServers: ['FE01.lab.local', 'FE02.lab.local'],
    });
    expect(html).toContain('<section class="mt-4" aria-labelledby="status-pool"><h2 id="status-pool"');
    expect(html).toContain('>Pool state</h2>');
    expect(html).toContain('data-pool-state="FailedOver"');
    expect(html).toContain('Failed over: the pool uses its backup store.</dd>');
    expect(html).toContain(
      '<dt class="font-medium">Active servers</dt><dd><ul class="font-mono"><li>FEDR01.lab.local</li></ul></dd>',
    );
    expect(html).toContain('<li>FE01.lab.local</li><li>FE02.lab.local</li>');
    expect(html).not.toContain('Could not read');
  });

  it('shows servers that could not be read as not read, with the error, in the operator’s language', () => {
    const html = render(
      {
        fqdn: 'pchat.lab.local',
        state: 'unknown',
        activeServers: [],
        inactiveServers: [],
        error: 'no module',
      },
      'fr',
    );
    expect(html).toContain('>État du pool</h2>');
    expect(html).toContain('<dt class="font-medium">Serveurs actifs</dt><dd>non lu</dd>');
    expect(html).toContain(
      '<dt class="font-medium">Lecture impossible</dt><dd class="whitespace-pre-wrap">no module</dd>',
    );
    expect(
      render({ fqdn: 'p.lab.local', state: 'Normal', activeServers: [], inactiveServers: [] }),
    ).toContain('<dt class="font-medium">Active servers</dt><dd>none</dd>');
  });
});
