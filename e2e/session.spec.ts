import { expect, test } from '@playwright/test';
import { signIn } from './fixtures';

// A session of its own: signing out ends it on the server, and the other specs share theirs per worker.
test.use({ storageState: { cookies: [], origins: [] } });

test('the header says who is signed in, and signing out ends the session', async ({ page }) => {
  await signIn(page);
  const header = page.getByRole('banner');
  await expect(header.getByText('Signed in as admin')).toBeVisible();
  await header.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole('banner').getByRole('button', { name: 'Sign out' })).toHaveCount(0);
  // The session is gone on the server, not only in this tab: the plans need a sign-in again.
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
});
