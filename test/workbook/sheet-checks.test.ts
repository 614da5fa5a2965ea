/**
 * What the command line's book tells programs that open it, read from the saved package itself:
 * totals with their results, drop-down lists Excel accepts, no "number stored as text" flags on
 * code columns, and a book saved by another program without table styles.
 */
import JSZip from 'jszip';
import { RULE_TABLES } from '../../src/core/rules';
import { ExcelJsGateway } from '../../src/workbook/exceljs-gateway';
import { DROP_DOWN_LIMIT, dropDownList, ruleColumns } from '../../src/workbook/layout';
import { workbookParts } from '../../src/workbook/xlsx-package';
import { approvedBook } from '../support/approved-book';

async function sheetXml(bytes: Uint8Array): Promise<Record<string, string>> {
  const zip = await JSZip.loadAsync(bytes);
  const sheets: Record<string, string> = {};
  for (const part of await workbookParts(zip)) sheets[part.sheet] = await zip.file(part.path)!.async('string');
  return sheets;
}

/** Every cell a sqref list ("A2:A50 C2") covers, as "column:row" keys (small ranges only). */
function cellsOf(sqref: string): string[] {
  return sqref.split(/\s+/).flatMap((range) => {
    const [from, to = from] = range.split(':');
    const [, c1, r1] = /^([A-Z]+)(\d+)$/.exec(from)!;
    const [, c2, r2] = /^([A-Z]+)(\d+)$/.exec(to)!;
    expect(c1).toBe(c2);
    return Array.from({ length: Number(r2) - Number(r1) + 1 }, (_, i) => `${c1}:${Number(r1) + i}`);
  });
}

const validationRanges = (xml: string) => [...xml.matchAll(/<dataValidation\b[^>]*\bsqref="([^"]*)"/g)].map((m) => m[1]);

describe('the saved book', () => {
  it('carries each totals-row SUBTOTAL with its result, to the cent, and asks no recalculation on opening', async () => {
    const book = await approvedBook();
    const xml = (await sheetXml(await book.toBytes())).Chargeback;
    const totals = Object.fromEntries([...xml.matchAll(/<f>SUBTOTAL\(109,Chargeback\[([^\]]+)\]\)<\/f><v>([^<]*)<\/v>/g)].map((m) => [m[1], m[2]]));
    // 300.00 USD: 290.00 mapped directly or to the unallocated line, 10.00 unallocated, the 90.00 hub split evenly in three.
    expect(totals).toMatchObject({ Direct: '210', Network: '90', Shared: '90', Total: '300', Budget: '300' });
    const workbookXml = await (await JSZip.loadAsync(await book.toBytes())).file('xl/workbook.xml')!.async('string');
    expect(workbookXml).not.toContain('fullCalcOnLoad="1"');
  });

  it('writes each drop-down list as ranges that do not overlap, also once saved and opened again', async () => {
    let book = await approvedBook();
    for (let save = 0; save < 2; save++) {
      const sheets = await sheetXml(await book.toBytes());
      for (const name of ['Settings', 'Mappings', 'SharedPools', 'Budgets']) {
        const ranges = validationRanges(sheets[name]);
        expect(ranges.length).toBeGreaterThan(0);
        const cells = ranges.flatMap(cellsOf);
        expect({ sheet: name, overlapping: cells.length - new Set(cells).size }).toEqual({ sheet: name, overlapping: 0 });
        expect(cells.filter((c) => c.endsWith(':2') || c.endsWith(':50')).length).toBeGreaterThanOrEqual(2);
      }
      book = await ExcelJsGateway.fromBytes(await book.toBytes());
    }
  });

  it("keeps every drop-down list within Excel's 255 characters, and refuses one that would not be", () => {
    for (const table of RULE_TABLES) for (const column of ruleColumns(table)) if (column.choices) expect(dropDownList(column).length).toBeLessThanOrEqual(DROP_DOWN_LIMIT);
    const settings = ruleColumns('Settings').find((c) => c.header === 'Setting')!;
    const list = dropDownList(settings);
    const room = DROP_DOWN_LIMIT - list.length;
    expect(() => dropDownList({ ...settings, choices: [...settings.choices!, 'x'.repeat(room - 1)] })).not.toThrow();
    expect(() => dropDownList({ ...settings, choices: [...settings.choices!, 'x'.repeat(room)] })).toThrow(
      `the Setting drop-down lists ${settings.choices!.length + 1} choices in 256 characters; Excel takes 255 at most`,
    );
  });

  it('turns off "number stored as text" on text columns (codes such as 0100), before the table parts as the schema orders it', async () => {
    const sheets = await sheetXml(await (await approvedBook()).toBytes());
    const ignored = (xml: string) => /<ignoredErrors><ignoredError sqref="([^"]*)" numberStoredAsText="1"\/><\/ignoredErrors>/.exec(xml)?.[1];
    // CostCenters: CostCenter, Name, Owner, GLAccount and Parent are text; Budget (E) is money.
    expect(ignored(sheets.CostCenters)).toBe('A2:A1048576 B2:B1048576 C2:C1048576 D2:D1048576 F2:F1048576');
    expect(ignored(sheets.Chargeback)).toBe('A2:A1048576 B2:B1048576 C2:C1048576 D2:D1048576');
    expect(sheets.CostCenters.indexOf('<ignoredErrors>')).toBeLessThan(sheets.CostCenters.indexOf('<tableParts'));
  });

  it('opens and saves a book whose tables have no style (as LibreOffice saves them), and gives them the product style', async () => {
    const zip = await JSZip.loadAsync(await (await approvedBook()).toBytes());
    for (const path of Object.keys(zip.files).filter((p) => /^xl\/tables\/table\d+\.xml$/.test(p))) {
      zip.file(path, (await zip.file(path)!.async('string')).replace(/<tableStyleInfo\b[^>]*\/>/, ''));
    }
    const book = await ExcelJsGateway.fromBytes(await zip.generateAsync({ type: 'uint8array' }));
    const saved = await JSZip.loadAsync(await book.toBytes());
    const tables = Object.keys(saved.files).filter((p) => /^xl\/tables\/table\d+\.xml$/.test(p));
    expect(tables.length).toBeGreaterThan(5);
    for (const path of tables) expect(await saved.file(path)!.async('string')).toContain('<tableStyleInfo name="TableStyleMedium2"');
  });
});
