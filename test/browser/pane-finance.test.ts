/**
 * The pane's remaining items for finance staff (issue 14), at 320 px and 500 px, axe clean:
 * who is recorded (the signed-in user from the identity provider, or a name asked for once and
 * marked typed), the admin's chargeback.config.json, SAS URLs masked as text, control totals after
 * a read, the Allocate totals row, one precision for percentages, Review's layout (attention first,
 * OK and info folded, sign-off in sight, one root cause after a change, nothing written by opening
 * it), and a publish that would add a version asking first (only when approved since the last one).
 */
import type { Page, Route } from 'playwright-core';
import { controlTotals } from '../../src/core/control-totals';
import { sampleOctober } from '../support/sample';
import { column, editFirstCost, harnessWithAzurite, readTable } from './harness-page';
import { axeViolations, inSight, rootCauseUncovered, sideways } from './pane-checks';

jest.setTimeout(300_000);

const running = harnessWithAzurite();

const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
const SITE = 'https://contoso.sharepoint.com/sites/Finance';

/** Opens the harness with `query`, serving `config` (an object, raw text, or nothing: 404) as chargeback.config.json beside it. */
async function open(width: number, query: string, config?: unknown): Promise<Page> {
  const page = await running.harness.browser.newPage({ viewport: { width, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.route('**/chargeback.config.json', (route: Route) =>
    config === undefined ? route.fulfill({ status: 404 }) : route.fulfill({ status: 200, contentType: 'application/json', body: typeof config === 'string' ? config : JSON.stringify(config) }),
  );
  await page.goto(`${running.harness.url}harness.html${query}`);
  await page.getByRole('tab', { name: '1. Data' }).waitFor();
  expect(errors).toEqual([]);
  return page;
}

const notice = (page: Page) => page.getByTestId('notice');
const auditBy = async (page: Page) => (await readTable(page, 'Audit'))!.rows.map((r) => [r[1], r[2]]);
/** The page fits and axe finds nothing. */
async function fitsAndAccessible(page: Page, where: string) {
  expect([where, await sideways(page)]).toEqual([where, 0]);
  expect([where, await axeViolations(page)]).toEqual([where, []]);
}

async function readSample(page: Page) {
  await page.getByRole('tab', { name: '1. Data' }).click();
  await page.getByRole('button', { name: 'Use the sample data' }).click();
  await page.getByTestId('read-summary').waitFor();
  await page.getByRole('combobox', { name: 'Billing period to close' }).click();
  await page.getByRole('option', { name: /^2026-10/ }).click();
}

async function pullRulesAllocate(page: Page) {
  await readSample(page);
  await page.getByRole('button', { name: 'Put in the Costs table' }).click();
  await notice(page).getByText('Costs pulled').waitFor();
  await rulesAllocate(page);
}

/** The sample rules, then Allocate 2026-10, up to the allocated totals. */
async function rulesAllocate(page: Page) {
  await page.getByRole('tab', { name: '2. Rules' }).click();
  await page.getByRole('button', { name: 'Use the sample rules' }).click();
  await notice(page).getByText('Sample rules loaded').waitFor();
  await page.getByRole('tab', { name: '3. Allocate' }).click();
  await page.getByRole('button', { name: 'Allocate 2026-10' }).click();
  await page.getByTestId('difference').waitFor();
}

const cents = (text: string | null) => BigInt(Math.round(Number((text ?? '').replace(/[^\d.-]/g, '')) * 100));

describe.each([320, 500])('at %i px', (width) => {
  describe('signed in through the identity provider, with the admin\'s configuration (Office.js gateway)', () => {
    let page: Page;
    beforeAll(async () => {
      page = await open(width, '?host=office&identity=dana%40contoso.com', { tenant: 'contoso.onmicrosoft.com', clientId: CLIENT_ID, sharePoint: { siteUrl: SITE, library: 'Finance Documents' } });
    });
    afterAll(() => page?.close());

    it('Data: after a read, control totals per period and provider tie to the invoice, billed and effective', async () => {
      await readSample(page);
      const { ingest } = await sampleOctober();
      const expected = controlTotals(ingest.lines);
      const shown = await page.getByTestId('control-total').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
      const grouped = (amount: string) => amount.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
      expect(shown).toEqual(expected.map((t) => [`${t.period} ${t.provider || '(no provider)'}`, `${grouped(t.billed)} ${t.currency}`, `${grouped(t.effective)} ${t.currency}`]));
      const aligned = await page.getByTestId('control-total').first().locator('td').evaluateAll((cells) => cells.map((c) => getComputedStyle(c).textAlign));
      expect(aligned.slice(1)).toEqual(['right', 'right']);
      await fitsAndAccessible(page, 'data, read');
    });

    it('Data: an export folder URL is text with its signature masked once left, not a password field; a long URL wraps', async () => {
      const secret = 'c2VjcmV0LXNpZ25hdHVyZS10aGF0LW11c3Qtbm90LXNob3c%3D';
      const url = `https://contosofinance.blob.core.windows.net/exports/focus/subscriptions/00000000-0000-0000-0000-000000000000/monthly?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2026-12-31T00:00:00Z&sig=${secret}`;
      const field = page.getByLabel('Export folder URL with SAS');
      await field.fill(url);
      await field.press('Tab');
      const shown = await field.inputValue();
      expect(shown).toBe(url.replace(secret, '••••••••'));
      expect(shown).toContain('sp=rl&se=2026-12-31');
      await expect(page.locator('input[type="password"]').count()).resolves.toBe(0);
      await expect(field.evaluate((e) => e.tagName)).resolves.toBe('TEXTAREA');
      await expect(field.evaluate((e) => e.scrollWidth <= e.clientWidth)).resolves.toBe(true);
      // Back in the field, the whole URL is there to edit; what is read is the URL as typed.
      await field.focus();
      await expect(field.inputValue()).resolves.toBe(url);
      // Typing over a URL replaces it whole (the masked text is never what gets selected and kept).
      await field.press('Tab');
      const other = url.replace('monthly', 'daily').replace(secret, 'b3RoZXI%3D');
      await field.fill(other);
      await expect(field.inputValue()).resolves.toBe(other);
      await field.fill('');
      await fitsAndAccessible(page, 'data, SAS');
    });

    it('records the signed-in user in the Audit log, unmarked, without asking for a name', async () => {
      await page.getByRole('button', { name: 'Put in the Costs table' }).click();
      await notice(page).getByText('Costs pulled').waitFor();
      await expect(page.getByRole('dialog').count()).resolves.toBe(0);
      expect(await auditBy(page)).toEqual([['Pull', 'dana@contoso.com']]);
    });

    it('Allocate: a totals row under the cost centers, right-aligned; direct + shared = total = the statement total', async () => {
      await rulesAllocate(page);
      const body = await page.getByRole('table', { name: 'Chargeback by cost center' }).locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
      const totals = body.pop()!;
      expect(totals[0]).toBe('Total');
      for (const index of [1, 2, 3]) expect([index, body.reduce((a, row) => a + cents(row[index]), 0n)]).toEqual([index, cents(totals[index])]);
      expect(cents(totals[1]) + cents(totals[2])).toBe(cents(totals[3]));
      expect(cents(totals[3])).toBe(cents(await page.getByTestId('allocated-total').textContent()));
      const aligned = await page.getByTestId('allocation-totals').locator('td').evaluateAll((cells) => cells.map((c) => getComputedStyle(c).textAlign));
      expect(aligned.slice(1)).toEqual(['right', 'right', 'right']);
      expect(await auditBy(page)).toEqual([['Pull', 'dana@contoso.com'], ['Load rules', 'dana@contoso.com'], ['Allocate', 'dana@contoso.com']]);
      await fitsAndAccessible(page, 'allocate');
    });

    it('Review: opening it writes nothing; attention first, OK and info folded, sign-off in sight; one precision for percentages', async () => {
      const before = { tables: (await page.evaluate(() => window.__harness.tableNames())).sort(), audit: await auditBy(page) };
      await page.getByRole('tab', { name: '4. Review' }).click();
      await page.getByTestId('approval-state').getByText('2026-10 is open').waitFor();
      expect({ tables: (await page.evaluate(() => window.__harness.tableNames())).sort(), audit: await auditBy(page) }).toEqual(before);

      const open = (id: string) => page.getByTestId(id).evaluate((e) => (e.tagName === 'DETAILS' ? (e as HTMLDetailsElement).open : true));
      await expect(open('checks-Warning')).resolves.toBe(true);
      await expect(open('checks-OK')).resolves.toBe(false);
      await expect(open('checks-Info')).resolves.toBe(false);
      await expect(page.getByTestId('checks-OK').getByTestId('check').first().isVisible()).resolves.toBe(false);
      await page.getByTestId('checks-OK').locator('summary').click();
      await expect(page.getByTestId('checks-OK').getByTestId('check').first().isVisible()).resolves.toBe(true);
      // The same share, at the same precision, in Allocate and in Review.
      const review = await page.getByTestId('checks-OK').getByTestId('check').filter({ hasText: 'Unallocated share' }).getByTestId('check-figure').textContent();
      await page.getByRole('tab', { name: '3. Allocate' }).click();
      const allocate = /Unallocated \((\d+\.\d%)\)/.exec((await page.getByTestId('allocation-figures').textContent())!)![1];
      expect(review).toBe(allocate);
      await page.getByRole('tab', { name: '4. Review' }).click();

      // Sign-off's action row sticks to the bottom of the pane while the checks scroll under it.
      await page.evaluate(() => window.scrollTo(0, 0));
      const actions = page.getByTestId('sign-off-actions');
      await expect(actions.evaluate((e) => getComputedStyle(e).position)).resolves.toBe('sticky');
      await expect(inSight(page, 'sign-off-actions')).resolves.toBe(true);
      await expect(page.getByTestId('signed-in').textContent()).resolves.toBe('Signed in as Dana (dana@contoso.com)');
      await expect(page.getByRole('textbox', { name: 'Your name' }).count()).resolves.toBe(0);
      await fitsAndAccessible(page, 'review');
      // The signed-in preparer may not approve: told up front, with whom to ask.
      await expect(page.getByRole('button', { name: 'Approve 2026-10' }).isDisabled()).resolves.toBe(true);
      await expect(page.getByTestId('approve-blocked').textContent()).resolves.toBe('You prepared 2026-10 (you pulled or allocated it, see Audit), and the preparer may not approve their own work. Ask a reviewer to open this workbook and approve it.');
    });

    it('Publish: the admin\'s app registration and site are used; nobody is asked for a client id', async () => {
      await page.getByRole('tab', { name: '5. Publish' }).click();
      await expect(page.locator('[role="tabpanel"]:not([hidden])').getByLabel(/client id/i).count()).resolves.toBe(0);
      await expect(page.getByLabel('Site URL').inputValue()).resolves.toBe(SITE);
      await expect(page.getByLabel('Document library').inputValue()).resolves.toBe('Finance Documents');
      await expect(page.getByTestId('config-problem').count()).resolves.toBe(0);
      await fitsAndAccessible(page, 'publish, configured');
    });
  });

  describe('no identity to be had: the name is asked for once, at the first step that writes', () => {
    let page: Page;
    beforeAll(async () => {
      page = await open(width, '?host=office&identity=fail');
    });
    afterAll(() => page?.close());

    it('asks, says why, and writes nothing when the user cancels', async () => {
      await readSample(page);
      await page.getByRole('button', { name: 'Put in the Costs table' }).click();
      const dialog = page.getByRole('dialog', { name: 'Who is doing this?' });
      await dialog.waitFor();
      await expect(dialog.textContent()).resolves.toContain('could not confirm who is signed in (AADSTS50058');
      // Focus is in the name, so the keyboard user types straight away.
      await expect(page.evaluate(() => document.activeElement?.tagName)).resolves.toBe('INPUT');
      await fitsAndAccessible(page, 'name prompt');
      await page.keyboard.press('Escape');
      await notice(page).getByText('Nothing was written').waitFor();
      await expect(page.evaluate(() => window.__harness.tableNames())).resolves.not.toContain('Costs');
    });

    it('records the typed name marked as typed, not verified, and does not ask again', async () => {
      await page.getByRole('button', { name: 'Put in the Costs table' }).click();
      await page.getByRole('dialog').getByRole('textbox', { name: 'Your name' }).fill('Pat Preparer');
      await page.keyboard.press('Enter');
      await notice(page).getByText('Costs pulled').waitFor();
      await page.getByRole('tab', { name: '2. Rules' }).click();
      await page.getByRole('button', { name: 'Use the sample rules' }).click();
      await notice(page).getByText('Sample rules loaded').waitFor();
      await expect(page.getByRole('dialog').count()).resolves.toBe(0);
      expect(await auditBy(page)).toEqual([
        ['Pull', 'Pat Preparer (typed, not verified)'],
        ['Load rules', 'Pat Preparer (typed, not verified)'],
      ]);
    });

    it('shows what is wrong with the admin\'s configuration, and the client-id field for the admin', async () => {
      const broken = await open(width, '?identity=none', { clientId: 'not-a-guid', sharePoint: { siteUrl: 'http://contoso.sharepoint.com' }, colour: 'blue' });
      await broken.getByRole('tab', { name: '5. Publish' }).click();
      const problem = await broken.getByTestId('config-problem').textContent();
      expect(problem).toContain("clientId must be the app registration's Application (client) ID");
      expect(problem).toContain('sharePoint.siteUrl must be an https URL');
      expect(problem).toContain('"colour" is not a setting');
      await expect(broken.locator('[role="tabpanel"]:not([hidden])').getByLabel('App registration client id (admins)').count()).resolves.toBe(1);
      await fitsAndAccessible(broken, 'publish, misconfigured');
      await broken.close();
    });
  });

  describe('a published period: a new version asks first, only when approved since; a change since approval has one root cause', () => {
    let page: Page;
    const container = `finance${width}`;
    beforeAll(async () => {
      page = await open(width, '', { blobContainerUrl: `${running.azurite.serviceUrl}/${container}`.replace('http:', 'https:') });
    });
    afterAll(() => page?.close());

    it('publishes version 1 without asking; again, with nothing approved since, publishes nothing without asking; approved again after a correction, asks before version 2: Escape publishes nothing, Enter publishes', async () => {
      await pullRulesAllocate(page);
      await page.getByRole('tab', { name: '4. Review' }).click();
      await page.getByRole('textbox', { name: 'Your name' }).fill('Dana Reviewer');
      await page.getByRole('button', { name: 'Approve 2026-10' }).click();
      await notice(page).getByText('2026-10 approved').waitFor();
      await page.getByRole('tab', { name: '5. Publish' }).click();
      // Only a Blob container is configured: it is the share offered, awaiting the user's SAS.
      await expect(page.getByRole('radio', { name: 'Azure Blob Storage container' }).isChecked()).resolves.toBe(true);
      await expect(page.getByLabel('Container URL with SAS').inputValue()).resolves.toBe(`${running.azurite.serviceUrl}/${container}`.replace('http:', 'https:'));
      const share = await running.azurite.containerWithSas(container);
      await page.getByLabel('Container URL with SAS').fill(share);
      await page.getByRole('button', { name: 'Publish', exact: true }).click();
      await notice(page).getByText('Published 2026-10 version 1').waitFor();
      const blobs = async () => {
        const names: string[] = [];
        for await (const blob of running.azurite.service().getContainerClient(container).listBlobsFlat()) names.push(blob.name);
        return names;
      };
      const publications = async () => column((await readTable(page, 'Audit'))!, 'Action').filter((a) => a === 'Publish' || a === 'Restate');

      // Nothing approved since version 1: nothing new to publish, so nothing to confirm; the notice says so.
      const dialog = page.getByRole('alertdialog');
      await page.getByRole('button', { name: 'Publish', exact: true }).click();
      await dialog.or(notice(page).getByText('Nothing published')).waitFor();
      await expect(dialog.count()).resolves.toBe(0);
      await expect(notice(page).textContent()).resolves.toContain('2026-10 as it stands is what version 1 on the share holds');
      expect((await blobs()).filter((name) => name.includes('/v2/'))).toEqual([]);
      expect(await publications()).toEqual(['Publish']);

      // A late credit: reopened, corrected, allocated and approved again, so the approval is newer than version 1.
      await page.getByRole('tab', { name: '4. Review' }).click();
      await page.getByRole('textbox', { name: 'Why reopen' }).fill('late credit from the provider');
      await page.getByRole('button', { name: 'Reopen 2026-10' }).click();
      await notice(page).getByText('2026-10 reopened').waitFor();
      await editFirstCost(page, -10);
      await page.getByRole('tab', { name: '3. Allocate' }).click();
      await page.getByRole('button', { name: 'Allocate 2026-10' }).click();
      await notice(page).getByText('Allocated', { exact: true }).waitFor();
      await page.getByRole('tab', { name: '4. Review' }).click();
      // Dana allocated it again, so someone else approves it.
      await page.getByRole('textbox', { name: 'Your name' }).fill('Sam Controller');
      await page.getByRole('button', { name: 'Approve 2026-10' }).click();
      await notice(page).getByText('2026-10 approved').waitFor();

      await page.getByRole('tab', { name: '5. Publish' }).click();
      await page.getByLabel('Container URL with SAS').fill(share);
      await page.getByRole('button', { name: 'Publish', exact: true }).click();
      const confirm = page.getByRole('alertdialog', { name: 'Publish version 2 of 2026-10?' });
      await confirm.waitFor();
      await expect(confirm.textContent()).resolves.toContain('2026-10 is on the share already (one version)');
      await fitsAndAccessible(page, 'confirm new version');
      await page.keyboard.press('Escape');
      await notice(page).getByText('Not published').waitFor();
      expect((await blobs()).filter((name) => name.includes('/v2/'))).toEqual([]);
      expect(await publications()).toEqual(['Publish']);

      await page.getByRole('button', { name: 'Publish', exact: true }).click();
      await confirm.waitFor();
      // Focus starts on the dialog's first button, Publish version 2: Enter publishes.
      await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Publish version 2');
      await page.keyboard.press('Enter');
      await notice(page).getByText('Published 2026-10 version 2, restating version 1').waitFor();
      expect((await blobs()).filter((name) => name.startsWith('2026-10/v2/')).sort()).toEqual(expect.arrayContaining(['2026-10/v2/chargeback-2026-10.csv', '2026-10/v2/journal-2026-10.csv', '2026-10/v2/manifest.json']));
      expect(await publications()).toEqual(['Publish', 'Restate']);
    });

    it('Review after a cost changed since approval: one root cause, "Costs changed since approval", with the checks it causes folded under it', async () => {
      await editFirstCost(page, 100);
      await page.getByRole('tab', { name: '4. Review' }).click();
      const cause = page.getByTestId('root-cause');
      await page.getByTestId('approval-state').getByText('Costs changed since approval').waitFor();
      // The blocking checks the change causes are under the root cause, folded, not a list of their own.
      await expect(page.locator('[data-testid="checks-Blocking"]').count()).resolves.toBe(1);
      await expect(cause.getByTestId('checks-Blocking').count()).resolves.toBe(1);
      const derived = cause.getByTestId('derived-checks');
      await expect(derived.evaluate((e) => (e as HTMLDetailsElement).open)).resolves.toBe(false);
      await expect(derived.locator('summary').textContent()).resolves.toMatch(/^What follows from it \(\d+ checks\)$/);
      await derived.locator('summary').click();
      await expect(derived.getByTestId('check').filter({ hasText: 'Reconciliation' }).getByTestId('check-figure').textContent()).resolves.toBe('-108.25'); // 100.00 EUR on the first cost line at 1.0825
      await expect(page.getByTestId('sign-off').isVisible()).resolves.toBe(true);
      await fitsAndAccessible(page, 'review, changed');
      await rootCauseUncovered(page);
    });
  });
});
