import fc from 'fast-check';
import { rowCombinations } from '../../src/core/row-combinations';
import { ingestFocus } from '../../src/core/ingest';
import { BASE_HEADER, focusCsv, memoryFile } from '../support/files';

/** The reference: number each row's tuple of codes as a string, in the order tuples first appear. */
function byStrings(columns: Int32Array[], rowCount: number) {
  const seen = new Map<string, number>();
  const ids: number[] = [];
  const firstRows: number[] = [];
  for (let r = 0; r < rowCount; r++) {
    const key = columns.map((c) => c[r]).join(',');
    let id = seen.get(key);
    if (id === undefined) {
      id = seen.size;
      seen.set(key, id);
      firstRows.push(r);
    }
    ids.push(id);
  }
  return { ids, count: seen.size, firstRows };
}

describe('rows grouped by the codes of their key columns', () => {
  it('gives two rows the same id exactly when every code is the same, numbered as they first appear', () => {
    // cardinalities from 1 to past the multiply-out limit, so both the multiplying and the lookup passes run
    const column = fc.integer({ min: 1, max: 400 }).chain((cardinality) => fc.constant(cardinality));
    const batch = fc.record({ cardinalities: fc.array(column, { minLength: 0, maxLength: 8 }), rowCount: fc.integer({ min: 0, max: 3000 }), seed: fc.integer() });
    fc.assert(
      fc.property(batch, ({ cardinalities, rowCount, seed }) => {
        let state = seed | 1;
        const next = () => ((state = Math.imul(state ^ (state >>> 13), 0x5bd1e995) ^ 0x27d4eb2d) >>> 0);
        // skewed codes (a few common values, a long tail), -1 for empty cells
        const columns = cardinalities.map((cardinality) => Int32Array.from({ length: rowCount }, () => (next() % 3 === 0 ? (next() % cardinality) - 1 : (next() % Math.min(cardinality, 3)) - 1)));
        const got = rowCombinations(
          columns.map((codes, k) => ({ codes, cardinality: cardinalities[k] })),
          rowCount,
        );
        const want = byStrings(columns, rowCount);
        expect(got.count).toBe(want.count);
        expect(Array.from(got.ids)).toEqual(want.ids);
        expect(Array.from(got.firstRows)).toEqual(want.firstRows);
      }),
      { numRuns: 150 },
    );
  });

  it('handles a wide batch whose combined codes would overflow 32 bits if multiplied out', () => {
    const rowCount = 70_000;
    const columns = [60_000, 50_000, 40_000].map((cardinality, k) => Int32Array.from({ length: rowCount }, (_, r) => ((r * (k + 7)) % cardinality) - 1));
    const got = rowCombinations(
      columns.map((codes, k) => ({ codes, cardinality: [60_000, 50_000, 40_000][k] })),
      rowCount,
    );
    const want = byStrings(columns, rowCount);
    expect(got.count).toBe(want.count);
    expect(Array.from(got.ids)).toEqual(want.ids);
  });
});

describe('a bad cell is reported at the first row that has one, key or amount', () => {
  const row = (billed: string, currency = 'USD') => ['2026-10-01T00:00:00Z', currency, 'Usage', '', billed, billed, 'team-a', 'Compute', 'VMs', 'Azure', ''];
  const read = (rows: string[][]) => ingestFocus([memoryFile('bad.csv', focusCsv(BASE_HEADER, rows))], { dimensions: ['SubAccountName'] });

  it('an amount that is not a number before a bad currency: the amount', async () => {
    await expect(read([row('1.00'), row('ten'), row('2.00', 'usd!')])).rejects.toThrow('bad.csv, row 3, column BilledCost: "ten" is not a number');
  });

  it('a bad currency before an amount that is not a number: the currency', async () => {
    await expect(read([row('1.00'), row('2.00', 'usd!'), row('ten')])).rejects.toThrow(/bad\.csv, row 3, column BillingCurrency/);
  });

  it('both in the same row: the key first, as a row is read left to right', async () => {
    await expect(read([row('1.00'), row('ten', 'usd!')])).rejects.toThrow(/bad\.csv, row 3, column BillingCurrency/);
  });
});
