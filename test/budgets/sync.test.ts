import { parseRules, RuleTables } from '../../src/core/rules';
import { BudgetsApi } from '../../src/budgets/budgets-api';
import { planJson } from '../../src/budgets/plan';
import { applyBudgetPlan, planBudgetSync } from '../../src/budgets/sync';
import { FakeBudgets } from '../support/budgets-server';

const SUB = '/subscriptions/11111111-2222-3333-4444-555555555555';
const RG = `${SUB}/resourceGroups/rg-ml`;
const MONTH = '2026-11';

function tables(budgets: Record<string, unknown>[]): RuleTables {
  return {
    Settings: [{ Setting: 'BudgetScope', Value: SUB }],
    CostCenters: [
      { CostCenter: 'CC-PAY', Name: 'Payments', Owner: 'maria@contoso.com', GLAccount: '6100', Budget: '' },
      { CostCenter: 'CC-ML', Name: 'ML', Owner: 'amara@contoso.com', GLAccount: '6200', Budget: '' },
    ],
    Mappings: [
      { Dimension: 'Tag:costcenter', Pattern: 'CC-*', CostCenter: '{value}' },
      { Dimension: 'Tag:costcenter', Pattern: '*', CostCenter: '{value}' },
    ],
    Budgets: budgets,
  };
}

const payRow = (fields: Record<string, unknown> = {}) => ({ CostCenter: 'CC-PAY', Period: '2026-11..2027-10', Amount: 3900, Kind: 'Budget', Thresholds: 'Actual 80%, Forecasted 100%', ...fields });
const mlRow = (fields: Record<string, unknown> = {}) => ({ CostCenter: 'CC-ML', Period: '2026-12', Amount: 1800.5, Kind: 'Forecast', Scope: RG, Thresholds: 'Actual 100%', ...fields });

let fake: FakeBudgets;
let waits: number[];
let api: BudgetsApi;
beforeEach(async () => {
  fake = await new FakeBudgets().start();
  fake.now = new Date('2026-11-15T12:00:00Z');
  waits = [];
  api = new BudgetsApi({ endpoint: fake.endpoint, token: async () => 'test-token', sleep: async (ms) => void waits.push(ms) });
});
afterEach(() => fake.stop());

async function plan(rows: Record<string, unknown>[]) {
  const t = tables(rows);
  return planBudgetSync(api, t, parseRules(t), { currentMonth: MONTH });
}

async function apply(rows: Record<string, unknown>[], prune = false) {
  return applyBudgetPlan(api, await plan(rows), { prune });
}

describe('budgets sync against the Cost Management budgets API', () => {
  it('creates what Azure lacks, then a second apply with nothing changed writes nothing', async () => {
    const first = await plan([payRow(), mlRow()]);
    expect(planJson(first).create.map((b) => [b.name, b.scope, b.fields.amount, b.fields.startDate, b.fields.endDate])).toEqual([
      ['chargeback-CC-PAY-Budget', SUB, '3900.00', '2026-11-01', '2027-10-31'],
      ['chargeback-CC-ML-Forecast-2026-12', RG, '1800.50', '2026-12-01', '2026-12-31'],
    ]);
    const outcome = await applyBudgetPlan(api, first);
    expect(outcome.applied.map((a) => a.action)).toEqual(['created', 'created']);
    expect(outcome.writes).toBe(2);
    const stored = fake.find(SUB, 'chargeback-CC-PAY-Budget')!;
    expect(stored.properties).toMatchObject({
      category: 'Cost',
      amount: 3900,
      timeGrain: 'Monthly',
      timePeriod: { startDate: '2026-11-01T00:00:00Z', endDate: '2027-10-31T00:00:00Z' },
      filter: { tags: { name: 'costcenter', operator: 'In', values: ['CC-PAY'] } },
      notifications: { Actual_GreaterThan_80_Percent: { threshold: 80, thresholdType: 'Actual', contactEmails: ['maria@contoso.com'] } },
    });

    const before = fake.writes.length;
    const second = await plan([payRow(), mlRow()]);
    expect(second.unchanged.map((b) => b.name)).toEqual(['chargeback-CC-PAY-Budget', 'chargeback-CC-ML-Forecast-2026-12']);
    expect((await applyBudgetPlan(api, second)).writes).toBe(0);
    expect(fake.writes.length).toBe(before);
  });

  it('reads back the spend and forecast Cost Management reports beside the workbook amount', async () => {
    await apply([payRow()]);
    fake.spend.set('chargeback-CC-PAY-Budget', { current: 1234.56, forecast: 4100.1 });
    const [budget] = (await plan([payRow()])).unchanged;
    expect(budget.fields).toMatchObject({ amount: '3900.00', currentSpend: '1234.56', forecastSpend: '4100.10', unit: 'USD' });
  });

  it('updates field by field, sending the eTag it read', async () => {
    await apply([payRow()]);
    const eTag = fake.find(SUB, 'chargeback-CC-PAY-Budget')!.eTag;
    const changed = await plan([payRow({ Amount: 4200, Thresholds: 'Actual 90%, Forecasted 100%', Contacts: 'finops@contoso.com' })]);
    expect(changed.update).toHaveLength(1);
    expect(changed.update[0].changes!.map((c) => [c.field, c.from === null ? null : typeof c.from === 'string' ? c.from : 'notification', c.to === null ? null : typeof c.to === 'string' ? c.to : 'notification'])).toEqual([
      ['amount', '3900.00', '4200.00'],
      ['notifications.Actual_GreaterThan_80_Percent', 'notification', null],
      ['notifications.Actual_GreaterThan_90_Percent', null, 'notification'],
      ['notifications.Forecasted_GreaterThan_100_Percent', 'notification', 'notification'],
    ]);
    const outcome = await applyBudgetPlan(api, changed);
    expect(outcome.applied[0]).toMatchObject({ action: 'updated' });
    const put = fake.requests.filter((r) => r.method === 'PUT').pop()!;
    expect(put.eTag).toBe(eTag);
    expect(fake.find(SUB, 'chargeback-CC-PAY-Budget')!.properties.amount).toBe(4200);
    expect(fake.find(SUB, 'chargeback-CC-PAY-Budget')!.properties.timePeriod.startDate).toBe('2026-11-01T00:00:00Z');
  });

  it('replaces a budget whose start date moved (Azure cannot change it), by delete and create', async () => {
    await apply([mlRow()]);
    // A one-month budget for another month is another budget: the old month's is orphaned.
    const moved = await plan([mlRow({ Period: '2027-01' }), mlRow({ Period: '2027-03' })]);
    expect(moved.create.map((b) => b.name)).toEqual(['chargeback-CC-ML-Forecast-2027-01', 'chargeback-CC-ML-Forecast-2027-03']);
    expect(moved.orphaned.map((b) => b.name)).toEqual(['chargeback-CC-ML-Forecast-2026-12']);

    // The same budget (open, one name) with its start moved later is a replace.
    await apply([payRow({ Period: '' })]);
    const later = await plan([payRow({ Period: '2027-01..2027-12' })]);
    expect(later.replace.map((b) => [b.name, b.reason])).toEqual([['chargeback-CC-PAY-Budget', 'the start date cannot change after creation: 2026-11-01 → 2027-01-01']]);
    const outcome = await applyBudgetPlan(api, later);
    expect(outcome.applied.find((a) => a.name === 'chargeback-CC-PAY-Budget')).toMatchObject({ action: 'replaced' });
    expect(fake.requests.slice(-2).map((r) => r.method)).toEqual(['DELETE', 'PUT']);
    expect(fake.find(SUB, 'chargeback-CC-PAY-Budget')!.properties.timePeriod.startDate).toBe('2027-01-01T00:00:00Z');
  });

  it('keeps the start of a budget made for a range that began before, instead of replacing it every month', async () => {
    await apply([payRow()]);
    fake.now = new Date('2027-02-10T00:00:00Z');
    const t = tables([payRow()]);
    const later = await planBudgetSync(api, t, parseRules(t), { currentMonth: '2027-02' });
    expect(later.unchanged.map((b) => b.name)).toEqual(['chargeback-CC-PAY-Budget']);
  });

  it('reports budgets of ours the workbook no longer has, deletes them only with prune, and never touches others', async () => {
    await apply([payRow(), mlRow()]);
    fake.seed(SUB, 'TeamOwnBudget', { category: 'Cost', amount: 5, timeGrain: 'Monthly', timePeriod: { startDate: '2026-11-01T00:00:00Z' } });
    const kept = await apply([payRow()]);
    expect(kept.orphaned).toEqual([]); // the RG is no longer a scope the workbook names: not listed
    const withRgDefault = await plan([payRow({ Scope: RG, Kind: 'Forecast' })]);
    expect(withRgDefault.orphaned.map((b) => `${b.scope} ${b.name}`).sort()).toEqual([`${RG} chargeback-CC-ML-Forecast-2026-12`, `${SUB} chargeback-CC-PAY-Budget`].sort());

    const noPrune = await applyBudgetPlan(api, withRgDefault);
    expect(noPrune.orphaned).toHaveLength(2);
    expect(fake.find(SUB, 'chargeback-CC-PAY-Budget')).toBeDefined();
    const pruned = await apply([payRow({ Scope: RG, Kind: 'Forecast' })], true);
    expect(pruned.applied.filter((a) => a.action === 'deleted').map((a) => a.name).sort()).toEqual(['chargeback-CC-ML-Forecast-2026-12', 'chargeback-CC-PAY-Budget']);
    expect(fake.find(SUB, 'chargeback-CC-PAY-Budget')).toBeUndefined();
    expect(fake.find(SUB, 'TeamOwnBudget')).toBeDefined();
  });

  it('waits as long as a 429 asks (Retry-After or the consumption header), then goes on', async () => {
    fake.throttle = { count: 2, seconds: 3, header: 'Retry-After' };
    await apply([payRow()]);
    expect(waits).toEqual([3000, 3000]);
    // A write refused as throttled and sent again is one write.
    const t = tables([payRow({ Amount: 4000 })]);
    const changed = await planBudgetSync(api, t, parseRules(t), { currentMonth: MONTH });
    fake.throttle = { count: 2, seconds: 2, header: 'Retry-After', method: 'PUT' };
    const before = fake.requests.length;
    const outcome = await applyBudgetPlan(api, changed);
    expect(outcome.writes).toBe(1);
    expect(fake.requests.slice(before).map((r) => r.method)).toEqual(['GET', 'PUT', 'PUT', 'PUT']); // the read, two throttled writes, the write
    expect(waits).toEqual([3000, 3000, 2000, 2000]);
    waits.length = 0;
    waits.push(3000, 3000);
    fake.throttle = { count: 1, seconds: 7, header: 'x-ms-ratelimit-microsoft.consumption-retry-after' };
    await plan([payRow()]);
    expect(waits).toEqual([3000, 3000, 7000]);
    fake.throttle = { count: 10, seconds: 1, header: 'Retry-After' };
    await expect(plan([payRow()])).rejects.toThrow('Cost Management is still throttling after 6 tries (429)');
  });

  it('re-reads and re-plans when someone changed the budget between its read and the write (412)', async () => {
    await apply([payRow()]);
    let changedByColleague = false;
    fake.beforePut = (name) => {
      if (changedByColleague) return;
      changedByColleague = true;
      const budget = fake.find(SUB, name)!;
      budget.properties.amount = 5000;
      budget.eTag = fake.nextETag();
    };
    const outcome = await apply([payRow({ Amount: 4200 })]);
    expect(outcome.applied[0]).toMatchObject({ action: 'updated' });
    expect(fake.requests.filter((r) => r.method === 'PUT').length).toBe(3); // create, the refused PUT, the PUT after re-reading
    expect(fake.find(SUB, 'chargeback-CC-PAY-Budget')!.properties.amount).toBe(4200);
  });

  it('says when the sign-in is refused (401), and which role is missing at which scope (403)', async () => {
    fake.token = 'another-token';
    await expect(plan([payRow()])).rejects.toThrow(`Azure did not accept the sign-in (401 AuthenticationFailed`);
    fake.token = 'test-token';
    fake.forbidden.set(SUB, 'read');
    await expect(plan([payRow()])).rejects.toThrow(`no permission to read budgets at ${SUB} (403 AuthorizationFailed`);
    await expect(plan([payRow()])).rejects.toThrow('needs Cost Management Reader (or Reader) at this scope');
    fake.forbidden.set(SUB, 'write');
    await expect(apply([payRow()])).rejects.toThrow(`no permission to change budgets at ${SUB} (403 AuthorizationFailed: The client does not have authorization to perform action 'Microsoft.CostManagement/budgets/write' over scope '${SUB}'.): the signed-in identity needs Cost Management Contributor (or Contributor) at this scope`);
  });

  it('reads listings page by page (nextLink)', async () => {
    await apply([payRow(), payRow({ Kind: 'Forecast' }), mlRow({ Scope: '' })]);
    fake.pageSize = 1;
    const again = await plan([payRow(), payRow({ Kind: 'Forecast' }), mlRow({ Scope: '' })]);
    expect(again.unchanged).toHaveLength(3);
    expect(fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/budgets')).length).toBeGreaterThanOrEqual(3);
  });
});
