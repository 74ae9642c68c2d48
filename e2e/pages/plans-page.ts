import { expect, type Page } from '@playwright/test';

/** `/`: the list of plans, new plan, import. */
export class PlansPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto('/');
    await expect(this.page.getByRole('heading', { level: 1, name: 'Plans' })).toBeVisible();
  }

  async createEmptyPlan(name: string) {
    await this.page.getByLabel('Plan name').fill(name);
    await this.page.getByRole('button', { name: 'Create an empty plan' }).click();
    await expect(this.page).toHaveURL(/\/plans\/[^/]+\/topology$/);
    return this.planIdFromUrl();
  }

  async createLabPlan() {
    await this.page.getByRole('button', { name: 'Create from the lab example' }).click();
    await expect(this.page).toHaveURL(/\/plans\/[^/]+\/topology$/);
    return this.planIdFromUrl();
  }

  /** Imports a plan file as a new plan; resolves once the import form answered (redirected or listed errors). */
  async importFile(file: { name: string; mimeType: string; buffer: Buffer }) {
    const form = this.page.getByRole('group', { name: 'Import a plan' });
    await form.getByLabel('Plan file (JSON)').setInputFiles(file);
    await form.getByRole('button', { name: 'Import as a new plan' }).click();
  }

  importErrors() {
    return this.page.getByRole('status').filter({ hasText: 'The file was not imported' });
  }

  planIdFromUrl(): string {
    const id = /\/plans\/([^/]+)\//.exec(this.page.url())?.[1];
    if (!id) throw new Error(`not on a plan page: ${this.page.url()}`);
    return id;
  }
}
