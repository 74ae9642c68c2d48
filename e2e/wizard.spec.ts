import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';
import { expect, stages, test } from './fixtures';

test.describe.configure({ mode: 'serial' });

let planId = '';

test('fills the whole wizard from an empty plan, the backup page by keyboard alone', async ({
  page,
  plans,
  topology,
  backup,
  secondary,
  wizard,
}) => {
  await plans.goto();
  planId = await plans.createEmptyPlan('E2E wizard plan');
  await expect(topology.currentStep()).toHaveText(/Topology and servers/);

  // A first save with nothing filled says what is wrong under each field, with the schema's message.
  await wizard.ready();
  await page.getByRole('button', { name: 'Save and continue' }).click();
  const fqdn = page.getByLabel('Pool FQDN');
  await expect(fqdn).toHaveAttribute('aria-invalid', 'true');
  const describedBy = (await fqdn.getAttribute('aria-describedby')) ?? '';
  await expect(
    page.locator(`[id="${describedBy.split(' ').find((id) => id.endsWith('-error'))}"]`),
  ).toHaveText(/Pool FQDN is required/);

  await topology.fillPool('pchat.contoso.com', true);
  await topology.fillServer('Primary store', {
    name: 'SQL01\\PCHAT',
    host: 'sql01.contoso.com',
    auth: { mode: 'windows-integrated' },
  });
  await topology.fillServer('Primary mirror', {
    name: 'SQL02\\PCHAT',
    host: 'sql02.contoso.com',
    auth: { mode: 'windows-ntlm', domain: 'CONTOSO', user: 'dba' },
  });
  await topology.fillServer('Backup store', {
    name: 'SQLDR01,14333',
    host: 'sqldr01.contoso.com',
    port: '14333',
    auth: { mode: 'sql', login: 'lsadmin' },
  });
  await topology.fillServer('Backup mirror', {
    name: 'SQLDR02\\PCHAT',
    host: 'sqldr02.contoso.com',
    trustCertificate: true,
    auth: { mode: 'windows-integrated' },
  });
  await topology.saveAndContinue(/\/backup$/);

  await expect(backup.currentStep()).toHaveText(/Transaction log backup/);
  await expect(page.getByLabel('Job name')).toHaveAttribute('placeholder', 'LSBackup_mgc');
  await backup.fillByKeyboard({
    share: '\\\\FS01\\PChatLogShip',
    alertMinutes: '90',
    every: '5',
    compress: true,
  });
  await expect(page).toHaveURL(/\/secondary$/);

  // The tabs widget works with the arrow keys.
  await wizard.ready();
  await secondary.tab('Initialize Secondary Database').focus();
  await page.keyboard.press('ArrowRight');
  await expect(secondary.tab('Copy Files')).toBeFocused();
  await expect(secondary.tab('Copy Files')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByLabel('Destination folder for copied files')).toBeVisible();
  await page.keyboard.press('End');
  await expect(secondary.tab('Restore Transaction Log')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Home');
  await expect(secondary.tab('Initialize Secondary Database')).toHaveAttribute('aria-selected', 'true');

  // A missing destination on a hidden tab opens that tab and marks it.
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await expect(secondary.tab('Copy Files')).toHaveAttribute('aria-selected', 'true');
  await expect(secondary.tab('Copy Files')).toContainText('(needs attention)');
  await secondary.fillCopy('D:\\LSCopy');
  await secondary.chooseStandby(true);
  await secondary.saveAndContinue(/\/monitor$/);

  await wizard.ready();
  await expect(page.getByRole('radio', { name: 'No monitor server' })).toBeChecked();
  await wizard.saveAndContinue(/\/shell$/);
  await wizard.ready();
  await page.getByRole('radio', { name: 'Local PowerShell 7 (pwsh)' }).check();
  await wizard.saveAndContinue(/\/review\/topology$/);

  for (const label of [
    'Topology and servers',
    'Transaction log backup',
    'Secondary database',
    'Monitor server',
    'Management shell',
  ]) {
    await expect(wizard.stepper().getByRole('link', { name: new RegExp(label) })).toContainText('complete');
  }
});

test('the plan survives a reload with every answer', async ({ page }) => {
  await page.goto(`/plans/${planId}/topology`);
  await expect(page.getByLabel('Pool FQDN')).toHaveValue('pchat.contoso.com');
  await expect(
    page.getByRole('group', { name: 'Backup store', exact: true }).getByLabel('Login', { exact: true }),
  ).toHaveValue('lsadmin');
  await page.goto(`/plans/${planId}/backup`);
  await expect(page.getByLabel('Network path to backup folder')).toHaveValue('\\\\FS01\\PChatLogShip');
  await expect(page.getByRole('radio', { name: 'Compress backup', exact: true })).toBeChecked();
  await page.goto(`/plans/${planId}/secondary`);
  await page.getByRole('tab', { name: 'Restore Transaction Log' }).click();
  await expect(page.getByRole('radio', { name: 'Standby mode' })).toBeChecked();
});

test('reviews every stage: sentence, servers, scripts and hashes, and marks each as reviewed', async ({
  page,
  review,
}) => {
  for (const stage of stages) {
    await review.goto(planId, stage.id);
    await expect(page.getByRole('heading', { level: 1, name: stage.name })).toBeVisible();
    await expect(page.getByTestId('stage-hash')).toHaveText(/^[0-9a-f]{64}$/);
    const targets = review.targets();
    expect(await targets.count(), stage.id).toBeGreaterThan(0);
    for (const target of await targets.all()) {
      const scripts = await review.scriptsOf(target);
      expect(scripts.length).toBeGreaterThan(0);
      for (const script of scripts) expect(script.trim().length).toBeGreaterThan(0);
    }
    await expect(review.stepper().getByRole('link', { name: new RegExp(stage.name) })).toContainText(
      'Reviewed',
    );
  }
  await review.goto(planId, 'ship-primary');
  await expect(page.getByText('from SQL01\\PCHAT to SQLDR01,14333')).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: '1. Primary store: SQL01\\PCHAT' })).toBeVisible();
});

test('downloads a script whose bytes are what the page shows, and all stages as a zip', async ({
  page,
  review,
}) => {
  await review.goto(planId, 'ship-primary');
  const target = review.targets().first();
  const shown = await review.scriptsOf(target);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    target.getByRole('link', { name: /^Download / }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^ship-primary-01-primary-SQL01_PCHAT\.sql$/);
  const bytes = await readFile((await download.path())!, 'utf8');
  // The file is the batches shown, each ending with a line break, separated by GO lines as SSMS runs them.
  expect(bytes).toBe(shown.map((s) => (s.endsWith('\n') ? s : `${s}\n`)).join('GO\n'));

  await review.goto(planId, 'failover-to-mirror');
  const shell = review.targets().first();
  const commands = await review.scriptsOf(shell);
  const [ps1] = await Promise.all([
    page.waitForEvent('download'),
    shell.getByRole('link', { name: /^Download / }).click(),
  ]);
  expect(ps1.suggestedFilename()).toMatch(/\.ps1$/);
  expect(await readFile((await ps1.path())!, 'utf8')).toBe(
    commands.map((s) => (s.endsWith('\n') ? s : `${s}\n`)).join(''),
  );

  const [zipDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download all stages (.zip)' }).click(),
  ]);
  const zip = await JSZip.loadAsync(await readFile((await zipDownload.path())!));
  const folders = new Set(Object.keys(zip.files).map((name) => name.split('/')[0]));
  // The DR page is not answered yet: of the runbooks only teardown is there, and the README says what the others need.
  expect([...folders].sort()).toEqual([
    ...stages.map((s, i) => `${String(i + 1).padStart(2, '0')}-${s.id}`),
    `${String(stages.length + 1).padStart(2, '0')}-teardown`,
    'README.txt',
  ]);
  const readme = await zip.file('README.txt')!.async('string');
  expect(readme).toMatch(/dr-failover: Name the Persistent Chat servers of the backup data center/);
  expect(readme).toMatch(/dr-failback: Name the Persistent Chat servers of the primary data center/);
  const inZip = await zip.file(`03-ship-primary/${download.suggestedFilename()}`)!.async('string');
  expect(inZip).toBe(bytes);
});

test('exports the plan and imports it again; a bad file names the wrong field', async ({ page, plans }) => {
  await page.goto(`/plans/${planId}/topology`);
  const [exported] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export plan (JSON)' }).click(),
  ]);
  const json = await readFile((await exported.path())!, 'utf8');
  const plan = JSON.parse(json) as {
    name: string;
    pool: { fqdn: string };
    servers: { backup: { auth: unknown } };
  };
  expect(plan.name).toBe('E2E wizard plan');
  expect(plan.servers.backup.auth).toEqual({ mode: 'sql', login: 'lsadmin' });
  expect(json).not.toMatch(/password/i);

  await plans.goto();
  const bad = { ...plan, pool: { ...plan.pool, fqdn: 'not a pool' } };
  await plans.importFile({
    name: 'bad.plan.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(bad)),
  });
  await expect(plans.importErrors()).toContainText('pool.fqdn: Pool FQDN must be a fully qualified DNS name');
  await plans.importFile({
    name: 'broken.plan.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{ "name": '),
  });
  await expect(plans.importErrors()).toContainText('The file is not valid JSON');

  await plans.importFile({ name: 'good.plan.json', mimeType: 'application/json', buffer: Buffer.from(json) });
  await expect(page).toHaveURL(/\/plans\/[^/]+\/topology$/);
  const importedId = plans.planIdFromUrl();
  expect(importedId).not.toBe(planId);
  await expect(page.getByLabel('Pool FQDN')).toHaveValue('pchat.contoso.com');
  const [again] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export plan (JSON)' }).click(),
  ]);
  expect(JSON.parse(await readFile((await again.path())!, 'utf8'))).toEqual(plan);
});

test('an incomplete plan lists its invalid fields on the review page with links to them', async ({
  page,
  plans,
}) => {
  await plans.goto();
  const id = await plans.createEmptyPlan('Incomplete plan');
  await page.goto(`/plans/${id}/review/preflight`);
  await expect(page.getByRole('heading', { name: 'The plan is not complete yet' })).toBeVisible();
  await page.getByRole('link', { name: /Backup share is required/ }).click();
  await expect(page).toHaveURL(new RegExp(`/plans/${id}/backup#f-share$`));
  await expect(page.getByLabel('Network path to backup folder')).toBeVisible();
});

test('switches to French and back, with the page language set', async ({ page, plans }) => {
  await plans.goto();
  await page.getByRole('button', { name: 'Français' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('heading', { level: 1, name: 'Plans' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Créer un plan vide' })).toBeVisible();
  await page.goto(`/plans/${planId}/secondary`);
  await expect(page.getByRole('tab', { name: 'Copier les fichiers' })).toBeVisible();
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('tab', { name: 'Copy Files' })).toBeVisible();
});

test('says what is wrong with a field in French, on the form and on the review', async ({ page, plans }) => {
  await plans.goto();
  const id = await plans.createEmptyPlan('Plan incomplet');
  await page.getByRole('button', { name: 'Français' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');

  // Checked in the browser before anything is sent.
  await page.goto(`/plans/${id}/backup`);
  await expect(page.locator('form[data-ready="true"]')).toBeVisible();
  await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();
  const share = page.getByLabel('Chemin d’accès réseau au dossier de sauvegarde');
  await expect(share).toHaveAccessibleDescription(
    /« Partage de sauvegarde » est obligatoire \(un chemin UNC tel que \\\\FS01\\PChatLogShip\)\./,
  );
  await expect(share).toBeFocused();

  // Checked on the server, for the whole plan.
  await page.goto(`/plans/${id}/review/preflight`);
  await expect(page.getByRole('link', { name: /« Nom de domaine complet du pool » est obligatoire/ })).toBeVisible();
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('link', { name: /Pool FQDN is required/ })).toBeVisible();
});

test('an unknown plan or stage shows the not-found page', async ({ page }) => {
  await page.goto('/plans/no-such-plan/topology');
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
  await page.goto(`/plans/${planId}/review/no-such-stage`);
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
});
