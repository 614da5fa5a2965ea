import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { parquetReadObjects } from 'hyparquet';
import { FACT_TABLE_NAMES, FACT_TABLES, factPath } from '../../src/core/facts';
import { parseExact } from '../../src/core/money';
import { PublicationManifest } from '../../src/core/publication';
import { FolderShare } from '../../src/shares/folder-share';
import { publishWorkbook } from '../../src/workbook/publish';
import { tempDir } from '../support/files';
import { line } from '../core/helpers';
import { approvedMonth, MONTHS, publisherAt } from '../support/reporting-books';

type Row = Record<string, unknown>;
const csvRows = (file: string): Row[] => Papa.parse<Row>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true }).data;
const parquetRows = async (file: string): Promise<Row[]> => {
  const bytes = readFileSync(file);
  return parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
};
/** Cents of a decimal text, exactly. */
const cents = (text: unknown) => parseExact(String(text))! / 10n ** 13n;

describe('facts for reporting', () => {
  let root: string;
  const published: { period: string; version: number; folder: string; manifestSha256: string }[] = [];

  beforeAll(async () => {
    root = tempDir('facts-');
    const share = new FolderShare(root);
    for (const period of ['2026-09', '2026-10']) {
      const book = await approvedMonth(period);
      published.push(await publishWorkbook(book, share, { ...publisherAt(period), workbookBytes: await book.toBytes() }));
    }
    // October restated in another book, which adopts version 1: a late credit makes a second version of the same period
    const credit = line(MONTHS['2026-10'][0][0], '-5.00', { billingPeriod: '2026-10', chargeCategory: 'Credit' });
    const october = await approvedMonth('2026-10', undefined, [credit]);
    const adopt = published[1].manifestSha256;
    published.push(await publishWorkbook(october, share, { ...publisherAt('2026-10'), workbookBytes: await october.toBytes(), adopt }));
  }, 120000);

  it('writes every table as Parquet and CSV, each format in its own tree, partitioned by period, one file per version', () => {
    expect(readdirSync(path.join(root, 'facts')).sort()).toEqual(['csv', 'parquet']);
    for (const format of ['csv', 'parquet']) {
      for (const table of FACT_TABLE_NAMES) {
        expect(readdirSync(path.join(root, 'facts', format, table)).sort()).toEqual(['period=2026-09', 'period=2026-10']);
        expect(readdirSync(path.join(root, 'facts', format, table, 'period=2026-10')).sort()).toEqual([`${table}-2026-10-v1.${format}`, `${table}-2026-10-v2.${format}`]);
      }
    }
  });

  it('reads back with hyparquet and matches each published statement to the cent, for every period and version', async () => {
    for (const { period, version, folder } of published) {
      const statement = csvRows(path.join(root, folder, `chargeback-${period}.csv`));
      const facts = await parquetRows(path.join(root, factPath('statement', period, version, 'parquet')));
      expect(facts.map((f) => f.CostCenter)).toEqual(statement.map((s) => s.CostCenter));
      facts.forEach((fact, i) => {
        for (const column of ['Direct', 'Shared', 'Total', 'Budget', 'Variance']) expect([column, fact[column] ?? '']).toEqual([column, statement[i][column]]);
        expect(fact).toMatchObject({ Period: period, Version: version, VersionKey: `${period}/v${version}`, Currency: 'USD', ApprovedBy: 'Dana Reviewer' });
      });
      // the cost center × pool rows add up to each statement line, and the pool columns
      const charges = await parquetRows(path.join(root, factPath('charges', period, version, 'parquet')));
      for (const line of statement) {
        const mine = charges.filter((c) => c.CostCenter === line.CostCenter);
        expect([line.CostCenter, mine.reduce((a, c) => a + cents(c.Amount), 0n)]).toEqual([line.CostCenter, cents(line.Total)]);
        for (const pool of ['Network', 'Support']) {
          const share = mine.find((c) => c.Pool === pool);
          expect(share ? cents(share.Amount) : 0n).toBe(cents(line[pool]));
        }
      }
      // the exact detail adds up to the statement's total before rounding
      const detail = await parquetRows(path.join(root, factPath('allocation', period, version, 'parquet')));
      const placed = detail.filter((d) => d.Kind !== 'To pool').reduce((a, d) => a + parseExact(String(d.AmountExact))!, 0n);
      const manifest = JSON.parse(readFileSync(path.join(root, folder, 'manifest.json'), 'utf8')) as PublicationManifest;
      expect(placed / 10n ** 13n).toBe(cents(manifest.totals.source));
    }
  });

  it('writes the same rows as CSV, amounts as plain decimals', async () => {
    for (const table of FACT_TABLE_NAMES) {
      const fromParquet = await parquetRows(path.join(root, factPath(table, '2026-10', 2, 'parquet')));
      const fromCsv = csvRows(path.join(root, factPath(table, '2026-10', 2, 'csv')));
      expect(Object.keys(fromCsv[0])).toEqual(FACT_TABLES[table].map((c) => c.name));
      expect(fromCsv).toEqual(fromParquet.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]))));
    }
  });

  it('says which version is current: each version names the one it supersedes', async () => {
    const v1 = await parquetRows(path.join(root, factPath('versions', '2026-10', 1, 'parquet')));
    const v2 = await parquetRows(path.join(root, factPath('versions', '2026-10', 2, 'parquet')));
    expect(v1).toEqual([expect.objectContaining({ Version: 1, Supersedes: null, AllocatedTotal: '2360.81', PublishedBy: 'Sam Controller' })]);
    expect(v2).toEqual([expect.objectContaining({ Version: 2, Supersedes: 1, AllocatedTotal: '2355.81' })]); // the 5.00 credit
  });

  it('carries the cost center hierarchy, each cost center with its path from the top', async () => {
    const centers = await parquetRows(path.join(root, factPath('costcenters', '2026-10', 1, 'parquet')));
    expect(centers.map((c) => [c.CostCenter, c.Parent, c.Path, c.Depth])).toEqual([
      ['DEPT-ENG', '', 'DEPT-ENG', 1],
      ['ENG-PAY', 'DEPT-ENG', 'DEPT-ENG|ENG-PAY', 2],
      ['ENG-WEB', 'DEPT-ENG', 'DEPT-ENG|ENG-WEB', 2],
      ['OPS-SEC', '', 'OPS-SEC', 1],
      ['UNALLOCATED', '', 'UNALLOCATED', 1],
    ]);
  });

  it('lists every fact file in the manifest with its SHA-256', async () => {
    const { folder } = published[2];
    const manifest = JSON.parse(readFileSync(path.join(root, folder, 'manifest.json'), 'utf8')) as PublicationManifest;
    expect(manifest.facts!.map((f) => f.name)).toEqual(FACT_TABLE_NAMES.flatMap((t) => [factPath(t, '2026-10', 2, 'parquet'), factPath(t, '2026-10', 2, 'csv')]));
    for (const file of manifest.facts!) expect(readFileSync(path.join(root, file.name)).byteLength).toBe(file.bytes);
  });
});
