/**
 * Several billing currencies charged back in one reporting currency: every figure below is worked
 * out by hand in the comment beside it.
 */
import { allocate } from '../../src/core/allocate';
import { journalFor, journalsFor } from '../../src/core/journal';
import { formatMinor } from '../../src/core/money';
import { PeriodError } from '../../src/core/period';
import { parseRules, RuleTables, validateRules } from '../../src/core/rules';
import { reconciliationTable } from '../../src/workbook/layout';
import { line, threeTeams } from './helpers';

const rate = (Period: string, FromCurrency: string, ToCurrency: string, Rate: string, Source = 'Treasury') => ({ Period, FromCurrency, ToCurrency, Rate, Source });
const settings = (values: Record<string, string>) => Object.entries(values).map(([Setting, Value]) => ({ Setting, Value }));
const statement = (tables: RuleTables, lines: Parameters<typeof allocate>[0]) => {
  const result = allocate(lines, parseRules(tables));
  const m = (v: bigint) => formatMinor(v, result.minorDigits);
  return { result, rows: result.costCenters.map((c) => [c.costCenter, m(c.direct), ...c.shares.map(m), m(c.total)]), total: m(result.allocatedTotal), source: m(result.sourceTotal) };
};

describe('two billing currencies, USD and EUR, charged back in USD', () => {
  const tables: RuleTables = {
    Settings: settings({ ReportingCurrency: 'USD', ClearingAccount: '2990' }),
    CostCenters: [
      { CostCenter: 'CC-A', Name: 'Team A', GLAccount: '6100' },
      { CostCenter: 'CC-B', Name: 'Team B', GLAccount: '6200' },
    ],
    Mappings: [
      { Dimension: 'SubAccountName', Pattern: 'team-a', CostCenter: 'CC-A' },
      { Dimension: 'SubAccountName', Pattern: 'team-b', CostCenter: 'CC-B' },
    ],
    SharedPools: [{ Pool: 'Network', Dimension: 'SubAccountName', Pattern: 'hub', Method: 'Even', Targets: '*' }],
    Rates: [rate('2026-09', 'EUR', 'USD', '1.1163'), rate('2026-10', 'EUR', 'USD', '1.0825', 'ECB month-end')],
  };
  const month = [
    line({ SubAccountName: 'team-a' }, '10.00'),
    line({ SubAccountName: 'team-b' }, '10.00', { currency: 'EUR' }),
    line({ SubAccountName: 'hub' }, '0.01', { currency: 'EUR' }),
    line({ SubAccountName: 'hub' }, '20.00'),
  ];

  it('converts each line exactly and rounds the statement once', () => {
    // EUR 10.00 × 1.0825 = 10.825 and EUR 0.01 × 1.0825 = 0.010825 exactly; the total is
    // 10 + 10.825 + 0.010825 + 20 = 40.835825 → 40.84. Network 20.010825 Even: 10.0054125 each.
    // CC-A 20.0054125 and CC-B 20.8304125 floor to 20.00 + 20.83 = 40.83; the missing cent goes to
    // the larger remainder (CC-A's .54 of a cent). Within CC-B, 10.825 + 10.0054125 = 20.83: the
    // Network share's remainder (.54) beats the direct cost's (.50), so direct 10.82, Network 10.01.
    const { rows, total, source } = statement(tables, month);
    expect(rows).toEqual([
      ['CC-A', '10.00', '10.01', '20.01'],
      ['CC-B', '10.82', '10.01', '20.83'],
      ['UNALLOCATED', '0.00', '0.00', '0.00'],
    ]);
    expect([total, source]).toEqual(['40.84', '40.84']);
  });

  it('reconciles each billing currency: source, rate, converted total and a difference of 0', () => {
    const { result } = statement(tables, month);
    const rows = reconciliationTable(result).rows.filter((r) => /(Source in|Rate|Converted from|Difference) (EUR|USD)/.test(String(r[0])));
    expect(rows.map((r) => [r[0], r[1]])).toEqual([
      ['Source in EUR', 10.01], // 10.00 + 0.01 EUR
      ['Rate EUR → USD', null],
      ['Converted from EUR', 10.84], // 10.835825 → 10.84
      ['Difference EUR', 0],
      ['Source in USD', 30],
      ['Rate USD → USD', null],
      ['Converted from USD', 30],
      ['Difference USD', 0],
    ]);
    expect(rows[1][3]).toBe('EUR→USD 1.0825 (Rates row 3, ECB month-end)');
  });

  it('keeps each line as billed beside the converted amount, with the rate that converted it', () => {
    const { result } = statement(tables, month);
    expect(result.conversion!.originals.map((o) => [o.currency, formatMinor(o.effectiveCost / 10n ** 13n, 2), o.rate.label])).toEqual([
      ['USD', '10.00', 'USD, not converted'],
      ['EUR', '10.00', 'EUR→USD 1.0825 (Rates row 3, ECB month-end)'],
      ['EUR', '0.01', 'EUR→USD 1.0825 (Rates row 3, ECB month-end)'],
      ['USD', '20.00', 'USD, not converted'],
    ]);
  });

  it('posts one journal in USD that says it was converted, or one balanced journal per billing currency', () => {
    const { result } = statement(tables, month);
    const journal = journalFor(result, parseRules(tables).settings);
    expect(journal.lines.map((l) => [l.account, formatMinor(l.debit, 2), formatMinor(l.credit, 2), l.currency])).toEqual([
      ['6100', '20.01', '0.00', 'USD'],
      ['6200', '20.83', '0.00', 'USD'],
      ['2990', '0.00', '40.84', 'USD'],
    ]);
    expect(journal.lines[0].description).toBe('Cloud chargeback 2026-10: Team A (in USD, converted from EUR)');

    const perCurrency = parseRules({ ...tables, Settings: settings({ ReportingCurrency: 'USD', ClearingAccount: '2990', JournalCurrency: 'Billing' }) });
    const journals = journalsFor(result, perCurrency);
    // EUR: CC-B 10.00 direct, hub 0.01 Even → CC-A 0.01 (the earlier target takes the odd cent).
    // USD: CC-A 10.00 direct, hub 20.00 Even → 10.00 each.
    expect(journals.map((j) => [j.currency, j.journal.lines[0].journalId, j.journal.lines.map((l) => [l.account, formatMinor(l.debit, j.minorDigits), formatMinor(l.credit, j.minorDigits)])])).toEqual([
      ['EUR', 'CB-2026-10-EUR', [['6100', '0.01', '0.00'], ['6200', '10.00', '0.00'], ['2990', '0.00', '10.01']]],
      ['USD', 'CB-2026-10-USD', [['6100', '20.00', '0.00'], ['6200', '10.00', '0.00'], ['2990', '0.00', '30.00']]],
    ]);
    for (const { journal } of journals) expect(journal.debits).toBe(journal.credits);
  });

  it('says which period and currency pair lacks a rate', () => {
    const lines = [...month, line({ SubAccountName: 'team-a' }, '1.00', { currency: 'GBP' })];
    expect(() => allocate(lines, parseRules(tables))).toThrow(PeriodError);
    expect(() => allocate(lines, parseRules(tables))).toThrow(/no exchange rate for 2026-10 GBP → USD: add a Rates row \(Period 2026-10, FromCurrency GBP, ToCurrency USD, Rate\)/);
  });

  it('refuses several currencies without a ReportingCurrency, listing what it found and what to set', () => {
    expect(() => allocate(month, parseRules({ ...tables, Settings: [] }))).toThrow(
      'billing period 2026-10 has costs in several currencies: EUR (2 rows), USD (2 rows); set Settings ReportingCurrency (and give the Rates) to charge them back in one currency',
    );
  });

  it('reports a rate of zero or below, and a pair given twice, as rules problems with table and row', () => {
    const problems = validateRules({ ...tables, Rates: [rate('2026-10', 'EUR', 'USD', '0'), rate('2026-10', 'GBP', 'USD', '-1.2'), rate('2026-10', 'EUR', 'USD', '1.08'), rate('2026-10', 'EUR', 'USD', '1.09'), rate('26-10', 'EURO', 'USD', 'x')] }).problems;
    expect(problems).toEqual([
      { table: 'Rates', row: 2, column: 'Rate', message: 'Rate 0 is zero or below: a rate must be above zero (1 EUR = Rate USD)' },
      { table: 'Rates', row: 3, column: 'Rate', message: 'Rate -1.2 is zero or below: a rate must be above zero (1 GBP = Rate USD)' },
      { table: 'Rates', row: 5, column: 'Rate', message: '2026-10 EUR → USD already has rate 1.08 on row 4: give each period and pair one rate' },
      { table: 'Rates', row: 6, column: 'Period', message: 'Period must be YYYY-MM, not "26-10"' },
      { table: 'Rates', row: 6, column: 'FromCurrency', message: 'FromCurrency "EURO" is not an ISO 4217 currency code: use a three-letter ISO 4217 code such as USD or EUR' },
      { table: 'Rates', row: 6, column: 'Rate', message: 'Rate "x" is not a number' },
    ]);
  });

  it('leaves a period billed only in the reporting currency as it was, with no conversion', () => {
    const usdOnly = month.filter((l) => l.currency === 'USD');
    const { result, total } = statement(tables, usdOnly);
    expect(result.conversion).toBeUndefined();
    expect(total).toBe('30.00');
  });
});

describe('three billing currencies', () => {
  const lines = [
    line({ SubAccountName: 'team-a' }, '10.00'),
    line({ SubAccountName: 'team-b' }, '5.55', { currency: 'EUR' }),
    line({ SubAccountName: 'team-b' }, '2.50', { currency: 'EUR' }),
    line({ SubAccountName: 'team-c' }, '1000', { currency: 'JPY' }),
  ];

  it('in JPY (no minor unit): rounded once to the yen, where line-by-line rounding would be a yen over', () => {
    const tables: RuleTables = { ...threeTeams, Settings: settings({ ReportingCurrency: 'JPY' }), Rates: [rate('2026-10', 'USD', 'JPY', '151.37'), rate('2026-10', 'EUR', 'JPY', '163.8')] };
    // USD 10.00 × 151.37 = 1513.7; EUR 5.55 × 163.8 = 909.09 and 2.50 × 163.8 = 409.5; JPY 1000.
    // Exact total 3832.29 → 3832 (rounding each line first: 1514 + 909 + 410 + 1000 = 3833).
    // CC-A 1513.7, CC-B 1318.59, CC-C 1000 floor to 3831: the yen left goes to CC-A (.7 > .59).
    const { rows, total, result } = statement(tables, lines);
    expect(result.minorDigits).toBe(0);
    expect(rows).toEqual([
      ['CC-A', '1514', '1514'],
      ['CC-B', '1318', '1318'],
      ['CC-C', '1000', '1000'],
      ['UNALLOCATED', '0', '0'],
    ]);
    expect(total).toBe('3832');
    // Each currency's converted total is rounded on its own: 1514 + 1319 + 1000 = 3833, a yen
    // more than the statement, which rounds the exact grand total once.
    expect(result.conversion!.currencies.map((c) => [c.currency, formatMinor(c.source, c.minorDigits), formatMinor(c.converted, 0), formatMinor(c.allocated - c.converted, 0)])).toEqual([
      ['EUR', '8.05', '1319', '0'],
      ['JPY', '1000', '1000', '0'],
      ['USD', '10.00', '1514', '0'],
    ]);
  });

  it('in BHD (three decimals): rounded once to the fils', () => {
    const bhdLines = [line({ SubAccountName: 'team-a' }, '100.00'), line({ SubAccountName: 'team-b' }, '33.33', { currency: 'EUR' }), line({ SubAccountName: 'team-c' }, '1.0005', { currency: 'BHD' })];
    const tables: RuleTables = { ...threeTeams, Settings: settings({ ReportingCurrency: 'BHD' }), Rates: [rate('2026-10', 'USD', 'BHD', '0.376'), rate('2026-10', 'EUR', 'BHD', '0.40712')] };
    // USD 100.00 × 0.376 = 37.6; EUR 33.33 × 0.40712 = 13.5693096; BHD 1.0005 as billed.
    // Exact total 52.1698096 → 52.170. Floors 37.600 + 13.569 + 1.000 = 52.169: the fils left goes
    // to CC-C (remainder .5 of a fils beats CC-B's .3096).
    const { rows, total } = statement(tables, bhdLines);
    expect(rows).toEqual([
      ['CC-A', '37.600', '37.600'],
      ['CC-B', '13.569', '13.569'],
      ['CC-C', '1.001', '1.001'],
      ['UNALLOCATED', '0.000', '0.000'],
    ]);
    expect(total).toBe('52.170');
  });
});
