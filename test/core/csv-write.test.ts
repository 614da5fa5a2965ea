import { csvBytes, csvField, csvNumber, csvText } from '../../src/core/csv-write';

describe('writing CSV', () => {
  it('quotes fields with commas, quotes and line breaks, doubling quotes, and ends lines with CRLF', () => {
    expect(csvText(['Name', 'Note'], [['Team A, Inc.', 'said "hi"'], ['two\nlines', 'plain']])).toBe('Name,Note\r\n"Team A, Inc.","said ""hi"""\r\n"two\nlines",plain\r\n');
  });

  it('escapes text that a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvField('+1+1')).toBe("'+1+1");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tcmd')).toBe("'\tcmd");
    expect(csvField('\rcmd')).toBe(`"'\rcmd"`);
    expect(csvField('CC-100')).toBe('CC-100');
  });

  it('keeps amounts numeric: a negative amount is not escaped', () => {
    expect(csvField(csvNumber('-224.14'))).toBe('-224.14');
    expect(csvField(-3)).toBe('-3');
    expect(csvField(12n)).toBe('12');
    expect(csvField('-224.14')).toBe("'-224.14"); // the same characters as text are escaped
    expect(() => csvNumber('=1+1')).toThrow(/not a plain decimal/);
  });

  it('writes empty cells for null and undefined', () => {
    expect(csvText(['a', 'b', 'c'], [[null, undefined, '']])).toBe('a,b,c\r\n,,\r\n');
  });

  it('writes a document of many megabytes from rows made as it goes, the same bytes as one piece of text', () => {
    // Rows of two- and three-byte characters, so the megabyte pieces end inside no character only by design.
    const row = (i: number): string[] => [`Équipe ${i}`, '€'.repeat(i % 50), `said "${i}", twice`];
    function* rows() {
      for (let i = 0; i < 60_000; i++) yield row(i);
    }
    const bytes = csvBytes(['Name', 'Note', 'Said'], rows());
    expect(bytes.byteLength).toBeGreaterThan(3 << 20);
    const expected = ['Name,Note,Said', ...Array.from({ length: 60_000 }, (_, i) => row(i).map(csvField).join(','))].join('\r\n') + '\r\n';
    expect(Buffer.from(bytes).equals(Buffer.from(expected, 'utf8'))).toBe(true);
  });
});
