import fc from 'fast-check';
import { CostAggregator } from '../../src/core/aggregate';
import { addFine, EXACT_DIGITS, FineAmount, fineToExact, formatExact, formatMinor, parseDecimal, parseExact, parseSmall, SMALL_TO_EXACT, smallFromBytes, smallFromNumber } from '../../src/core/money';

describe('the fast path for ordinary amounts', () => {
  it('reads plain decimals with up to 10 decimals as counts of 10^-10', () => {
    expect(parseSmall('12.5')).toBe(125_000_000_000);
    expect(parseSmall('-0.0000000001')).toBe(-1);
    expect(parseSmall('0')).toBe(0);
    expect(parseSmall('+3.')).toBe(30_000_000_000);
  });

  it('leaves everything else to the exact parser', () => {
    for (const text of ['', '-', '.', '1e5', ' 1', 'null', '0.00000000001', '123456.0000000001', 'twelve']) expect(parseSmall(text)).toBeUndefined();
  });

  it('agrees with the exact parser whenever it answers', () => {
    const decimal = fc
      .tuple(fc.constantFrom('', '-', '+'), fc.stringMatching(/^\d{0,9}$/), fc.option(fc.stringMatching(/^\d{0,12}$/)))
      .map(([sign, whole, fraction]) => `${sign}${whole}${fraction === null ? '' : '.' + fraction}`);
    fc.assert(
      fc.property(decimal, (text) => {
        const small = parseSmall(text);
        if (small !== undefined) expect(BigInt(small) * SMALL_TO_EXACT).toBe(parseExact(text));
      }),
    );
  });

  it('reads a CSV cell from its bytes exactly as parseSmall reads its text', () => {
    const cell = fc.string({ unit: fc.constantFrom('0', '1', '5', '9', '.', '-', '+', 'e', ' ', 'é'), maxLength: 20 });
    fc.assert(
      fc.property(fc.string({ maxLength: 3 }), cell, fc.string({ maxLength: 3 }), (before, text, after) => {
        const bytes = new TextEncoder().encode(before + text + after);
        const start = new TextEncoder().encode(before).length;
        const end = bytes.length - new TextEncoder().encode(after).length;
        expect(smallFromBytes(bytes, start, end)).toBe(parseSmall(text) ?? NaN);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads a float64 exactly as its shortest decimal form, or not at all', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: -1e14, max: 1e14 }).map((n) => n / 1e10)), (value) => {
        const small = smallFromNumber(value);
        if (small !== undefined) expect(BigInt(small) * SMALL_TO_EXACT).toBe(parseExact(String(value)));
      }),
    );
    expect(smallFromNumber(0.1)).toBe(1_000_000_000);
    expect(smallFromNumber(1 / 3)).toBeUndefined();
  });
});

describe('summing with the fast path', () => {
  const header = ['BillingPeriodStart', 'BillingCurrency', 'ChargeCategory', 'BilledCost', 'EffectiveCost', 'SubAccountName'];
  /** Sums rows of (account, amount text) with the aggregator: fast path, bigint and fine amounts as it chooses. */
  function aggregate(rows: [string, string][]): Map<string, bigint> {
    const aggregator = new CostAggregator(['SubAccountName']);
    const onRow = aggregator.beginFile('costs.csv', header);
    rows.forEach(([account, amount], i) => onRow(['2026-10-01', 'USD', 'Usage', amount, amount, account], i + 2));
    return new Map(aggregator.lines().map((l) => [l.dimensions.SubAccountName, l.effectiveCost]));
  }
  /** The same sums in pure bigint: every amount at its own precision, each account's sum rounded once. */
  function reference(rows: [string, string][]): Map<string, bigint> {
    const sums = new Map<string, FineAmount>();
    for (const [account, text] of rows) {
      const value = parseDecimal(text)!;
      const fine: FineAmount = typeof value === 'bigint' ? { units: value, digits: EXACT_DIGITS } : value;
      sums.set(account, addFine(sums.get(account), fine));
    }
    return new Map([...sums].map(([account, sum]) => [account, sum.digits === EXACT_DIGITS ? sum.units : fineToExact(sum)]));
  }
  // up to 15 significant digits with 10 decimals: counts of 10^-10 just under 10^15, so a few of them pass 2^52
  const large = fc.bigInt({ min: -(10n ** 15n) + 1n, max: 10n ** 15n - 1n }).map((units) => formatMinor(units, 10));
  const tiny = fc.bigInt({ min: -(10n ** 8n), max: 10n ** 8n }).map((units) => formatMinor(units, 10));
  // past the fast path's 15 digits, under the 10^13 a cost cell may hold (money.ts amountDigitsProblem)
  const wide = fc.bigInt({ min: -(10n ** 25n) + 1n, max: 10n ** 25n - 1n }).map((units) => formatMinor(units, 12));
  const fine = fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).map((units) => formatMinor(units, 19)); // past 15 decimals
  // same-sign large amounts, so the sums pass 2^53 (9.0 × 10^15 counts) within a few rows
  // (odd counts: past 2^53 a float64 holds only even integers, so an odd sum there shows any loss)
  const largePositive = fc.bigInt({ min: 5n * 10n ** 14n, max: 10n ** 15n - 2n }).map((units) => formatMinor(units | 1n, 10));
  const amount = fc.oneof({ arbitrary: largePositive, weight: 6 }, { arbitrary: large, weight: 2 }, { arbitrary: tiny, weight: 2 }, { arbitrary: wide, weight: 1 }, { arbitrary: fine, weight: 1 });

  it('gives exactly the pure bigint sums, for large magnitudes that pass 2^53 and any mix of precisions', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b'), amount), { minLength: 1, maxLength: 200, size: 'max' }), (rows) => {
        expect(aggregate(rows)).toEqual(reference(rows));
      }),
      { numRuns: 60 },
    );
  });

  it('moves a pending float64 sum into bigint before it passes 2^53: 10 × 99999.9999999999 is 999999.999999999', () => {
    // each is 999,999,999,999,999 counts of 10^-10; five of them are past 2^52 (4.5 × 10^15)
    const rows = Array.from({ length: 10 }, (): [string, string] => ['a', '99999.9999999999']);
    expect(formatExact(aggregate(rows).get('a')!)).toBe('999999.999999999');
    // 9,999,999,999,999,991 counts: odd and past 2^53, so a float64 sum cannot hold it
    const odd: [string, string][] = [...rows, ['a', '0.0000000001']];
    expect(formatExact(aggregate(odd).get('a')!)).toBe('999999.9999999991');
  });
});
