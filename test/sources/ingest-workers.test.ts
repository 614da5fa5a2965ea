import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateFocusCsv } from '../../bench/generate';
import { ingestFocus, IngestResult } from '../../src/core/ingest';
import { formatExact } from '../../src/core/money';
import { ingestWorkerCount, workerSplit } from '../../src/sources/ingest-workers';
import { costFilesAt } from '../../src/sources/node-files';
import { csvToParquet } from '../support/duckdb';
import { tempDir } from '../support/files';

const dimensions = ['SubAccountName', 'x_ResourceGroupName', 'Tag:costcenter'];
const summary = (result: IngestResult) => ({
  rowsRead: result.rowsRead,
  lines: result.lines.map((l) => [l.billingPeriod, l.currency, l.chargeCategory, l.commitmentDiscountStatus, JSON.stringify(l.dimensions), formatExact(l.billedCost), formatExact(l.effectiveCost), l.sourceRows].join('|')),
});

describe('large local files read by worker threads', () => {
  const dir = tempDir('chargeback-workers-');
  const csv = path.join(dir, 'focus.csv');
  beforeAll(() => void generateFocusCsv(csv, { rows: 3000, seed: 7 }));

  it('CSV: three workers give the cost lines one reader gives', async () => {
    const whole = await ingestFocus(await costFilesAt(csv), { dimensions });
    const split = await ingestFocus(await costFilesAt(csv), { dimensions, split: workerSplit(3, 0) });
    expect(summary(split)).toEqual(summary(whole));
    expect(split.rowsRead).toBe(3000);
  });

  it('Parquet: row groups shared among workers give the cost lines one reader gives', async () => {
    const small = path.join(dir, 'small.csv');
    writeFileSync(small, readFileSync(csv, 'utf8').split('\n').slice(0, 301).join('\n') + '\n');
    const parquet = path.join(dir, 'small.parquet');
    await csvToParquet(small, parquet, 'snappy'); // two rows a row group
    const whole = await ingestFocus(await costFilesAt(parquet), { dimensions });
    const split = await ingestFocus(await costFilesAt(parquet), { dimensions, split: workerSplit(2, 0) });
    expect(summary(split)).toEqual(summary(whole));
    expect(split.rowsRead).toBe(300);
  });

  it("bad input in a worker's part is reported at the file row, as one reader reports it", async () => {
    const lines = readFileSync(csv, 'utf8').split('\n');
    const header = lines[0].split(',');
    const billed = header.indexOf('BilledCost');
    const bad = lines.slice();
    // a row in the last third: read by the third worker
    const cells = bad[2500].split(',');
    expect(cells[billed]).toMatch(/^-?\d/); // no quoted field before it, so the cell is where split(',') says
    cells[billed] = 'n/a';
    bad[2500] = cells.join(',');
    const damaged = path.join(dir, 'damaged.csv');
    writeFileSync(damaged, bad.join('\n'));
    await expect(ingestFocus(await costFilesAt(damaged), { dimensions })).rejects.toThrow(`${damaged}, row 2501, column BilledCost: "n/a" is not a number`);
    await expect(ingestFocus(await costFilesAt(damaged), { dimensions, split: workerSplit(3, 0) })).rejects.toThrow(`${damaged}, row 2501, column BilledCost: "n/a" is not a number`);
  });

  it('cancelling stops the workers', async () => {
    const controller = new AbortController();
    const reading = ingestFocus(await costFilesAt(csv), { dimensions, split: workerSplit(2, 0), signal: controller.signal, onProgress: () => controller.abort(new Error('cancelled by the test')) });
    await expect(reading).rejects.toThrow(/cancel/);
  });

  it('CHARGEBACK_INGEST_WORKERS sets the number of readers; 1 reads files whole', () => {
    expect(ingestWorkerCount({ CHARGEBACK_INGEST_WORKERS: '3' })).toBe(3);
    expect(workerSplit(1)).toBeUndefined();
    expect(() => ingestWorkerCount({ CHARGEBACK_INGEST_WORKERS: 'many' })).toThrow('CHARGEBACK_INGEST_WORKERS must be a whole number of at least 1, not "many"');
    expect(ingestWorkerCount({})).toBeGreaterThanOrEqual(1);
  });
});
