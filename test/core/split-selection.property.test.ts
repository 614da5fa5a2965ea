// The largest-remainder rounding hands the leftover units to the largest remainders, ties to the
// earlier part, whether it sorts them or selects them; and the mapping index finds the same first
// match as trying the mappings one by one.
import fc from 'fast-check';
import { firstMatchingMapping, isValuePlaceholder, matchesPattern } from '../../src/core/match';
import { largestFirst, roundHalfAway, splitRounded } from '../../src/core/split';

/** The obvious reading: sort every index by value (larger first), ties by index, take the first `count`. */
const bySorting = (values: bigint[], count: number) =>
  values
    .map((value, index) => ({ value, index }))
    .sort((a, b) => (a.value === b.value ? a.index - b.index : a.value > b.value ? -1 : 1))
    .slice(0, count)
    .map((x) => x.index)
    .sort((a, b) => a - b);

describe('largest remainders', () => {
  it('selects the same indexes as sorting them, ties to the earlier index', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: 6n }), { minLength: 1, maxLength: 60 }), fc.nat(), (values, n) => {
        const count = n % (values.length + 1);
        expect([...largestFirst(values, count)].sort((a, b) => a - b)).toEqual(bySorting(values, count));
      }),
      { numRuns: 2000 },
    );
  });

  it('splits straight to units with parts adding up to the rounded whole, each within one unit of its exact share', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.array(fc.bigInt({ min: -50n, max: 1000n }), { minLength: 1, maxLength: 12 }), fc.bigInt({ min: 1n, max: 10n ** 6n }), (whole, weights, unit) => {
        const total = weights.reduce((a, b) => a + b, 0n);
        fc.pre(total !== 0n);
        const parts = splitRounded(whole, weights, unit);
        expect(parts.reduce((a, b) => a + b, 0n)).toBe(roundHalfAway(whole, unit));
        parts.forEach((part, i) => {
          // |part × unit − whole × w / total| < unit, in integers
          const error = part * unit * total - whole * weights[i];
          const bound = unit * (total < 0n ? -total : total);
          expect(error < bound && error > -bound).toBe(true);
        });
      }),
      { numRuns: 1000 },
    );
  });
});

describe('the mapping index', () => {
  const unit = fc.constantFrom('a', 'b', 'A', '*', '?', '-', ' ');
  const mappingArb = fc.record({
    dimension: fc.constantFrom('SubAccountName', 'Tag:team', 'Tag: Team'),
    pattern: fc.string({ unit, minLength: 1, maxLength: 5 }),
    costCenter: fc.constantFrom('CC-A', '{value}', 'CC-B'),
  });

  it('finds the first mapping that matches, as trying each in turn does', () => {
    fc.assert(
      fc.property(fc.array(mappingArb, { maxLength: 12 }), fc.dictionary(fc.constantFrom('SubAccountName', 'Tag:team', 'Tag: Team'), fc.string({ unit: fc.constantFrom('a', 'b', 'B', '-', ' '), maxLength: 6 })), (mappings, values) => {
        const oneByOne = mappings.findIndex((m) => values[m.dimension] !== undefined && !(isValuePlaceholder(m.costCenter) && values[m.dimension].trim() === '') && matchesPattern(values[m.dimension], m.pattern));
        const found = firstMatchingMapping(mappings, (d) => values[d]);
        expect(found ? mappings.indexOf(found.mapping) : -1).toBe(oneByOne);
      }),
      { numRuns: 1000 },
    );
  });
});
