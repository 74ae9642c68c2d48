import { expect, type Page } from '@playwright/test';
import { WizardPage } from './wizard-page';

/** Secondary Database Settings: the Initialize / Copy Files / Restore tabs. */
export class SecondaryPage extends WizardPage {
  constructor(page: Page) {
    super(page);
  }

  tab(name: 'Initialize Secondary Database' | 'Copy Files' | 'Restore Transaction Log') {
    return this.page.getByRole('tab', { name });
  }

  async openTab(name: 'Initialize Secondary Database' | 'Copy Files' | 'Restore Transaction Log') {
    await this.ready();
    await this.tab(name).click();
    await expect(this.tab(name)).toHaveAttribute('aria-selected', 'true');
  }

  async fillCopy(destination: string) {
    await this.openTab('Copy Files');
    await this.page.getByLabel('Destination folder for copied files').fill(destination);
  }

  /** The Initialize tab's section listing the primary database's files (the MOVE clauses' logical names). */
  filesSection(database = 'mgc') {
    return this.page.getByRole('region', { name: `Files of ${database} on the primary` });
  }

  readFilesButton(server: string) {
    return this.filesSection().getByRole('button', { name: `Read the files from ${server}` });
  }

  /** The files as the table lists them: logical name, type, path on the primary. */
  async filesListed(): Promise<string[][]> {
    return this.filesSection()
      .getByRole('table')
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent ?? '')),
      );
  }

  async chooseStandby(disconnectUsers: boolean) {
    await this.openTab('Restore Transaction Log');
    await this.page.getByRole('radio', { name: 'Standby mode' }).check();
    await this.page
      .getByLabel('Disconnect users in the database when restoring backups')
      .setChecked(disconnectUsers);
  }
}
