import os from 'node:os';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RuleTables } from '../../src/core/rules';
import { ExcelJsGateway } from '../../src/workbook/exceljs-gateway';
import { auditEntriesFrom, ruleTableSpecs } from '../../src/workbook/layout';
import { verifyWorkbook } from '../../src/workbook/approval';
import { FakeBudgets } from '../support/budgets-server';
import { tempDir } from '../support/files';

const root = path.resolve(__dirname, '../..');
const SUB = '/subscriptions/11111111-2222-3333-4444-555555555555';

/** Runs the built command line without blocking this process, so the local budgets API can answer it. */
function chargeback(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'bin', 'chargeback.js'), ...args], { cwd: root, env: { ...process.env, CHARGEBACK_USER: 'test runner', AZURE_ACCESS_TOKEN: 'test-token', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const month = (offset: number) => {
  const now = new Date();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
  return d.toISOString().slice(0, 7);
};

function rules(budgets: Record<string, unknown>[]): RuleTables {
  return {
    Settings: [{ Setting: 'BudgetScope', Value: SUB }],
    CostCenters: [
      { CostCenter: 'CC-PAY', Name: 'Payments', Owner: 'maria@contoso.com', GLAccount: '6100', Budget: 3800 },
      { CostCenter: 'CC-ML', Name: 'ML', Owner: 'amara@contoso.com', GLAccount: '6200', Budget: 1700 },
    ],
    Mappings: [
      { Dimension: 'Tag:costcenter', Pattern: 'CC-PAY', CostCenter: 'CC-PAY' },
      { Dimension: 'SubAccountName', Pattern: 'team-ml-*', CostCenter: 'CC-ML' },
    ],
    SharedPools: [],
    Budgets: budgets,
  };
}

const forecast = (offset: number, amount: number) => ({ CostCenter: 'CC-ML', Period: month(offset), Amount: amount, Kind: 'Forecast', Filter: 'SubAccountName = team-ml-dev', Thresholds: 'Actual 100%' });

async function workbook(budgets: Record<string, unknown>[]): Promise<string> {
  const gateway = new ExcelJsGateway();
  await gateway.writeTables(ruleTableSpecs(rules(budgets)));
  const file = path.join(tempDir('chargeback-budgets-'), 'book.xlsx');
  writeFileSync(file, await gateway.toBytes());
  return file;
}

async function auditOf(file: string) {
  const gateway = await ExcelJsGateway.fromBytes(readFileSync(file));
  return { entries: auditEntriesFrom(await gateway.readTable('Audit')), gateway };
}

let fake: FakeBudgets;
beforeEach(async () => {
  fake = await new FakeBudgets().start();
});
afterEach(() => fake.stop());

describe('chargeback budgets', () => {
  it('plans, applies, records the apply in Audit, and a second apply writes nothing', async () => {
    const book = await workbook([forecast(1, 1800), forecast(2, 2100)]);
    const plan = await chargeback(['budgets', 'plan', '--rules', book, '--endpoint', fake.endpoint, '--json']);
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    const json = JSON.parse(plan.stdout);
    expect(Object.keys(json)).toEqual(['create', 'update', 'unchanged', 'replace', 'orphaned', 'skipped']);
    expect(json.create.map((b: { name: string; scope: string; fields: { amount: string } }) => [b.name, b.scope, b.fields.amount])).toEqual([
      [`chargeback-CC-ML-Forecast-${month(1)}`, SUB, '1800.00'],
      [`chargeback-CC-ML-Forecast-${month(2)}`, SUB, '2100.00'],
      ['chargeback-CC-PAY-Budget', SUB, '3800.00'],
    ]);
    // CC-ML's CostCenters.Budget: its mapping has a wildcard, so it is listed, not pushed.
    expect(json.skipped).toEqual([expect.objectContaining({ name: 'chargeback-CC-ML-Budget', reason: expect.stringContaining('add a Budgets row with a Filter') })]);
    expect(fake.writes).toEqual([]);

    const applied = await chargeback(['budgets', 'apply', '--rules', book, '--endpoint', fake.endpoint]);
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toContain('Budgets applied: 3 writes to Cost Management, 0 unchanged');
    expect(applied.stdout).toContain(`created    chargeback-CC-PAY-Budget  ${SUB}`);
    expect(fake.find(SUB, 'chargeback-CC-PAY-Budget')!.properties.filter).toEqual({ tags: { name: 'costcenter', operator: 'In', values: ['CC-PAY'] } });

    const again = await chargeback(['budgets', 'apply', '--rules', book, '--endpoint', fake.endpoint]);
    expect(again.stdout).toContain('Budgets applied: 0 writes to Cost Management, 3 unchanged');
    expect(fake.writes).toHaveLength(3);

    const { entries, gateway } = await auditOf(book);
    // The first apply logs what it is about to write, then what it wrote; the second has nothing to write.
    expect(entries.map((e) => [e.action, e.by])).toEqual([
      ['Budgets', `test runner (typed, not verified; OS user ${os.userInfo().username}@${os.hostname()})`],
      ['Budgets', `test runner (typed, not verified; OS user ${os.userInfo().username}@${os.hostname()})`],
      ['Budgets', `test runner (typed, not verified; OS user ${os.userInfo().username}@${os.hostname()})`],
    ]);
    expect(entries[0].details).toContain(`about to write create chargeback-CC-ML-Forecast-${month(1)} at ${SUB}, create chargeback-CC-ML-Forecast-${month(2)} at ${SUB}, create chargeback-CC-PAY-Budget at ${SUB}; `);
    expect(entries[1].details).toContain(`created 3, updated 0, replaced 0, deleted 0, unchanged 0: chargeback-CC-ML-Forecast-${month(1)}`);
    expect(entries[2].details).toContain('created 0, updated 0, replaced 0, deleted 0, unchanged 3');
    expect((await verifyWorkbook(gateway)).ok).toBe(true);
  });

  it('shows changes field by field with the spend Azure reports, and prunes only when asked', async () => {
    const book = await workbook([forecast(1, 1800), forecast(2, 2100)]);
    await chargeback(['budgets', 'apply', '--rules', book, '--endpoint', fake.endpoint]);
    fake.spend.set('chargeback-CC-PAY-Budget', { current: 912.4, forecast: 3950 });
    const changed = await workbook([forecast(1, 1950)]);
    const plan = await chargeback(['budgets', 'plan', '--rules', changed, '--endpoint', fake.endpoint]);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('Budgets plan: 0 to create, 1 to update, 0 to replace, 1 unchanged, 1 orphaned (deleted only with --prune)');
    expect(plan.stdout).toContain('amount: 1800.00 → 1950.00');
    expect(plan.stdout).toMatch(/unchanged  chargeback-CC-PAY-Budget .*\n\s+3800\.00 a month, .* \(CostCenters row 2\); Azure: spent 912\.40, forecast 3950\.00 USD/);
    expect(plan.stdout).toContain(`orphaned   chargeback-CC-ML-Forecast-${month(2)}`);

    const kept = await chargeback(['budgets', 'apply', '--rules', changed, '--endpoint', fake.endpoint]);
    expect(kept.stdout).toContain(`kept       chargeback-CC-ML-Forecast-${month(2)}  ${SUB} (orphaned: --prune deletes it)`);
    expect(fake.find(SUB, `chargeback-CC-ML-Forecast-${month(2)}`)).toBeDefined();
    const pruned = await chargeback(['budgets', 'apply', '--rules', changed, '--endpoint', fake.endpoint, '--prune']);
    expect(pruned.stdout).toContain(`deleted    chargeback-CC-ML-Forecast-${month(2)}`);
    expect(fake.find(SUB, `chargeback-CC-ML-Forecast-${month(2)}`)).toBeUndefined();
  });

  it('takes rules as JSON too, waiting out throttling', async () => {
    const dir = tempDir('chargeback-budgets-');
    const file = path.join(dir, 'rules.json');
    writeFileSync(file, JSON.stringify({ settings: {}, costCenters: [{ costCenter: 'CC-PAY', name: 'Payments', owner: 'maria@contoso.com', glAccount: '6100', budget: 3800 }], mappings: [{ dimension: 'Tag:costcenter', pattern: 'CC-PAY', costCenter: 'CC-PAY' }] }));
    fake.throttle = { count: 1, seconds: 1, header: 'Retry-After' };
    const applied = await chargeback(['budgets', 'apply', '--rules', file, '--scope', `${SUB}/resourceGroups/rg-pay`, '--endpoint', fake.endpoint, '--json']);
    expect(applied.stderr).toBe('');
    const json = JSON.parse(applied.stdout);
    expect(json.applied).toEqual([{ name: 'chargeback-CC-PAY-Budget', scope: `${SUB}/resourceGroups/rg-pay`, action: 'created' }]);
    expect(json.writes).toBe(1);
    expect(fake.requests[0].method).toBe('GET');
    expect(fake.requests.length).toBeGreaterThanOrEqual(3); // the throttled listing, the listing again, the budget read, the write
  });

  it('stops on bad rows with every problem named, before calling Azure', async () => {
    const book = await workbook([{ ...forecast(1, 100), Thresholds: 'Forecast 100%' }, { ...forecast(2, 100), Scope: '/providers/Microsoft.Billing/billingAccounts/123', Contacts: `${SUB}/resourceGroups/ops/providers/microsoft.insights/actionGroups/FinOps` }]);
    const plan = await chargeback(['budgets', 'plan', '--rules', book, '--endpoint', fake.endpoint]);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toBe(
      'error: the rules have 2 problems:\n' +
        '  Budgets row 2, Thresholds: write Forecasted, not Forecast ("Forecast 100%"): Forecasted is Cost Management\'s name for a threshold on forecast cost\n' +
        '  Budgets row 3, Contacts: action groups are allowed only at subscription or resource group scope, not at BillingAccount scope /providers/Microsoft.Billing/billingAccounts/123\n',
    );
    expect(fake.requests).toEqual([]);
  });

  it('records in Audit what was written when apply stops part-way', async () => {
    const RG = `${SUB}/resourceGroups/rg-ml`;
    const book = await workbook([forecast(1, 1800), { ...forecast(2, 2100), Scope: RG }]);
    fake.forbidden.set(RG, 'write');
    const stopped = await chargeback(['budgets', 'apply', '--rules', book, '--endpoint', fake.endpoint]);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain(`error: no permission to change budgets at ${RG}`);
    expect(fake.find(SUB, `chargeback-CC-ML-Forecast-${month(1)}`)).toBeDefined();
    const { entries } = await auditOf(book);
    expect(entries).toHaveLength(2);
    expect(entries[0].details).toContain(`about to write create chargeback-CC-ML-Forecast-${month(1)} at ${SUB}, create chargeback-CC-ML-Forecast-${month(2)} at ${RG}, create chargeback-CC-PAY-Budget at ${SUB};`);
    expect(entries[1].details).toMatch(new RegExp(`^pushed to Cost Management \\(http://127\\.0\\.0\\.1:\\d+\\): stopped part-way \\(no permission to change budgets at ${RG} .*\\); before that created 1, updated 0, replaced 0, deleted 0, unchanged 0: chargeback-CC-ML-Forecast-${month(1)}$`));
  });

  it('leaves an Audit log that names what Azure may hold when apply is killed part way', async () => {
    const book = await workbook([forecast(1, 1800), forecast(2, 2100)]);
    const child = spawn(process.execPath, [path.join(root, 'bin', 'chargeback.js'), 'budgets', 'apply', '--rules', book, '--endpoint', fake.endpoint], {
      cwd: root,
      env: { ...process.env, CHARGEBACK_USER: 'test runner', AZURE_ACCESS_TOKEN: 'test-token' },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_, signal) => resolve(signal)));
    let puts = 0;
    // Killed as the second budget is being written: the first is in Azure already.
    fake.beforePut = () => {
      if (++puts === 2) child.kill('SIGKILL');
    };
    expect(await exited).toBe('SIGKILL');
    expect(fake.find(SUB, `chargeback-CC-ML-Forecast-${month(1)}`)).toBeDefined();
    const { entries, gateway } = await auditOf(book);
    expect(entries).toHaveLength(1);
    expect(entries[0].details).toMatch(/^pushed to Cost Management \(http:\/\/127\.0\.0\.1:\d+\): about to write create .*; the next Budgets entry says what was written \(without one, apply stopped part way and Azure may hold any of these\)$/);
    // Every budget Azure now holds is one the log names.
    for (const { budget } of fake.budgets.values()) expect(entries[0].details).toContain(`create ${budget.name} at ${SUB}`);
    expect((await verifyWorkbook(gateway)).ok).toBe(true);
  });

  it('says which role is missing at which scope, and refuses bad usage', async () => {
    const book = await workbook([forecast(1, 1800)]);
    fake.forbidden.set(SUB, 'write');
    const denied = await chargeback(['budgets', 'apply', '--rules', book, '--endpoint', fake.endpoint]);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(new RegExp(`^error: no permission to change budgets at ${SUB} \\(403 AuthorizationFailed.*\\): the signed-in identity needs Cost Management Contributor \\(or Contributor\\) at this scope\\n$`));
    // The intent logged before the first write, then that nothing was written.
    expect((await auditOf(book)).entries.map((e) => e.details.replace(/^pushed to Cost Management \(.*?\): /, '').replace(/ \(.*/s, ''))).toEqual(['about to write create chargeback-CC-ML-Forecast-' + month(1) + ' at ' + SUB + ', create chargeback-CC-PAY-Budget at ' + SUB + '; the next Budgets entry says what was written', 'stopped before writing anything']);

    const expired = await chargeback(['budgets', 'plan', '--rules', book, '--endpoint', fake.endpoint], { AZURE_ACCESS_TOKEN: 'expired' });
    expect(expired.code).toBe(1);
    expect(expired.stderr).toContain('sign in again (az login) or set a fresh token in AZURE_ACCESS_TOKEN');

    const usage = await chargeback(['budgets', 'plan', '--rules', book, '--scope', 'my-subscription']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage error: --scope "my-subscription" is not a scope a budget can live at');
    expect((await chargeback(['budgets', 'sync', '--rules', book])).code).toBe(2);
  });
});
