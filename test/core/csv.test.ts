import fc from 'fast-check';
import { CsvRows } from '../../src/core/csv';

/** Parses text fed in the given pieces, every column kept. */
function parse(pieces: string[]): string[][] {
  const rows = new CsvRows();
  const out: string[][] = [];
  pieces.forEach((piece, i) => out.push(...rows.push(piece, false)));
  out.push(...rows.push('', true));
  void pieces;
  return out;
}

const quoteCell = (cell: string) => (/[",\r\n]/.test(cell) || cell === '' ? `"${cell.replace(/"/g, '""')}"` : cell);

describe('reading CSV text', () => {
  it('reads quoted cells with commas, doubled quotes and line breaks', () => {
    const text = 'a,b,c\r\n1,"x, ""y""","two\nlines"\n2,,\n';
    expect(parse([text])).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x, "y"', 'two\nlines'],
      ['2', '', ''],
    ]);
  });

  it('skips blank lines and reads a last row without a line break', () => {
    expect(parse(['a,b\n\n1,2\n\n3,4'])).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('detects a semicolon or tab delimiter from the header', () => {
    expect(parse(['a;b\n1;2\n'])).toEqual([['a', 'b'], ['1', '2']]);
    expect(parse(['a\tb\n1\t2\n'])).toEqual([['a', 'b'], ['1', '2']]);
  });

  it('cuts out only the selected columns after the header', () => {
    const rows = new CsvRows((header) => [header.indexOf('c')]);
    const out = rows.push('a,b,c\n1,"2",3\n', true);
    expect(out[0]).toEqual(['a', 'b', 'c']);
    expect(out[1][2]).toBe('3');
    expect(out[1][0]).toBeUndefined();
    expect(out[1][1]).toBeUndefined();
  });

  it('gives the same rows however the text is cut into chunks', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', ' ', 'é'), maxLength: 6 });
    const table = fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(table, fc.array(fc.nat(), { maxLength: 6 }), fc.boolean(), (rows, cuts, crlf) => {
        const text = ['h1,h2,h3', ...rows.map((r) => r.map(quoteCell).join(','))].join(crlf ? '\r\n' : '\n');
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const pieces = [0, ...points].map((start, i) => text.slice(start, [...points, text.length][i]));
        expect(parse(pieces)).toEqual([['h1', 'h2', 'h3'], ...rows]);
      }),
    );
  });
});
