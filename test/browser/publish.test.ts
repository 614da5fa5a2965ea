/**
 * The task pane against Azure Blob Storage, in real headless Chromium on the harness page, with
 * Azurite (CORS allowing the harness origin) standing in for a storage account:
 *
 * - Data: the URL of the folder where Cost Management exports land is read in the worker — the
 *   newest run only, its manifest's row counts checked — and the SAS goes nowhere.
 * - Publish: the sample, allocated and approved, is published to a container by its SAS URL, with
 *   a progress bar per file and the result (version, hashes); publishing it again unchanged publishes nothing.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { csvPart, focusRow as row, uploadRun } from '../support/export-runs';
import { column, harnessWithAzurite, openPane, readTable, SHOTS } from './harness-page';

jest.setTimeout(120_000);

const running = harnessWithAzurite();

/** Everything the page kept: every table of the workbook and the browser storage, as text. */
async function everythingKept(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const tables = await Promise.all((await window.__harness.tableNames()).map((name) => window.__harness.readTable(name)));
    return JSON.stringify({ tables, local: { ...window.localStorage }, session: { ...window.sessionStorage } });
  });
}

const signature = (sasUrl: string) => new URL(sasUrl).searchParams.get('sig')!;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const OCT = '2026-10-01T00:00:00Z';

describe('the Data step, reading Cost Management exports from Azure Blob Storage', () => {
  let page: Page;
  beforeAll(async () => {
    page = await openPane(running.harness);
  });
  afterAll(() => page?.close());

  async function readFrom(url: string) {
    await page.getByLabel('Export folder URL with SAS').fill(url);
    await page.getByRole('button', { name: 'Read from Azure Storage' }).click();
  }

  it('reads only the newest run of the period, checks its manifest, and pulls it without keeping the SAS', async () => {
    const client = running.azurite.service().getContainerClient('exports');
    const base = { folder: 'costs', exportName: 'focus-monthly', period: '2026-10' };
    // A mid-month run, then the month-end run that re-delivers the whole month in two parts.
    await uploadRun(client, { ...base, runId: 'run-1', submittedTime: '2026-10-15T06:00:00Z', parts: [csvPart('part_0_0001.csv.gz', [row(OCT, '70.00', 'team-a')])] });
    await uploadRun(client, {
      ...base,
      runId: 'run-2',
      submittedTime: '2026-11-02T06:00:00Z',
      parts: [csvPart('part_0_0001.csv.gz', [row(OCT, '150.10', 'team-a'), row(OCT, '49.90', 'team-b'), row(OCT, '100.00', 'hub', 'Networking')]), csvPart('part_1_0001.csv.gz', [row(OCT, '0.33', 'stray')])],
    });
    const url = running.azurite.sasUrl('exports', 'costs', 'rl');
    const run = `${running.azurite.serviceUrl}/exports/costs/focus-monthly/20261001-20261031/run-2`;

    await readFrom(url);
    await page.getByTestId('read-summary').waitFor();
    await expect(page.getByTestId('read-summary').textContent()).resolves.toBe(`4 FOCUS rows from ${run}/part_0_0001.csv.gz, ${run}/part_1_0001.csv.gz → 4 cost lines.`);
    await expect(page.getByTestId('progress-text').textContent()).resolves.toMatch(/^4 rows · 0\.0 MB · 100%$/);
    await page.getByRole('button', { name: 'Put in the Costs table' }).click();
    await page.getByTestId('notice').getByText('Costs pulled').waitFor();

    const costs = (await readTable(page, 'Costs'))!;
    expect(column(costs, 'EffectiveCost').reduce<number>((a, v) => a + Math.round(Number(v) * 100), 0)).toBe(30033);
    const audit = (await readTable(page, 'Audit'))!;
    const pull = audit.rows[column(audit, 'Action').indexOf('Pull')];
    expect(String(pull[audit.headers.indexOf('Details')])).toBe(`4 FOCUS rows from ${run}/part_0_0001.csv.gz, ${run}/part_1_0001.csv.gz → 4 cost lines`);

    const kept = await everythingKept(page);
    expect(kept).not.toContain(signature(url));
    expect(kept).not.toContain(encodeURIComponent(signature(url)));
    expect(kept).not.toContain('sig=');
  });

  it('refuses a run whose files hold fewer rows than its manifest says, naming the file and both counts', async () => {
    const client = running.azurite.service().getContainerClient('exports-short');
    await uploadRun(client, { folder: 'costs', exportName: 'focus-monthly', period: '2026-10', runId: 'run-3', submittedTime: '2026-11-03T06:00:00Z', parts: [csvPart('part_0_0001.csv.gz', [row(OCT, '1.00', 'team-a')])], manifestRows: [2] });
    const url = running.azurite.sasUrl('exports-short', 'costs', 'rl');
    await readFrom(url);
    const notice = page.getByTestId('notice');
    await notice.getByText('That did not work').waitFor();
    const text = (await notice.textContent())!;
    expect(text).toContain(`${running.azurite.serviceUrl}/exports-short/costs/focus-monthly/20261001-20261031/run-3/part_0_0001.csv.gz: the export manifest costs/focus-monthly/20261001-20261031/run-3/manifest.json says 2 rows, but 1 were read`);
    expect(text).not.toContain(signature(url));
    // The Costs table still holds what was pulled before.
    expect((await readTable(page, 'Costs'))!.rows).toHaveLength(4);
  });

  it('with a billing period, reads only that month\'s newest run; a period the folder lacks is named with the ones it has', async () => {
    const client = running.azurite.service().getContainerClient('exports-year');
    const SEP = '2026-09-01T00:00:00Z';
    await uploadRun(client, { folder: 'costs', exportName: 'focus-monthly', period: '2026-09', runId: 'sep', submittedTime: '2026-10-02T06:00:00Z', parts: [csvPart('part_0_0001.csv.gz', [row(SEP, '12.34', 'team-a'), row(SEP, '5.66', 'team-b')])] });
    await uploadRun(client, { folder: 'costs', exportName: 'focus-monthly', period: '2026-10', runId: 'oct', submittedTime: '2026-11-02T06:00:00Z', parts: [csvPart('part_0_0001.csv.gz', [row(OCT, '99.00', 'team-a')])] });
    const url = running.azurite.sasUrl('exports-year', 'costs', 'rl');
    const period = page.getByLabel('Billing period to read from Azure');

    await period.fill('2026-9');
    await expect(page.getByRole('button', { name: 'Read from Azure Storage' }).isDisabled()).resolves.toBe(true);
    await expect(page.getByText('Write the period as YYYY-MM, for example 2026-10.').count()).resolves.toBe(1);

    await period.fill('2026-09');
    await readFrom(url);
    await page.getByTestId('read-summary').waitFor();
    const run = `${running.azurite.serviceUrl}/exports-year/costs/focus-monthly/20260901-20260930/sep`;
    await expect(page.getByTestId('read-summary').textContent()).resolves.toBe(`2 FOCUS rows from ${run}/part_0_0001.csv.gz → 2 cost lines.`);
    // One period read, so there is nothing to choose.
    await expect(page.getByRole('combobox', { name: 'Billing period to close' }).count()).resolves.toBe(0);

    await period.fill('2026-08');
    await readFrom(url);
    await page.getByTestId('notice').getByText(/no export run for billing period 2026-08; the exports cover 2026-09, 2026-10/).waitFor();
    await period.fill('');
  });

  it('says what is wrong when the SAS does not allow listing, without showing it', async () => {
    const url = running.azurite.sasUrl('exports', 'costs', 'r');
    await readFrom(url);
    const notice = page.getByTestId('notice');
    await notice.getByText(/the container cannot be listed/).waitFor();
    expect(await notice.textContent()).toContain(`${running.azurite.serviceUrl}/exports/costs: the container cannot be listed (check the URL and that the SAS allows read and list)`);
    expect(await notice.textContent()).not.toContain(signature(url));
  });
});

describe('the Publish step, to an Azure Blob container', () => {
  let page: Page;
  beforeAll(async () => {
    page = await openPane(running.harness);
  });
  afterAll(() => page?.close());

  const notice = () => page.getByTestId('notice');

  it('publishes the approved sample as version 1, with a progress bar per file and each file\'s SHA-256', async () => {
    await page.getByRole('button', { name: 'Use the sample data' }).click();
    await page.getByRole('combobox', { name: 'Billing period to close' }).click();
    await page.getByRole('option', { name: /^2026-10/ }).click();
    await page.getByRole('button', { name: 'Put in the Costs table' }).click();
    await notice().getByText('Costs pulled').waitFor();
    await page.getByRole('tab', { name: '2. Rules' }).click();
    await page.getByRole('button', { name: 'Use the sample rules' }).click();
    await notice().getByText('Sample rules loaded').waitFor();
    await page.getByRole('tab', { name: '3. Allocate' }).click();
    await page.getByRole('button', { name: 'Allocate 2026-10' }).click();
    await page.getByTestId('difference').waitFor();
    await page.getByRole('tab', { name: '4. Review' }).click();
    await page.getByRole('textbox', { name: 'Your name' }).fill('Pat Controller');
    await page.getByRole('button', { name: 'Approve 2026-10' }).click();
    await notice().getByText('2026-10 approved').waitFor();

    const share = await running.azurite.containerWithSas('finance');
    await page.getByRole('tab', { name: '5. Publish' }).click();
    await page.getByRole('radio', { name: 'Azure Blob Storage container' }).check();
    await page.getByLabel('Container URL with SAS').fill(share);
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByTestId('publish-result').waitFor();
    await notice().getByText('Published 2026-10 version 1').waitFor();
    // Finished transitions: the progress bars shown full, as they are.
    await page.screenshot({ path: path.join(SHOTS, 'publish-step.png'), fullPage: true, animations: 'disabled' });

    const location = `${running.azurite.serviceUrl}/finance`;
    await expect(page.getByTestId('publish-result').getByText(/^Version \d/).textContent()).resolves.toBe(`Version 1 in ${location}/2026-10/`);
    const names = ['chargeback-2026-10.csv', 'journal-2026-10.csv', 'chargeback-2026-10.xlsx', 'manifest.json'];
    // One progress bar per file, each finished and showing its size.
    for (const name of names) await expect(page.getByText(name, { exact: true }).first().isVisible()).resolves.toBe(true);
    // …and one bar for the showback statements (two files a cost center) and one for the facts (six tables, two formats)
    for (const group of [/^showback\/ \(\d+ files\)$/, /^facts\/ \(12 files\)$/]) await expect(page.getByText(group).isVisible()).resolves.toBe(true);
    await expect(page.getByText(/^[\d,]+ bytes$/).count()).resolves.toBe(6);

    // What the pane shows is what is in the container: the manifest's hashes are the files' hashes.
    const container = running.azurite.service().getContainerClient('finance');
    const manifestBytes = await container.getBlobClient('2026-10/manifest.json').downloadToBuffer();
    const manifest = JSON.parse(manifestBytes.toString('utf8')) as { version: number; files: { name: string; sha256: string; bytes: number }[] };
    expect(manifest.version).toBe(1);
    expect(manifest.files.map((f) => f.name).filter((name) => !name.startsWith('showback/'))).toEqual(names.slice(0, 3));
    for (const file of manifest.files) {
      const bytes = await container.getBlobClient(`2026-10/${file.name}`).downloadToBuffer();
      expect([file.name, sha256(bytes), bytes.byteLength]).toEqual([file.name, file.sha256, file.bytes]);
    }
    const shown = await page.getByTestId('publish-result').getByText(/^SHA-256 /).allTextContents();
    expect(shown).toEqual([...manifest.files.map((f) => `SHA-256 ${f.sha256}`), `SHA-256 ${sha256(manifestBytes)}`]);
  });

  it('publishes nothing when the approved period is published again unchanged, says so, and the Audit log never holds the SAS', async () => {
    const share = running.azurite.sasUrl('finance');
    await page.getByLabel('Container URL with SAS').fill(share);
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    // Nothing approved since version 1: there is nothing new, so nothing to confirm, and nothing is published.
    await page.getByRole('alertdialog').or(notice().getByText('Nothing published')).waitFor();
    await expect(page.getByRole('alertdialog').count()).resolves.toBe(0);
    await expect(notice().textContent()).resolves.toContain('2026-10 as it stands is what version 1 on the share holds');
    await expect(page.getByTestId('publish-result').count()).resolves.toBe(0);

    const container = running.azurite.service().getContainerClient('finance');
    const blobs: string[] = [];
    for await (const blob of container.listBlobsFlat()) blobs.push(blob.name);
    expect(blobs.filter((name) => !/(^|\/)(showback|facts)\//.test(name)).sort()).toEqual(['2026-10/chargeback-2026-10.csv', '2026-10/chargeback-2026-10.xlsx', '2026-10/journal-2026-10.csv', '2026-10/manifest.json']);
    const audit = (await readTable(page, 'Audit'))!;
    expect(column(audit, 'Action').filter((a) => a === 'Publish' || a === 'Restate')).toHaveLength(1);
    const kept = await everythingKept(page);
    expect(kept).not.toContain(signature(share));
    expect(kept).not.toContain('sig=');
  });
});
