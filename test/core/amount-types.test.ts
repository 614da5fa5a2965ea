/**
 * Exact amounts (10^-15 units) and minor units (cents) are different types: this file is
 * type-checked by `npm test` (tsconfig.json includes test/), and each `@ts-expect-error` below
 * fails the type check if the compiler ever stops catching the mix it marks.
 */
import { AllocationResult } from '../../src/core/allocate';
import { ExactAmount, formatExact, formatMinor, MinorUnits, minorToExact, roundToMinor } from '../../src/core/money';
import { roundByLargestRemainder } from '../../src/core/split';

describe('exact amounts and minor units are kept apart by the compiler', () => {
  it('refuses cents where exact amounts are meant, and the reverse, at function boundaries, fields and arrays', () => {
    const cents: MinorUnits = roundToMinor(1_234_500_000_000_000n, 2); // 1.2345 → 123 cents
    const exact: ExactAmount = minorToExact(cents, 2);
    // type-checked, never run: each line mixes the two scales
    const mixes = () => {
    // @ts-expect-error cents passed where an exact amount is meant
    formatExact(cents);
    // @ts-expect-error an exact amount passed where cents are meant
    formatMinor(exact, 2);
    // @ts-expect-error rounding to the cent total gives cents, not exact amounts
    const rounded: ExactAmount[] = roundByLargestRemainder([exact], 10_000_000_000_000n, cents);
    const statement = {} as AllocationResult;
    // @ts-expect-error the source total in cents is not the exact source total
    const wrong: ExactAmount = statement.sourceTotal;
    // @ts-expect-error a list of cents is not a list of exact amounts
    const list: ExactAmount[] = [cents];
    return [wrong, list, rounded];
    };
    expect(typeof mixes).toBe('function');
    // the run-time net behind the types: cents taken for exact amounts do not add up to the total
    expect(() => roundByLargestRemainder([cents as bigint], 10_000_000_000_000n, cents)).toThrow(/do not add up to the total/);
    // literals and arithmetic results may be either: the scale is a compile-time tag, nothing at run time
    expect(formatMinor(cents + 1n, 2)).toBe('1.24');
    expect(formatExact(exact * 2n)).toBe('2.46');
    expect(typeof cents).toBe('bigint');
  });
});
