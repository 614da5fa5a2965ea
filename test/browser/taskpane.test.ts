/**
 * The task pane as a finance user meets it: real headless Chromium on the harness page (the
 * same App, with an in-memory ExcelJS workbook instead of Excel). Clicks Data → Rules → Allocate
 * → Review on the bundled sample, checks the tables it wrote against the engine run directly,
 * approves, changes a cost after approval and reopens, and saves the screenshots the
 * documentation shows.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { generateFocusCsv } from '../../bench/generate';
import { allocate } from '../../src/core/allocate';
import { ingestFocus } from '../../src/core/ingest';
import { costFilesAt } from '../../src/sources/node-files';
import { formatMinor } from '../../src/core/money';
import { grouped } from '../../src/taskpane/operations';
import { ExcelJsGateway } from '../../src/workbook/exceljs-gateway';
import { grainDimensions } from '../../src/workbook/steps';
import { sampleOctober } from '../support/sample';
import { column, editFirstCost, Harness, openPane, readTable, SHOTS, startHarness } from './harness-page';
import { rootCauseUncovered } from './pane-checks';

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

// Review's action row sticks to the bottom of the window: scrolled to the end, it sits where it belongs
// (under the sign-off), in the whole-page pictures.
const scrolledToEnd = (on: Page) => on.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));

const notice = () => page.getByTestId('notice');

/** The engine run directly on the sample files, as the command line runs it. */
async function expectedAllocation() {
  const { rules, october } = await sampleOctober();
  return allocate(october, rules, { period: '2026-10' });
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
    await page.screenshot({ path: path.join(SHOTS, 'data-step-progress.png'), fullPage: true, animations: 'disabled' });
    await cancel.click();
    await notice().getByText('Cancelled').waitFor();
    expect(await readTable(page, 'Costs')).toBeUndefined();
    expect(await page.evaluate(() => window.__harness.tableNames())).toEqual([]);
  });


  it('Data: reads a 50 MB generated FOCUS export in the worker to the end, with progress, the same rows and cost lines as the command line', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pane-export-'));
    try {
      const file = path.join(dir, 'focus-export.csv');
      generateFocusCsv(file, { rows: 46_000, seed: 7 });
      expect(statSync(file).size).toBeGreaterThan(50e6);
      // what the command line reads from the same file, at the grain the pane uses before rules exist
      const expected = await ingestFocus(await costFilesAt(file), { dimensions: grainDimensions(undefined) });
      const seen: string[] = [];
      await page.exposeFunction('__progressSeen', (text: string) => seen.push(text));
      await page.evaluate(() => {
        const target = document.querySelector('[data-testid="step-panel"]') ?? document.body;
        new MutationObserver(() => {
          const text = document.querySelector('[data-testid="progress-text"]')?.textContent;
          if (text) (window as unknown as { __progressSeen(t: string): void }).__progressSeen(text);
        }).observe(target, { subtree: true, childList: true, characterData: true });
      });
      // the file is split across part workers (one per core), started by the ingest worker
      const workers: string[] = [];
      const onWorker = (worker: { url(): string }) => workers.push(worker.url());
      page.on('worker', onWorker);
      await page.setInputFiles('[data-testid="file-picker"]', file);
      await page.getByTestId('read-summary').getByText(/focus-export\.csv/).waitFor({ timeout: 90_000 });
      page.off('worker', onWorker);
      if ((await page.evaluate(() => navigator.hardwareConcurrency)) > 1) expect(workers.filter((url) => /ingest-part/.test(url)).length).toBeGreaterThanOrEqual(2);
      expect(await page.getByTestId('read-summary').textContent()).toBe(
        `${expected.rowsRead.toLocaleString('en-US')} FOCUS rows from focus-export.csv → ${expected.lines.length.toLocaleString('en-US')} cost lines.`,
      );
      expect(expected.rowsRead).toBe(46_000);
      // progress was shown part-way (rows counted, short of 100%) before the end
      expect(seen.some((t) => /^[1-9][\d,]* rows · [\d.]+ MB · ([1-9]|[1-9]\d)%$/.test(t))).toBe(true);
      await expect(page.getByTestId('progress-text').textContent()).resolves.toBe(`46,000 rows · ${(statSync(file).size / 1024 / 1024).toFixed(1)} MB · 100%`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Data: reads the sample off the UI thread with progress, and pulls period 2026-10 into Costs', async () => {
    await page.getByRole('button', { name: 'Use the sample data' }).click();
    // the summary of this read, not the one the test before left on the step
    await page.getByTestId('read-summary').getByText(/focus-2026-09\.csv/).waitFor();
    await expect(page.getByTestId('progress-text').textContent()).resolves.toMatch(/^[\d,]+ rows · [\d.]+ MB · 100%$/);
    await page.getByRole('combobox', { name: 'Billing period to close' }).click();
    await page.getByRole('option', { name: /^2026-10/ }).click();
    await page.screenshot({ path: path.join(SHOTS, 'data-step.png'), fullPage: true, animations: 'disabled' });
    await page.getByRole('button', { name: 'Put in the Costs table' }).click();
    await notice().getByText('Costs pulled').waitFor();
    const costs = (await readTable(page, 'Costs'))!;
    expect(new Set(column(costs, 'BillingPeriod'))).toEqual(new Set(['2026-10']));
    expect(costs.headers).toEqual(expect.arrayContaining(['SubAccountName', 'Tag:costcenter']));
  });

  it('Rules: loads the sample rules into the rule tables and finds them valid', async () => {
    await page.getByRole('tab', { name: '2. Rules' }).click();
    await page.getByRole('button', { name: 'Use the sample rules' }).click();
    await notice().getByText('Sample rules loaded').waitFor();
    await page.getByRole('button', { name: 'Check rules' }).click();
    await notice().getByText('The rules are valid').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'rules-step.png'), fullPage: true, animations: 'disabled' });
    const names = await page.evaluate(() => window.__harness.tableNames());
    expect(names).toEqual(expect.arrayContaining(['Settings', 'CostCenters', 'Mappings', 'SharedPools', 'FixedSplits', 'Drivers']));
  });

  it('Allocate: writes Chargeback, Allocation and Reconciliation that reconcile to the source to the cent', async () => {
    await page.getByRole('tab', { name: '3. Allocate' }).click();
    await page.getByRole('button', { name: 'Allocate 2026-10' }).click();
    await page.getByTestId('difference').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'allocate-step.png'), fullPage: true, animations: 'disabled' });

    const expected = await expectedAllocation();
    const money = (v: bigint) => formatMinor(v, expected.minorDigits);
    const shown = (v: bigint) => grouped(money(v));
    await expect(page.getByTestId('difference').textContent()).resolves.toBe('0.00');
    await expect(page.getByTestId('source-total').textContent()).resolves.toBe(`${shown(expected.sourceTotal)} USD`);
    await expect(page.getByTestId('allocated-total').textContent()).resolves.toBe(`${shown(expected.allocatedTotal)} USD`);
    await expect(page.getByTestId('charged-total').textContent()).resolves.toBe(`${shown(expected.allocatedTotal - expected.unallocated)} USD`);

    const reconciliation = (await readTable(page, 'Reconciliation'))!;
    const checks = Object.fromEntries(reconciliation.rows.map((row) => [row[0], row[1]]));
    expect(checks['Difference']).toBe(0);
    expect(checks['Allocated total']).toBe(checks['Source total (rounded)']);
    expect(Number(checks['Source total (rounded)']).toFixed(2)).toBe(money(expected.sourceTotal));

    const chargeback = (await readTable(page, 'Chargeback'))!;
    const totalCents = column(chargeback, 'Total').reduce<number>((a, v) => a + Math.round(Number(v) * 100), 0);
    expect(BigInt(totalCents)).toBe(expected.sourceTotal);
    expect(column(chargeback, 'CostCenter')).toEqual(expected.costCenters.map((c) => c.costCenter));
    expect(column(chargeback, 'Total').map((v) => Number(v).toFixed(2))).toEqual(expected.costCenters.map((c) => money(c.total)));
    expect((await readTable(page, 'Allocation'))!.rows.length).toBe(expected.entries.length);

    const audit = (await readTable(page, 'Audit'))!;
    // Checking the rules changes nothing, so the log does not record it.
    expect(column(audit, 'Action')).toEqual(['Pull', 'Load rules', 'Allocate']);

    // The workbook the pane built saves as a real .xlsx that ExcelJS (and Excel) opens.
    const saved = await ExcelJsGateway.fromBytes(Buffer.from(await page.evaluate(() => window.__harness.xlsxBase64()), 'base64'));
    expect(await saved.readTable('Chargeback')).toEqual(chargeback);
  });

  it('Review: shows the checks by severity with their figures, each linked to its rows; the period is open', async () => {
    await page.getByRole('tab', { name: '4. Review' }).click();
    await page.getByTestId('approval-state').getByText('2026-10 is open').waitFor();
    const check = (severity: string, text: string) => page.getByTestId(`checks-${severity}`).getByTestId('check').filter({ hasText: text });
    await expect(page.getByTestId('checks-Blocking').count()).resolves.toBe(0);
    await expect(check('OK', 'Reconciliation').getByTestId('check-figure').textContent()).resolves.toBe('0.00');
    await expect(check('OK', 'Unallocated share').getByTestId('check-figure').textContent()).resolves.toMatch(/^1\.9%$/);
    await expect(check('Warning', 'Budget variance · CC-ML').textContent()).resolves.toMatch(/\(\+13\.3%; threshold ±10%\)/);
    // The group order a reviewer reads: warnings before OK before info.
    const groups = await page.locator('[data-testid^="checks-"]').evaluateAll((sections) => sections.map((s) => s.getAttribute('data-testid')));
    expect(groups).toEqual(['checks-Warning', 'checks-OK', 'checks-Info']);

    // The link selects the cost center's row of the statement.
    await check('Warning', 'Budget variance · CC-ML').getByRole('button', { name: 'Chargeback' }).click();
    const chargeback = (await readTable(page, 'Chargeback'))!;
    const row = column(chargeback, 'CostCenter').indexOf('CC-ML') + 2;
    await page.waitForFunction(() => window.__harness.selectedRanges.length > 0);
    await expect(page.evaluate(() => window.__harness.selectedRanges)).resolves.toEqual([`Chargeback!A${row}`]);

    // Reviewing writes nothing to the workbook: the Review sheet holds the checks as approved.
    expect(await readTable(page, 'Review')).toBeUndefined();
    // The name typed before on this computer (the harness's "harness user") is offered; the reviewer types theirs.
    await expect(page.getByRole('textbox', { name: 'Your name' }).inputValue()).resolves.toBe('harness user');
    await scrolledToEnd(page);
    await page.screenshot({ path: path.join(SHOTS, 'review-step.png'), fullPage: true, animations: 'disabled' });
  });

  it('Review: approves in the name typed, records it in Audit, and locks the other steps', async () => {
    await page.getByRole('textbox', { name: 'Your name' }).fill('Dana Reviewer');
    await page.getByRole('button', { name: 'Approve 2026-10' }).click();
    await notice().getByText('2026-10 approved').waitFor();
    await expect(page.getByTestId('approval-state').textContent()).resolves.toMatch(/^Approved by Dana Reviewer \(typed, not verified\)2026-10 was approved [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d [AP]M [A-Z]{3}[^;]*; content digest [0-9a-f]{12}…/);
    const audit = (await readTable(page, 'Audit'))!;
    const approval = audit.rows[audit.rows.length - 1];
    const at = (header: string) => approval[audit.headers.indexOf(header)];
    expect([at('Action'), at('By'), at('Period')]).toEqual(['Approve', 'Dana Reviewer (typed, not verified)', '2026-10']);
    expect(at('Details')).toMatch(/^approved 23884\.20 USD \(EffectiveCost\); source 23884\.20/);
    expect(at('ContentDigest')).toMatch(/^[0-9a-f]{64}$/);
    await expect(page.getByTestId('approval-state').textContent()).resolves.toContain(`content digest ${String(at('ContentDigest')).slice(0, 12)}…`);
    expect((await readTable(page, 'ApprovalHistory'))!.rows.every((r) => r[4] === 'Dana Reviewer (typed, not verified)')).toBe(true);
    const review = (await readTable(page, 'Review'))!;
    expect(review.rows.find((r) => r[0] === 'Reconciliation')?.slice(1, 4)).toEqual(['OK', null, '0.00']);
    await expect(page.getByRole('button', { name: 'Approve 2026-10' }).count()).resolves.toBe(0);
    await scrolledToEnd(page);
    await page.screenshot({ path: path.join(SHOTS, 'approved.png'), fullPage: true, animations: 'disabled' });

    // Allocate says the period is locked, and allocating again is refused with what to do.
    await page.getByRole('tab', { name: '3. Allocate' }).click();
    // Allocate says the period is locked before anyone tries: the button is disabled (still focusable) with the reason.
    await page.getByTestId('period-locked').getByText('2026-10 is approved').waitFor();
    const allocate = page.getByRole('button', { name: 'Allocate 2026-10' });
    await expect(allocate.getAttribute('aria-disabled')).resolves.toBe('true');
    await expect(page.locator(`#${await allocate.getAttribute('aria-describedby')}`).textContent()).resolves.toContain('reopen the period in 4. Review');
  });

  it('Review: a cost edited after approval shows as "changed since approval"; Reopen with a reason opens the period', async () => {
    await editFirstCost(page, 100);

    await page.getByRole('tab', { name: '4. Review' }).click();
    await page.getByTestId('approval-state').getByText('Changed since approval').waitFor();
    await expect(page.getByTestId('approval-state').textContent()).resolves.toContain('but Costs changed since. Publishing is refused until it is approved again');
    // The statement no longer adds up to the edited source (and the pools' shares moved): approving again is blocked, and says why.
    await expect(page.getByTestId('checks-Blocking').getByTestId('check').filter({ hasText: 'Reconciliation' }).getByTestId('check-figure').textContent()).resolves.toBe('-108.25'); // Costs row 2 is billed in EUR: +100 EUR is +108.25 USD at 1.0825
    await expect(page.getByTestId('approve-blocked').textContent()).resolves.toMatch(/^Approval is blocked until these \d+ checks pass: Reconciliation, Statement edited \(CC-/);
    await expect(page.getByRole('button', { name: 'Approve 2026-10' }).isDisabled()).resolves.toBe(true);
    // Only the action row sticks: the root cause is whole, and Approve / Reopen stay in sight.
    await rootCauseUncovered(page);
    await scrolledToEnd(page);
    await page.screenshot({ path: path.join(SHOTS, 'changed-since-approval.png'), fullPage: true, animations: 'disabled' });

    await expect(page.getByRole('button', { name: 'Reopen 2026-10' }).isDisabled()).resolves.toBe(true); // no reason yet
    await page.getByRole('textbox', { name: 'Why reopen' }).fill('late credit from the provider');
    await page.getByRole('button', { name: 'Reopen 2026-10' }).click();
    await notice().getByText('2026-10 reopened').waitFor();
    await page.getByTestId('approval-state').getByText('2026-10 is open').waitFor();
    const audit = (await readTable(page, 'Audit'))!;
    const reopen = audit.rows[audit.rows.length - 1];
    expect(['Action', 'By', 'Period', 'Details'].map((h) => reopen[audit.headers.indexOf(h)])).toEqual(['Reopen', 'Dana Reviewer (typed, not verified)', '2026-10', 'late credit from the provider']);
    await page.getByRole('tab', { name: '3. Allocate' }).click();
    await expect(page.getByTestId('period-locked').count()).resolves.toBe(0);
  });

  it('shows broken rules with links that select the offending cell, and allocates nothing', async () => {
    const before = await readTable(page, 'Chargeback');
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
    await page.screenshot({ path: path.join(SHOTS, 'allocate-error.png'), fullPage: true, animations: 'disabled' });
    expect(await readTable(page, 'Chargeback')).toEqual(before);
  });
});
