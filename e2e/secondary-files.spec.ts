import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import type { PlansPage } from './pages/plans-page';
import type { SecondaryPage } from './pages/secondary-page';
import type { TopologyPage } from './pages/topology-page';
import { expectNoViolations } from './axe';

// The lab example's primary is SQL01\PCHAT, the lab instance started beside the server by playwright.config.ts; the
// server reads it with the sa password the config gives it through PCHAT_HADR_SQL_PASSWORD, as the apply tests do.
const primary = 'SQL01\\PCHAT';

test('a restore folder needs the files read from the primary, and the restore moves them by their real names', async ({
  page,
  plans,
  secondary,
  review,
}) => {
  await plans.goto();
  const planId = await plans.createLabPlan();
  await page.goto(`/plans/${planId}/secondary`);
  await secondary.ready();

  const section = secondary.filesSection();
  await expect(section).toContainText('Not read yet: a restore folder needs them.');
  await page.getByLabel('Restore data files to').fill('E:\\MSSQL\\Data');

  // Saved from another tab: the form opens the Initialize tab and puts the focus on what is missing.
  await secondary.openTab('Copy Files');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await expect(secondary.tab('Initialize Secondary Database')).toHaveAttribute('aria-selected', 'true');
  const read = secondary.readFilesButton(primary);
  await expect(read).toBeFocused();
  await expect(read).toHaveAccessibleDescription(/Read the database's files from the primary/);
  await expect(section).toContainText(
    /Read the database's files from the primary: the restore moves its data files/,
  );
  await expect(page).toHaveURL(/\/secondary$/);
  await expectNoViolations(page, 'secondary with the files missing');

  await read.click();
  await expect(section.getByRole('status')).toHaveText(`Read 2 files from ${primary}.`);
  await expect(read).toBeEnabled();
  // Disabled while it read, the button gets the focus back.
  await expect(read).toBeFocused();
  await expect(section.getByRole('table', { name: /Data and log files of mgc/ })).toBeVisible();
  const listed = await secondary.filesListed();
  expect(listed.map(([logical, type]) => [logical, type])).toEqual([
    ['mgc', 'ROWS'],
    ['mgc_log', 'LOG'],
  ]);
  for (const [, , path] of listed) expect(path).toMatch(/^[A-Za-z]:\\.+\.[mlnd]df$/);
  await expect(section).not.toContainText("Read the database's files from the primary:");
  await expect(read).not.toHaveAttribute('data-invalid');
  await expectNoViolations(page, 'secondary with the files read');

  await secondary.saveAndContinue(/\/monitor$/);

  // The plan keeps the files: the page shows them again, and the restore names them.
  await page.goto(`/plans/${planId}/secondary`);
  await expect(secondary.filesSection().getByRole('table')).toContainText('mgc_log');
  const dataFile = listed[0]![2]!.split('\\').pop()!;
  await review.goto(planId, 'ship-primary');
  const restore = review.targets().filter({ hasText: 'RESTORE DATABASE' });
  await expect(restore).toHaveCount(1);
  const scripts = (await review.scriptsOf(restore)).join('\n');
  expect(scripts).toContain(`MOVE N'mgc' TO N'E:\\MSSQL\\Data\\${dataFile}'`);
  // No log folder was given: the log file keeps the primary's path.
  expect(scripts).not.toContain("MOVE N'mgc_log'");
});

/** A lab plan whose primary store has one field changed on the Topology page, then a read of its files. */
async function readFilesAfterChangingPrimary(
  {
    page,
    plans,
    topology,
    secondary,
  }: { page: Page; plans: PlansPage; topology: TopologyPage; secondary: SecondaryPage },
  field: { role: 'textbox'; name: string } | { label: RegExp },
  value: string,
) {
  await plans.goto();
  const planId = await plans.createLabPlan();
  await topology.ready();
  const group = page.getByRole('group', { name: 'Primary store', exact: true });
  const input =
    'label' in field
      ? group.getByLabel(field.label)
      : group.getByRole('textbox', { name: field.name, exact: true });
  await input.fill(value);
  await topology.saveAndContinue(/\/backup$/);
  await page.goto(`/plans/${planId}/secondary`);
  await secondary.ready();
  await secondary.readFilesButton(primary).click();
}

test('reading the files from a primary that is not there says which server and what to do', async ({
  page,
  plans,
  topology,
  secondary,
}) => {
  // A port nothing listens on: the read fails to connect.
  await readFilesAfterChangingPrimary({ page, plans, topology, secondary }, { label: /TCP port/ }, '1');
  const alert = secondary.filesSection().getByRole('alert');
  await expect(alert).toContainText(`The files could not be read from ${primary}.`);
  await expect(alert).toContainText('Check that SQL Server is running and the host and port are right.');
  await expect(secondary.filesSection()).toContainText('Not read yet: a restore folder needs them.');
});

test('a login the primary refuses asks for its password again, on the page', async ({
  page,
  plans,
  topology,
  secondary,
}) => {
  // The environment's password is held for this login, and the primary refuses it: as a stale or mistyped one would.
  await readFilesAfterChangingPrimary(
    { page, plans, topology, secondary },
    { role: 'textbox', name: 'Login' },
    'nobody',
  );
  const section = secondary.filesSection();
  await expect(section.getByRole('alert')).toContainText(`Login to ${primary}`);
  const box = section.getByLabel(`Password for nobody on ${primary}`);
  await expect(box).toBeFocused();
  await box.fill('still-wrong');
  await box.press('Enter');
  await expect(section.getByRole('alert')).toContainText('Check the login and its password.');
  await expect(box).toBeFocused();
  await expect(section).toContainText('Not read yet: a restore folder needs them.');
  await expect(page).toHaveURL(/\/secondary$/);
});
