import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';

const port = 3100;
const baseURL = `http://127.0.0.1:${port}`;

// Each run gets its own plan store, so tests start from nothing and never touch an operator's plans. The config is
// loaded by the runner and again by each worker; the variable set by the first load is inherited by the others.
process.env.PCHAT_HADR_E2E_DB ??= path.join(
  mkdtempSync(path.join(tmpdir(), 'pchat-hadr-e2e-')),
  'plans.sqlite',
);
// The administrator the tests sign in as, set through the environment as an operator would (never written anywhere).
process.env.PCHAT_HADR_E2E_ADMIN_PASSWORD ??= `e2e-${randomBytes(12).toString('hex')}`;
// The lab the apply tests run against: fresh state, its own sa password, on the ports of the lab example plan.
process.env.PCHAT_HADR_E2E_LAB_ROOT ??= mkdtempSync(path.join(tmpdir(), 'pchat-hadr-e2e-lab-'));
process.env.PCHAT_HADR_E2E_SQL_PASSWORD ??= `E2e#${randomBytes(12).toString('hex')}`;
const labControlPort = 25330;

export default defineConfig({
  testDir: './e2e',
  testMatch: /.*\.spec\.ts$/,
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? 'list' : [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    acceptDownloads: true,
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: [
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
  ],
  webServer: [
    {
      // Never reused: a lab left over from another run would carry its state and its own sa password.
      command: `node bin/pchat-hadr.mjs lab --reset --root ${process.env.PCHAT_HADR_E2E_LAB_ROOT} --base-port 14331 --control-port ${labControlPort}`,
      url: `http://127.0.0.1:${labControlPort}/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: { LAB_SA_PASSWORD: process.env.PCHAT_HADR_E2E_SQL_PASSWORD ?? '' },
    },
    {
      // The build comes first (npm test builds before it runs the browser tests).
      command: `npx next start -H 127.0.0.1 -p ${port}`,
      url: baseURL,
      reuseExistingServer: !process.env.CI,
      timeout: 120_000,
      env: {
        PCHAT_HADR_DB: process.env.PCHAT_HADR_E2E_DB ?? '',
        PCHAT_HADR_ADMIN_USER: 'admin',
        PCHAT_HADR_ADMIN_PASSWORD: process.env.PCHAT_HADR_E2E_ADMIN_PASSWORD ?? '',
        NEXT_TELEMETRY_DISABLED: '1',
        PCHAT_HADR_SQL_PASSWORD: process.env.PCHAT_HADR_E2E_SQL_PASSWORD ?? '',
        PCHAT_LAB_CONTROL_URL: `http://127.0.0.1:${labControlPort}`,
        PCHAT_HADR_PS_MODULE_PATH: path.resolve('lab/sfb'),
        PCHAT_HADR_PWSH: process.env.PWSH_PATH ?? path.resolve('.tools/pwsh/pwsh'),
      },
    },
  ],
});
