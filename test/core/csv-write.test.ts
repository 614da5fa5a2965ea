import { csvField, csvNumber, csvText } from '../../src/core/csv-write';

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
});
