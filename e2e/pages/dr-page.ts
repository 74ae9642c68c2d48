import { expect, type Locator, type Page } from '@playwright/test';
import { WizardPage } from './wizard-page';

type Site = 'primary' | 'backup';

const siteNames = {
  primary: {
    group: 'Primary data center servers',
    add: 'Add a primary data center server',
    box: 'Primary data center server',
  },
  backup: {
    group: 'Backup data center servers',
    add: 'Add a backup data center server',
    box: 'Backup data center server',
  },
} as const;

/** Disaster recovery: which servers stand in which data center, whether the primary answers, the runbooks' links. */
export class DrPage extends WizardPage {
  constructor(page: Page) {
    super(page);
  }

  /** Opens the page from the plan's sidebar, as an operator would from any page of the plan. */
  async openFromSidebar() {
    await this.page.getByRole('link', { name: 'Disaster recovery', exact: true }).click();
    await expect(this.page).toHaveURL(/\/plans\/[^/]+\/dr$/);
    await expect(this.page.getByRole('heading', { level: 1 })).toHaveText('Disaster recovery');
    await this.ready();
  }

  siteGroup(site: Site): Locator {
    return this.page.getByRole('group', { name: siteNames[site].group, exact: true });
  }

  /** The n-th server box of a data center (from 1). */
  serverBox(site: Site, n: number): Locator {
    return this.siteGroup(site).getByRole('textbox', { name: `${siteNames[site].box} ${n}`, exact: true });
  }

  /** Lists exactly these servers for a data center, adding boxes as needed (the plan may start with none). */
  async fillServers(site: Site, servers: readonly string[]) {
    const group = this.siteGroup(site);
    for (const [i, server] of servers.entries()) {
      const box = this.serverBox(site, i + 1);
      if ((await box.count()) === 0) {
        await group.getByRole('button', { name: siteNames[site].add, exact: true }).click();
        await expect(box).toBeFocused();
      }
      await box.fill(server);
    }
    await expect(group.getByRole('textbox')).toHaveCount(servers.length);
  }

  reachability(): Locator {
    return this.page.getByRole('group', { name: 'Is the primary data center still reachable?' });
  }

  async choosePrimaryReachable(reachable: boolean) {
    const radio = this.reachability().getByRole('radio', {
      name: reachable ? 'Yes, it is still reachable (an evacuation)' : 'No, it is lost',
    });
    await radio.check();
    await expect(radio).toBeChecked();
  }

  /** Saves with the page's own button; the page stays and says it saved. */
  async save() {
    await this.page.getByRole('button', { name: 'Save the answers' }).click();
    await expect(this.page.locator('main form').getByRole('status')).toContainText('Saved.');
  }

  /** Follows a runbook's link to its review page. */
  async openRunbook(stageName: string, stage: 'dr-failover' | 'dr-failback' | 'teardown') {
    await this.page.getByRole('link', { name: `${stageName}: review the scripts` }).click();
    await expect(this.page).toHaveURL(new RegExp(`/review/${stage}$`));
    await expect(this.page.getByTestId('stage-hash')).toBeVisible();
  }
}
