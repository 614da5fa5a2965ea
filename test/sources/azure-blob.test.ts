import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ingestFocus } from '../../src/core/ingest';
import { formatExact } from '../../src/core/money';
import { azureExportCosts } from '../../src/sources/azure-blob';
import { ExcelJsGateway } from '../../src/workbook/exceljs-gateway';
import { Azurite } from '../support/azurite';
import { chargeback } from '../support/cli';
import { csvToParquet } from '../support/duckdb';
import { csvPart, ExportRunSpec, focusRow as row, uploadRun as uploadRunTo } from '../support/export-runs';
import { BASE_HEADER, focusCsv, tempDir } from '../support/files';

const dimensions = ['SubAccountName', 'ServiceCategory'];
const OCT = '2026-10-01T00:00:00Z';

let azurite: Azurite;
/** September's export part as Parquet, written once by DuckDB. */
let september: Uint8Array;
beforeAll(async () => {
  azurite = await Azurite.start();
  const dir = tempDir('export-');
  writeFileSync(path.join(dir, 'sep.csv'), focusCsv(BASE_HEADER, [row('2026-09-01T00:00:00Z', '10.00', 'team-a'), row('2026-09-01T00:00:00Z', '20.00', 'team-b'), row('2026-09-01T00:00:00Z', '30.00', 'hub'), row('2026-09-01T00:00:00Z', '40.00', 'x')]));
  await csvToParquet(path.join(dir, 'sep.csv'), path.join(dir, 'sep.parquet'), 'snappy');
  september = readFileSync(path.join(dir, 'sep.parquet'));
});
afterAll(async () => {
  await azurite?.stop();
});

/** Uploads one export run into a container of the emulator. */
const uploadRun = (container: string, run: ExportRunSpec) => uploadRunTo(azurite.service().getContainerClient(container), run);

async function exportsContainer(name: string): Promise<string> {
  const url = await azurite.containerWithSas(name, 'costs', 'rl');
  const base = { folder: 'costs', exportName: 'focus-monthly' };
  // An early October run (partial month), the month-end run that supersedes it, and September as Parquet.
  await uploadRun(name, { ...base, period: '2026-10', runId: 'run-1', submittedTime: '2026-10-15T06:00:00Z', parts: [csvPart('part_0_0001.csv.gz', [row(OCT, '70.00', 'team-a'), row(OCT, '5.00', 'team-b')])] });
  await uploadRun(name, {
    ...base,
    period: '2026-10',
    runId: 'run-2',
    submittedTime: '2026-11-02T06:00:00Z',
    parts: [csvPart('part_0_0001.csv.gz', [row(OCT, '150.10', 'team-a'), row(OCT, '49.90', 'team-b'), row(OCT, '100.00', 'hub', 'Networking')]), csvPart('part_1_0001.csv.gz', [row(OCT, '0.333', 'stray')])],
  });
  await uploadRun(name, { ...base, period: '2026-09', runId: 'run-9', submittedTime: '2026-10-02T06:00:00Z', parts: [{ name: 'part_0_0001.parquet', bytes: september, rows: 4 }] });
  return url;
}

describe('pulling Cost Management exports from Azure Blob Storage', () => {
  it('runs Azurite with its telemetry off', () => {
    expect(azurite.commandLine()).toContain('--disableTelemetry');
  });

  it('reads the newest run for the period, streamed in ranges, and checks its manifest row counts', async () => {
    const url = await exportsContainer('exports-a');
    const source = await azureExportCosts(url, { period: '2026-10', rangeBytes: 64 });
    expect(source.runs.map((r) => [r.exportName, r.period, r.manifest.runInfo?.runId])).toEqual([['focus-monthly', '2026-10', 'run-2']]);
    expect(source.files.map((f) => f.name)).toEqual([
      `${azurite.serviceUrl}/exports-a/costs/focus-monthly/20261001-20261031/run-2/part_0_0001.csv.gz`,
      `${azurite.serviceUrl}/exports-a/costs/focus-monthly/20261001-20261031/run-2/part_1_0001.csv.gz`,
    ]);
    const ingest = await ingestFocus(source.files, { dimensions });
    expect(ingest.rowsRead).toBe(4);
    expect(formatExact(ingest.lines.reduce((a, l) => a + l.effectiveCost, 0n))).toBe('300.333');
    expect(() => source.checkRowCounts(ingest.files)).not.toThrow();
  });

  it('reads Parquet runs by range, and without a period takes the newest run of every period', async () => {
    const url = await exportsContainer('exports-b');
    const source = await azureExportCosts(url);
    expect(source.runs.map((r) => [r.period, r.manifest.runInfo?.runId])).toEqual([['2026-09', 'run-9'], ['2026-10', 'run-2']]);
    const ingest = await ingestFocus(source.files, { dimensions });
    expect(ingest.files.map((f) => [path.basename(f.name), f.rows])).toEqual([['part_0_0001.parquet', 4], ['part_0_0001.csv.gz', 3], ['part_1_0001.csv.gz', 1]]);
    expect(formatExact(ingest.lines.filter((l) => l.billingPeriod === '2026-09').reduce((a, l) => a + l.effectiveCost, 0n))).toBe('100');
  });

  it('names the file and both counts when the rows read differ from the manifest', async () => {
    const url = await exportsContainer('exports-c');
    await uploadRun('exports-c', { folder: 'costs', exportName: 'focus-monthly', period: '2026-10', runId: 'run-3', submittedTime: '2026-11-03T06:00:00Z', parts: [csvPart('part_0_0001.csv.gz', [row(OCT, '1.00', 'team-a')])], manifestRows: [2] });
    const source = await azureExportCosts(url, { period: '2026-10' });
    const ingest = await ingestFocus(source.files, { dimensions });
    expect(() => source.checkRowCounts(ingest.files)).toThrow(
      `${azurite.serviceUrl}/exports-c/costs/focus-monthly/20261001-20261031/run-3/part_0_0001.csv.gz: the export manifest costs/focus-monthly/20261001-20261031/run-3/manifest.json says 2 rows, but 1 were read: the file is incomplete or was changed after export`,
    );
  });

  it('says which periods the exports cover when the one asked for is missing, without the SAS', async () => {
    const url = await exportsContainer('exports-d');
    const failure = await azureExportCosts(url, { period: '2026-08' }).catch((e: Error) => e);
    expect((failure as Error).message).toBe(`${azurite.serviceUrl}/exports-d/costs: no export run for billing period 2026-08; the exports cover 2026-09, 2026-10`);
    const denied = await azureExportCosts(url.replace(/sig=[^&]+/, 'sig=forged')).catch((e: Error) => e);
    expect((denied as Error).message).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/exports-d\/costs: the container cannot be listed/);
    expect((denied as Error).message).not.toContain('forged');
    expect((denied as Error).message).not.toContain(url.split('?')[1].slice(0, 30));
  });
});

describe('the command line against Azure Blob Storage', () => {
  it('runs from an export container, publishes to another as v1 then v2, and refuses a tampered workbook', async () => {
    const costs = await exportsContainer('exports-e');
    const share = await azurite.containerWithSas('finance-share');
    const dir = tempDir('cli-azure-');
    const rules = {
      settings: { clearingAccount: '2990', unallocatedAccount: '6190' },
      costCenters: [
        { costCenter: 'CC-A', name: 'Team A', glAccount: '6100' },
        { costCenter: 'CC-B', name: 'Team B', glAccount: '6200' },
      ],
      mappings: [
        { dimension: 'SubAccountName', pattern: 'team-a', costCenter: 'CC-A' },
        { dimension: 'SubAccountName', pattern: 'team-b', costCenter: 'CC-B' },
      ],
      sharedPools: [{ pool: 'Network', dimension: 'ServiceCategory', pattern: 'Networking', method: 'Even', targets: '*' }],
    };
    writeFileSync(path.join(dir, 'rules.json'), JSON.stringify(rules));
    const book = path.join(dir, 'book.xlsx');
    const run = chargeback(['run', '--costs', costs, '--rules', path.join(dir, 'rules.json'), '--out', book, '--period', '2026-10', '--json']);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ period: '2026-10', rowsRead: 4, allocatedTotal: '300.33', unallocated: '0.33' });
    expect(chargeback(['approve', '--workbook', book, '--by', 'Dana Reviewer']).code).toBe(0);

    const first = chargeback(['publish', '--workbook', book, '--to', share]);
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain(`Published 2026-10 version 1 to ${azurite.serviceUrl}/finance-share/2026-10/`);
    const second = chargeback(['publish', '--workbook', book, '--to', share]);
    // Nothing changed since version 1: a restatement with no change publishes nothing, and says so.
    expect(second.stdout).toContain(`Nothing published: 2026-10 as it stands is what version 1 at ${azurite.serviceUrl}/finance-share/2026-10/ holds`);
    for (const out of [first.stdout, second.stdout]) expect(out).not.toContain('sig=');

    const tampered = await ExcelJsGateway.fromBytes(readFileSync(book));
    tampered.workbook.getWorksheet('Chargeback')!.getCell('H2').value = 1;
    writeFileSync(book, await tampered.toBytes());
    const refused = chargeback(['publish', '--workbook', book, '--to', share]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: 2026-10 changed since Dana Reviewer \(typed, not verified; OS user [^)]+\) approved it at .* \(Chargeback\): publishing refused/);
    expect(await azurite.service().getContainerClient('finance-share').getBlobClient('2026-10/v2/chargeback-2026-10.csv').exists()).toBe(false);
  });
});
