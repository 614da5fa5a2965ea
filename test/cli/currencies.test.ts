/** `chargeback run`, `approve` and `publish` on a month billed in USD, EUR and JPY, charged back in USD. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ExcelJsGateway } from '../../src/workbook/exceljs-gateway';
import { chargeback } from '../support/cli';
import { BASE_HEADER, focusCsv, tempDir } from '../support/files';

const rules = (settings: Record<string, string>, rates = [
  { period: '2026-10', fromCurrency: 'EUR', toCurrency: 'USD', rate: '1.0825', source: 'ECB month-end' },
  { period: '2026-10', fromCurrency: 'JPY', toCurrency: 'USD', rate: '0.006607', source: 'ECB month-end' },
]) => ({
  settings: { clearingAccount: '2990', reportingCurrency: 'USD', ...settings },
  costCenters: [
    { costCenter: 'CC-EU', name: 'Europe', glAccount: '6100' },
    { costCenter: 'CC-US', name: 'Americas', glAccount: '6200' },
    { costCenter: 'CC-JP', name: 'Japan', glAccount: '6300' },
  ],
  mappings: [
    { dimension: 'SubAccountName', pattern: 'eu-*', costCenter: 'CC-EU' },
    { dimension: 'SubAccountName', pattern: 'us-*', costCenter: 'CC-US' },
    { dimension: 'SubAccountName', pattern: 'jp-*', costCenter: 'CC-JP' },
  ],
  sharedPools: [{ pool: 'Network', dimension: 'ServiceCategory', pattern: 'Networking', method: 'Even', targets: '*' }],
  rates,
});
const row = (currency: string, amount: string, account: string, category = 'Compute') => ['2026-10-01T00:00:00Z', currency, 'Usage', '', amount, amount, account, category, 'VMs', 'Azure', ''];
const october = [row('EUR', '100.00', 'eu-prod'), row('EUR', '0.10', 'eu-hub', 'Networking'), row('USD', '200.00', 'us-prod'), row('JPY', '15000', 'jp-prod')];

function fixture(settings: Record<string, string> = {}, rates?: Parameters<typeof rules>[1]) {
  const dir = tempDir('chargeback-currencies-');
  writeFileSync(path.join(dir, 'rules.json'), JSON.stringify(rules(settings, rates)));
  writeFileSync(path.join(dir, 'october.csv'), focusCsv(BASE_HEADER, october));
  return { dir, run: (...extra: string[]) => chargeback(['run', '--costs', path.join(dir, 'october.csv'), '--rules', path.join(dir, 'rules.json'), '--out', path.join(dir, 'book.xlsx'), ...extra]) };
}

describe('chargeback run on a month billed in three currencies', () => {
  it('charges back in USD, exactly, and says per billing currency what was converted at which rate', async () => {
    const { dir, run } = fixture();
    const { code, stdout, stderr } = run('--json');
    expect([code, stderr]).toEqual([0, '']);
    const summary = JSON.parse(stdout);
    // EUR 100.00 × 1.0825 = 108.25; EUR 0.10 × 1.0825 = 0.10825; JPY 15000 × 0.006607 = 99.105.
    // Exact total 108.25 + 0.10825 + 200 + 99.105 = 407.46325 → 407.46. Network 0.10825 Even:
    // 0.0360833… each; CC-EU 108.2860833 → 108.28, CC-US 200.0360833 → 200.03, CC-JP 99.1410833 → 99.14,
    // floors 407.45: the cent left goes to the largest remainder (CC-EU's .608): 108.29.
    expect(summary).toMatchObject({ currency: 'USD', sourceTotal: '407.46', allocatedTotal: '407.46' });
    expect(summary.costCenters.map((c: { costCenter: string; total: string }) => [c.costCenter, c.total])).toEqual([['CC-EU', '108.29'], ['CC-US', '200.03'], ['CC-JP', '99.14'], ['UNALLOCATED', '0.00']]);
    expect(summary.conversions).toEqual([
      { billingCurrency: 'EUR', source: '100.10', rate: 'EUR→USD 1.0825 (Rates row 2, ECB month-end)', converted: '108.36', difference: '0.00' },
      { billingCurrency: 'JPY', source: '15000', rate: 'JPY→USD 0.006607 (Rates row 3, ECB month-end)', converted: '99.11', difference: '0.00' },
      { billingCurrency: 'USD', source: '200.00', rate: 'USD, not converted', converted: '200.00', difference: '0.00' },
    ]);

    const book = await ExcelJsGateway.fromBytes(readFileSync(path.join(dir, 'book.xlsx')));
    const costs = (await book.readTable('Costs'))!;
    const at = (header: string) => costs.headers.indexOf(header);
    const eur = costs.rows.find((r) => r[at('SubAccountName')] === 'eu-prod')!;
    expect([eur[at('BillingCurrency')], eur[at('EffectiveCostExact')], eur[at('ReportingCurrency')], eur[at('ReportingEffectiveCostExact')], eur[at('ExchangeRate')]]).toEqual(['EUR', '100', 'USD', '108.25', 'EUR→USD 1.0825 (Rates row 2, ECB month-end)']);
    const allocation = (await book.readTable('Allocation'))!;
    expect(allocation.headers).toEqual(expect.arrayContaining(['BillingCurrency', 'BillingAmount', 'ExchangeRate', 'Amount']));
    const reconciliation = (await book.readTable('Reconciliation'))!;
    expect(reconciliation.rows.filter((r) => String(r[0]).startsWith('Difference')).map((r) => [r[0], r[1]])).toEqual([['Difference', 0], ['Difference EUR', 0], ['Difference JPY', 0], ['Difference USD', 0]]);
    // The Method sheet names the rates, where a reader of the month's method looks for them.
    const method = (await book.readTable('Method'))!.rows.filter((r) => String(r[0]).startsWith('Exchange rate'));
    expect(method).toEqual([
      ['Exchange rate EUR', 'Rates', '100.10 EUR billed on 2 cost lines is converted to USD at EUR→USD 1.0825 (Rates row 2, ECB month-end): 108.36 USD, exactly, rounded once.'],
      ['Exchange rate JPY', 'Rates', '15000 JPY billed on 1 cost line is converted to USD at JPY→USD 0.006607 (Rates row 3, ECB month-end): 99.11 USD, exactly, rounded once.'],
    ]);
  });

  it('approves and publishes one balanced journal per billing currency when JournalCurrency is Billing', () => {
    const { dir, run } = fixture({ journalCurrency: 'Billing' });
    expect(run().code).toBe(0);
    expect(chargeback(['approve', '--workbook', path.join(dir, 'book.xlsx'), '--by', 'Dana Reviewer']).code).toBe(0);
    const published = chargeback(['publish', '--workbook', path.join(dir, 'book.xlsx'), '--to', path.join(dir, 'share')]);
    expect([published.code, published.stderr]).toEqual([0, '']);
    const folder = path.join(dir, 'share', '2026-10');
    expect(readdirSync(folder).sort()).toEqual(['chargeback-2026-10.csv', 'chargeback-2026-10.xlsx', 'journal-2026-10-EUR.csv', 'journal-2026-10-JPY.csv', 'journal-2026-10-USD.csv', 'manifest.json', 'showback']);
    // EUR: eu-prod 100.00 to CC-EU, the hub's 0.10 Even → 0.04, 0.03, 0.03; JPY 15000 to CC-JP.
    const eur = readFileSync(path.join(folder, 'journal-2026-10-EUR.csv'), 'utf8').trim().split(/\r?\n/).map((line) => line.split(',').slice(-3).join(' '));
    expect(eur.slice(1)).toEqual(['100.04  EUR', '0.03  EUR', '0.03  EUR', ' 100.10 EUR']);
    const jpy = readFileSync(path.join(folder, 'journal-2026-10-JPY.csv'), 'utf8');
    expect(jpy).toContain('CB-2026-10-JPY,1,2026-10-31,2026-10,6300,CC-JP,Japan,Cloud chargeback 2026-10: Japan,15000,,JPY');
    // The manifest names the rates that made the statement's USD.
    const manifest = JSON.parse(readFileSync(path.join(folder, 'manifest.json'), 'utf8'));
    expect(manifest.rates).toEqual([
      { billingCurrency: 'EUR', billed: '100.10', rate: 'EUR→USD 1.0825 (Rates row 2, ECB month-end)', converted: '108.36' },
      { billingCurrency: 'JPY', billed: '15000', rate: 'JPY→USD 0.006607 (Rates row 3, ECB month-end)', converted: '99.11' },
    ]);
  });

  it('exits 1 naming the period and pair without a rate, and writes nothing', () => {
    const { dir, run } = fixture({}, [{ period: '2026-10', fromCurrency: 'EUR', toCurrency: 'USD', rate: '1.0825', source: '' }]);
    const { code, stderr } = run('--json');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: no exchange rate for 2026-10 JPY → USD: add a Rates row \(Period 2026-10, FromCurrency JPY, ToCurrency USD, Rate\)\n$/);
    expect(existsSync(path.join(dir, 'book.xlsx'))).toBe(false);
  });

  it('exits 1 on a rate of zero or below as a rules problem with table and row', () => {
    const { run } = fixture({}, [{ period: '2026-10', fromCurrency: 'EUR', toCurrency: 'USD', rate: '-1', source: '' }]);
    const { code, stderr } = run();
    expect(code).toBe(1);
    expect(stderr).toContain('Rates row 2, Rate: Rate -1 is zero or below');
  });

  it('exits 1 listing the currencies when several are billed and no ReportingCurrency is set', () => {
    const { run } = fixture({ reportingCurrency: '' });
    const { code, stderr } = run();
    expect(code).toBe(1);
    expect(stderr).toContain('billing period 2026-10 has costs in several currencies: EUR (2 rows), JPY (1 rows), USD (1 rows); set Settings ReportingCurrency');
  });
});
