import { allocate } from '../../src/core/allocate';
import { formatMinor } from '../../src/core/money';
import { parseRules } from '../../src/core/rules';
import { convert } from '../../src/functions/convert';
import { line, threeTeams } from '../core/helpers';
import { expectFormulaError } from './helpers';

const RATES = [
  ['Period', 'FromCurrency', 'ToCurrency', 'Rate', 'Source'],
  ['2026-09', 'EUR', 'USD', '1.1163', 'Treasury'],
  ['2026-10', 'EUR', 'USD', 1.0825, 'Treasury'],
  ['2026-10', 'USD', 'JPY', '151.37', 'Treasury'],
  ['2026-10', 'EUR', 'BHD', '0.40712', 'Treasury'],
];

describe('CB.CONVERT', () => {
  it('multiplies by the exact rate and rounds once to the target currency: EUR 10.01 × 1.0825 = 10.835825 → 10.84 USD', () => {
    expect(convert(10.01, 'EUR', 'USD', RATES, '2026-10')).toBe(10.84);
  });

  it('rounds to the target currency\'s minor unit unless told: JPY 0, BHD 3', () => {
    // 10.00 × 151.37 = 1513.7 → 1514 yen; 33.33 × 0.40712 = 13.5693096 → 13.569 dinars
    expect(convert(10, 'USD', 'JPY', RATES)).toBe(1514);
    expect(convert(33.33, 'EUR', 'BHD', RATES)).toBe(13.569);
    expect(convert(10, 'USD', 'JPY', RATES, '', 2)).toBe(1513.7);
  });

  it('reads a range without its header row, and gives the amount rounded when both currencies are the same', () => {
    expect(convert(2.5, 'usd', 'JPY', RATES.slice(3))).toBe(378); // 2.5 × 151.37 = 378.425 → 378
    expect(convert('1.005', 'USD', 'USD', RATES)).toBe(1.01);
  });

  it('gives the same cents as the engine for a one-line statement', () => {
    const rules = parseRules({ ...threeTeams, Settings: [{ Setting: 'ReportingCurrency', Value: 'USD' }], Rates: [{ Period: '2026-10', FromCurrency: 'EUR', ToCurrency: 'USD', Rate: '1.0825' }] });
    for (const amount of ['0.005', '10.01', '1234.5678', '-3.3333333']) {
      const result = allocate([line({ SubAccountName: 'team-a' }, amount, { currency: 'EUR' })], rules);
      expect(convert(amount, 'EUR', 'USD', RATES, '2026-10')).toBe(Number(formatMinor(result.allocatedTotal, 2)));
    }
  });

  it('answers #VALUE! when the pair has rates for several periods and none is given, #N/A when it has none', () => {
    expectFormulaError(() => convert(1, 'EUR', 'USD', RATES), 'invalidValue', 'rates_range has EUR → USD for 2026-09, 2026-10: give the period');
    expectFormulaError(() => convert(1, 'GBP', 'USD', RATES), 'notAvailable', 'rates_range has no rate GBP → USD');
    expectFormulaError(() => convert(1, 'EURO', 'USD', RATES), 'invalidValue', 'from is "EURO", not an ISO 4217 currency code such as USD or EUR');
  });

  it('answers #VALUE! naming the row of a rate of zero or below', () => {
    expectFormulaError(() => convert(1, 'EUR', 'USD', [...RATES, ['2026-11', 'EUR', 'USD', 0, '']]), 'invalidValue', /^rates_range row 6, Rate: Rate 0 is zero or below/);
  });
});
