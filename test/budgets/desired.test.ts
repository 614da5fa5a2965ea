import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseRules, ruleTablesFromJson, RuleTables } from '../../src/core/rules';
import { budgetName, desiredBudgets } from '../../src/budgets/desired';

const SUB = '/subscriptions/11111111-2222-3333-4444-555555555555';
const RG = `${SUB}/resourceGroups/rg-pay`;
const ACTION_GROUP = `${SUB}/resourceGroups/rg-ops/providers/microsoft.insights/actionGroups/FinOps`;

function tables(budgets: Record<string, unknown>[], extra: Partial<RuleTables> = {}): RuleTables {
  return {
    Settings: [{ Setting: 'BudgetScope', Value: SUB }],
    CostCenters: [
      { CostCenter: 'CC-PAY', Name: 'Payments', Owner: 'maria@contoso.com', GLAccount: '6100', Budget: '' },
      { CostCenter: 'CC-ML', Name: 'ML', Owner: 'Amara', GLAccount: '6200', Budget: '' },
    ],
    Mappings: [
      { Dimension: 'Tag:costcenter', Pattern: 'CC-PAY', CostCenter: 'CC-PAY' },
      { Dimension: 'Tag:costcenter', Pattern: 'payments', CostCenter: 'CC-PAY' },
      { Dimension: 'SubAccountName', Pattern: 'team-ml-*', CostCenter: 'CC-ML' },
    ],
    Budgets: budgets,
    ...extra,
  };
}

const row = (fields: Record<string, unknown>) => ({ CostCenter: 'CC-PAY', Period: '2026-12..2027-11', Amount: 3900, Kind: 'Budget', Scope: '', Filter: '', Thresholds: '', Contacts: '', ...fields });

function desired(t: RuleTables, currentMonth = '2026-11', scope?: string) {
  return desiredBudgets(t, parseRules(t), { currentMonth, scope });
}

describe('the budgets the workbook wants', () => {
  it('reads a Budgets row into a monthly budget with its dates, filter from the mappings, default thresholds and the owner as contact', () => {
    const { budgets, problems } = desired(tables([row({})]));
    expect(problems).toEqual([]);
    expect(budgets).toHaveLength(1);
    const [budget] = budgets;
    expect(budget.name).toBe('chargeback-CC-PAY-Budget');
    expect(budget.scope).toEqual({ id: SUB, kind: 'Subscription' });
    expect(budget.startDate).toBe('2026-12-01T00:00:00Z');
    expect(budget.endDate).toBe('2027-11-30T00:00:00Z');
    // Two tag mappings on one key translate into one In list.
    expect(budget.filter).toEqual({ tags: { name: 'costcenter', operator: 'In', values: ['CC-PAY', 'payments'] } });
    expect(Object.keys(budget.notifications)).toEqual(['Actual_GreaterThan_80_Percent', 'Actual_GreaterThan_100_Percent', 'Forecasted_GreaterThan_100_Percent']);
    expect(budget.notifications.Actual_GreaterThan_80_Percent).toEqual({ enabled: true, operator: 'GreaterThan', threshold: 80, thresholdType: 'Actual', contactEmails: ['maria@contoso.com'] });
  });

  it('names month-by-month amounts one budget per month, and CostCenters.Budget as an open Budget row', () => {
    const t = tables([row({ Kind: 'Forecast', Period: '2026-12', Amount: 100 }), row({ Kind: 'Forecast', Period: '2027-01', Amount: 120 })]);
    t.CostCenters![0].Budget = 3800;
    const { budgets, problems } = desired(t);
    expect(problems).toEqual([]);
    expect(budgets.map((b) => [b.name, b.startDate, b.endDate ?? 'open', b.source.table])).toEqual([
      ['chargeback-CC-PAY-Forecast-2026-12', '2026-12-01T00:00:00Z', '2026-12-31T00:00:00Z', 'Budgets'],
      ['chargeback-CC-PAY-Forecast-2027-01', '2027-01-01T00:00:00Z', '2027-01-31T00:00:00Z', 'Budgets'],
      ['chargeback-CC-PAY-Budget', '2026-11-01T00:00:00Z', 'open', 'CostCenters'],
    ]);
  });

  it('lets a Budget row take the place of CostCenters.Budget for its cost center', () => {
    const t = tables([row({ Amount: 4000 })]);
    t.CostCenters![0].Budget = 3800;
    const { budgets } = desired(t);
    expect(budgets.map((b) => [b.name, b.source.table])).toEqual([['chargeback-CC-PAY-Budget', 'Budgets']]);
  });

  it('lists a CostCenters.Budget whose mappings do not translate as not pushed, not as an error', () => {
    const t = tables([]);
    t.CostCenters![1].Budget = 1700;
    const outcome = desired(t);
    expect(outcome.problems).toEqual([]);
    expect(outcome.budgets).toEqual([]);
    expect(outcome.notPushed).toEqual([{ costCenter: 'CC-ML', source: { table: 'CostCenters', row: 3 }, reason: expect.stringContaining('Mappings row 4 (SubAccountName team-ml-*) has a wildcard') }]);
  });

  it('uses --scope over Settings BudgetScope, and the row Scope over both', () => {
    const other = '/subscriptions/99999999-0000-0000-0000-000000000000';
    const { budgets } = desired(tables([row({}), row({ Kind: 'Forecast', Scope: RG })]), '2026-11', other);
    expect(budgets.map((b) => b.scope.id)).toEqual([other, RG]);
  });

  it('reads an explicit Filter: clauses joined by ; that all must hold, FOCUS names translated', () => {
    const { budgets, problems } = desired(tables([row({ CostCenter: 'CC-ML', Filter: 'x_ResourceGroupName = rg-ml-a, rg-ml-b; Tag:env = prod', Contacts: 'amara@contoso.com' })]));
    expect(problems).toEqual([]);
    expect(budgets[0].filter).toEqual({
      and: [{ dimensions: { name: 'ResourceGroupName', operator: 'In', values: ['rg-ml-a', 'rg-ml-b'] } }, { tags: { name: 'env', operator: 'In', values: ['prod'] } }],
    });
  });

  it('sends action groups at subscription scope, and reads Excel dates on the first of a month as periods', () => {
    const { budgets, problems } = desired(tables([row({ Period: new Date(Date.UTC(2027, 0, 1)), Contacts: `finops@contoso.com; ${ACTION_GROUP}` })]));
    expect(problems).toEqual([]);
    expect(budgets[0].name).toBe('chargeback-CC-PAY-Budget-2027-01');
    expect(budgets[0].notifications.Actual_GreaterThan_80_Percent.contactGroups).toEqual([ACTION_GROUP]);
  });

  it('keeps names valid and distinct whatever the cost center code', () => {
    expect(budgetName('CC 100/A', 'Budget')).toMatch(/^chargeback-CC_100_A-[0-9a-f]{8}-Budget$/);
    expect(budgetName('CC 100/A', 'Budget')).not.toBe(budgetName('CC_100_A', 'Budget'));
    const long = budgetName('X'.repeat(80), 'Forecast', '2026-12');
    expect(long).toMatch(/^[A-Za-z0-9_-]{1,63}$/);
    expect(long).not.toBe(budgetName('X'.repeat(81), 'Forecast', '2026-12'));
  });
});

describe('bad Budgets rows', () => {
  const problemsOf = (rows: Record<string, unknown>[], currentMonth = '2026-11') => desired(tables(rows), currentMonth).problems.map((p) => `${p.table} row ${p.row}, ${p.column}: ${p.message}`);

  it('are all reported at once, each naming its row and column, and nothing is planned', () => {
    const t = tables([
      row({ Period: '2026-12-15' }),
      row({ Period: '2017-05' }),
      row({ Period: '2028-01' }),
      row({ Thresholds: 'Forecast 100%' }),
      row({ Thresholds: 'Actual 1200%' }),
      row({ Thresholds: 'Actual 10, Actual 20, Actual 30, Actual 40, Actual 50, Actual 60' }),
      row({ Kind: 'Plan' }),
      row({ Amount: -5 }),
      row({ CostCenter: 'CC-NOPE' }),
      row({ Scope: 'subscription-1' }),
    ]);
    const outcome = desired(t);
    expect(outcome.budgets).toEqual([]);
    expect(outcome.problems.map((p) => `${p.table} row ${p.row}, ${p.column}: ${p.message}`)).toEqual([
      'Budgets row 2, Period: a budget starts on the first of a month: write the Period as YYYY-MM, not 2026-12-15',
      'Budgets row 3, Period: a budget cannot start before 2017-06 (Cost Management\'s first month), not 2017-05',
      'Budgets row 4, Period: a budget cannot start more than 12 months ahead: 2028-01 is after 2027-11',
      'Budgets row 5, Thresholds: write Forecasted, not Forecast ("Forecast 100%"): Forecasted is Cost Management\'s name for a threshold on forecast cost',
      'Budgets row 6, Thresholds: threshold 1200% must be between 0 and 1000 with at most 2 decimals',
      'Budgets row 7, Thresholds: 6 Actual thresholds: a budget has at most 5 notifications of each type',
      'Budgets row 8, Kind: Kind "Plan" must be Budget or Forecast',
      'Budgets row 9, Amount: Amount "-5" must be an amount above zero',
      'Budgets row 10, CostCenter: cost center CC-NOPE is not in CostCenters',
      expect.stringMatching(/^Budgets row 11, Scope: "subscription-1" is not a scope a budget can live at/),
    ]);
  });

  it('refuse action groups outside subscription and resource group scopes, and a budget nobody hears about', () => {
    const billing = '/providers/Microsoft.Billing/billingAccounts/1234:5678/billingProfiles/ABCD';
    expect(problemsOf([row({ Scope: billing, Contacts: ACTION_GROUP })])).toEqual([
      `Budgets row 2, Contacts: action groups are allowed only at subscription or resource group scope, not at BillingProfile scope ${billing}`,
    ]);
    expect(problemsOf([row({ CostCenter: 'CC-ML', Filter: 'none' })])).toEqual([
      'Budgets row 2, Contacts: no contact: name an email or an action group, or give CC-ML an Owner email in CostCenters',
    ]);
  });

  it('refuse two amounts for one budget, and mappings a budget filter cannot express', () => {
    expect(problemsOf([row({}), row({ Period: '2027-03..2027-06', Amount: 5000 })])).toEqual([
      expect.stringMatching(/^Budgets row 3, Period: CC-PAY already has a Budget budget chargeback-CC-PAY-Budget at .* from Budgets row 2: a budget has one amount/),
    ]);
    expect(problemsOf([row({ CostCenter: 'CC-ML', Contacts: 'a@b.com' })])).toEqual([
      'Budgets row 2, Filter: Mappings row 4 (SubAccountName team-ml-*) has a wildcard, which a budget filter cannot express: write a Filter',
    ]);
  });
});

describe('the bundled sample', () => {
  it('pushes its Budgets rows and lists the cost centers whose mappings do not translate as not pushed', () => {
    const json = JSON.parse(readFileSync(path.join(__dirname, '../../assets/sample/rules.json'), 'utf8'));
    const t = ruleTablesFromJson(json);
    const outcome = desiredBudgets(t, parseRules(t), { currentMonth: '2026-11' });
    expect(outcome.problems).toEqual([]);
    expect(outcome.budgets.map((b) => [b.name, b.scope.kind, b.startDate.slice(0, 10), b.endDate?.slice(0, 10)])).toEqual([
      ['chargeback-CC-PAY-Budget', 'Subscription', '2026-11-01', '2027-10-31'],
      ['chargeback-CC-ML-Forecast-2026-12', 'ResourceGroup', '2026-12-01', '2026-12-31'],
      ['chargeback-CC-ML-Forecast-2027-01', 'ResourceGroup', '2027-01-01', '2027-01-31'],
    ]);
    expect(outcome.budgets[0].filter).toEqual({ dimensions: { name: 'SubscriptionName', operator: 'In', values: ['team-payments-prod'] } });
    expect(outcome.notPushed.map((n) => n.costCenter)).toEqual(['CC-SRCH', 'CC-DATA', 'CC-MOB', 'CC-ML', 'CC-PLAT']);
  });
});
