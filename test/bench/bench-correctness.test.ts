import { readFileSync } from 'node:fs';
import path from 'node:path';
import { duckdbGroupTotals } from '../../bench/duckdb';
import { csvToParquet, generateFocusCsv } from '../../bench/generate';
import { groupDifferences } from '../../bench/groups';
import { oursGroupTotals, runOurs } from '../../bench/ours';
import { BENCH_GRAIN, costsWritePlan } from '../../bench/write-plan';
import { REQUEST_LIMIT_BYTES } from '../../src/workbook/write-plan';
import { tempDir } from '../support/files';

describe('the benchmark compares like with like', () => {
  const dir = tempDir('chargeback-bench-test-');
  const csv = path.join(dir, 'focus.csv');
  const parquet = path.join(dir, 'focus.parquet');

  beforeAll(async () => {
    generateFocusCsv(csv, { rows: 20_000, seed: 7 });
    await csvToParquet(csv, parquet);
  });

  it.each([
    ['CSV', csv],
    ['Parquet', parquet],
  ])('our ingest and DuckDB give the same totals per group, to the cent, from %s', async (_, file) => {
    const ours = await runOurs(file);
    const duckdb = await duckdbGroupTotals(file, ours.dimensions, 1);
    const groups = oursGroupTotals(ours.ingest.lines, ours.dimensions);
    expect(ours.ingest.rowsRead).toBe(20_000);
    expect(duckdb.rows).toBe(20_000);
    expect(groups.size).toBeGreaterThan(1000);
    expect(groupDifferences(groups, duckdb.groups)).toEqual({ differing: 0, examples: [] });
    // and the allocation accounts for every cent of the source
    expect(ours.result.allocatedTotal).toBe(ours.result.sourceTotal);
  });

  it('generates the same bytes from the same seed', () => {
    const again = path.join(dir, 'again.csv');
    generateFocusCsv(again, { rows: 500, seed: 7 });
    const first = path.join(dir, 'first.csv');
    generateFocusCsv(first, { rows: 500, seed: 7 });
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(first, 'utf8'));
  });

  it('plans the Costs table write at 100k lines in requests under the 5 MB limit', () => {
    const plan = costsWritePlan(100_000, BENCH_GRAIN);
    expect(plan.largestRequestBytes).toBeLessThan(REQUEST_LIMIT_BYTES);
    // every row of the table (and its header) is in exactly one request
    expect(plan.requests.flatMap((r) => r.parts).reduce((a, p) => a + p.count, 0)).toBe(100_001);
  });
});
