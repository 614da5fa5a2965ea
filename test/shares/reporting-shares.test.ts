/**
 * Showback statements and facts on the shares the task pane and the command line publish to:
 * Azure Blob Storage (Azurite) and SharePoint through Graph (the local stand-in). Facts of two
 * months are read back from the share itself and match each month's published statement.
 */
import Papa from 'papaparse';
import { parquetReadObjects } from 'hyparquet';
import { factPath } from '../../src/core/facts';
import { checkVersion } from '../../src/core/publication';
import { BlobShare } from '../../src/shares/blob-share';
import { graphClient, GraphShare } from '../../src/shares/graph-share';
import { Share } from '../../src/shares/share';
import { publishWorkbook } from '../../src/workbook/publish';
import { Azurite } from '../support/azurite';
import { FakeGraph } from '../support/graph-server';
import { approvedMonth, publisherAt } from '../support/reporting-books';

const quick = { retryOptions: { maxTries: 2, retryDelayInMs: 50, maxRetryDelayInMs: 100, tryTimeoutInMs: 10_000 } };

/** Publishes September then October and checks what a reader finds on the share. */
async function publishAndReadBack(share: Share) {
  for (const period of ['2026-09', '2026-10']) {
    const book = await approvedMonth(period);
    const outcome = await publishWorkbook(book, share, { ...publisherAt(period), workbookBytes: await book.toBytes() });
    const check = await checkVersion(share, period, outcome.version);
    expect(check.trusted).toBe(true);
    const showback = outcome.files.filter((f) => f.name.startsWith('showback/')).map((f) => f.name);
    expect(showback).toContain(`showback/showback-${period}-ENG-PAY.html`);
    const statement = Papa.parse<Record<string, string>>(new TextDecoder().decode(await share.readFile(`${outcome.folder}chargeback-${period}.csv`)), { header: true, skipEmptyLines: true }).data;
    const bytes = (await share.readFile(factPath('statement', period, outcome.version, 'parquet')))!;
    const facts = await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer });
    expect(facts.map((f) => [f.CostCenter, f.Total])).toEqual(statement.map((s) => [s.CostCenter, s.Total]));
    const csv = new TextDecoder().decode(await share.readFile(factPath('statement', period, outcome.version, 'csv')));
    expect(csv.split('\r\n')[0]).toMatch(/^Period,Version,VersionKey,CostCenter,/);
  }
  // the month before, as published on this share, is on October's statements
  const html = new TextDecoder().decode(await share.readFile('2026-10/showback/showback-2026-10-OPS-SEC.html'));
  expect(html).toContain('Total 2026-09');
}

describe('showback and facts on Azure Blob Storage', () => {
  let azurite: Azurite;
  beforeAll(async () => {
    azurite = await Azurite.start();
  });
  afterAll(async () => {
    await azurite?.stop();
  });

  it('are written beside the statement and under facts/, and read back', async () => {
    const url = await azurite.containerWithSas('finance', 'chargeback');
    await publishAndReadBack(new BlobShare(url, quick));
    const names: string[] = [];
    for await (const blob of azurite.service().getContainerClient('finance').listBlobsFlat({ prefix: 'chargeback/facts/' })) names.push(blob.name);
    // Each format in its own tree: a Parquet reader given facts/parquet/ meets only Parquet.
    expect(names.filter((n) => n.includes('/statement/')).sort()).toEqual([
      'chargeback/facts/csv/statement/period=2026-09/statement-2026-09-v1.csv',
      'chargeback/facts/csv/statement/period=2026-10/statement-2026-10-v1.csv',
      'chargeback/facts/parquet/statement/period=2026-09/statement-2026-09-v1.parquet',
      'chargeback/facts/parquet/statement/period=2026-10/statement-2026-10-v1.parquet',
    ]);
    expect(names.filter((n) => n.startsWith('chargeback/facts/parquet/') !== n.endsWith('.parquet'))).toEqual([]);
    expect(names.filter((n) => n.startsWith('chargeback/facts/csv/') !== n.endsWith('.csv'))).toEqual([]);
  });
});

describe('showback and facts on SharePoint through Graph', () => {
  let graph: FakeGraph;
  beforeAll(async () => {
    graph = await new FakeGraph().start();
  });
  afterAll(async () => {
    await graph.stop();
  });

  it('are written beside the statement and under facts/, and read back', async () => {
    const share = new GraphShare(graphClient(async () => 'test-token', graph.baseUrl), 'drive-1', 'Chargeback', { displayName: 'Finance Share' });
    await publishAndReadBack(share);
    expect([...graph.files.keys()].filter((k) => /^Chargeback\/facts\/(csv|parquet)\/versions\//.test(k)).sort()).toEqual([
      'Chargeback/facts/csv/versions/period=2026-09/versions-2026-09-v1.csv',
      'Chargeback/facts/csv/versions/period=2026-10/versions-2026-10-v1.csv',
      'Chargeback/facts/parquet/versions/period=2026-09/versions-2026-09-v1.parquet',
      'Chargeback/facts/parquet/versions/period=2026-10/versions-2026-10-v1.parquet',
    ]);
  });
});
