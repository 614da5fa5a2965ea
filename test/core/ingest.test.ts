import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ingestFocus, IngestError } from '../../src/core/ingest';
import { formatExact } from '../../src/core/money';
import { costFilesAt } from '../../src/sources/node-files';
import { csvToParquet } from '../support/duckdb';
import { BASE_HEADER, focusCsv, memoryFile, tempDir } from '../support/files';

const dimensions = ['SubAccountName', 'ServiceCategory', 'Tag:costcenter'];
const rows = [
  ['2026-10-01T00:00:00Z', 'USD', 'Usage', '', '10.25', '10.25', 'team-a', 'Compute', 'VMs', 'Azure', '"{""costcenter"":""CC-A"",""env"":""prod""}"'],
  ['2026-10-02T00:00:00Z', 'USD', 'Usage', '', '0.0000000001', '0.0000000001', 'team-a', 'Compute', 'VMs', 'Azure', '"{""CostCenter"":""CC-A""}"'],
  ['2026-10-01T00:00:00Z', 'USD', 'Credit', '', '-5.00', '-5.00', 'team-a', 'Compute', 'VMs', 'Azure', '"{""costcenter"":""CC-A"",""env"":""prod""}"'],
  ['2026-10-01T00:00:00Z', 'USD', 'Usage', 'Used', '0', '3.3333333333', 'team-b', 'Compute', 'VMs', 'AWS', ''],
  ['2026-10-01T00:00:00Z', 'USD', 'Purchase', '', '100', '0', 'team-b', 'Compute', 'Savings Plan', 'AWS', 'null'],
];
const csv = focusCsv(BASE_HEADER, rows);

function summarize(result: Awaited<ReturnType<typeof ingestFocus>>) {
  return result.lines.map((l) => [l.chargeCategory, l.commitmentDiscountStatus, l.dimensions.SubAccountName, l.dimensions['Tag:costcenter'], formatExact(l.billedCost), formatExact(l.effectiveCost), l.sourceRows]);
}

const expected = [
  ['Credit', '', 'team-a', 'CC-A', '-5', '-5', 1],
  ['Purchase', '', 'team-b', '', '100', '0', 1],
  ['Usage', '', 'team-a', 'CC-A', '10.2500000001', '10.2500000001', 2],
  ['Usage', 'Used', 'team-b', '', '0', '3.3333333333', 1],
];

describe('reading FOCUS files', () => {
  it('sums rows to allocation grain, exactly, with tag keys matched regardless of case', async () => {
    const result = await ingestFocus([memoryFile('october.csv', csv)], { dimensions });
    expect(result.rowsRead).toBe(5);
    expect(summarize(result)).toEqual(expected);
  });

  it('reads gzip-compressed CSV the same way', async () => {
    const result = await ingestFocus([memoryFile('october.csv.gz', gzipSync(csv))], { dimensions });
    expect(summarize(result)).toEqual(expected);
  });

  it.each(['snappy', 'zstd'] as const)('reads Parquet compressed with %s the same way', async (compression) => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'october.csv'), csv);
    await csvToParquet(path.join(dir, 'october.csv'), path.join(dir, 'october.parquet'), compression);
    const files = await costFilesAt(path.join(dir, 'october.parquet'));
    const result = await ingestFocus(files, { dimensions });
    expect(summarize(result)).toEqual(expected);
  });

  it('reads a folder of partitioned exports, whatever the order of rows and files', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'part-2'), { recursive: true });
    writeFileSync(path.join(dir, 'part-1.csv'), focusCsv(BASE_HEADER, rows.slice(3)));
    writeFileSync(path.join(dir, 'part-2', 'data.csv.gz'), gzipSync(focusCsv(BASE_HEADER, rows.slice(0, 3).reverse())));
    writeFileSync(path.join(dir, 'manifest.json'), '{}');
    const result = await ingestFocus(await costFilesAt(dir), { dimensions });
    expect(summarize(result)).toEqual(expected);
    expect(result.files.map((f) => path.basename(f.name))).toEqual(['part-1.csv', 'data.csv.gz']);
  });

  it('reports progress in rows and bytes', async () => {
    const seen: number[] = [];
    await ingestFocus([memoryFile('october.csv', csv)], { dimensions, onProgress: (p) => seen.push(p.rowsRead) });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[seen.length - 1]).toBe(5);
  });
});

describe('bad FOCUS input', () => {
  const attempt = (content: string, name = 'bad.csv') => ingestFocus([memoryFile(name, content)], { dimensions });

  it('names a missing required column', async () => {
    const header = BASE_HEADER.filter((h) => h !== 'EffectiveCost');
    await expect(attempt(focusCsv(header, []))).rejects.toThrow(/bad\.csv, row 1: missing FOCUS column EffectiveCost/);
  });

  it('names a missing column that a rule needs', async () => {
    const header = BASE_HEADER.filter((h) => h !== 'SubAccountName');
    await expect(attempt(focusCsv(header, []))).rejects.toThrow(/missing FOCUS column SubAccountName/);
  });

  it('says which row and column hold a cost that is not a number', async () => {
    const bad = rows.map((r) => [...r]);
    bad[2][4] = 'twelve';
    await expect(attempt(focusCsv(BASE_HEADER, bad))).rejects.toThrow('bad.csv, row 4, column BilledCost: "twelve" is not a number');
  });

  it('says which row holds malformed Tags JSON', async () => {
    const bad = rows.map((r) => [...r]);
    bad[1][10] = '"{costcenter: CC-A}"';
    await expect(attempt(focusCsv(BASE_HEADER, bad))).rejects.toThrow(/bad\.csv, row 3, column Tags: Tags is not valid JSON/);
  });

  it('says a file cannot be read', async () => {
    await expect(ingestFocus([memoryFile('broken.csv.gz', 'not gzip at all')], { dimensions })).rejects.toThrow(/broken\.csv\.gz: the file could not be read/);
    await expect(costFilesAt('/nonexistent/costs.csv')).rejects.toThrow(IngestError);
  });

  it('treats credits and refunds (negative costs) as ordinary data', async () => {
    const result = await ingestFocus([memoryFile('credits.csv', csv)], { dimensions });
    expect(result.lines.some((l) => l.billedCost < 0n)).toBe(true);
  });
});

describe('the FOCUS specification examples', () => {
  const examples = path.resolve(__dirname, '../fixtures/focus-examples');
  const withCurrency = (file: string) => {
    const lines = readFileSync(path.join(examples, file), 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
    return [`${lines[0]},BillingCurrency`, ...lines.slice(1).map((l) => `${l},USD`)].join('\n');
  };
  const totals = async (file: string) => {
    const result = await ingestFocus([memoryFile(file, withCurrency(file))], { dimensions: [] });
    return [formatExact(result.lines.reduce((a, l) => a + l.billedCost, 0n)), formatExact(result.lines.reduce((a, l) => a + l.effectiveCost, 0n))];
  };

  it('lack BillingCurrency, and the error names it', async () => {
    const file = 'commitment_discount_scenarios/commitment_discount_usage_scenario_3.csv';
    await expect(ingestFocus([memoryFile(file, readFileSync(path.join(examples, file)))], { dimensions: [] })).rejects.toThrow(/missing FOCUS column BillingCurrency/);
  });

  it('give the specification\'s totals for a fully used commitment (billed 0.00, effective 1.00)', async () => {
    expect(await totals('commitment_discount_scenarios/commitment_discount_usage_scenario_3.csv')).toEqual(['0', '1']);
  });

  it('give the specification\'s totals for an unused commitment (billed 3.50 = effective 3.50)', async () => {
    expect(await totals('commitment_discount_flexibility/zero_percent_utilization_without_commitment_discount_flexibility.csv')).toEqual(['3.5', '3.5']);
  });
});
