import { expect, stages, test } from './fixtures';
import { expectNoViolations } from './axe';

for (const locale of ['English', 'Français'] as const) {
  test(`every page has no axe-core violations (${locale})`, async ({ page, plans }) => {
    // axe-core takes seconds per page on a small machine, and this visits every page.
    test.setTimeout(300_000);
    await plans.goto();
    if (locale === 'Français') {
      await page.getByRole('button', { name: 'Français' }).click();
      await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    }
    await expectNoViolations(page, 'plans (empty form)');
    await page
      .getByRole('button', {
        name:
          locale === 'English' ? 'Create from the lab example' : 'Créer à partir de l’exemple du laboratoire',
      })
      .click();
    await expect(page).toHaveURL(/\/topology$/);
    const id = /\/plans\/([^/]+)\//.exec(page.url())![1]!;

    for (const path of ['topology', 'backup', 'secondary', 'monitor', 'shell', 'dr']) {
      await page.goto(`/plans/${id}/${path}`);
      await expectNoViolations(page, path);
    }
    await page.goto(`/plans/${id}/secondary`);
    for (const tab of await page.getByRole('tab').all()) {
      await tab.click();
      await expectNoViolations(page, `secondary tab ${await tab.textContent()}`);
    }
    // Review pages are the slowest to check (every script token is a coloured span). English checks all seven; French
    // changes only the surrounding text, so one T-SQL and one PowerShell review stand for the rest.
    const reviewed = locale === 'English' ? stages.map((s) => s.id) : ['ship-primary', 'failover-to-mirror'];
    for (const stage of reviewed) {
      await page.goto(`/plans/${id}/review/${stage}`);
      await expect(page.getByTestId('stage-hash')).toBeVisible();
      await expectNoViolations(page, `review ${stage}`);
    }
    await page.goto('/');
    await expectNoViolations(page, 'plans (with plans)');
    // Last, as these leave the plan invalid (drafts autosave). Errors under fields must be accessible too.
    await page.goto(`/plans/${id}/topology`);
    await expect(page.locator('main form[data-ready="true"]')).toHaveCount(1);
    await page.locator('#f-pool-fqdn').fill('');
    await page.locator('#f-pool-fqdn').press('Enter');
    await expect(page.locator('#f-pool-fqdn')).toHaveAttribute('aria-invalid', 'true');
    await expectNoViolations(page, 'topology with errors');
    // The monitor with a server and SQL authentication for the jobs shows the most fields.
    await page.goto(`/plans/${id}/monitor`);
    await expect(page.locator('main form[data-ready="true"]')).toHaveCount(1);
    await page.locator('#f-enabled-true').check();
    await page.locator('#f-jobAuth-mode-sql').check();
    await expectNoViolations(page, 'monitor with a server');
    await page.goto(`/plans/${id}/review/preflight`);
    await expect(page.getByRole('heading', { level: 2 }).first()).toBeVisible();
    await expectNoViolations(page, 'review of an incomplete plan');
    await page.goto('/plans/unknown/topology');
    await expectNoViolations(page, 'not found');
  });
}

test('the skip link takes keyboard users to the main content', async ({ page }) => {
  await page.goto('/');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to main content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);
});
