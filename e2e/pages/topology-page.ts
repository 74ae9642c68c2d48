import type { Page } from '@playwright/test';
import { WizardPage } from './wizard-page';

export interface ServerAnswers {
  name: string;
  host: string;
  port?: string;
  auth:
    | { mode: 'windows-integrated' }
    | { mode: 'windows-ntlm'; domain: string; user: string }
    | { mode: 'sql'; login: string };
  trustCertificate?: boolean;
}

const authLabel = {
  'windows-integrated': 'Windows, integrated',
  'windows-ntlm': 'Windows, NTLM with a domain account',
  sql: 'SQL Server login',
};

/** Topology and servers: pool, databases, the four instances. */
export class TopologyPage extends WizardPage {
  constructor(page: Page) {
    super(page);
  }

  async fillPool(fqdn: string, compliance: boolean) {
    await this.ready();
    await this.page.getByLabel('Pool FQDN').fill(fqdn);
    await this.page.getByLabel(/Compliance is enabled/).setChecked(compliance);
  }

  async fillServer(
    role: 'Primary store' | 'Primary mirror' | 'Backup store' | 'Backup mirror',
    answers: ServerAnswers,
  ) {
    const group = this.page.getByRole('group', { name: role, exact: true });
    await group.getByLabel('SQL Server name', { exact: true }).fill(answers.name);
    await group.getByLabel('Host', { exact: true }).fill(answers.host);
    if (answers.port) await group.getByLabel(/TCP port/).fill(answers.port);
    await group.getByLabel(/Trust the server certificate/).setChecked(answers.trustCertificate ?? false);
    await group.getByRole('radio', { name: authLabel[answers.auth.mode] }).check();
    if (answers.auth.mode === 'windows-ntlm') {
      await group.getByLabel('Domain', { exact: true }).fill(answers.auth.domain);
      await group.getByLabel('User', { exact: true }).fill(answers.auth.user);
    }
    if (answers.auth.mode === 'sql')
      await group.getByLabel('Login', { exact: true }).fill(answers.auth.login);
  }
}
