import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AzureBudget, DesiredBudget } from '../../src/budgets/budget';
import { retryAfterMs } from '../../src/budgets/budgets-api';
import { canonicalFilter, planBudgets } from '../../src/budgets/plan';
import { BUDGET_ROLES, parseScope, scopeOfBudgetId } from '../../src/budgets/scopes';
import { managementScope, managementToken } from '../../src/cli/azure-sign-in';
import { parseExact } from '../../src/core/money';

const SUB = '/subscriptions/00000000-0000-0000-0000-000000000000';
const example = (name: string) => JSON.parse(readFileSync(path.join(__dirname, 'examples', name), 'utf8'));

const desired = (fields: Partial<DesiredBudget> = {}): DesiredBudget => ({
  name: 'chargeback-CC-PAY-Budget',
  scope: parseScope(SUB)!,
  costCenter: 'CC-PAY',
  kind: 'Budget',
  source: { table: 'Budgets', row: 2 },
  amount: parseExact('100.65')!,
  startDate: '2023-04-01T00:00:00Z',
  earliestStart: '2023-04-01T00:00:00Z',
  endDate: '2024-10-31T00:00:00Z',
  filter: {
    and: [
      { tags: { name: 'department', operator: 'In', values: ['sales', 'engineering'] } },
      { tags: { name: 'category', operator: 'In', values: ['Prod', 'Dev'] } },
    ],
  },
  notifications: {
    Actual_GreaterThan_80_Percent: { enabled: true, operator: 'GreaterThan', threshold: 80, thresholdType: 'Actual', contactEmails: ['JaneSmith@contoso.com', 'johndoe@contoso.com'] },
  },
  over: false,
  ...fields,
});

/** The published Get-Cost-Budget example, renamed as ours and without its ResourceId clause and contact roles. */
function azureExample(): AzureBudget {
  const budget = example('Get-Cost-Budget.json').responses['200'].body as AzureBudget;
  budget.name = 'chargeback-CC-PAY-Budget';
  budget.id = budget.id.replace(/resourceGroups\/MYDEVTESTRG\//, '').replace('TestBudget', budget.name);
  budget.properties.filter!.and = budget.properties.filter!.and!.slice(1);
  const n = budget.properties.notifications!.Actual_GreaterThan_80_Percent;
  delete n.contactRoles;
  delete n.contactGroups;
  return budget;
}

describe('the plan against the published example budget', () => {
  it('finds it unchanged whatever the order of filter clauses, values and contact emails, or their letter case', () => {
    const plan = planBudgets([desired()], [azureExample()], [SUB]);
    expect(plan.unchanged.map((b) => b.name)).toEqual(['chargeback-CC-PAY-Budget']);
    expect(plan.unchanged[0].fields).toMatchObject({ amount: '100.65', currentSpend: '80.89', unit: 'USD' });
  });

  it('lists only the fields that differ, and a start date outside the row as a replace', () => {
    const plan = planBudgets([desired({ amount: parseExact('120')!, filter: undefined })], [azureExample()], [SUB]);
    expect(plan.update[0].changes).toEqual([
      { field: 'amount', from: '100.65', to: '120.00' },
      { field: 'filter', from: 'tags:category In [Dev,Prod] AND tags:department In [engineering,sales]', to: 'none' },
    ]);
    const moved = planBudgets([desired({ startDate: '2023-05-01T00:00:00Z', earliestStart: '2023-05-01T00:00:00Z' })], [azureExample()], [SUB]);
    expect(moved.replace[0].reason).toBe('the start date cannot change after creation: 2023-04-01 → 2023-05-01');
  });

  it('places listed budgets at their own scope: a subscription listing holds its resource groups\' budgets', () => {
    const listed = example('SubscriptionBudgetsList.json').responses['200'].body.value as AzureBudget[];
    expect(listed.map((b) => scopeOfBudgetId(b.id))).toEqual([SUB, `${SUB}/resourceGroups/MYDEVTESTRG`, `${SUB}/resourceGroups/MYDEVTESTRG`]);
    const ours = listed.map((b) => ({ ...b, name: `chargeback-${b.name}` }));
    expect(planBudgets([], ours, [SUB]).orphaned.map((b) => `${b.scope} ${b.name}`)).toEqual([`${SUB} chargeback-TestBudget`]);
  });

  it('compares filters without regard to order', () => {
    expect(canonicalFilter({ tags: { name: 'Team', operator: 'In', values: ['b', 'a'] } })).toBe(canonicalFilter({ and: undefined, tags: { name: 'team', operator: 'In', values: ['a', 'b'] } }));
    expect(canonicalFilter({})).toBe('');
  });
});

describe('talking to Azure', () => {
  it('waits what a throttled response asks, in seconds or as a date', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '20' }))).toBe(20_000);
    expect(retryAfterMs(new Headers({ 'x-ms-ratelimit-microsoft.consumption-retry-after': '5', 'retry-after': '20' }))).toBe(5_000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Fri, 27 Nov 2026 10:00:30 GMT' }), Date.parse('2026-11-27T10:00:00Z'))).toBe(30_000);
    expect(retryAfterMs(new Headers())).toBeUndefined();
  });

  it('signs in with AZURE_ACCESS_TOKEN when set, for the endpoint\'s own audience otherwise', async () => {
    expect(await managementToken('https://management.azure.com', { AZURE_ACCESS_TOKEN: ' pipeline-token ' })()).toBe('pipeline-token');
    expect(managementScope('https://management.usgovcloudapi.net/')).toBe('https://management.usgovcloudapi.net/.default');
  });

  it('documents the role needed at each scope as the 403 message names it', () => {
    const doc = readFileSync(path.join(__dirname, '../../docs/budgets.md'), 'utf8');
    for (const [kind, roles] of Object.entries(BUDGET_ROLES)) expect(doc).toContain(`| ${kind} | ${roles.read} | ${roles.write} |`);
  });
});
