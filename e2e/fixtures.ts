import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { BackupPage } from './pages/backup-page';
import { PlansPage } from './pages/plans-page';
import { ReviewPage } from './pages/review-page';
import { SecondaryPage } from './pages/secondary-page';
import { TopologyPage } from './pages/topology-page';
import { WizardPage } from './pages/wizard-page';

/** Signs in through the real login form, with the administrator password playwright.config.ts gives the server. */
export async function signIn(page: Page): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password', { exact: true }).fill(process.env.PCHAT_HADR_E2E_ADMIN_PASSWORD ?? '');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** Tests get the page objects ready-made, in a browser already signed in as the administrator. */
export const test = base.extend<
  {
    plans: PlansPage;
    wizard: WizardPage;
    topology: TopologyPage;
    backup: BackupPage;
    secondary: SecondaryPage;
    review: ReviewPage;
  },
  { signedInState: string }
>({
  // Every page is behind the sign-in gate (proxy.ts): sign in once per worker through the real login form, with the
  // administrator password playwright.config.ts gives the server, and reuse the session cookie in every test.
  signedInState: [
    async ({ browser }, provide, workerInfo) => {
      const file = path.join(
        workerInfo.project.outputDir,
        '.auth',
        `worker-${workerInfo.parallelIndex}.json`,
      );
      if (!existsSync(file)) {
        mkdirSync(path.dirname(file), { recursive: true });
        const page = await browser.newPage({
          baseURL: workerInfo.project.use.baseURL,
          storageState: undefined,
        });
        await signIn(page);
        await page.context().storageState({ path: file });
        await page.close();
      }
      await provide(file);
    },
    { scope: 'worker' },
  ],
  storageState: async ({ signedInState }, provide) => provide(signedInState),
  plans: async ({ page }, provide) => provide(new PlansPage(page)),
  wizard: async ({ page }, provide) => provide(new WizardPage(page)),
  topology: async ({ page }, provide) => provide(new TopologyPage(page)),
  backup: async ({ page }, provide) => provide(new BackupPage(page)),
  secondary: async ({ page }, provide) => provide(new SecondaryPage(page)),
  review: async ({ page }, provide) => provide(new ReviewPage(page)),
});

export { expect };

/** The setup stages, as the stepper names them, in flow order. */
export const stages = [
  { id: 'topology', name: 'Topology check' },
  { id: 'preflight', name: 'Preflight checks' },
  { id: 'ship-primary', name: 'Log shipping from the primary' },
  { id: 'failover-to-mirror', name: 'Failover to the mirror' },
  { id: 'ship-mirror', name: 'Log shipping from the mirror' },
  { id: 'failback-to-primary', name: 'Failback to the primary' },
  { id: 'verify', name: 'Verification' },
] as const;
