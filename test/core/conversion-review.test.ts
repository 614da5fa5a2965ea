import { allocate } from '../../src/core/allocate';
import { CostAggregator } from '../../src/core/aggregate';
import { reviewChecks } from '../../src/core/review';
import { parseRules, RuleTables } from '../../src/core/rules';
import { grainKeys } from '../../src/core/grain';
import { grainKql } from '../../src/core/grain-kql';
import { grainSql } from '../../src/core/grain-sql';
import { line, threeTeams } from './helpers';

const rates = (september: string, october: string) => [
  { Period: '2026-09', FromCurrency: 'EUR', ToCurrency: 'USD', Rate: september, Source: '' },
  { Period: '2026-10', FromCurrency: 'EUR', ToCurrency: 'USD', Rate: october, Source: 'month-end' },
];
const tables = (september: string, october: string, threshold = '5'): RuleTables => ({
  ...threeTeams,
  Settings: [
    { Setting: 'ReportingCurrency', Value: 'USD' },
    { Setting: 'RateChangeThreshold', Value: threshold },
  ],
  Rates: rates(september, october),
});
const month = [line({ SubAccountName: 'team-a' }, '100.00', { currency: 'EUR' }), line({ SubAccountName: 'team-b' }, '50.00')];

function rateCheck(t: RuleTables) {
  const rules = parseRules(t);
  const result = allocate(month, rules);
  return reviewChecks({ result, rules, previous: { period: '2026-09', totals: new Map() } }).filter((c) => c.check === 'Exchange rate change');
}

describe('the review of a converted period', () => {
  it('flags a rate that moved more than RateChangeThreshold since the last approved period', () => {
    // (1.0825 − 1.1500) / 1.1500 = −5.8696%: beyond ±5%
    expect(rateCheck(tables('1.15', '1.0825'))).toEqual([
      { check: 'Exchange rate change', severity: 'Warning', subject: 'EUR→USD', figure: '-5.9%', detail: '1.0825 for 2026-10 against 1.15 for 2026-09, the last approved period (-5.9%; threshold ±5%)', where: 'Rates!A3' },
    ]);
  });

  it('passes a rate within the threshold, and says nothing when Rates lacks the last period\'s rate', () => {
    // (1.0825 − 1.1163) / 1.1163 = −3.0279%
    expect(rateCheck(tables('1.1163', '1.0825')).map((c) => [c.severity, c.figure])).toEqual([['OK', '-3.0%']]);
    expect(rateCheck(tables('1.1163', '1.0825', '2')).map((c) => c.severity)).toEqual(['Warning']);
    const withoutSeptember = { ...tables('1', '1.0825'), Rates: rates('1', '1.0825').slice(1) };
    expect(rateCheck(withoutSeptember)).toEqual([]);
  });
});

describe('the provider\'s own rate (Settings ExchangeRates Provider)', () => {
  const providerTables: RuleTables = { ...threeTeams, Settings: [{ Setting: 'ReportingCurrency', Value: 'USD' }, { Setting: 'ExchangeRates', Value: 'Provider' }], Rates: rates('1.1', '1.0825') };
  const withRate = (rate: string, pricing = 'USD') => ({ x_BillingExchangeRate: rate, x_BillingExchangeRateDate: '2026-10-01T00:00:00Z', x_PricingCurrency: pricing });

  it('converts a line by its x_BillingExchangeRate, read backwards (pricing → billing currency), exactly', () => {
    // Azure's rate turns USD prices into the EUR bill: EUR 92.38 at 0.9238 is USD 100.00 exactly.
    // EUR 10.00 at 0.8 is USD 12.50. A line without a provider rate takes the Rates table's 1.0825.
    const lines = [
      line({ SubAccountName: 'team-a', ...withRate('0.9238') }, '92.38', { currency: 'EUR' }),
      line({ SubAccountName: 'team-b', ...withRate('0.8') }, '10.00', { currency: 'EUR' }),
      line({ SubAccountName: 'team-c', ...withRate('') }, '10.00', { currency: 'EUR' }),
    ];
    const result = allocate(lines, parseRules(providerTables));
    expect(result.costCenters.map((c) => [c.costCenter, String(c.total)])).toEqual([['CC-A', '10000'], ['CC-B', '1250'], ['CC-C', '1083'], ['UNALLOCATED', '0']]);
    expect(result.conversion!.originals.map((o) => o.rate.label)).toEqual([
      'EUR→USD 1 / 0.9238 (provider x_BillingExchangeRate of 2026-10-01)',
      'EUR→USD 1 / 0.8 (provider x_BillingExchangeRate of 2026-10-01)',
      'EUR→USD 1.0825 (Rates row 3, month-end)',
    ]);
  });

  it('does not use a provider rate into another pricing currency than the reporting one', () => {
    const lines = [line({ SubAccountName: 'team-a', ...withRate('0.9', 'GBP') }, '10.00', { currency: 'EUR' })];
    expect(allocate(lines, parseRules(providerTables)).conversion!.originals[0].rate.label).toBe('EUR→USD 1.0825 (Rates row 3, month-end)');
  });

  it('keeps the rate columns in the grain, optional in every engine: read as empty where a file lacks them', () => {
    const dimensions = ['SubAccountName', 'x_BillingExchangeRate', 'x_BillingExchangeRateDate', 'x_PricingCurrency'];
    expect(grainKeys(dimensions).slice(4).map((k) => [k.name, k.kind === 'column' && k.required])).toEqual([
      ['SubAccountName', true],
      ['x_BillingExchangeRate', false],
      ['x_BillingExchangeRateDate', false],
      ['x_PricingCurrency', false],
    ]);
    expect(grainKql('Costs', dimensions, '2026-10').text).toContain(`tostring(column_ifexists('x_BillingExchangeRate', ''))`);
    expect(grainSql('duckdb', dimensions, { from: 'focus', columns: new Map() })).not.toContain('x_BillingExchangeRate');
    const aggregator = new CostAggregator(dimensions);
    const onRow = aggregator.beginFile('plain.csv', ['BillingPeriodStart', 'BillingCurrency', 'ChargeCategory', 'BilledCost', 'EffectiveCost', 'SubAccountName']);
    onRow(['2026-10-01', 'EUR', 'Usage', '1', '1', 'team-a'], 2);
    expect(aggregator.lines()[0].dimensions).toEqual({ SubAccountName: 'team-a', x_BillingExchangeRate: '', x_BillingExchangeRateDate: '', x_PricingCurrency: '' });
  });
});
