import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { groupThousands, percentOf, showbackFileStems } from '../../src/core/showback';
import { PublicationManifest } from '../../src/core/publication';
import { FolderShare } from '../../src/shares/folder-share';
import { ExcelJsGateway } from '../../src/workbook/exceljs-gateway';
import { monthBefore } from '../../src/workbook/showback-files';
import { publishWorkbook } from '../../src/workbook/publish';
import { tempDir } from '../support/files';
import { approvedMonth, publisherAt, reportingRules } from '../support/reporting-books';

type Row = Record<string, string>;
const CODES = ['DEPT-ENG', 'ENG-PAY', 'ENG-WEB', 'OPS-SEC', 'UNALLOCATED'];

/** Every cell of a workbook as text (numbers to two decimals, as the statement shows them). */
async function workbookText(file: string): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
  const cells: string[] = [];
  workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(typeof cell.value === 'number' ? cell.value.toFixed(2) : String(cell.text)))));
  return cells.join('\n');
}

/** Whether `amount` ("1234.61") appears in `text` as a number of its own, plain or with thousands separators. */
const holdsAmount = (text: string, amount: string) =>
  [amount, groupThousands(amount)].some((form) => new RegExp(`(?<![\\d.,])${form.replace(/[.]/g, '\\.')}(?![\\d])`).test(text));

describe('showback statements', () => {
  let root: string;
  let folder: string;
  let statement: Row[];

  beforeAll(async () => {
    root = tempDir('showback-');
    const share = new FolderShare(root);
    const september = await approvedMonth('2026-09');
    await publishWorkbook(september, share, { ...publisherAt('2026-09'), workbookBytes: await september.toBytes() });
    const october = await approvedMonth('2026-10');
    folder = path.join(root, (await publishWorkbook(october, share, { ...publisherAt('2026-10'), workbookBytes: await october.toBytes() })).folder);
    statement = Papa.parse<Row>(readFileSync(path.join(folder, 'chargeback-2026-10.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
  }, 120000);

  const file = (code: string, extension: string) => path.join(folder, 'showback', `showback-2026-10-${code}.${extension}`);

  it('publishes a workbook and a printable page per cost center, beside the statement, hashed in the manifest', () => {
    const manifest = JSON.parse(readFileSync(path.join(folder, 'manifest.json'), 'utf8')) as PublicationManifest;
    expect(manifest.files.map((f) => f.name).filter((n) => n.startsWith('showback/'))).toEqual(CODES.flatMap((code) => [`showback/showback-2026-10-${code}.xlsx`, `showback/showback-2026-10-${code}.html`]));
  });

  it("gives the owner their total, direct cost lines, pool shares, budget and the month before, adding up to the statement's figures", async () => {
    const book = await ExcelJsGateway.fromBytes(readFileSync(file('ENG-PAY', 'xlsx')));
    const summary = Object.fromEntries((await book.readTable('Statement'))!.rows.map((r) => [r[0], r[1] ?? r[2]]));
    const line = statement.find((s) => s.CostCenter === 'ENG-PAY')!;
    expect(summary).toMatchObject({ 'Direct cost': Number(line.Direct), 'Shared cost': Number(line.Shared), 'Total charged': Number(line.Total), Budget: 400, Variance: Number(line.Variance), 'Cost center': 'ENG-PAY', Owner: 'pay-lead@example.com' });
    // September: 211.37 + 13.05 direct, and its shares of Network and Support
    const september = Papa.parse<Row>(readFileSync(path.join(root, '2026-09', 'chargeback-2026-09.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
    expect(summary['Total 2026-09']).toBe(Number(september.find((s) => s.CostCenter === 'ENG-PAY')!.Total));

    const direct = (await book.readTable('DirectCost'))!.rows;
    expect(direct.map((r) => r.slice(0, 3))).toEqual([
      ['Microsoft', 'pay-dr', 'Virtual Machines'],
      ['Microsoft', 'pay-prod', 'Virtual Machines'],
    ]);
    expect(direct.map((r) => r[4])).toEqual([88.09, 1234.61]);
    expect(direct[0][3]).toBe('Mappings row 2: SubAccountName pay*');

    const shared = (await book.readTable('SharedCost'))!.rows;
    expect(shared.map((r) => [r[0], r[1], r[2], r[6]])).toEqual([
      ['Network', 310.07 + 51.29, 'Proportional', Number(line.Network)],
      ['Support', 99.01, 'Fixed', Number(line.Support)],
    ]);
    // ENG-PAY's direct 1322.70 of the targets' 1322.70 + 402.18 + 171.43 = 1896.31: 69.8%
    expect(shared[0][7]).toBe(`Network 361.36 split in proportion to direct cost; your share 69.8% = ${line.Network}`);
    expect(shared[0][3]).toBe('your direct cost 1,322.70 of the 1,896.31 of all 3 targets');
    expect(shared[1][3]).toBe('a fixed 50% (FixedSplits)');
    expect(Number(line.Network) + Number(line.Support)).toBeCloseTo(Number(line.Shared), 10);
  });

  it("holds only that cost center's data: no other cost center's code, name, owner or amounts", async () => {
    for (const code of CODES) {
      const own = statement.find((s) => s.CostCenter === code)!;
      const parent = String(reportingRules.CostCenters!.find((c) => c.CostCenter === code)?.Parent ?? '');
      for (const text of [readFileSync(file(code, 'html'), 'utf8'), await workbookText(file(code, 'xlsx'))]) {
        expect(text).toContain(code);
        expect(holdsAmount(text, own.Total)).toBe(true);
        for (const other of statement.filter((s) => s.CostCenter !== code)) {
          const center = reportingRules.CostCenters!.find((c) => c.CostCenter === other.CostCenter);
          // a cost center's own parent is its own attribute (where it rolls up), not another's data
          if (other.CostCenter !== parent) expect([code, text.includes(other.CostCenter)]).toEqual([code, false]);
          if (center) expect([code, text.includes(String(center.Owner)), text.includes(`>${center.Name}<`)]).toEqual([code, false, false]);
          for (const column of ['Direct', 'Total', 'Budget', 'Variance']) {
            const amount = other[column];
            if (amount && Number(amount) !== 0 && amount !== own[column]) expect([code, other.CostCenter, column, holdsAmount(text, amount)]).toEqual([code, other.CostCenter, column, false]);
          }
        }
      }
    }
  });

  it('prints: one self-contained page with its sections, every text escaped', () => {
    const html = readFileSync(file('OPS-SEC', 'html'), 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('@media print');
    expect(html).not.toMatch(/<script|<link|src=/i);
    for (const heading of ['Summary', 'Direct cost', 'Shared cost']) expect(html).toContain(`<h2>${heading}</h2>`);
    expect(html).toContain('Security operations');
    expect(html).toContain('Microsoft Sentinel');
  });
});

describe('showback helpers', () => {
  it('rounds a share to one decimal of a percent, half away from zero', () => {
    expect([percentOf(1n, 3n), percentOf(2n, 3n), percentOf(1n, 8n), percentOf(-1n, 8n), percentOf(5n, 0n), percentOf(3n, 4n)]).toEqual(['33.3', '66.7', '12.5', '-12.5', '0', '75']);
  });

  it('makes a file name of any code, and two codes never share one', () => {
    expect(showbackFileStems(['CC/1', 'CC_1', 'cc_1', '..', 'Ventes: Île'])).toEqual(['CC_1', 'CC_1-2', 'cc_1-3', '_', 'Ventes___le']);
  });

  it('knows the month before, across a year end', () => {
    expect([monthBefore('2026-01'), monthBefore('2026-10')]).toEqual(['2025-12', '2026-09']);
  });
});
