import { expect, type Locator, type Page } from '@playwright/test';

/** The apply panel under a review page's scripts: the button, the confirmation, the live log. */
export class ApplyPanel {
  readonly root: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('apply-panel');
  }

  /** The servers the panel says the stage will change (or read, for a read-only stage). */
  servers(): Locator {
    return this.root.getByTestId('apply-servers').getByRole('listitem');
  }

  dialog(): Locator {
    return this.page.getByRole('dialog');
  }

  /** Presses Apply… and waits for the confirmation naming the servers. */
  async openConfirmation() {
    await this.root.getByRole('button', { name: 'Apply…' }).click();
    await expect(this.dialog()).toBeVisible({ timeout: 60_000 });
  }

  /** Confirms in the dialog and waits for the live log to appear. */
  async confirm() {
    await this.dialog()
      .getByRole('button', { name: /^Apply to \d+ servers?$/ })
      .click();
    await expect(this.log()).toBeVisible();
  }

  log(): Locator {
    return this.root.getByTestId('run-log');
  }

  outcome(): Locator {
    return this.log().getByTestId('run-outcome');
  }

  /** Waits until the run has ended and returns the outcome's text. */
  async waitForOutcome(timeout = 180_000): Promise<string> {
    await expect(this.outcome()).toBeVisible({ timeout });
    return (await this.outcome().textContent()) ?? '';
  }

  steps(): Locator {
    return this.log().getByTestId('log-step');
  }

  findingRows(): Locator {
    return this.log().getByTestId('findings').locator('tbody tr');
  }

  progressBars(): Locator {
    return this.log().getByRole('progressbar');
  }

  async openRunRecord() {
    await this.log().getByRole('link', { name: 'Open the full record of this run' }).click();
    await expect(this.page).toHaveURL(/\/runs\/[0-9a-f-]+$/);
  }
}
