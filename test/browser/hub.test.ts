/**
 * The Data step's "From a FinOps hub" in real headless Chromium, on the Office.js gateway over the
 * strict in-memory Excel, against the local hub (test/support/kusto-server.ts: Kusto's v2 REST
 * answers, every query type-checked by the Kusto language service, CORS for the harness's origin
 * only). The pane pulls a month with the control totals the command line's client gets from the
 * same hub; Cancel stops the query and writes nothing; the cluster URL is kept in the workbook; an
 * older hub, a refusal and throttling are told plainly.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { controlTotals } from '../../src/core/control-totals';
import type { CostLine } from '../../src/core/costs';
import { ingestFocus } from '../../src/core/ingest';
import { formatExact, parseExact } from '../../src/core/money';
import { parseRules, ruleTablesFromJson } from '../../src/core/rules';
import { FinOpsHub, ingestFromHub } from '../../src/sources/kusto-hub';
import { costFilesAt } from '../../src/sources/node-files';
import { grouped } from '../../src/taskpane/operations';
import { ruleTableSpecs } from '../../src/workbook/layout';
import { costGrain } from '../../src/workbook/steps';
import { hubAnswer } from '../support/hub-answer';
import { LocalHub } from '../support/kusto-server';
import { column, Harness, openPane, readTable, SHOTS, startHarness } from './harness-page';
import { axeViolations, sideways } from './pane-checks';

jest.setTimeout(240_000);

const sample = path.resolve('assets/sample');
const ruleTables = ruleTablesFromJson(JSON.parse(readFileSync(path.join(sample, 'rules.json'), 'utf8')));
const grain = costGrain(parseRules(ruleTables));
const TOKEN = 'harness-token';

let harness: Harness | undefined;
let hub: LocalHub | undefined;
let lines: CostLine[];

beforeAll(async () => {
  harness = await startHarness();
  lines = (await ingestFocus(await costFilesAt(sample), { dimensions: grain.dimensions })).lines;
  hub = await LocalHub.start({ token: TOKEN, answer: hubAnswer(lines, grain.dimensions), corsOrigin: new URL(harness.url).origin });
});

afterAll(async () => {
  await harness?.close();
  await hub?.stop();
});

beforeEach(() => Object.assign(hub!, { throttleNext: 0, forbidden: false, holdNext: false, abandoned: 0 }));

/** A fresh pane on the Office.js gateway, the sample's rules in its workbook (so it reads at their grain). */
async function paneWithRules(width = 350): Promise<Page> {
  const page = await openPane(harness!, 'office');
  await page.setViewportSize({ width, height: 900 });
  await page.evaluate((specs) => window.__harness.writeTables(specs), ruleTableSpecs(ruleTables));
  return page;
}

async function listPeriods(page: Page, url: string) {
  await page.getByLabel('Cluster URL').fill(url);
  await page.getByRole('button', { name: "List the hub's periods" }).click();
  await page.getByTestId('hub-done').getByText(/The hub holds/).waitFor();
}

async function readPeriod(page: Page, period: string) {
  await page.getByRole('button', { name: `Read ${period} from the hub` }).click();
  await page.getByTestId('read-summary').waitFor();
}

/** The control totals table as shown: [period and provider, billed, effective] per row. */
const shownTotals = (page: Page) =>
  page.evaluate(() => [...document.querySelectorAll('[data-testid="control-total"]')].map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent ?? '')));

async function allTables(page: Page) {
  const names = await page.evaluate(() => window.__harness.tableNames());
  return Promise.all(names.map(async (name) => [name, await readTable(page, name)] as const));
}

describe('From a FinOps hub, in the pane', () => {
  it('pulls a month from the hub with the control totals the command line gets from the same hub', async () => {
    // The command line's client (azure-kusto-data) on the same hub, at the same grain.
    const cli = await ingestFromHub(new FinOpsHub({ clusterUrl: hub!.url, database: 'Hub' }, { credential: { getToken: async () => ({ token: TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }) } }), grain.dimensions, '2026-10', grain.optionalDimensions);
    const expected = controlTotals(cli.lines).map((t) => [`${t.period} ${t.provider || '(no provider)'}`, `${grouped(t.billed)} ${t.currency}`, `${grouped(t.effective)} ${t.currency}`]);
    hub!.received.length = 0;

    const page = await paneWithRules();
    await listPeriods(page, `${hub!.url}/Hub`);
    // The picker holds the hub's periods, newest first and chosen.
    await expect(page.getByRole('combobox', { name: 'Billing period in the hub' }).textContent()).resolves.toBe('2026-10');
    await readPeriod(page, '2026-10');
    await expect(shownTotals(page)).resolves.toEqual(expected);
    await expect(page.getByTestId('read-summary').textContent()).resolves.toBe(
      `${cli.rowsRead.toLocaleString('en-US')} FOCUS rows from ${hub!.url}/Hub Costs_v1_2() → ${cli.lines.length.toLocaleString('en-US')} cost lines.`,
    );
    // Two queries, parameterised the same way as the command line's.
    expect(hub!.received.map((q) => q.csl.split('\n')[0])).toEqual(['Costs_v1_2()', 'declare query_parameters(periodStart:datetime, periodEnd:datetime, tagKey0:string, tagFolded0:string);']);
    await page.screenshot({ path: path.join(SHOTS, 'hub-data-step.png'), fullPage: true, animations: 'disabled' });

    await page.getByRole('button', { name: 'Put in the Costs table' }).click();
    await page.getByTestId('notice').getByText('Costs pulled').waitFor();
    const costs = (await readTable(page, 'Costs'))!;
    expect(costs.rows).toHaveLength(cli.lines.length);
    const total = (header: string) => formatExact(column(costs, header).reduce<bigint>((a, v) => a + parseExact(String(v))!, 0n));
    expect(total('EffectiveCostExact')).toBe(formatExact(cli.lines.reduce((a, l) => a + l.effectiveCost, 0n)));
    expect(total('BilledCostExact')).toBe(formatExact(cli.lines.reduce((a, l) => a + l.billedCost, 0n)));
    const audit = (await readTable(page, 'Audit'))!;
    expect(column(audit, 'Action').slice(-1)).toEqual(['Pull']);
    expect(String(column(audit, 'Details').slice(-1)[0])).toContain(`${hub!.url}/Hub Costs_v1_2()`);
    await page.close();
  });

  it('keeps the cluster URL in the workbook: after the pane reloads, the field holds it', async () => {
    const page = await paneWithRules();
    await listPeriods(page, `${hub!.url}/Hub`);
    await page.reload();
    await page.getByRole('tab', { name: '1. Data' }).waitFor();
    await expect(page.getByLabel('Cluster URL').inputValue()).resolves.toBe(`${hub!.url}/Hub`);
    await page.close();
  });

  it('stops the query on Cancel and leaves the workbook untouched', async () => {
    const page = await paneWithRules();
    await listPeriods(page, `${hub!.url}/Hub`);
    const before = await allTables(page);
    const asked = hub!.received.length;
    hub!.holdNext = true;
    await page.getByRole('button', { name: 'Read 2026-10 from the hub' }).click();
    await page.getByTestId('hub-progress').getByText('Waiting for the hub…').waitFor();
    while (hub!.received.length === asked) await new Promise((resolve) => setTimeout(resolve, 20));
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('notice').getByText('Cancelled').waitFor();
    await expect(page.getByTestId('notice').textContent()).resolves.toContain('Nothing was written to the workbook');
    // The request itself stopped: the hub saw its caller go.
    while (hub!.abandoned === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(allTables(page)).resolves.toEqual(before);
    await expect(page.getByTestId('read-summary').count()).resolves.toBe(0);
    await page.close();
  });

  it('falls back to Costs() on a hub without Costs_v1_2(), and says so', async () => {
    const older = await LocalHub.start({ token: TOKEN, version: 'only-costs', answer: hubAnswer(lines, grain.dimensions), corsOrigin: new URL(harness!.url).origin });
    try {
      const page = await paneWithRules();
      await listPeriods(page, older.url);
      await expect(page.getByTestId('hub-notes').textContent()).resolves.toBe('FinOps hub (Data Explorer): Costs_v1_2() is missing in Hub; used Costs() instead');
      await readPeriod(page, '2026-10');
      await expect(page.getByTestId('read-summary').textContent()).resolves.toContain(`from ${older.url}/Hub Costs() →`);
      await page.close();
    } finally {
      await older.stop();
    }
  });

  it('says plainly when the hub refuses the user, and what to ask for', async () => {
    const page = await paneWithRules();
    hub!.forbidden = true;
    await page.getByLabel('Cluster URL').fill(`${hub!.url}/Hub`);
    await page.getByRole('button', { name: "List the hub's periods" }).click();
    const notice = page.getByTestId('notice');
    await notice.getByText('FinOps hub (Data Explorer): listing the billing periods failed').waitFor();
    await expect(notice.textContent()).resolves.toMatch(
      /No permission on database Hub: Principal 'aaduser=test' is not authorized to read database 'Hub'\. Ask the hub admin for the Viewer role on the Hub database .*Nothing was written to the workbook\.$/,
    );
    await page.close();
  });

  it('retries a throttled query and says so; after five refusals it says to try later', async () => {
    const page = await paneWithRules();
    hub!.throttleNext = 2;
    await listPeriods(page, `${hub!.url}/Hub`);
    await expect(page.getByTestId('hub-notes').locator('li').allTextContents()).resolves.toEqual([
      'FinOps hub (Data Explorer) throttled the query (listing the billing periods); retrying in 0.1 s (attempt 2 of 5)',
      'FinOps hub (Data Explorer) throttled the query (listing the billing periods); retrying in 0.1 s (attempt 3 of 5)',
    ]);
    hub!.throttleNext = 5;
    await page.getByRole('button', { name: 'Read 2026-10 from the hub' }).click();
    const notice = page.getByTestId('notice');
    await notice.getByText('FinOps hub (Data Explorer): summing 2026-10 to allocation grain failed').waitFor();
    await expect(notice.textContent()).resolves.toContain('Throttled 5 times: The request was denied due to throttling.');
    await expect(notice.textContent()).resolves.toContain('Try again later, or ask the hub admin to raise the request rate limit of your workload group.');
    await page.close();
  });
});

describe.each([320, 500])('From a FinOps hub at %i px', (width) => {
  it('fits and is accessible with the periods, the cost lines read, the hub\'s notes and an error shown', async () => {
    const page = await paneWithRules(width);
    hub!.throttleNext = 1;
    await listPeriods(page, `${hub!.url}/Hub`);
    await readPeriod(page, '2026-10');
    expect([width, await sideways(page)]).toEqual([width, 0]);
    expect([width, await axeViolations(page)]).toEqual([width, []]);
    hub!.forbidden = true;
    await page.getByRole('button', { name: "List the hub's periods" }).click();
    await page.getByTestId('notice').getByText(/failed$/).waitFor();
    expect([width, await sideways(page)]).toEqual([width, 0]);
    expect([width, await axeViolations(page)]).toEqual([width, []]);
    await page.close();
  });
});
