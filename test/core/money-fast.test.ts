import fc from 'fast-check';
import { parseExact, parseSmall, SMALL_TO_EXACT, smallFromNumber } from '../../src/core/money';

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
