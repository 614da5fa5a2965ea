/**
 * The Budgets step in real headless Chromium on the harness page, against the local stand-in for
 * the Cost Management budgets API: plan (the table with Azure's spend beside the workbook's
 * amounts), apply (an Audit row), and a second plan that finds nothing to change.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { RuleTables } from '../../src/core/rules';
import { ruleTableSpecs } from '../../src/workbook/layout';
import { FakeBudgets } from '../support/budgets-server';
import { column, Harness, openPane, readTable, SHOTS, startHarness } from './harness-page';
import { axeViolations } from './pane-checks';

jest.setTimeout(120_000);

const SUB = '/subscriptions/11111111-2222-3333-4444-555555555555';
const month = (offset: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)).toISOString().slice(0, 7);
};

const rules: RuleTables = {
  Settings: [{ Setting: 'BudgetScope', Value: SUB }],
  CostCenters: [
    { CostCenter: 'CC-PAY', Name: 'Payments', Owner: 'maria@contoso.com', GLAccount: '6100', Budget: 3800 },
    { CostCenter: 'CC-ML', Name: 'ML', Owner: 'amara@contoso.com', GLAccount: '6200', Budget: '' },
  ],
  Mappings: [{ Dimension: 'Tag:costcenter', Pattern: 'CC-*', CostCenter: '{value}' }],
  SharedPools: [],
  Budgets: [
    { CostCenter: 'CC-ML', Period: month(1), Amount: 1800, Kind: 'Forecast', Thresholds: 'Actual 100%' },
    { CostCenter: 'CC-ML', Period: month(2), Amount: 2100, Kind: 'Forecast', Thresholds: 'Actual 100%' },
  ],
};

// The admin's chargeback.config.json: the app registration and tenant the pane signs in with.
const CLIENT_ID = '0d3f6c1e-5b7a-4c2e-9f10-2a4b6c8d0e1f';
const TENANT = 'contoso.onmicrosoft.com';

let harness: Harness | undefined;
let fake: FakeBudgets | undefined;
let page: Page;

/** A pane on the Office.js gateway, with the rules written and the Budgets step open on the local budgets server. */
async function budgetsPane(config?: unknown): Promise<Page> {
  const opened = await openPane(harness!, 'office', { config });
  await opened.evaluate((specs) => window.__harness.writeTables(specs), ruleTableSpecs(rules));
  await opened.getByRole('tab', { name: '6. Budgets' }).click();
  await opened.getByLabel('Resource Manager').fill(fake!.endpoint);
  return opened;
}

const azureSignIns = (on: Page) => on.evaluate(() => window.__harness.azureSignIns);
const clientIdFields = (on: Page) => on.locator('[role="tabpanel"]:not([hidden])').getByLabel(/client id/i);

beforeAll(async () => {
  [harness, fake] = await Promise.all([startHarness(), new FakeBudgets().start()]);
  fake.token = 'harness-token';
  page = await budgetsPane({ tenant: TENANT, clientId: CLIENT_ID });
});

afterAll(async () => {
  await harness?.close();
  await fake?.stop();
});

/** The plan table's rows: name, detail, plan, amount, spent, forecast. */
const planRows = () =>
  page.evaluate(() =>
    [...document.querySelectorAll('[data-testid="budget-row"]')].map((row) => {
      const [budget, ...cells] = [...row.querySelectorAll('td')];
      return [...[...budget.querySelectorAll('div')].map((d) => d.textContent ?? ''), ...cells.map((c) => c.textContent ?? '')];
    }),
  );

describe('the Budgets step', () => {
  it('plans the workbook budgets against Azure, then applies them with an Audit row', async () => {
    fake!.seed(SUB, 'chargeback-CC-PAY-Budget', {
      category: 'Cost',
      amount: 3500,
      timeGrain: 'Monthly',
      timePeriod: { startDate: `${month(0)}-01T00:00:00Z` },
      filter: { tags: { name: 'costcenter', operator: 'In', values: ['CC-PAY'] } },
      notifications: {},
    });
    fake!.spend.set('chargeback-CC-PAY-Budget', { current: 1204.5, forecast: 3300 });
    // Finance staff are not asked for an app registration: the admin's is used, in the admin's tenant.
    await expect(clientIdFields(page).count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Plan' }).click();
    await page.getByTestId('budgets-plan').waitFor();
    expect(await azureSignIns(page)).toEqual([{ endpoint: fake!.endpoint, clientId: CLIENT_ID, authority: `https://login.microsoftonline.com/${TENANT}` }]);
    const rows = await planRows();
    expect(rows.map((r) => [r[0], r[2]])).toEqual([
      [`chargeback-CC-ML-Forecast-${month(1)}`, 'create'],
      [`chargeback-CC-ML-Forecast-${month(2)}`, 'create'],
      ['chargeback-CC-PAY-Budget', 'update'],
    ]);
    expect(rows[0].slice(2)).toEqual(['create', '1800.00', '', '']);
    expect(rows[2].slice(2)).toEqual(['update', '3800.00', '1204.50', '']);
    expect(rows[2][1]).toBe('amount: 3500.00 → 3800.00; +Actual 100%; +Actual 80%; +Forecasted 100%');
    expect(fake!.writes).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'budgets-step.png'), fullPage: true, animations: 'disabled' });

    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByTestId('notice').getByText('Budgets applied: 3 writes').waitFor();
    expect(fake!.find(SUB, 'chargeback-CC-PAY-Budget')!.properties.amount).toBe(3800);
    expect(fake!.find(SUB, `chargeback-CC-ML-Forecast-${month(2)}`)!.properties.notifications.Actual_GreaterThan_100_Percent.contactEmails).toEqual(['amara@contoso.com']);
    const audit = (await readTable(page, 'Audit'))!;
    // What apply was about to write, logged before the first write; then what it wrote.
    expect(column(audit, 'Action')).toEqual(['Budgets', 'Budgets']);
    expect(String(column(audit, 'Details')[0])).toContain(`about to write create chargeback-CC-ML-Forecast-${month(1)} at ${SUB}`);
    expect(String(column(audit, 'Details')[1])).toContain('created 2, updated 1, replaced 0, deleted 0, unchanged 0');
    // After apply the table is planned again: nothing left to do.
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="budget-row"]')].every((row) => row.textContent?.includes('unchanged')));
  });

  it('without a configured app registration, shows the admins\' client-id field naming the configuration file, and signs in with what the admin types', async () => {
    const unconfigured = await budgetsPane();
    try {
      const budgetsStep = unconfigured.locator('[role="tabpanel"]:not([hidden])');
      const field = budgetsStep.getByLabel('App registration client id (admins)');
      await expect(field.count()).resolves.toBe(1);
      await expect(budgetsStep.getByText(/^Normally set once for everyone as clientId in chargeback\.config\.json/).count()).resolves.toBe(1);
      await expect(axeViolations(unconfigured)).resolves.toEqual([]);
      // Nothing to sign in with: the step says where the admin sets it, and asks Azure nothing.
      await unconfigured.getByRole('button', { name: 'Plan' }).click();
      await unconfigured.getByTestId('notice').getByText(/no app registration to sign in to Azure with: the admin sets clientId in chargeback\.config\.json/).waitFor();
      expect(await azureSignIns(unconfigured)).toEqual([]);
      const typed = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
      await field.fill(typed);
      await unconfigured.getByRole('button', { name: 'Plan' }).click();
      await unconfigured.getByTestId('budgets-plan').waitFor();
      expect(await azureSignIns(unconfigured)).toEqual([{ endpoint: fake!.endpoint, clientId: typed, authority: 'https://login.microsoftonline.com/common' }]);
    } finally {
      await unconfigured.close();
    }
  });

  it('says which role is missing at which scope when Azure refuses', async () => {
    fake!.forbidden.set(SUB, 'read');
    await page.getByRole('button', { name: 'Plan' }).click();
    await page.getByTestId('notice').getByText(`No permission to read budgets at ${SUB}`, { exact: false }).waitFor();
    await expect(page.getByTestId('notice').textContent()).resolves.toContain('needs Cost Management Reader (or Reader) at this scope');
  });
});
