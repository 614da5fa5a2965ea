import fc from 'fast-check';
import { formatExact, formatMinor, parseExact, roundToMinor } from '../../src/core/money';
import { minorDigitsOf } from '../../src/core/currency';
import { roundByLargestRemainder, splitByWeights, splitEvenly } from '../../src/core/split';

describe('exact amounts', () => {
  it('reads decimals as written, including exponents and signs', () => {
    expect(formatExact(parseExact('1234.50')!)).toBe('1234.5');
    expect(formatExact(parseExact('-0.25')!)).toBe('-0.25');
    expect(formatExact(parseExact('1.5E-7')!)).toBe('0.00000015');
    expect(formatExact(parseExact('+3e2')!)).toBe('300');
    expect(formatExact(parseExact('.5')!)).toBe('0.5');
  });
  it('holds an amount as an integer count of 10^-15', () => {
    expect(parseExact('1')).toBe(10n ** 15n);
  });
  it('rounds digits beyond the fifteenth decimal half away from zero', () => {
    expect(formatExact(parseExact('0.0000000000000015')!)).toBe('0.000000000000002');
    expect(formatExact(parseExact('-0.0000000000000015')!)).toBe('-0.000000000000002');
  });
  it('refuses text that is not a number', () => {
    for (const text of ['', 'abc', '1,000', '1.2.3', '--1', 'NaN', '.']) expect(parseExact(text)).toBeUndefined();
  });
  it('never picks up binary float error: 0.1 + 0.2 = 0.3', () => {
    expect(parseExact('0.1')! + parseExact('0.2')!).toBe(parseExact('0.3'));
  });
  it('rounds to cents half away from zero', () => {
    expect(formatMinor(roundToMinor(parseExact('2.345')!, 2), 2)).toBe('2.35');
    expect(formatMinor(roundToMinor(parseExact('-2.345')!, 2), 2)).toBe('-2.35');
    expect(formatMinor(roundToMinor(parseExact('2.3449999')!, 2), 2)).toBe('2.34');
  });
  it('knows each currency\'s minor units', () => {
    expect([minorDigitsOf('USD'), minorDigitsOf('JPY'), minorDigitsOf('BHD')]).toEqual([2, 0, 3]);
  });
  it('formats any decimal it parses back to the same value', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), (units) => {
        expect(parseExact(formatExact(units))).toBe(units);
      }),
    );
  });
});

describe('largest-remainder splits', () => {
  it('splits 100.00 three ways as 33.34, 33.33, 33.33', () => {
    expect(splitEvenly(10000n, 3)).toEqual([3334n, 3333n, 3333n]);
  });
  it('splits a credit the same way, with the signs turned', () => {
    expect(splitEvenly(-10000n, 3)).toEqual([-3334n, -3333n, -3333n]);
  });
  it('refuses weights that add up to zero', () => {
    expect(() => splitByWeights(100n, [1n, -1n])).toThrow(/add up to zero/);
    expect(() => splitByWeights(100n, [])).toThrow(/no targets/);
  });
  it('parts always add up to the whole and each is within one unit of exact', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }),
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 30 }).filter((w) => w.some((x) => x > 0n)),
        (whole, weights) => {
          const parts = splitByWeights(whole, weights);
          expect(parts.reduce((a, b) => a + b, 0n)).toBe(whole);
          const total = weights.reduce((a, b) => a + b, 0n);
          parts.forEach((part, i) => {
            // |part * total - whole * weight| < total  ⇔  part is within one unit of exact
            const error = part * total - whole * weights[i];
            expect(error < total && error > -total).toBe(true);
          });
        },
      ),
    );
  });
  it('rounding to a coarser unit hits the rounded total exactly, each part within one unit', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: -(10n ** 16n), max: 10n ** 16n }), { minLength: 1, maxLength: 40 }), (values) => {
        const unit = 10n ** 13n;
        const exactTotal = values.reduce((a, b) => a + b, 0n);
        const target = roundToMinor(exactTotal, 2);
        const parts = roundByLargestRemainder(values, unit, target);
        expect(parts.reduce((a, b) => a + b, 0n)).toBe(target);
        parts.forEach((p, i) => {
          const error = p * unit - values[i];
          expect(error < unit && error > -unit).toBe(true);
        });
      }),
    );
  });
});
