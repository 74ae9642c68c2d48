import { expect, type Locator, type Page } from '@playwright/test';
import { WizardPage } from './wizard-page';

/** A stage's review: the sentence, one card per target server with its batches. */
export class ReviewPage extends WizardPage {
  constructor(page: Page) {
    super(page);
  }

  async goto(planId: string, stage: string) {
    await this.page.goto(`/plans/${planId}/review/${stage}`);
  }

  targets(): Locator {
    return this.page.getByTestId('target');
  }

  /** The scripts of a target as the page shows them, one string per batch or command. */
  async scriptsOf(target: Locator): Promise<string[]> {
    return target.locator('pre code').evaluateAll((codes) => codes.map((c) => c.textContent ?? ''));
  }

  async stageState(stageName: string): Promise<string> {
    const link = this.stepper().getByRole('link', { name: new RegExp(stageName) });
    await expect(link).toBeVisible();
    return (await link.textContent()) ?? '';
  }
}
