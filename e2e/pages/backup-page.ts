import { expect, type Page } from '@playwright/test';
import { WizardPage } from './wizard-page';

/** Transaction Log Backup Settings, filled with the keyboard alone. */
export class BackupPage extends WizardPage {
  constructor(page: Page) {
    super(page);
  }

  /** Tabs from the top of the page to each field, types, picks compression with the arrow keys, submits with Enter. */
  async fillByKeyboard(answers: { share: string; alertMinutes: string; every: string; compress: boolean }) {
    await this.ready();
    await this.page.locator('body').focus();
    await this.tabTo('Network path to backup folder');
    await this.typeOver(answers.share);
    await this.tabTo('Alert if no backup occurs within (minutes)');
    await this.typeOver(answers.alertMinutes);
    await this.tabTo('Occurs every');
    await this.typeOver(answers.every);
    if (answers.compress) {
      await this.tabToRole('radio', 'Use the default server setting');
      await this.page.keyboard.press('ArrowDown');
      await expect(this.page.getByRole('radio', { name: 'Compress backup', exact: true })).toBeChecked();
    }
    await this.tabToRole('button', 'Save and continue');
    await this.page.keyboard.press('Enter');
  }
}
