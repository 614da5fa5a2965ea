/**
 * The size guard counts what a workbook actually inflates to, as it streams, not what its zip
 * declares: a crafted file whose directory and local headers say a part is 1 KB, when it inflates
 * to 150 MB, is refused before JSZip or ExcelJS inflate it.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { xlsxInflatedSize, xlsxSize, xlsxTooBig } from '../../src/workbook/xlsx-size';
import { ExcelJsFileGateway, WorkbookTooBig } from '../../src/workbook/xlsx-large-tables';
import { chargeback } from '../support/cli';
import { tempDir } from '../support/files';

const MB = 1024 * 1024;

/** A zip whose parts declare `declared` bytes unpacked each, in the directory and in the local headers alike. */
async function lyingZip(parts: Record<string, Buffer | string>, declared: number): Promise<Uint8Array> {
  const zip = new JSZip();
  for (const [name, content] of Object.entries(parts)) zip.file(name, content, { createFolders: false });
  const bytes = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at + 4 <= bytes.byteLength; at++) {
    const signature = view.getUint32(at, true);
    if (signature === 0x04034b50) view.setUint32(at + 22, declared, true); // local header: uncompressed size
    if (signature === 0x02014b50) view.setUint32(at + 24, declared, true); // directory entry: uncompressed size
  }
  return bytes;
}

describe('a zip that lies about its sizes', () => {
  let bomb: Uint8Array;
  beforeAll(async () => {
    bomb = await lyingZip({ '[Content_Types].xml': '<Types/>', 'xl/worksheets/sheet1.xml': Buffer.alloc(150 * MB, 32) }, 1024);
  });

  it('passes the check of declared sizes, which is why they are not trusted', () => {
    expect(bomb.byteLength).toBeLessThan(MB);
    expect(xlsxSize(bomb)!.unpackedBytes).toBe(2048);
    expect(xlsxTooBig(bomb, 'rules')).toBeUndefined();
  });

  it('is counted as it inflates, and counting stops soon after the limit', async () => {
    const size = (await xlsxInflatedSize(bomb, 100 * MB))!;
    expect(size.unpackedBytes).toBe(Infinity);
    expect(size.parts.get('xl/worksheets/sheet1.xml')).toBe(Infinity); // counting stopped part way
    const honest = await lyingZip({ 'a.xml': Buffer.alloc(3 * MB, 32), 'b.xml': 'hello' }, 7);
    expect([...(await xlsxInflatedSize(honest, 100 * MB))!.parts]).toEqual([
      ['a.xml', 3 * MB],
      ['b.xml', 5],
    ]);
  });

  it('is refused when opened as a rules workbook', async () => {
    await expect(ExcelJsFileGateway.fromBytes(bomb, 'rules')).rejects.toThrow(new WorkbookTooBig('the file unpacks to more than the 100 MB a rules workbook may (a damaged or malicious file?): it is not opened'));
  });

  it('is refused on the command line with a clear error', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'liar.xlsx'), bomb);
    writeFileSync(path.join(dir, 'costs.csv'), 'BilledCost\n1\n');
    const result = chargeback(['run', '--costs', path.join(dir, 'costs.csv'), '--rules', path.join(dir, 'liar.xlsx'), '--out', path.join(dir, 'book.xlsx')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`error: ${path.join(dir, 'liar.xlsx')}: the file unpacks to more than the 100 MB a rules workbook may (a damaged or malicious file?): it is not opened\n`);
  });
});
