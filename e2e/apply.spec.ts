import { readFile } from 'node:fs/promises';
import { expect, test as wizardTest } from './fixtures';
import {
  countOperatorActions,
  type OperatorActions,
  readOperatorActions,
  writeOperatorActions,
} from './operator-actions';
import { ApplyPanel } from './pages/apply-panel';
import { DrPage } from './pages/dr-page';
import { labControl } from '../lab/control-client';
import { expectNoViolations } from './axe';

const test = wizardTest.extend<{ panel: ApplyPanel }>({
  panel: async ({ page }, provide) => provide(new ApplyPanel(page)),
});

// The seed's whole procedure, from an empty plan to the proof that logs ship from both principals, against the lab
// started beside the server by playwright.config.ts (the lab's instances on 14331-14334) and real pwsh.
test.describe.configure({ mode: 'serial' });

let planId = '';
let shipRunUrl = '';
const actions: OperatorActions[] = [];

test.beforeEach(async ({ page }) => {
  await countOperatorActions(page);
});

test.afterEach(async ({ page }) => {
  actions.push(await readOperatorActions(page));
});

test.afterAll(() => {
  writeOperatorActions(actions);
});

test('fills a new plan with the lab topology, as an operator would', async ({
  page,
  plans,
  topology,
  wizard,
  secondary,
}) => {
  await plans.goto();
  planId = await plans.createEmptyPlan('Seed procedure');
  await topology.fillPool('pchat.lab.local', true);
  const lab = [
    ['Primary store', 'SQL01\\PCHAT', '14331'],
    ['Primary mirror', 'SQL02\\PCHAT', '14332'],
    ['Backup store', 'SQLDR01\\PCHAT', '14333'],
    ['Backup mirror', 'SQLDR02\\PCHAT', '14334'],
  ] as const;
  for (const [role, name, port] of lab) {
    await topology.fillServer(role, {
      name,
      host: '127.0.0.1',
      port,
      trustCertificate: true,
      auth: { mode: 'sql', login: 'sa' },
    });
  }
  await topology.saveAndContinue(/\/backup$/);
  await wizard.ready();
  await page.getByLabel('Network path to backup folder').fill('\\\\FS01\\PChatLogShip');
  await wizard.saveAndContinue(/\/secondary$/);
  await secondary.fillCopy('D:\\LSCopy');
  await secondary.saveAndContinue(/\/monitor$/);
  await wizard.saveAndContinue(/\/shell$/);
  await wizard.ready();
  await expect(page.getByRole('radio', { name: 'Local PowerShell 7 (pwsh)' })).toBeChecked();
  await wizard.saveAndContinue(/\/review\/topology$/);
});

test('applies preflight against the lab and shows every instance’s findings', async ({
  page,
  review,
  panel,
}) => {
  test.setTimeout(240_000);
  await review.goto(planId, 'preflight');
  await expect(panel.servers()).toHaveText([
    'SQL01\\PCHAT',
    'SQL02\\PCHAT',
    'SQLDR01\\PCHAT',
    'SQLDR02\\PCHAT',
  ]);

  await panel.openConfirmation();
  const dialog = panel.dialog();
  await expect(dialog).toHaveAccessibleName('Apply “Preflight checks”?');
  await expect(dialog.getByRole('listitem')).toHaveText([
    'SQL01\\PCHAT',
    'SQL02\\PCHAT',
    'SQLDR01\\PCHAT',
    'SQLDR02\\PCHAT',
  ]);
  // Escape cancels without running anything, and focus returns to the button.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(panel.root.getByRole('button', { name: 'Apply…' })).toBeFocused();
  await expect(panel.log()).toHaveCount(0);

  // By keyboard alone: Enter on the focused button, Tab from Cancel to the apply button, Enter.
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible({ timeout: 60_000 });
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: 'Apply to 4 servers' })).toBeFocused();
  await expectNoViolations(page, 'confirmation dialog');
  await page.keyboard.press('Enter');

  const outcome = await panel.waitForOutcome();
  expect(outcome).toMatch(/succeeded/);
  expect(outcome).toMatch(/Preflight: every instance is ready/);
  // One finding per instance at least, each naming its server.
  const servers = await panel.findingRows().locator('td:first-child').allTextContents();
  for (const server of ['SQL01\\PCHAT', 'SQL02\\PCHAT', 'SQLDR01\\PCHAT', 'SQLDR02\\PCHAT'])
    expect(servers).toContain(server);
  await expect(page.getByTestId('announcer')).toContainText('Run succeeded.');
  await expectNoViolations(page, 'review page after preflight');
});

test('applies ship-primary: the full backup’s progress reaches 100% and the run succeeds', async ({
  page,
  review,
  panel,
}) => {
  test.setTimeout(300_000);
  await review.goto(planId, 'ship-primary');
  await panel.openConfirmation();
  await expect(panel.dialog().getByText('This will change these servers:')).toBeVisible();
  await expect(panel.dialog().getByRole('listitem')).toHaveText(['SQL01\\PCHAT', 'SQLDR01\\PCHAT']);
  await panel.confirm();

  const backup = panel.progressBars().first();
  await expect(backup).toBeVisible({ timeout: 60_000 });
  await expect(backup).toHaveAttribute('aria-valuenow', '100', { timeout: 120_000 });
  const outcome = await panel.waitForOutcome();
  expect(outcome).toMatch(/succeeded/);
  // Every step the log shows ended well, and the stepper says the stage is applied.
  const statuses = await panel
    .steps()
    .evaluateAll((items) => items.map((i) => i.getAttribute('data-status')));
  expect(statuses.length).toBeGreaterThan(3);
  expect(new Set(statuses)).toEqual(new Set(['succeeded']));
  await expect(
    page
      .getByRole('navigation', { name: 'Wizard steps' })
      .getByRole('link', { name: /Log shipping from the primary/ }),
  ).toContainText('Applied');

  await panel.openRunRecord();
  shipRunUrl = page.url();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'Run report: Log shipping from the primary',
  );
  await expect(page.getByTestId('run-status')).toHaveText(/succeeded/);
  // The record shows every batch with its hash and the messages SQL Server sent.
  await expect(page.getByText(/BACKUP DATABASE/).first()).toBeVisible();
  await expect(page.getByText(/percent processed/).first()).toBeVisible();
  await expectNoViolations(page, 'run report');
});

for (const [stage, title, proof] of [
  ['failover-to-mirror', 'Failover to the mirror', /now principal on the mirror/],
  ['ship-mirror', 'Log shipping from the mirror', /ship-mirror: \d+ steps applied/],
  ['failback-to-primary', 'Failback to the primary', /now principal on the primary/],
  ['verify', 'Verification', /restored LSN moved from \d+ to \d+/],
] as const) {
  test(`applies ${stage} and proves it`, async ({ page, review, panel }) => {
    test.setTimeout(300_000);
    await review.goto(planId, stage);
    await panel.openConfirmation();
    await panel.confirm();
    const outcome = await panel.waitForOutcome();
    expect(outcome).toMatch(/succeeded/);
    expect(outcome).toMatch(proof);
    await expect(
      page.getByRole('navigation', { name: 'Wizard steps' }).getByRole('link', { name: new RegExp(title) }),
    ).toContainText('Applied');
  });
}

test('shows log shipping as healthy on the status page, read from every instance', async ({ page }) => {
  await page.goto(`/plans/${planId}/status`);
  await expect(page.getByTestId('status-verdict')).toHaveAttribute('data-verdict', 'healthy');
  await expect(page.getByRole('table', { name: 'Copy and restore on the backup store' })).toContainText(
    'SQLDR01\\PCHAT',
  );
  await expect(page.getByRole('table', { name: 'Every instance as read' }).getByRole('row')).toHaveCount(5);
  await expectNoViolations(page, 'status page');
});

test('lists the runs and downloads the Markdown report of one', async ({ page }) => {
  await page.goto(`/plans/${planId}/runs`);
  const rows = page.getByTestId('run-row');
  await expect(rows).toHaveCount(6);
  await expect(rows.nth(0)).toContainText('Verification');
  await expect(rows.nth(5)).toContainText('Preflight checks');
  await expect(rows.nth(0)).toContainText('admin');
  await expectNoViolations(page, 'run history');

  await rows.filter({ hasText: 'Log shipping from the primary' }).getByRole('link').click();
  await expect(page).toHaveURL(shipRunUrl);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download Markdown' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(
    /^pchat-hadr-run-ship-primary-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.md$/,
  );
  const markdown = await readFile((await download.path())!, 'utf8');
  expect(markdown).toContain('# pchat-hadr run report: ship-primary');
  expect(markdown).toContain('| Outcome | **succeeded** |');
  expect(markdown).toContain('| Applied by | admin |');
  expect(markdown).toMatch(/```sql\nBACKUP DATABASE/);
  // The lab's sa password reached the server through the environment; it must not reach a report.
  const sqlPassword = process.env.PCHAT_HADR_E2E_SQL_PASSWORD ?? '';
  expect(sqlPassword).not.toBe('');
  expect(markdown).not.toContain(sqlPassword);
  expect(await page.content()).not.toContain(sqlPassword);

  // The report reads the same in French, and stays axe-clean there.
  await page.getByRole('button', { name: 'Français' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Compte rendu d’exécution : /);
  await expect(page.getByRole('link', { name: 'Télécharger en Markdown' })).toBeVisible();
  await expectNoViolations(page, 'run report (fr)');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});

// The DR drills of the same plan, after its setup: what lib/stages/dr.lab.test.ts proves through the library, done in
// the browser. First the primary data center is lost (only what was shipped survives), then the pool fails back to a
// rebuilt primary data center and log shipping is set up again, then a planned evacuation loses nothing.
test.describe('DR drills', () => {
  // The control API of the lab playwright.config.ts starts (its --control-port).
  const lab = labControl('http://127.0.0.1:25330');
  const primary = 'SQL01\\PCHAT';
  const backup = 'SQLDR01\\PCHAT';
  const share = '\\\\FS01\\PChatLogShip';
  const stageNames = {
    'dr-failover': 'DR failover to the backup data center',
    'dr-failback': 'DR failback to the primary data center',
  } as const;

  type Messages = { count: number; lsn: string; state: string };
  const messages = (server: string) =>
    lab.get<Messages>(`/data/messages?server=${encodeURIComponent(server)}&database=mgc`);
  const writeMessages = (server: string, count: number) =>
    lab.post('/data/messages', { server, database: 'mgc', count });
  const poolStates = async () =>
    (await lab.get<{ objects: { PoolState: string }[] }>('/sfb/persistent-chat-state')).objects.map(
      (o) => o.PoolState,
    );

  // The bench compares the seed procedure's operator actions with its replay; the drills are not part of the seed.
  let seedActions = 0;
  test.beforeAll(() => {
    seedActions = actions.length;
  });
  test.afterAll(() => {
    actions.splice(seedActions);
  });

  let shipped = 0;

  test('answers the DR page: the servers of each data center, the primary lost', async ({ page }) => {
    test.setTimeout(180_000);
    const dr = new DrPage(page);
    await page.goto(`/plans/${planId}/runs`);
    await dr.openFromSidebar();
    // The plan started empty: no server is listed in either data center yet.
    await expect(dr.siteGroup('primary')).toContainText('No server listed yet.');
    await expect(dr.siteGroup('backup')).toContainText('No server listed yet.');
    await dr.fillServers('primary', ['FE01.lab.local', 'FE02.lab.local']);
    await dr.fillServers('backup', ['FEDR01.lab.local']);
    await dr.choosePrimaryReachable(false);
    await dr.save();
    await expectNoViolations(page, 'DR page');

    // Saved with the plan, not just kept in the form.
    await page.reload();
    await dr.ready();
    await expect(dr.serverBox('primary', 1)).toHaveValue('FE01.lab.local');
    await expect(dr.serverBox('primary', 2)).toHaveValue('FE02.lab.local');
    await expect(dr.serverBox('backup', 1)).toHaveValue('FEDR01.lab.local');
    await expect(dr.reachability().getByRole('radio', { name: 'No, it is lost' })).toBeChecked();
  });

  test('fails over with the primary data center lost: every shipped message survives, and the run says when', async ({
    page,
    panel,
  }) => {
    test.setTimeout(420_000);
    await writeMessages(primary, 40);
    shipped = (await messages(primary)).count;
    // Backup, copy and restore run every 15 minutes; two rounds leave room for their order within a round.
    await lab.post('/clock/advance', { minutes: 31 });
    await expect.poll(async () => (await messages(backup)).count, { timeout: 60_000 }).toBe(shipped);
    // Written after the last log backup: these are what a lost data center takes with it.
    await writeMessages(primary, 7);
    expect((await messages(primary)).count).toBe(shipped + 7);
    await lab.setSite('Primary', true);
    // The share stood in the lost data center too.
    await lab.post('/shares', { unc: share, present: false });

    const dr = new DrPage(page);
    await page.goto(`/plans/${planId}/runs`);
    await dr.openFromSidebar();
    await dr.openRunbook(stageNames['dr-failover'], 'dr-failover');
    await expect(page.getByRole('region', { name: 'Primary data center: lost' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Primary data center: still reachable' })).toHaveCount(0);
    await expectNoViolations(page, 'review dr-failover (primary lost)');

    await panel.openConfirmation();
    await panel.confirm();
    const outcome = await panel.waitForOutcome(300_000);
    expect(outcome).toMatch(/succeeded/);
    expect(outcome).toMatch(/Data that survived: everything committed before \d{4}-\d\d-\d\dT[\d:.]+Z/);
    expect(outcome).toMatch(/mgccomp is not failed over/);
    expect(await messages(backup)).toMatchObject({ state: 'ONLINE', count: shipped });
    expect(await poolStates()).toEqual(['FailedOver']);
  });

  test('fails back to a rebuilt primary data center, carrying what was written on the backup store', async ({
    page,
    panel,
  }) => {
    test.setTimeout(420_000);
    await lab.setSite('Primary', false);
    await lab.post('/shares', { unc: share, present: true });
    for (const server of [primary, 'SQL02\\PCHAT']) await lab.rebuildInstance(server, { reinstall: true });
    // Chat goes on at the backup data center while the primary one is rebuilt.
    await writeMessages(backup, 5);
    const onBackup = (await messages(backup)).count;
    expect(onBackup).toBe(shipped + 5);

    const dr = new DrPage(page);
    await page.goto(`/plans/${planId}/runs`);
    await dr.openFromSidebar();
    await dr.openRunbook(stageNames['dr-failback'], 'dr-failback');
    await panel.openConfirmation();
    await panel.confirm();
    const outcome = await panel.waitForOutcome(300_000);
    expect(outcome).toMatch(/succeeded/);
    expect(outcome).toMatch(/the pool is Normal/);
    expect(outcome).toMatch(/Next, set log shipping up again/);
    expect(await messages(primary)).toMatchObject({ state: 'ONLINE', count: onBackup });
    expect(await poolStates()).toEqual(['Normal']);

    const again = page.getByRole('region', { name: 'Then set log shipping up again' });
    await expect(again.getByRole('link')).toHaveText([
      'Log shipping from the primary',
      'Failover to the mirror',
      'Log shipping from the mirror',
      'Failback to the primary',
      'Verification',
    ]);
    await expectNoViolations(page, 'review dr-failback after its run');
  });

  for (const [stage, title, proof] of [
    ['ship-primary', 'Log shipping from the primary', /ship-primary: \d+ steps applied/],
    ['failover-to-mirror', 'Failover to the mirror', /now principal on the mirror/],
    ['ship-mirror', 'Log shipping from the mirror', /ship-mirror: \d+ steps applied/],
    ['failback-to-primary', 'Failback to the primary', /now principal on the primary/],
    ['verify', 'Verification', /restored LSN moved from \d+ to \d+/],
  ] as const) {
    test(`after the failback, applies ${stage} again from the runbook's link`, async ({ page, panel }) => {
      test.setTimeout(300_000);
      await page.goto(`/plans/${planId}/review/dr-failback`);
      await page
        .getByRole('region', { name: 'Then set log shipping up again' })
        .getByRole('link', { name: title, exact: true })
        .click();
      await expect(page).toHaveURL(new RegExp(`/review/${stage}$`));
      await panel.openConfirmation();
      await panel.confirm();
      const outcome = await panel.waitForOutcome();
      expect(outcome).toMatch(/succeeded/);
      expect(outcome).toMatch(proof);
    });
  }

  test('fails over with the primary data center reachable: the tail-log backup loses nothing', async ({
    page,
    panel,
  }) => {
    test.setTimeout(420_000);
    const dr = new DrPage(page);
    await page.goto(`/plans/${planId}/runs`);
    await dr.openFromSidebar();
    await dr.choosePrimaryReachable(true);
    await dr.save();

    // Nothing of these is shipped by the schedule: only the tail carries them.
    await writeMessages(primary, 11);
    const atFailover = (await messages(primary)).count;
    expect(atFailover).toBe(shipped + 5 + 11);

    await dr.openRunbook(stageNames['dr-failover'], 'dr-failover');
    await expect(page.getByRole('region', { name: 'Primary data center: still reachable' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Primary data center: lost' })).toHaveCount(0);
    await panel.openConfirmation();
    await panel.confirm();
    const outcome = await panel.waitForOutcome(300_000);
    expect(outcome).toMatch(/succeeded/);
    expect(outcome).toMatch(/Nothing committed was lost/);
    expect(await messages(backup)).toMatchObject({ state: 'ONLINE', count: atFailover });
    expect((await messages(primary)).state).toBe('RESTORING');
    expect(await poolStates()).toEqual(['FailedOver']);
  });
});
