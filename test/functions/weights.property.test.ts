// A number cell read without its text (the fast path of a full column) weighs what its text says.
import fc from 'fast-check';
import { readWeights } from '../../src/functions/inputs';

describe('weights read from worksheet numbers', () => {
  it('keep the ratio of the decimals a cell shows, read with or without their text', () => {
    const asText = (x: number) => String(x);
    const numberArb = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e18, max: 1e18 }), fc.integer({ min: -1e9, max: 1e9 }).map((n) => n / 10 ** (Math.abs(n) % 11)));
    fc.assert(
      fc.property(fc.array(numberArb, { minLength: 1, maxLength: 6 }), (numbers) => {
        const range = { rows: numbers.length, columns: 1, cells: numbers };
        const texts = { rows: numbers.length, columns: 1, cells: numbers.map(asText) };
        const [a, b] = [readWeights(range, 'weights'), readWeights(texts, 'weights')];
        // the same ratios: a[i] × b[j] = a[j] × b[i]
        for (let i = 0; i < a.length; i++) for (let j = 0; j < a.length; j++) expect(a[i] * b[j]).toBe(a[j] * b[i]);
      }),
      { numRuns: 1000 },
    );
  });
});
