import fc from 'fast-check';
import { readCsv } from '../../src/core/csv';

/** Parses text fed in the given pieces through the streaming reader. */
async function parse(pieces: string[]): Promise<string[][]> {
  const out: string[][] = [];
  const stream = new ReadableStream<string>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(piece);
      controller.close();
    },
  });
  let header: readonly string[] | undefined;
  await readCsv(stream, { onHeader: (h) => (header = h), onRows: (rows) => out.push(...rows) });
  if (out.length > 0) expect(header).toEqual(out[0]);
  return out;
}

const quoteCell = (cell: string) => (/[",\r\n]/.test(cell) || cell === '' ? `"${cell.replace(/"/g, '""')}"` : cell);

describe('reading CSV text', () => {
  it('reads quoted cells with commas, doubled quotes and line breaks', async () => {
    const text = 'a,b,c\r\n1,"x, ""y""","two\nlines"\r\n2,,\r\n';
    expect(await parse([text])).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x, "y"', 'two\nlines'],
      ['2', '', ''],
    ]);
  });

  it('hands blank lines over as one empty cell (so every row keeps its place) and reads a last row without a line break', async () => {
    expect(await parse(['a,b\n\n1,2\n\n3,4'])).toEqual([['a', 'b'], [''], ['1', '2'], [''], ['3', '4']]);
  });

  it('tells which row of a batch has an unterminated quote', async () => {
    const problems: { row: number; message: string }[] = [];
    let before = 0;
    const stream = new ReadableStream<string>({ start: (c) => (c.enqueue('a,b\n1,2\n\n3,"4\n'), c.close()) });
    await readCsv(stream, {
      onRows: (rows, found) => {
        problems.push(...found.map((p) => ({ row: before + p.index + 1, message: p.message })));
        before += rows.length;
      },
    });
    expect(problems).toEqual([{ row: 4, message: 'quoted field unterminated' }]);
  });

  it('gives the same rows however the text is cut into chunks', async () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', ' ', 'é'), maxLength: 6 });
    const table = fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 8 }).filter((rows) => rows.every((r) => r.some((c) => c.trim() !== ''))); // rows of only blanks are skipped, as blank lines
    await fc.assert(
      fc.asyncProperty(table, fc.array(fc.nat(), { maxLength: 6 }), fc.boolean(), async (rows, cuts, crlf) => {
        const text = ['h1,h2,h3', ...rows.map((r) => r.map(quoteCell).join(','))].join(crlf ? '\r\n' : '\n');
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const pieces = [0, ...points].map((start, i) => text.slice(start, [...points, text.length][i])).filter((p) => p !== '');
        expect(await parse(pieces)).toEqual([['h1', 'h2', 'h3'], ...rows]);
      }),
    );
  });

  it('stops with the error the row handler throws', async () => {
    const stream = new ReadableStream<string>({ start: (c) => (c.enqueue('a\n1\n2\n'), c.close()) });
    await expect(readCsv(stream, { onRows: () => { throw new Error('row 2 is wrong'); } })).rejects.toThrow('row 2 is wrong');
  });
});
