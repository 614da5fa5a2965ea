/**
 * Adding late cost lines in the pane (issue 29): a late credit file is added to the month's lines
 * with "Add to the Costs table", not put in their place, and the pane and the Audit log say what
 * the month's total became. Pulling a file in place of the month says the same of the replacement.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { BASE_HEADER, focusCsv, tempDir } from '../support/files';
import { column, Harness, openPane, readTable, startHarness } from './harness-page';

jest.setTimeout(120_000);

let harness: Harness | undefined;
let page: Page;

beforeAll(async () => {
  harness = await startHarness();
  page = await openPane(harness);
});

afterAll(async () => {
  await harness?.close();
});

const row = (category: string, amount: string, account: string) => ['2026-10-01T00:00:00Z', 'USD', category, '', amount, amount, account, 'Compute', 'VMs', 'Azure', ''];
const dir = tempDir('pane-late-');
const october = path.join(dir, 'october.csv');
const late = path.join(dir, 'late-credit.csv');
writeFileSync(october, focusCsv(BASE_HEADER, [row('Usage', '150.00', 'team-a'), row('Usage', '50.00', 'team-b'), row('Usage', '100.00', 'team-c')]));
writeFileSync(late, focusCsv(BASE_HEADER, [row('Credit', '-12.00', 'team-a')]));
// Part of the sample's October: the columns the sample rules look at, a few of its lines.
const partOfMonth = path.join(dir, 'part-of-october.csv');
writeFileSync(partOfMonth, readFileSync(path.join(__dirname, '..', '..', 'assets', 'sample', 'focus-2026-10.csv'), 'utf8').split('\n').slice(0, 4).join('\n') + '\n');

const notice = () => page.getByTestId('notice');

async function read(file: string) {
  await page.setInputFiles('[data-testid="file-picker"]', file);
  await page.getByTestId('read-summary').getByText(new RegExp(path.basename(file).replace('.', '\\.'))).waitFor();
}

const lastPull = async () => {
  const audit = (await readTable(page, 'Audit'))!;
  const pulls = audit.rows.filter((r) => r[audit.headers.indexOf('Action')] === 'Pull');
  return String(pulls[pulls.length - 1][audit.headers.indexOf('Details')]);
};

describe('late cost lines in the pane', () => {
  it('adds a late credit to the month with "Add to the Costs table", saying what the total became', async () => {
    await read(october);
    await page.getByRole('button', { name: 'Put in the Costs table' }).click();
    await notice().getByText('Costs pulled').waitFor();
    expect((await readTable(page, 'Costs'))!.rows).toHaveLength(3);

    await read(late);
    await page.getByRole('button', { name: 'Add to the Costs table' }).click();
    await notice().getByText('Cost lines added').waitFor();
    await expect(notice().textContent()).resolves.toContain('1 cost line of 2026-10 was added to the Costs table: 2026-10 USD 300.00 → 288.00 (-4.0%). Next: Allocate again.');
    const costs = (await readTable(page, 'Costs'))!;
    expect(costs.rows).toHaveLength(4);
    expect(column(costs, 'ChargeCategory')).toEqual(['Usage', 'Usage', 'Usage', 'Credit']);
    expect(await lastPull()).toMatch(/^1 cost line added \(1 FOCUS rows from late-credit\.csv\) to the 3 held; EffectiveCost: 2026-10 USD 300\.00 → 288\.00 \(-4\.0%\)$/);
  });

  it('says, when the late file is put in place of the month, what the month\'s total became', async () => {
    await page.getByRole('button', { name: 'Put in the Costs table' }).click();
    await notice().getByText('Costs pulled').waitFor();
    await expect(notice().textContent()).resolves.toContain('(2026-10 USD 288.00 → -12.00 (-104.2%))');
    expect((await readTable(page, 'Costs'))!.rows).toHaveLength(1);
    expect(await lastPull()).toBe('1 FOCUS rows from late-credit.csv → 1 cost lines in place of the 4 held; EffectiveCost: 2026-10 USD 288.00 → -12.00 (-104.2%)');
  });
});

describe('pulling over an allocated month', () => {
  it('asks first, and once replaced, shows no figures of the costs that are gone', async () => {
    const fresh = await openPane(harness!);
    const on = page;
    page = fresh;
    try {
      await page.getByRole('button', { name: 'Use the sample data' }).click();
      await page.getByTestId('read-summary').getByText(/focus-2026-09\.csv/).waitFor();
      await page.getByRole('combobox', { name: 'Billing period to close' }).click();
      await page.getByRole('option', { name: /^2026-10/ }).click();
      await page.getByRole('button', { name: 'Put in the Costs table' }).click();
      await notice().getByText('Costs pulled').waitFor();
      const monthLines = (await readTable(page, 'Costs'))!.rows.length;
      await page.getByRole('tab', { name: '2. Rules' }).click();
      await page.getByRole('button', { name: 'Use the sample rules' }).click();
      await notice().getByText('Sample rules loaded').waitFor();
      await page.getByRole('tab', { name: '3. Allocate' }).click();
      await page.getByRole('button', { name: 'Allocate 2026-10' }).click();
      await page.getByTestId('allocation-figures').waitFor();
      await expect(page.getByTestId('source-total').textContent()).resolves.toBe('23,884.20 USD');

      await page.getByRole('tab', { name: '1. Data' }).click();
      await read(partOfMonth);
      await page.getByRole('button', { name: 'Put in the Costs table' }).click();
      const dialog = page.getByRole('alertdialog', { name: 'Replace the costs 2026-10 was allocated from?' });
      await dialog.waitFor();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await notice().getByText('Nothing written').waitFor();
      expect((await readTable(page, 'Costs'))!.rows).toHaveLength(monthLines);

      await page.getByRole('button', { name: 'Put in the Costs table' }).click();
      await dialog.getByRole('button', { name: 'Replace the costs' }).click();
      await notice().getByText('Costs pulled').waitFor();
      expect((await readTable(page, 'Costs'))!.rows.length).toBeLessThan(monthLines);
      // The October figures allocated from the old costs are gone from the Allocate step.
      await page.getByRole('tab', { name: '3. Allocate' }).click();
      await expect(page.getByTestId('allocation-figures').count()).resolves.toBe(0);
    } finally {
      page = on;
      await fresh.close();
    }
  });
});
