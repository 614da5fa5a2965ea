import fc from 'fast-check';
import { allocate } from '../../src/core/allocate';
import { roundRatioToMinor } from '../../src/core/conversion';
import { decimalRatio } from '../../src/core/rates';
import { parseRules, RuleTables } from '../../src/core/rules';
import { line } from './helpers';

const currencies = ['USD', 'EUR', 'JPY', 'BHD'] as const;
const rateArb = fc.tuple(fc.integer({ min: 1, max: 2_000_000 }), fc.integer({ min: 0, max: 6 })).map(([units, digits]) => (units / 10 ** digits).toFixed(digits));
const lineArb = fc.record({
  account: fc.constantFrom('team-a', 'team-b', 'hub', 'stray'),
  currency: fc.constantFrom(...currencies),
  // up to 10,000 with up to 10 decimals, charges and credits
  amount: fc
    .tuple(fc.integer({ min: -1_000, max: 10_000 }), fc.integer({ min: 0, max: 9_999_999_999 }))
    .map(([whole, fraction]) => `${whole < 0 ? '-' : ''}${Math.abs(whole)}.${String(fraction).padStart(10, '0')}`),
});

function tables(reporting: string, rates: Record<string, string>, method: string): RuleTables {
  return {
    Settings: [{ Setting: 'ReportingCurrency', Value: reporting }],
    CostCenters: ['CC-A', 'CC-B', 'CC-C'].map((c) => ({ CostCenter: c, GLAccount: '6100' })),
    Mappings: [
      { Dimension: 'SubAccountName', Pattern: 'team-a', CostCenter: 'CC-A' },
      { Dimension: 'SubAccountName', Pattern: 'team-b', CostCenter: 'CC-B' },
    ],
    SharedPools: [{ Pool: 'Hub', Dimension: 'SubAccountName', Pattern: 'hub', Method: method, Targets: '*' }],
    Rates: currencies.filter((c) => c !== reporting).map((c) => ({ Period: '2026-10', FromCurrency: c, ToCurrency: reporting, Rate: rates[c], Source: '' })),
  };
}

describe('a statement converted from several billing currencies', () => {
  it('adds up to the exact converted source total rounded once, and direct + shares = total on every row', () => {
    fc.assert(
      fc.property(
        fc.array(lineArb, { minLength: 1, maxLength: 30 }),
        fc.constantFrom(...currencies),
        fc.record({ USD: rateArb, EUR: rateArb, JPY: rateArb, BHD: rateArb }),
        fc.constantFrom('Even', 'Proportional'),
        (generated, reporting, rates, method) => {
          const lines = generated.map((g) => line({ SubAccountName: g.account }, g.amount, { currency: g.currency }));
          const result = allocate(lines, parseRules(tables(reporting, rates, method)));
          // Σ amount × rate as one exact fraction, rounded once: what the statement must add up to
          let numerator = 0n;
          let denominator = 1n;
          for (const l of lines) {
            const r = l.currency === reporting ? { numerator: 1n, denominator: 1n } : decimalRatio(rates[l.currency as keyof typeof rates])!;
            numerator = numerator * r.denominator + l.effectiveCost * r.numerator * denominator;
            denominator *= r.denominator;
          }
          const expected = roundRatioToMinor({ numerator, denominator }, result.minorDigits);
          expect(result.sourceTotal).toBe(expected);
          expect(result.allocatedTotal).toBe(expected);
          expect(result.costCenters.reduce((a, c) => a + c.total, 0n)).toBe(expected);
          for (const c of result.costCenters) expect(c.direct + c.shares.reduce((a, b) => a + b, 0n)).toBe(c.total);
          for (const c of result.conversion?.currencies ?? []) expect(c.allocated).toBe(c.converted);
          // nothing lost, nothing created: the converted lines add up to the exact total cut toward zero
          const linesTotal = result.lines.reduce((a, l) => a + l.effectiveCost, 0n);
          expect(linesTotal).toBe(numerator / denominator);
        },
      ),
      { numRuns: 200 },
    );
  });
});
