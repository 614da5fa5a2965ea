/**
 * The task pane as a finance user meets it: real headless Chromium on the harness page (the
 * same App, with an in-memory ExcelJS workbook instead of Excel). Clicks Data → Rules → Allocate
 * on the bundled sample, checks the tables it wrote against the engine run directly, and saves
 * the screenshots the documentation shows.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { allocate } from '../../src/core/allocate';
import { ingestFocus } from '../../src/core/ingest';
import { formatMinor } from '../../src/core/money';
import { grouped } from '../../src/taskpane/operations';
import { parseRules, ruleTablesFromJson } from '../../src/core/rules';
import { costFilesAt } from '../../src/sources/node-files';
import type { TableData } from '../../src/workbook/gateway';
import { ExcelJsGateway } from '../../src/workbook/exceljs-gateway';
import { grainDimensions } from '../../src/workbook/steps';
import { Harness, openPane, ROOT, SHOTS, startHarness } from './harness-page';

const SAMPLE = path.join(ROOT, 'assets', 'sample');

jest.setTimeout(120_000);

let harness: Harness | undefined;
let page: Page;

beforeAll(async () => {
  harness = await startHarness('harness-test');
  page = await openPane(harness);
});

afterAll(async () => {
  await harness?.close();
});

const readTable = (name: string) => page.evaluate((table) => window.__harness.readTable(table), name) as Promise<TableData | undefined>;
const notice = () => page.getByTestId('notice');

function column(table: TableData, header: string): unknown[] {
  const index = table.headers.indexOf(header);
  return table.rows.map((row) => row[index]);
}

/** The engine run directly on the sample files, as the command line runs it. */
async function expectedAllocation() {
  const rules = parseRules(ruleTablesFromJson(JSON.parse(await fs.readFile(path.join(SAMPLE, 'rules.json'), 'utf8'))));
  const files = (await costFilesAt(SAMPLE)).filter((f) => f.name.includes('focus-'));
  const ingest = await ingestFocus(files, { dimensions: grainDimensions(rules) });
  return allocate(
    ingest.lines.filter((l) => l.billingPeriod === '2026-10'),
    rules,
    { period: '2026-10' },
  );
}

/** Picks a large FOCUS file (the October sample, repeated) through the Data step's file input. */
async function pickLargeFile(copies: number) {
  await page.evaluate(async (times) => {
    const text = await (await fetch('sample/focus-2026-10.csv')).text();
    const newline = text.indexOf('\n');
    const header = text.slice(0, newline + 1);
    const body = text.slice(newline + 1);
    const file = new File([header, ...Array.from({ length: times }, () => body)], 'focus-large.csv', { type: 'text/csv' });
    const input = document.querySelector<HTMLInputElement>('[data-testid="file-picker"]')!;
    const transfer = new DataTransfer();
    transfer.items.add(file);
    input.files = transfer.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, copies);
}

describe('the task pane, clicked through on the sample data', () => {
  it('Data: shows rows, MB and percent while it reads a large file, and Cancel stops it with nothing written', async () => {
    await pickLargeFile(60);
    const cancel = page.getByRole('button', { name: 'Cancel' });
    await cancel.waitFor();
    // Wait until a quarter is read, then catch the pane mid-read.
    await page.waitForFunction(() => {
      const match = /^[1-9][\d,]* rows · [\d.]+ MB · (\d+)%$/.exec(document.querySelector('[data-testid="progress-text"]')?.textContent ?? '');
      return match !== null && Number(match[1]) >= 25;
    });
    const text = await page.getByTestId('progress-text').textContent();
    expect(text).not.toMatch(/100%$/);
    await page.screenshot({ path: path.join(SHOTS, 'data-step-progress.png'), fullPage: true });
    await cancel.click();
    await notice().getByText('Cancelled').waitFor();
    expect(await readTable('Costs')).toBeUndefined();
    expect(await page.evaluate(() => window.__harness.tableNames())).toEqual([]);
  });


  it('Data: reads the sample off the UI thread with progress, and pulls period 2026-10 into Costs', async () => {
    await page.getByRole('button', { name: 'Use the sample data' }).click();
    await page.getByTestId('read-summary').waitFor();
    await expect(page.getByTestId('progress-text').textContent()).resolves.toMatch(/^[\d,]+ rows · [\d.]+ MB · 100%$/);
    await page.getByRole('combobox', { name: 'Billing period to close' }).click();
    await page.getByRole('option', { name: /^2026-10/ }).click();
    await page.screenshot({ path: path.join(SHOTS, 'data-step.png'), fullPage: true });
    await page.getByRole('button', { name: 'Put in the Costs table' }).click();
    await notice().getByText('Costs pulled').waitFor();
    const costs = (await readTable('Costs'))!;
    expect(new Set(column(costs, 'BillingPeriod'))).toEqual(new Set(['2026-10']));
    expect(costs.headers).toEqual(expect.arrayContaining(['SubAccountName', 'Tag:costcenter']));
  });

  it('Rules: loads the sample rules into the rule tables and finds them valid', async () => {
    await page.getByRole('tab', { name: '2. Rules' }).click();
    await page.getByRole('button', { name: 'Use the sample rules' }).click();
    await notice().getByText('Sample rules loaded').waitFor();
    await page.getByRole('button', { name: 'Check rules' }).click();
    await notice().getByText('The rules are valid').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'rules-step.png'), fullPage: true });
    const names = await page.evaluate(() => window.__harness.tableNames());
    expect(names).toEqual(expect.arrayContaining(['Settings', 'CostCenters', 'Mappings', 'SharedPools', 'FixedSplits', 'Drivers']));
  });

  it('Allocate: writes Chargeback, Allocation and Reconciliation that reconcile to the source to the cent', async () => {
    await page.getByRole('tab', { name: '3. Allocate' }).click();
    await page.getByRole('button', { name: 'Allocate 2026-10' }).click();
    await page.getByTestId('difference').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'allocate-step.png'), fullPage: true });

    const expected = await expectedAllocation();
    const money = (v: bigint) => formatMinor(v, expected.minorDigits);
    const shown = (v: bigint) => grouped(money(v));
    await expect(page.getByTestId('difference').textContent()).resolves.toBe('0.00');
    await expect(page.getByTestId('source-total').textContent()).resolves.toBe(`${shown(expected.sourceTotal)} USD`);
    await expect(page.getByTestId('allocated-total').textContent()).resolves.toBe(`${shown(expected.allocatedTotal)} USD`);

    const reconciliation = (await readTable('Reconciliation'))!;
    const checks = Object.fromEntries(reconciliation.rows.map((row) => [row[0], row[1]]));
    expect(checks['Difference']).toBe(0);
    expect(checks['Allocated total']).toBe(checks['Source total (rounded)']);
    expect(Number(checks['Source total (rounded)']).toFixed(2)).toBe(money(expected.sourceTotal));

    const chargeback = (await readTable('Chargeback'))!;
    const totalCents = column(chargeback, 'Total').reduce<number>((a, v) => a + Math.round(Number(v) * 100), 0);
    expect(BigInt(totalCents)).toBe(expected.sourceTotal);
    expect(column(chargeback, 'CostCenter')).toEqual(expected.costCenters.map((c) => c.costCenter));
    expect(column(chargeback, 'Total').map((v) => Number(v).toFixed(2))).toEqual(expected.costCenters.map((c) => money(c.total)));
    expect((await readTable('Allocation'))!.rows.length).toBe(expected.entries.length);

    const audit = (await readTable('Audit'))!;
    expect(column(audit, 'Action')).toEqual(['Pull', 'Load rules', 'Check rules', 'Allocate']);

    // The workbook the pane built saves as a real .xlsx that ExcelJS (and Excel) opens.
    const saved = await ExcelJsGateway.fromBytes(Buffer.from(await page.evaluate(() => window.__harness.xlsxBase64()), 'base64'));
    expect(await saved.readTable('Chargeback')).toEqual(chargeback);
  });

  it('shows broken rules with links that select the offending cell, and allocates nothing', async () => {
    const before = await readTable('Chargeback');
    await page.evaluate(() =>
      window.__harness.writeTables([
        {
          name: 'SharedPools',
          columns: ['Pool', 'Dimension', 'Pattern', 'Method', 'Driver', 'Targets'].map((header) => ({ header })),
          rows: [['Network', 'SubAccountName', 'hub-*', 'Evenly', '', '*']],
        },
      ]),
    );
    await page.getByRole('tab', { name: '2. Rules' }).click();
    await page.getByRole('button', { name: 'Check rules' }).click();
    await notice().getByText(/problem/).waitFor();
    const link = page.getByRole('button', { name: 'SharedPools row 2, Method' }).first();
    await link.click();
    await expect(page.evaluate(() => window.__harness.selected)).resolves.toEqual([{ table: 'SharedPools', row: 2, column: 'Method' }]);

    await page.getByRole('tab', { name: '3. Allocate' }).click();
    await page.getByRole('button', { name: 'Allocate 2026-10' }).click();
    await notice().getByText(/The rules have \d+ problem/).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'allocate-error.png'), fullPage: true });
    expect(await readTable('Chargeback')).toEqual(before);
  });
});
