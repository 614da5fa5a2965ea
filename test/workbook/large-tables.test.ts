/**
 * The command line's workbook file keeps Costs and Allocation out of ExcelJS's in-memory model and
 * streams their rows out of and into the .xlsx. What it reads must be what the in-memory gateway
 * reads (books approved before hold digests of exactly that), and what it writes must open in
 * ExcelJS (and so in Excel) as the same tables.
 */
import ExcelJS from 'exceljs';
import { CostLine } from '../../src/core/costs';
import { IngestResult } from '../../src/core/ingest';
import { approveWorkbook, contentDigest, REVIEW_TABLES, verifyWorkbook } from '../../src/workbook/approval';
import { ExcelJsGateway } from '../../src/workbook/exceljs-gateway';
import { TableData } from '../../src/workbook/gateway';
import { allocateWorkbook, pullCosts, writeRuleTables } from '../../src/workbook/steps';
import { ExcelJsFileGateway, WorkbookTooBig } from '../../src/workbook/xlsx-large-tables';
import { isWorksheetPart, xlsxSize, xlsxTooBig } from '../../src/workbook/xlsx-size';
import { line, threeTeams } from '../core/helpers';

const context = { user: 'Preparer', now: () => new Date('2026-11-03T09:00:00Z') };

/** Names a reader could trip on: leading zeros, spaces at the ends, XML's own characters, a control character, non-Latin text. */
const names = ['team-a-0100', ' team-b padded ', 'team-c <&> "quoted"', 'team-a\u0001ctl', 'team-b-東京', 'team-c-' + 'x'.repeat(300)];

function costLines(): CostLine[] {
  return Array.from({ length: 300 }, (_, i) => line({ ProviderName: 'Microsoft', SubAccountName: names[i % names.length] + (i >= names.length ? `-${i}` : ''), ServiceCategory: 'Compute', ServiceName: 'Virtual Machines' }, `${i}.${String(i % 97).padStart(2, '0')}1234567891`));
}

const ingest = (lines: CostLine[]): IngestResult =>
  ({ lines, dimensions: ['ProviderName', 'SubAccountName', 'ServiceCategory', 'ServiceName'], rowsRead: lines.length, files: [{ name: 'generated.csv' }] }) as unknown as IngestResult;

async function allocatedBook(gateway: ExcelJsGateway): Promise<ExcelJsGateway> {
  // Publishable (a clearing account, an account for unallocated cost): only such a period is approved.
  await writeRuleTables(gateway, { ...threeTeams, Settings: [{ Setting: 'ClearingAccount', Value: '2990' }, { Setting: 'UnallocatedAccount', Value: '6190' }] });
  await pullCosts(gateway, ingest(costLines()), context);
  await allocateWorkbook(gateway, context, { period: '2026-10' });
  return gateway;
}

const everything = async (gateway: ExcelJsGateway) => Object.fromEntries(await gateway.readTables(REVIEW_TABLES)) as Record<string, TableData | undefined>;

it('reads a book the in-memory gateway wrote exactly as the in-memory gateway does, to the same digest', async () => {
  const bytes = await (await allocatedBook(new ExcelJsGateway())).toBytes();
  const inMemory = await ExcelJsGateway.fromBytes(bytes);
  const streamed = await ExcelJsFileGateway.fromBytes(bytes);
  const tables = await everything(streamed);
  expect(tables.Costs!.rows).toHaveLength(300);
  expect(tables).toEqual(await everything(inMemory));
  expect(await contentDigest(streamed)).toEqual(await contentDigest(inMemory));
});

it('writes Costs and Allocation as Excel tables that ExcelJS opens with every row, formats and the header kept', async () => {
  const written = await allocatedBook(new ExcelJsFileGateway());
  const bytes = await written.toBytes();
  const reread = await everything(await ExcelJsFileGateway.fromBytes(bytes));
  expect(reread).toEqual(await everything(await ExcelJsGateway.fromBytes(bytes)));
  // As written, but for the control character, which XML cannot hold (ExcelJS drops it too).
  const costs = (await written.readTable('Costs'))!;
  expect(reread.Costs!.rows).toEqual(costs.rows.map((row) => row.map((cell) => (typeof cell === 'string' ? cell.replace('\u0001', '') : cell))));

  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet('Costs')!;
  const table = (sheet as unknown as { tables: Record<string, { table: { tableRef: string } }> }).tables.Costs.table;
  expect(table.tableRef).toBe(`A1:M301`);
  expect(sheet.getCell('A1').font?.bold).toBe(true);
  expect(sheet.getCell('F3').value).toBe(' team-b padded ');
  expect(sheet.getCell('F4').value).toBe('team-c <&> "quoted"');
  expect(sheet.getCell('F5').value).toBe('team-actl');
  expect(sheet.getCell('I2').numFmt).toBe(sheet.getColumn(9).numFmt);
  expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  expect(reread.Allocation!.rows).toHaveLength(300);
});

it('approves, saves and verifies through the file gateway, and protects the large sheets', async () => {
  const book = await ExcelJsFileGateway.fromBytes(await (await allocatedBook(new ExcelJsFileGateway())).toBytes());
  await approveWorkbook(book, { user: 'Reviewer', now: () => new Date('2026-11-04T09:00:00Z') });
  const bytes = await book.toBytes();
  const reopened = await ExcelJsFileGateway.fromBytes(bytes);
  expect(await verifyWorkbook(reopened)).toMatchObject({ ok: true, state: { status: 'approved' } });
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  expect((workbook.getWorksheet('Costs') as unknown as { sheetProtection: unknown }).sheetProtection).toMatchObject({ sheet: true });
  // Saving again without a change writes the same tables.
  expect(await everything(await ExcelJsFileGateway.fromBytes(await reopened.toBytes()))).toEqual(await everything(reopened));
});

it('reports rows typed below the Costs table, as the in-memory gateway does, and keeps them', async () => {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await (await allocatedBook(new ExcelJsGateway())).toBytes()) as unknown as ArrayBuffer);
  workbook.getWorksheet('Costs')!.getCell('F305').value = 'typed below';
  const bytes = await workbook.xlsx.writeBuffer();
  const book = await ExcelJsFileGateway.fromBytes(bytes);
  const streamed = (await book.readTable('Costs'))!;
  expect(streamed.rowsBelow).toEqual({ first: 305, last: 305 });
  expect(streamed).toEqual(await (await ExcelJsGateway.fromBytes(bytes)).readTable('Costs'));
  // Saved again, the row typed below is still there: it is the user's.
  expect((await (await ExcelJsFileGateway.fromBytes(await book.toBytes())).readTable('Costs'))!.rowsBelow).toEqual({ first: 305, last: 305 });
});

it('keeps a note typed beside the Costs table when it saves the book again', async () => {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await (await allocatedBook(new ExcelJsGateway())).toBytes()) as unknown as ArrayBuffer);
  workbook.getWorksheet('Costs')!.getCell('P10').value = 'checked with the vendor';
  const book = await ExcelJsFileGateway.fromBytes(await workbook.xlsx.writeBuffer());
  const saved = new ExcelJS.Workbook();
  await saved.xlsx.load((await book.toBytes()) as unknown as ArrayBuffer);
  expect(saved.getWorksheet('Costs')!.getCell('P10').value).toBe('checked with the vendor');
  expect((await book.readTable('Costs'))!.rows).toHaveLength(300);
});

describe('a chargeback workbook is refused by size counting its cost detail apart', () => {
  // The limits scaled down to this small book: what a book at Excel's row limit meets at full size.
  const sizes = async () => {
    const bytes = await (await allocatedBook(new ExcelJsFileGateway())).toBytes();
    const parts = xlsxSize(bytes)!.parts;
    const detail = [...parts].filter(([p]) => isWorksheetPart(p)).sort((a, b) => b[1] - a[1]).slice(0, 2);
    const detailBytes = detail.reduce((sum, [, n]) => sum + n, 0);
    return { bytes, detailBytes, restBytes: xlsxSize(bytes)!.unpackedBytes - detailBytes };
  };

  it('opens a book whose Costs and Allocation sheets alone unpack to more than the whole-book limit', async () => {
    const { bytes, detailBytes, restBytes } = await sizes();
    expect(detailBytes).toBeGreaterThan(restBytes);
    const limits = { fileBytes: bytes.byteLength, unpackedBytes: restBytes + 1, streamedBytes: detailBytes };
    // Counted whole, as before, the book it wrote itself would not reopen.
    expect(xlsxTooBig(bytes, 'chargeback', () => false, limits)).toMatch(/^the file unpacks to/);
    const reopened = await ExcelJsFileGateway.fromBytes(bytes, 'chargeback', limits);
    expect((await reopened.readTable('Costs'))!.rows).toHaveLength(300);
  });

  it('refuses a book whose other sheets would be held whole over the limit, or whose detail is over its own', async () => {
    const { bytes, detailBytes, restBytes } = await sizes();
    await expect(ExcelJsFileGateway.fromBytes(bytes, 'chargeback', { fileBytes: bytes.byteLength, unpackedBytes: restBytes - 1, streamedBytes: detailBytes })).rejects.toThrow(WorkbookTooBig);
    // (the whole within both limits together, so the detail's own limit is what refuses it)
    await expect(ExcelJsFileGateway.fromBytes(bytes, 'chargeback', { fileBytes: bytes.byteLength, unpackedBytes: restBytes + 2, streamedBytes: detailBytes - 1 })).rejects.toThrow(/^its cost detail sheets unpack to 0 MB, more than the 0 MB a chargeback workbook may/);
  });
});
