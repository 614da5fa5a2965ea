import fc from 'fast-check';
import Papa from 'papaparse';
import { readCsv } from '../../src/core/csv';

const encoder = new TextEncoder();

/** Every row the byte reader hands over (all columns read as key columns), with its file row number. */
async function parse(chunks: Uint8Array[], amounts: number[] = []): Promise<{ header?: string[]; rows: { row: number; cells: string[] }[]; amounts: (number | string)[][] }> {
  const rows: { row: number; cells: string[] }[] = [];
  const read: (number | string)[][] = [];
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  const { header } = await readCsv(stream, {
    file: 'test.csv',
    onHeader: (h) => ({ keys: h.map((_, i) => i), amounts }),
    onBatch: (batch) => {
      for (let r = 0; r < batch.rowCount; r++) {
        rows.push({ row: batch.firstRow + r, cells: batch.keys.map((k) => k.values[k.codes[r]] as string) });
        read.push(batch.amounts.map((a) => (a.small[r] === a.small[r] ? a.small[r] : (a.raw.get(r) as string))));
      }
    },
  });
  return { header, rows, amounts: read };
}

const bytesOf = (text: string) => encoder.encode(text);

/** The bytes cut at the given points (which may fall inside a UTF-8 sequence, a CRLF or a doubled quote). */
function cut(bytes: Uint8Array, points: number[]): Uint8Array[] {
  const at = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  return [0, ...at].map((start, i) => bytes.slice(start, [...at, bytes.length][i])).filter((c) => c.length > 0);
}

/**
 * What the reader must give, from papaparse (the reference; told the line ending from the first line
 * break, as the ingest did): the rows with their file row numbers, blank lines left out; or the first
 * row that is not valid CSV or has another number of fields than the header.
 */
function reference(text: string): { header?: string[]; rows: { row: number; cells: string[] }[] } | { errorRow: number } {
  const body = text.replace(/^\uFEFF/, '');
  const firstBreak = body.indexOf('\n');
  const newline = firstBreak < 0 ? undefined : body[firstBreak - 1] === '\r' ? '\r\n' : '\n';
  if (body === '') return { rows: [] };
  const parsed = Papa.parse<string[]>(body, { header: false, skipEmptyLines: false, ...(newline ? { newline } : {}) });
  const quoteRows = parsed.errors.filter((e) => e.type === 'Quotes').map((e) => (e.row ?? 0) + 1);
  const [header, ...data] = parsed.data;
  const ragged = data.findIndex((cells) => !(cells.length === 1 && cells[0] === '') && cells.length !== header.length);
  const errorRows = [...quoteRows, ...(ragged < 0 ? [] : [ragged + 2])];
  if (errorRows.length > 0) return { errorRow: Math.min(...errorRows) };
  const rows = data.map((cells, i) => ({ row: i + 2, cells })).filter(({ cells }) => !(cells.length === 1 && cells[0] === ''));
  return { header, rows };
}

const quoteCell = (cell: string) => (/[",\r\n]/.test(cell) || cell === '' ? `"${cell.replace(/"/g, '""')}"` : cell);

describe('reading CSV bytes', () => {
  it('reads quoted cells with commas, doubled quotes and line breaks', async () => {
    const { header, rows } = await parse([bytesOf('a,b,c\r\n1,"x, ""y""","two\nlines"\r\n2,,\r\n')]);
    expect(header).toEqual(['a', 'b', 'c']);
    expect(rows).toEqual([
      { row: 2, cells: ['1', 'x, "y"', 'two\nlines'] },
      { row: 3, cells: ['2', '', ''] },
    ]);
  });

  it('skips blank lines, counting them in the row numbers, and reads a last row without a line break', async () => {
    expect((await parse([bytesOf('a,b\n\n1,2\n\n3,4')])).rows).toEqual([
      { row: 3, cells: ['1', '2'] },
      { row: 5, cells: ['3', '4'] },
    ]);
  });

  it('removes a BOM, even one cut across chunks', async () => {
    const bytes = bytesOf('\uFEFFa,b\n1,2\n');
    expect((await parse([bytes.slice(0, 1), bytes.slice(1, 2), bytes.slice(2)])).header).toEqual(['a', 'b']);
  });

  it('reads amounts from their digits, and hands over the text of any it cannot read exactly that way', async () => {
    const { amounts } = await parse([bytesOf('a,b\n12.5,x\n-0.0000000001,y\n"1""2",z\n1e3,w\n0.12345678901,v\n')], [0]);
    expect(amounts).toEqual([[125_000_000_000], [-1], ['1"2'], ['1e3'], ['0.12345678901']]);
  });

  it('names the row with an unterminated quote, and the row whose closing quote is followed by text', async () => {
    await expect(parse([bytesOf('a,b\n1,2\n\n3,"4\n')])).rejects.toThrow('test.csv, row 4: the row is not valid CSV (quoted field unterminated)');
    await expect(parse([bytesOf('a,b\n1,"2"x\n')])).rejects.toThrow('test.csv, row 2: the row is not valid CSV (trailing quote on quoted field is malformed)');
  });

  it('names a row with fewer or more fields than the header', async () => {
    await expect(parse([bytesOf('a,b,c\n1,2,3\n1,2\n')])).rejects.toThrow('test.csv, row 3: the row has 2 fields but the header has 3');
    await expect(parse([bytesOf('a,b\n1,"2\n3",4\n')])).rejects.toThrow('test.csv, row 2: the row has 3 fields but the header has 2');
  });

  it('reads a column asked for twice (a dimension named twice) into both places, and the columns after it where they belong', async () => {
    const stream = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(bytesOf('a,b,c\n1,2,3\n4,5,6\n')), c.close()) });
    const rows: string[][] = [];
    await readCsv(stream, {
      file: 'x.csv',
      onHeader: () => ({ keys: [1, 1, 2, 0], amounts: [] }),
      onBatch: (batch) => {
        for (let r = 0; r < batch.rowCount; r++) rows.push(batch.keys.map((k) => k.values[k.codes[r]] as string));
      },
    });
    expect(rows).toEqual([
      ['2', '2', '3', '1'],
      ['5', '5', '6', '4'],
    ]);
  });

  it('stops with the error the batch handler throws', async () => {
    const stream = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(bytesOf('a\n1\n2\n')), c.close()) });
    await expect(readCsv(stream, { file: 'x.csv', onHeader: () => ({ keys: [0], amounts: [] }), onBatch: () => { throw new Error('row 2 is wrong'); } })).rejects.toThrow('row 2 is wrong');
  });

  // The property that proves the reader: on fuzzed CSV (quotes, doubled quotes, separators and line
  // breaks inside quotes, CRLF or LF, a BOM, blank lines, stray quotes, ragged rows), cut into chunks
  // anywhere (inside a UTF-8 character, a CRLF, a doubled quote), it gives what papaparse gives,
  // row numbers included, or refuses the same first bad row.
  it('agrees with papaparse on fuzzed CSV however it is cut into chunks', async () => {
    const char = fc.constantFrom('a', 'b', '1', '.', ',', '"', '\n', '\r', ' ', 'é', '€');
    const cell = fc.string({ unit: char, maxLength: 6 });
    // a row: its cells, each written quoted (when it must be, or by choice) or raw (which may be malformed)
    const row = fc.array(fc.tuple(cell, fc.constantFrom('quote', 'raw', 'auto')), { minLength: 1, maxLength: 4 });
    const rowText = (cells: [string, string][]) => cells.map(([c, how]) => (how === 'quote' ? `"${c.replace(/"/g, '""')}"` : how === 'raw' ? c : quoteCell(c))).join(',');
    const file = fc.record({
      bom: fc.boolean(),
      crlf: fc.boolean(),
      width: fc.integer({ min: 1, max: 4 }),
      rows: fc.array(fc.oneof({ weight: 6, arbitrary: row }, { weight: 1, arbitrary: fc.constant('blank' as const) }), { maxLength: 8 }),
      finalBreak: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(file, fc.array(fc.nat(), { maxLength: 8 }), async ({ bom, crlf, width, rows, finalBreak }, points) => {
        const eol = crlf ? '\r\n' : '\n';
        const header = Array.from({ length: width }, (_, i) => `h${i}`).join(',');
        const lines = rows.map((r) => (r === 'blank' ? '' : rowText(r)));
        const text = (bom ? '\uFEFF' : '') + [header, ...lines].join(eol) + (finalBreak ? eol : '');
        const expected = reference(text);
        const actual = parse(cut(bytesOf(text), points));
        if ('errorRow' in expected) await expect(actual).rejects.toThrow(new RegExp(`^test\\.csv, row ${expected.errorRow}: `));
        else expect(await actual).toEqual({ header: expected.header, rows: expected.rows, amounts: expected.rows.map(() => []) });
      }),
      {
        numRuns: 3000,
        // found by CI: white space after a closing quote at the very end of the file, with no line break, is malformed to papaparse
        examples: [[{ bom: false, crlf: false, width: 3, rows: [[['', 'quote'], ['', 'quote'], ['"', 'raw'], ['" ', 'raw']]], finalBreak: false }, []]],
      },
    );
  });
});
