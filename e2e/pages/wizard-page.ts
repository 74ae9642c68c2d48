import { expect, type Locator, type Page } from '@playwright/test';

/** What every page of a plan has: the stepper and the save button. */
export class WizardPage {
  constructor(readonly page: Page) {}

  stepper(): Locator {
    return this.page.getByRole('navigation', { name: 'Wizard steps' });
  }

  currentStep(): Locator {
    return this.stepper().locator('[aria-current="step"]');
  }

  /** Waits until the page's form is hydrated (before that, a click would submit it natively). */
  async ready() {
    await expect(this.page.locator('main form[data-ready="true"]')).toHaveCount(1);
  }

  async saveAndContinue(nextUrl: RegExp) {
    await this.ready();
    await this.page.getByRole('button', { name: 'Save and continue' }).click();
    await expect(this.page).toHaveURL(nextUrl);
  }

  /** Presses Tab until the element labelled `label` has focus: how a keyboard user gets to a field. */
  async tabTo(label: string | RegExp, maxPresses = 120) {
    const target = this.page.getByLabel(label, { exact: typeof label === 'string' });
    for (let i = 0; i < maxPresses; i++) {
      await this.page.keyboard.press('Tab');
      if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    }
    throw new Error(`Tab never reached ${String(label)}`);
  }

  /** Presses Tab until the control with this role and name has focus. */
  async tabToRole(role: 'button' | 'tab' | 'radio' | 'link', name: string, maxPresses = 120) {
    const target = this.page.getByRole(role, { name, exact: true });
    for (let i = 0; i < maxPresses; i++) {
      await this.page.keyboard.press('Tab');
      if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    }
    throw new Error(`Tab never reached the ${role} ${name}`);
  }

  /** Replaces the focused input's text by typing, as a keyboard user would. */
  async typeOver(text: string) {
    await this.page.keyboard.press('ControlOrMeta+a');
    await this.page.keyboard.press('Backspace');
    await this.page.keyboard.type(text);
  }
}
