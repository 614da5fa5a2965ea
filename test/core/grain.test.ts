import { costLinesFromGrainRows, grainKeys, grainRequiredColumns, periodBounds } from '../../src/core/grain';
import { parseExact } from '../../src/core/money';

const exact = (text: string) => parseExact(text)!;

describe('the grain, defined once', () => {
  it('orders a cost line key: the four fixed values, column dimensions, then tag dimensions (keys in lower case)', () => {
    expect(grainKeys(['Tag:Team', 'SubAccountName', 'x_ResourceGroupName']).map((k) => (k.kind === 'tag' ? `${k.name}→${k.tagKey}` : k.name))).toEqual([
      'BillingPeriod',
      'BillingCurrency',
      'ChargeCategory',
      'CommitmentDiscountStatus',
      'SubAccountName',
      'x_ResourceGroupName',
      'Tag:Team→team',
    ]);
  });

  it('needs the measures, the fixed keys but CommitmentDiscountStatus, every column dimension, and Tags only for a tag', () => {
    expect(grainRequiredColumns(['ServiceName'])).toEqual(['BilledCost', 'EffectiveCost', 'BillingCurrency', 'BillingPeriodStart', 'ChargeCategory', 'ServiceName']);
    expect(grainRequiredColumns(['Tag:team'])).toContain('Tags');
  });

  it('adds up grain rows with the same key (null, the text null and empty are one value), exactly', () => {
    const lines = costLinesFromGrainRows(
      ['ServiceName'],
      [
        { keys: ['2026-10', 'USD', 'Usage', null, 'VMs'], billedCost: '0.1', effectiveCost: '0.100000000000001', sourceRows: 2 },
        { keys: ['2026-10', 'USD', 'Usage', 'null', 'VMs'], billedCost: '0.2', effectiveCost: '-1E-15', sourceRows: 3 },
        { keys: ['2026-10', 'USD', 'Credit', '', 'VMs'], billedCost: '-5.00', effectiveCost: '-5.00', sourceRows: 1 },
      ],
      'test',
    );
    expect(lines).toEqual([
      { billingPeriod: '2026-10', currency: 'USD', chargeCategory: 'Credit', commitmentDiscountStatus: '', dimensions: { ServiceName: 'VMs' }, billedCost: exact('-5'), effectiveCost: exact('-5'), sourceRows: 1 },
      { billingPeriod: '2026-10', currency: 'USD', chargeCategory: 'Usage', commitmentDiscountStatus: '', dimensions: { ServiceName: 'VMs' }, billedCost: exact('0.3'), effectiveCost: exact('0.1'), sourceRows: 5 },
    ]);
  });

  it('refuses a row that is not a period, has no currency or a sum that is not a decimal, saying where', () => {
    const row = { keys: ['2026-10', 'USD', 'Usage', ''], billedCost: '1', effectiveCost: '1', sourceRows: 4 };
    expect(() => costLinesFromGrainRows([], [{ ...row, keys: ['', 'USD', 'Usage', ''] }], 'DuckDB')).toThrow('DuckDB: BillingPeriodStart is not a date on 4 FOCUS rows (read as "")');
    expect(() => costLinesFromGrainRows([], [{ ...row, keys: ['2026-10', '', 'Usage', ''] }], 'DuckDB')).toThrow('DuckDB: 4 FOCUS rows of 2026-10 have an empty BillingCurrency');
    expect(() => costLinesFromGrainRows([], [{ ...row, billedCost: '1,5' }], 'DuckDB')).toThrow('DuckDB: grain row 1 has BilledCost "1,5", not a decimal number');
    expect(() => costLinesFromGrainRows(['ServiceName'], [row], 'DuckDB')).toThrow('DuckDB: grain row 1 has 4 key values, expected 5');
  });

  it('bounds a billing period for a query filter, across a year end', () => {
    expect(periodBounds('2026-12')).toEqual({ start: '2026-12-01T00:00:00Z', end: '2027-01-01T00:00:00Z' });
    expect(periodBounds('2026-01')).toEqual({ start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z' });
  });
});
