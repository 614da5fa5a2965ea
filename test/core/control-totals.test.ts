import { controlTotals } from '../../src/core/control-totals';
import { line } from './helpers';

describe('control totals of a read, to tie to the invoice', () => {
  it('sums billed and effective cost per period and provider, exactly, rounding once', () => {
    const lines = [
      line({ ProviderName: 'Microsoft' }, '0.004', { billed: '0.004', billingPeriod: '2026-10' }),
      line({ ProviderName: 'Microsoft' }, '0.004', { billed: '0.000', billingPeriod: '2026-10' }),
      line({ ProviderName: 'AWS' }, '100.10', { billed: '90', billingPeriod: '2026-10', sourceRows: 3 }),
      line({ ProviderName: 'Microsoft' }, '10', { billed: '10', billingPeriod: '2026-09' }),
    ];
    expect(controlTotals(lines)).toEqual([
      { period: '2026-09', provider: 'Microsoft', currency: 'USD', billed: '10.00', effective: '10.00', rows: 1 },
      { period: '2026-10', provider: 'AWS', currency: 'USD', billed: '90.00', effective: '100.10', rows: 3 },
      // 0.004 + 0.004 = 0.008 → 0.01 (each rounded alone would give 0.00).
      { period: '2026-10', provider: 'Microsoft', currency: 'USD', billed: '0.00', effective: '0.01', rows: 2 },
    ]);
  });

  it('keeps currencies apart and rounds each to its own minor unit', () => {
    const totals = controlTotals([line({ ProviderName: 'Microsoft' }, '1234.5', { billed: '1234.5', currency: 'JPY' }), line({}, '1.0005', { billed: '1.0004', currency: 'BHD' })]);
    expect(totals.map((t) => [t.provider, t.currency, t.billed, t.effective])).toEqual([
      ['', 'BHD', '1.000', '1.001'],
      ['Microsoft', 'JPY', '1235', '1235'],
    ]);
  });
});
