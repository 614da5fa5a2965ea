import { writeFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { ExcelJsGateway } from '../../src/workbook/exceljs-gateway';
import { checkSheetLimits, namesInBrief } from '../../src/workbook/sheet-limits';
import { xlsxSize, xlsxTooBig } from '../../src/workbook/xlsx-size';
import { chargeback } from '../support/cli';
import { tempDir } from '../support/files';

const columns = [{ header: 'CostCenter' }, { header: 'Amount', kind: 'money' as const }];

describe('Excel\'s sheet limits', () => {
  it('refuses a table of more rows than an Excel sheet holds, and says what to do', () => {
    const row = ['CC-A', 1];
    expect(() => checkSheetLimits([{ name: 'Allocation', columns, rows: new Array(1_048_575).fill(row) }])).not.toThrow();
    expect(() => checkSheetLimits([{ name: 'Allocation', columns, rows: new Array(1_048_576).fill(row) }])).toThrow(
      'the Allocation table would have 1,048,576 rows, more than the 1,048,576 rows an Excel sheet holds: use a coarser grain (fewer rule dimensions, e.g. no ResourceId), or run each provider or billing account separately',
    );
  });

  it('refuses a cell of more than 32,767 characters, naming table, row and column, and writes nothing', async () => {
    const gateway = new ExcelJsGateway();
    const long = 'x'.repeat(32_768);
    await expect(gateway.writeTables([{ name: 'Chargeback', columns, rows: [['CC-A', 1]] }, { name: 'Costs', columns, rows: [['ok', 1], [long, 2]] }])).rejects.toThrow(
      /^Costs row 3, column CostCenter: the text is 32,768 characters, more than the 32,767 an Excel cell holds/,
    );
    expect(gateway.workbook.worksheets).toEqual([]);
    await expect(gateway.writeTables([{ name: 'Costs', columns, rows: [['x'.repeat(32_767), 1]] }])).resolves.toBeUndefined();
  });

  it('lists at most twenty file names in an Audit entry', () => {
    const names = Array.from({ length: 1000 }, (_, i) => `exports/part_${i}.csv.gz`);
    expect(namesInBrief(names)).toMatch(/^exports\/part_0\.csv\.gz, .*, exports\/part_19\.csv\.gz and 980 more$/);
    expect(namesInBrief(['a.csv', 'b.csv'])).toBe('a.csv, b.csv');
  });
});

describe('workbooks refused by size before they are unpacked', () => {
  it('reads the unpacked size from the zip directory of a real workbook', async () => {
    const gateway = new ExcelJsGateway();
    await gateway.writeTables([{ name: 'Costs', columns, rows: Array.from({ length: 2000 }, (_, i) => [`CC-${i}`, i]) }]);
    const bytes = await gateway.toBytes();
    const size = xlsxSize(bytes)!;
    expect(size.entries).toBeGreaterThan(5);
    expect(size.unpackedBytes).toBeGreaterThan(bytes.byteLength);
    expect(xlsxTooBig(bytes, 'rules')).toBeUndefined();
    expect(xlsxSize(new TextEncoder().encode('not a zip file'))).toBeUndefined();
  });

  it('refuses a small rules "workbook" that unpacks to more than 100 MB, and a 21 MB one, on the command line', async () => {
    const zip = new JSZip();
    zip.file('[Content_Types].xml', '<Types/>');
    zip.file('xl/worksheets/sheet1.xml', Buffer.alloc(110 * 1024 * 1024, 32));
    const bomb = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
    expect(bomb.byteLength).toBeLessThan(1024 * 1024);
    const dir = tempDir();
    writeFileSync(path.join(dir, 'bomb.xlsx'), bomb);
    writeFileSync(path.join(dir, 'huge.xlsx'), Buffer.alloc(21 * 1024 * 1024, 1));
    writeFileSync(path.join(dir, 'costs.csv'), 'BilledCost\n1\n');
    const run = (rules: string) => chargeback(['run', '--costs', path.join(dir, 'costs.csv'), '--rules', path.join(dir, rules), '--out', path.join(dir, 'book.xlsx')]);
    const refused = run('bomb.xlsx');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`error: ${path.join(dir, 'bomb.xlsx')}: the file unpacks to 110 MB, more than the 100 MB a rules workbook may (a damaged or malicious file?): it is not opened\n`);
    expect(run('huge.xlsx').stderr).toBe(`error: ${path.join(dir, 'huge.xlsx')}: the file is 21 MB, more than the 20 MB a rules workbook may be: is it the right file?\n`);
  });
});
