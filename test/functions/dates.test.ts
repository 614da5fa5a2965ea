import { OfficeMockObject } from 'office-addin-mock';
import { amortize, readDay } from '../../src/functions/amortize';
import { dateOrderOfLocale, dateOrderOfPattern, dateReading, parseTextDate, readWorkbookDateOrder, resetDateOrder, useDateOrder } from '../../src/functions/dates';
import { expectFormulaError } from './helpers';

afterEach(() => resetDateOrder());

describe('text dates in the workbook’s own order', () => {
  it('takes the order from a short date pattern, as Excel’s regional format gives it', () => {
    expect(dateOrderOfPattern('M/d/yyyy')).toBe('MDY');
    expect(dateOrderOfPattern('dd/MM/yyyy')).toBe('DMY');
    expect(dateOrderOfPattern('dd.MM.yyyy')).toBe('DMY');
    expect(dateOrderOfPattern('yyyy/MM/dd')).toBe('YMD');
    expect(dateOrderOfPattern('general')).toBeUndefined();
  });

  it('takes the order from a locale outside Excel', () => {
    expect(dateOrderOfLocale('en-US')).toBe('MDY');
    expect(dateOrderOfLocale('en-GB')).toBe('DMY');
    expect(dateOrderOfLocale('de-DE')).toBe('DMY');
    expect(dateOrderOfLocale('ja-JP')).toBe('YMD');
  });

  it('reads 31/01/2026 day first in a day-first workbook, and 1/31/2026 month first in a US one', () => {
    useDateOrder('DMY', 'the workbook’s regional format, dd/MM/yyyy', 'en-GB');
    expect(readDay('31/01/2026', 'd')).toBe(readDay('2026-01-31', 'd'));
    expect(readDay('01/02/2026', 'd')).toBe(readDay('2026-02-01', 'd'));
    expect(readDay('31.01.2026', 'd')).toBe(readDay('2026-01-31', 'd'));
    useDateOrder('MDY', 'the workbook’s regional format, M/d/yyyy', 'en-US');
    expect(readDay('1/31/2026', 'd')).toBe(readDay('2026-01-31', 'd'));
    expect(readDay('01/02/2026', 'd')).toBe(readDay('2026-01-02', 'd'));
  });

  it('refuses a date the order makes impossible, saying how it was read, rather than guessing the other order', () => {
    useDateOrder('MDY', 'the workbook’s regional format, M/d/yyyy', 'en-US');
    expectFormulaError(() => readDay('31/01/2026', 'term_start'), 'invalidValue', /term_start is "31\/01\/2026", not a date when read as month\/day\/year \(the workbook’s regional format, M\/d\/yyyy\): write it as YYYY-MM-DD/);
    useDateOrder('DMY', 'en-GB', 'en-GB');
    expectFormulaError(() => readDay('02/30/2026', 'period_end'), 'invalidValue', /not a date when read as day\/month\/year \(en-GB\)/);
  });

  it('reads month names in English and in the workbook’s language, and two-digit years as Excel does', () => {
    useDateOrder('DMY', 'de-DE', 'de-DE');
    for (const text of ['31 Jan 2026', 'January 31, 2026', '31. Januar 2026', '31-Jan-26', '2026 Jan 31']) {
      expect([text, readDay(text, 'd')]).toEqual([text, readDay('2026-01-31', 'd')]);
    }
    expect(parseTextDate('1/1/29', dateReading())).toEqual({ year: 2029, month: 1, day: 1 });
    expect(parseTextDate('1/1/30', dateReading())).toEqual({ year: 1930, month: 1, day: 1 });
    expect(parseTextDate('Smarch 3, 2026', dateReading())).toEqual({ problem: 'not a date' });
  });

  it('gives CB.AMORTIZE the same share whichever way the dates are written', () => {
    useDateOrder('DMY', 'en-GB', 'en-GB');
    const iso = amortize(1200, '2026-01-01', '2026-12-31', '2026-02-01', '2026-02-28');
    expect(amortize(1200, '01/01/2026', '31/12/2026', '1 Feb 2026', '28/02/2026')).toBe(iso);
    expect(amortize(1200, 46023, '31/12/2026', '01.02.2026', 46081)).toBe(iso);
    expect(iso).toBe(92.05);
  });

  it('reads the order from Excel’s regional format through Office.js (ExcelApi 1.12 cultureInfo)', async () => {
    const context = new OfficeMockObject({
      application: { cultureInfo: { name: 'en-GB', datetimeFormat: { shortDatePattern: 'dd/MM/yyyy' } } },
    }) as unknown as Excel.RequestContext;
    await expect(readWorkbookDateOrder(context)).resolves.toEqual({ order: 'DMY', pattern: 'dd/MM/yyyy', locale: 'en-GB' });
  });
});
