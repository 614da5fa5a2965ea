/**
 * The task pane in real headless Chromium on the Office.js gateway: the same pane code Excel runs,
 * through the same gateway, over the strict in-memory Excel (test/workbook/fake-excel.ts) instead
 * of ExcelJS. The month-end on the sample, with the requests each step makes counted.
 */
import type { Page } from 'playwright-core';
import { allocate } from '../../src/core/allocate';
import { formatMinor } from '../../src/core/money';
import { sampleOctober } from '../support/sample';
import { column, Harness, openPane, readTable, startHarness } from './harness-page';

jest.setTimeout(120_000);

let harness: Harness | undefined;
let page: Page;

beforeAll(async () => {
  harness = await startHarness();
  page = await openPane(harness, 'office');
});

afterAll(async () => {
  await harness?.close();
});

const notice = () => page.getByTestId('notice');
const syncs = () => page.evaluate(() => window.__harness.syncs());

describe('the task pane through the Office.js gateway', () => {
  it('runs on the Office.js gateway', async () => {
    await expect(page.evaluate(() => window.__harness.host)).resolves.toBe('office');
  });

  it('pulls the sample into Costs with periods and exact amounts kept as text', async () => {
    await page.getByRole('button', { name: 'Use the sample data' }).click();
    await page.getByTestId('read-summary').waitFor();
    await page.getByRole('combobox', { name: 'Billing period to close' }).click();
    await page.getByRole('option', { name: /^2026-10/ }).click();
    await page.getByRole('button', { name: 'Put in the Costs table' }).click();
    await notice().getByText('Costs pulled').waitFor();
    const costs = (await readTable(page, 'Costs'))!;
    // In a General cell Excel would have made 2026-10 a date.
    expect(new Set(column(costs, 'BillingPeriod'))).toEqual(new Set(['2026-10']));
    expect(column(costs, 'EffectiveCostExact').every((v) => typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v))).toBe(true);
  });

  it('loads and checks the sample rules, then allocates: the statement reconciles to the engine, to the cent', async () => {
    await page.getByRole('tab', { name: '2. Rules' }).click();
    await page.getByRole('button', { name: 'Use the sample rules' }).click();
    await notice().getByText('Sample rules loaded').waitFor();
    let before = await syncs();
    await page.getByRole('button', { name: 'Check rules' }).click();
    await notice().getByText('The rules are valid').waitFor();
    expect((await syncs()) - before).toBeLessThanOrEqual(3);

    await page.getByRole('tab', { name: '3. Allocate' }).click();
    before = await syncs();
    await page.getByRole('button', { name: 'Allocate 2026-10' }).click();
    await notice().getByText(/allocated/i).waitFor();
    expect((await syncs()) - before).toBeLessThanOrEqual(6);
    const { rules, october } = await sampleOctober();
    const expected = allocate(october, rules, { period: '2026-10' });
    const chargeback = (await readTable(page, 'Chargeback'))!;
    const totals = column(chargeback, 'Total').map((v) => Number(v).toFixed(expected.minorDigits));
    expect(totals).toEqual(expected.costCenters.map((c) => formatMinor(c.total, expected.minorDigits)));
    expect(column((await readTable(page, 'Audit'))!, 'Action')).toEqual(['Pull', 'Load rules', 'Allocate']);
  });

  it('reviews in three requests, writing nothing, and approves in at most six', async () => {
    let before = await syncs();
    await page.getByRole('tab', { name: '4. Review' }).click();
    await page.getByTestId('approval-state').getByText('2026-10 is open').waitFor();
    expect((await syncs()) - before).toBeLessThanOrEqual(3);
    expect(await readTable(page, 'Review')).toBeUndefined();
    await page.getByRole('textbox', { name: 'Your name' }).fill('Dana Reviewer');
    before = await syncs();
    await page.getByRole('button', { name: 'Approve 2026-10' }).click();
    await notice().getByText('2026-10 approved').waitFor();
    expect((await syncs()) - before).toBeLessThanOrEqual(6);
    const audit = (await readTable(page, 'Audit'))!;
    expect(column(audit, 'Action')).toEqual(['Pull', 'Load rules', 'Allocate', 'Approve']);
    const reconciled = (await readTable(page, 'Review'))!.rows.find((r) => r[0] === 'Reconciliation')!;
    expect([reconciled[1], reconciled[3]]).toEqual(['OK', '0.00']);
  });

  it('shows what changed while the pane was closed when it is opened again (the page outlives the pane)', async () => {
    const costs = (await readTable(page, 'Costs'))!;
    const letter = (header: string) => String.fromCharCode(65 + costs.headers.indexOf(header));
    const amount = Number(costs.rows[0][costs.headers.indexOf('EffectiveCost')]) + 100;
    // Someone unprotects nothing: the edit is refused on the approved, protected sheet.
    await expect(page.evaluate(([cell, value]) => window.__harness.editCell('Costs', cell as string, value as number), [`${letter('EffectiveCost')}2`, amount])).rejects.toThrow(/protected sheet Costs/);
    // The period is reopened elsewhere (another pane, or the command line) while this pane is closed.
    await page.evaluate(() => window.__harness.reopenElsewhere('Sam Controller', 'late credit'));
    await page.getByTestId('approval-state').getByText('Approved by Dana Reviewer').waitFor();
    await page.evaluate(() => window.__harness.showAgain());
    await page.getByTestId('approval-state').getByText('2026-10 is open').waitFor();
  });
});
