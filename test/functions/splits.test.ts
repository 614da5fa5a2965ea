import fc from 'fast-check';
import { minorUnitSize, roundToMinor } from '../../src/core/money';
import { split, splitEven, splitFixed } from '../../src/functions/splits';
import { column, exact, expectFormulaError, row } from './helpers';

describe('CB.SPLIT', () => {
  it('splits 100 by {1,1,1} as 33.34, 33.33, 33.33, spilled as a row like the weights', () => {
    expect(split(100, row(1, 1, 1))).toEqual([[33.34, 33.33, 33.33]]);
  });

  it('spills a column when the weights are a column', () => {
    expect(split(100, column(1, 1, 1))).toEqual([[33.34], [33.33], [33.33]]);
  });

  it('keeps the shape of a block of weights', () => {
    expect(split(100, [[1, 1], [1, 1]])).toEqual([[25, 25], [25, 25]]);
  });

  it('splits 1,000 by 50/30/20 into 500, 300, 200', () => {
    expect(split(1000, column(50, 30, 20))).toEqual([[500], [300], [200]]);
  });

  it('gives the leftover cent to the largest remainder: 10 by {1,2} is 3.33 and 6.67', () => {
    expect(split(10, row(1, 2))).toEqual([[3.33, 6.67]]);
  });

  it('splits 0.05 three ways as 0.02, 0.02, 0.01', () => {
    expect(split(0.05, row(1, 1, 1))).toEqual([[0.02, 0.02, 0.01]]);
  });

  it('is exact where binary floats are not: 0.3 by {0.1, 0.2} is 0.1 and 0.2', () => {
    expect(split(0.3, row(0.1, 0.2))).toEqual([[0.1, 0.2]]);
  });

  it('rounds to whole units with decimals 0', () => {
    expect(split(100, row(1, 1, 1), 0)).toEqual([[34, 33, 33]]);
  });

  it('rounds to three decimals with decimals 3', () => {
    expect(split(1, row(1, 1, 1), 3)).toEqual([[0.334, 0.333, 0.333]]);
  });

  it('splits a credit the same way, with the signs kept', () => {
    expect(split(-100, row(1, 1, 1))).toEqual([[-33.34, -33.33, -33.33]]);
  });

  it('rounds the amount half away from zero: 100.005 by {1} is 100.01', () => {
    expect(split(100.005, row(1))).toEqual([[100.01]]);
  });

  it('keeps the ratio of weights too small for 15 decimals: 100 by {1.4e-15, 1e-15} is 58.33 and 41.67', () => {
    expect(split(100, row(1.4e-15, 1e-15))).toEqual([[58.33, 41.67]]);
    expect(split(100, row(1e-20, 3e-20))).toEqual([[25, 75]]);
  });

  it('gives an empty weight cell a part of 0', () => {
    expect(split(100, row(1, '', 1, null))).toEqual([[50, 0, 50, 0]]);
  });

  it('reads numbers written as text', () => {
    expect(split('100', row('1', '3'))).toEqual([[25, 75]]);
  });

  it('treats an empty amount as 0', () => {
    expect(split('', row(1, 1))).toEqual([[0, 0]]);
  });

  it('allows negative weights that do not cancel out: 100 by {3,-1} is 150 and -50', () => {
    expect(split(100, row(3, -1))).toEqual([[150, -50]]);
  });

  it('answers #VALUE! for an amount that is not a finite number', () => {
    expectFormulaError(() => split(Infinity, row(1)), 'invalidValue', 'amount is Infinity, not a number');
    expectFormulaError(() => split(1e300, row(1)), 'invalidValue', /more than the 15 significant digits/);
  });

  it('answers #VALUE! when negative weights cancel the positive ones', () => {
    expectFormulaError(() => split(100, row(1, -1)), 'invalidValue', /weights add up to zero/);
  });

  it('answers #VALUE! when every weight is zero or empty', () => {
    expectFormulaError(() => split(100, row(0, '', 0)), 'invalidValue', /every weight is zero or empty/);
  });

  it('answers #VALUE! naming the cell when a weight is text', () => {
    expectFormulaError(() => split(100, column(1, 'abc')), 'invalidValue', 'weights: item 2 is "abc", not a number');
    expectFormulaError(() => split(100, [[1, 2], [3, true]]), 'invalidValue', 'weights: row 2, column 2 is TRUE, not a number');
  });

  it('answers #VALUE! when the amount is text', () => {
    expectFormulaError(() => split('a lot', row(1)), 'invalidValue', 'amount is "a lot", not a number');
  });

  it('answers #VALUE! for decimals that are not a whole number from 0 to 10', () => {
    expectFormulaError(() => split(100, row(1), 2.5), 'invalidValue', /decimals is 2.5/);
    expectFormulaError(() => split(100, row(1), -1), 'invalidValue', /whole number from 0 to 10/);
    expectFormulaError(() => split(100, row(1), 11), 'invalidValue', /whole number from 0 to 10/);
  });

  it('answers #VALUE! rather than a rounded number when a part has more than 15 significant digits', () => {
    expectFormulaError(() => split(1e14, row(1, 1)), 'invalidValue', /more than the 15 significant digits/);
    expect(split(1e14, row(1, 1), 0)).toEqual([[5e13, 5e13]]);
  });

  it('answers #VALUE! for a ragged range', () => {
    expectFormulaError(() => split(100, [[1, 2], [3]]), 'invalidValue', /not a rectangular range/);
  });
});

describe('CB.SPLITEVEN', () => {
  it('splits 100 into 3 parts as a column: 33.34, 33.33, 33.33', () => {
    expect(splitEven(100, 3)).toEqual([[33.34], [33.33], [33.33]]);
    expect(splitEven(100, [[3]])).toEqual([[33.34], [33.33], [33.33]]);
  });

  it('gives one part per cell of a range, in its shape', () => {
    expect(splitEven(100, row('CC-A', 'CC-B', 'CC-C', 'CC-D'))).toEqual([[25, 25, 25, 25]]);
    expect(splitEven(10, column('CC-A', 'CC-B', 'CC-C'))).toEqual([[3.34], [3.33], [3.33]]);
  });

  it('splits 1 yen three ways with decimals 0 as 1, 0, 0', () => {
    expect(splitEven(1, 3, 0)).toEqual([[1], [0], [0]]);
  });

  it('answers #VALUE! for a count that is not a whole number of 1 or more', () => {
    expectFormulaError(() => splitEven(100, 0), 'invalidValue', /count_or_range is 0: give a whole number of parts/);
    expectFormulaError(() => splitEven(100, 2.5), 'invalidValue', /count_or_range is 2.5/);
    expectFormulaError(() => splitEven(100, ''), 'invalidValue', /count_or_range is ""/);
  });
});

describe('CB.SPLITFIXED', () => {
  it('splits 1,000 by 50/30/20 percents into 500, 300, 200', () => {
    expect(splitFixed(1000, row(50, 30, 20))).toEqual([[500, 300, 200]]);
  });

  it('splits 10 by 33.33/33.33/33.34 into 3.33, 3.33, 3.34', () => {
    expect(splitFixed(10, column(33.33, 33.33, 33.34))).toEqual([[3.33], [3.33], [3.34]]);
  });

  it('answers #VALUE! with the sum it found when the percents do not add up to 100', () => {
    expectFormulaError(() => splitFixed(100, row(50, 49.5)), 'invalidValue', 'the percents add up to 99.5, not 100');
  });

  it('hints at percent formatting when the percents add up to 1', () => {
    expectFormulaError(() => splitFixed(100, row(0.25, 0.75)), 'invalidValue', /add up to 1, not 100 \(cells formatted as %/);
  });

  it('answers #VALUE! for a negative percent even when the sum is 100', () => {
    expectFormulaError(() => splitFixed(100, row(110, -10)), 'invalidValue', /-10 is below zero/);
  });
});

/**
 * Amounts with up to 6 decimals, as a worksheet number. Up to 100 billion, so that every part in
 * minor units of up to 4 decimals fits the 15 significant digits a worksheet number holds.
 */
const amounts = fc.tuple(fc.integer({ min: -100_000_000_000, max: 100_000_000_000 }), fc.integer({ min: 0, max: 6 })).map(([n, places]) => Number(`${n}e-${places}`));
const weightCells = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 9 })).map(([n, places]) => Number(`${n}e-${places}`)), { minLength: 1, maxLength: 40 })
  .filter((ws) => ws.some((w) => w > 0));
const decimalsArb = fc.integer({ min: 0, max: 4 });

/** Asserts parts add up to the rounded amount and each is within one minor unit of amount × weight ÷ total. */
function checkSplit(amount: number, weights: number[], parts: number[], decimals: number) {
  const unit = minorUnitSize(decimals);
  const total = exact(amount);
  const ws = weights.map(exact);
  const weightTotal = ws.reduce((a, b) => a + b, 0n);
  const exactParts = parts.map(exact);
  expect(exactParts.reduce((a, b) => a + b, 0n)).toBe(roundToMinor(total, decimals) * unit);
  exactParts.forEach((part, i) => {
    const gap = part * weightTotal - total * ws[i];
    // within one minor unit, allowing the 10^-15 of the exact split
    const size = weightTotal < 0n ? -weightTotal : weightTotal;
    expect((gap < 0n ? -gap : gap) <= (unit + 1n) * size).toBe(true);
  });
}

describe('split properties', () => {
  it('SPLIT parts add up to the amount and are each within one minor unit of exact', () => {
    fc.assert(
      fc.property(amounts, weightCells, decimalsArb, fc.boolean(), (amount, weights, decimals, asRow) => {
        const parts = split(amount, asRow ? [weights] : weights.map((w) => [w]), decimals);
        expect(parts.length).toBe(asRow ? 1 : weights.length);
        checkSplit(amount, weights, parts.flat(), decimals);
      }),
      { numRuns: 500 },
    );
  });

  it('SPLIT with negative weights that do not cancel out still adds up, each part within one minor unit', () => {
    const mixed = fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 30 }).filter((ws) => ws.reduce((a, b) => a + b, 0) !== 0);
    fc.assert(
      // a part can be many times the amount here, so amounts stay small enough for a worksheet number
      fc.property(fc.integer({ min: -100_000_000, max: 100_000_000 }).map((cents) => cents / 100), mixed, fc.integer({ min: 0, max: 2 }), (amount, weights, decimals) => {
        checkSplit(amount, weights, split(amount, [weights], decimals).flat(), decimals);
      }),
      { numRuns: 300 },
    );
  });

  it('SPLITEVEN parts add up to the amount and differ from each other by at most one minor unit', () => {
    fc.assert(
      fc.property(amounts, fc.integer({ min: 1, max: 200 }), decimalsArb, (amount, count, decimals) => {
        const parts = splitEven(amount, count, decimals).flat();
        expect(parts.length).toBe(count);
        checkSplit(amount, parts.map(() => 1), parts, decimals);
        const units = parts.map((p) => exact(p) / minorUnitSize(decimals));
        const spread = units.reduce((a, b) => (a > b ? a : b)) - units.reduce((a, b) => (a < b ? a : b));
        expect(spread <= 1n).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('SPLITFIXED parts add up to the amount for any percents that add up to 100', () => {
    const percents = fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 20 }).filter((xs) => xs.some((x) => x > 0)).map((xs) => {
      // scale to hundredths of a percent adding up to exactly 100
      const sum = xs.reduce((a, b) => a + b, 0);
      const hundredths = xs.map((x) => Math.floor((x * 10_000) / sum));
      hundredths[0] += 10_000 - hundredths.reduce((a, b) => a + b, 0);
      return hundredths.map((h) => h / 100);
    });
    fc.assert(
      fc.property(amounts, percents, decimalsArb, (amount, pcts, decimals) => {
        checkSplit(amount, pcts, splitFixed(amount, [pcts], decimals).flat(), decimals);
      }),
      { numRuns: 300 },
    );
  });
});
