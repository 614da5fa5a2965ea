/**
 * Dates typed as text in the user's own way: `31/01/2026` in the UK, `1/31/2026` in the US,
 * `31.01.2026` in Germany, `31 Jan 2026`, `January 31, 2026`. A date *cell* reaches a custom function
 * as its serial number and needs none of this; text that looks like a date (pasted from a PDF, a
 * cell formatted as text) does. The order of day and month is the workbook's: Excel reads a typed
 * date by the short date pattern of the regional format (`Application.cultureInfo.datetimeFormat`,
 * ExcelApi 1.12), which the add-in reads at startup (`readWorkbookDateOrder`); outside Excel the
 * runtime's locale stands in. A text date that the order makes impossible (`31/01/2026` read month
 * first) is an error that says how it was read, never a guess at the other order.
 */

/** Which of day, month and year a short date writes first: 31/01/2026 is DMY, 1/31/2026 MDY, 2026/01/31 YMD. */
export type DateOrder = 'DMY' | 'MDY' | 'YMD';

export interface DateReading {
  order: DateOrder;
  /** Where the order came from, for messages: "the workbook's regional format (M/d/yyyy)", "en-US". */
  source: string;
  /** Month names of that locale (lower case), January first, long and short forms. */
  monthNames: ReadonlyMap<string, number>;
}

/** The order of a short date pattern such as `M/d/yyyy`, `dd.MM.yyyy` or `yyyy/MM/dd`; undefined if it has no d, M and y. */
export function dateOrderOfPattern(pattern: string): DateOrder | undefined {
  const positions = { D: pattern.search(/d/), M: pattern.search(/M/), Y: pattern.search(/y/i) };
  if (positions.D < 0 || positions.M < 0 || positions.Y < 0) return undefined;
  const order = (Object.keys(positions) as ('D' | 'M' | 'Y')[]).sort((a, b) => positions[a] - positions[b]).join('');
  return order === 'DMY' || order === 'MDY' || order === 'YMD' ? order : undefined;
}

/** The short-date order a locale writes (en-US MDY, en-GB DMY, de-DE DMY, ja-JP YMD), from Intl. */
export function dateOrderOfLocale(locale: string): DateOrder {
  const parts = new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' }).formatToParts(new Date(Date.UTC(2026, 0, 31)));
  const letters = parts.filter((p) => p.type === 'day' || p.type === 'month' || p.type === 'year').map((p) => p.type[0].toUpperCase());
  const order = letters.join('');
  return order === 'MDY' || order === 'YMD' ? order : 'DMY';
}

/** Month names (long and short, lower case, without a trailing dot) of a locale and of English, to month number. */
function monthNamesOf(locale: string): Map<string, number> {
  const names = new Map<string, number>();
  for (const language of [locale, 'en-US']) {
    for (const month of ['long', 'short'] as const) {
      const format = new Intl.DateTimeFormat(language, { month, timeZone: 'UTC' });
      for (let m = 0; m < 12; m++) {
        const name = format.format(new Date(Date.UTC(2026, m, 15))).toLowerCase().replace(/\.$/, '');
        if (!names.has(name)) names.set(name, m + 1);
      }
    }
  }
  names.set('sept', 9);
  return names;
}

function runtimeLocale(): string {
  return new Intl.DateTimeFormat().resolvedOptions().locale;
}

let reading: DateReading | undefined;

/** How text dates are read now: the workbook's order once the add-in has read it, else the runtime locale's. */
export function dateReading(): DateReading {
  if (!reading) {
    const locale = runtimeLocale();
    reading = { order: dateOrderOfLocale(locale), source: locale, monthNames: monthNamesOf(locale) };
  }
  return reading;
}

/** Reads text dates in this order from now on (the workbook's regional format, read at startup). */
export function useDateOrder(order: DateOrder, source: string, locale: string = runtimeLocale()): void {
  reading = { order, source, monthNames: monthNamesOf(locale) };
}

/** Back to the runtime locale's order (tests). */
export function resetDateOrder(): void {
  reading = undefined;
}

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** Excel's rule for a two-digit year: 00–29 are 2000–2029, 30–99 are 1930–1999. */
function fullYear(text: string): number {
  const year = Number(text);
  if (text.length > 2) return year;
  return year < 30 ? 2000 + year : 1900 + year;
}

function isRealDate({ year, month, day }: CalendarDate): boolean {
  const check = new Date(Date.UTC(year, month - 1, day));
  return year >= 1900 && year <= LAST_YEAR && check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day;
}

/** A time of day at the end of a text date: hours and minutes, optional seconds (and fraction), optional AM/PM. */
const TIME_OF_DAY = /\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*([AaPp]\.?[Mm]\.?)?$/;

function isTimeOfDay(time: RegExpExecArray): boolean {
  const [hour, minute, second] = [Number(time[1]), Number(time[2]), Number(time[3] ?? 0)];
  const twelveHour = time[4] !== undefined;
  return minute <= 59 && second <= 59 && (twelveHour ? hour >= 1 && hour <= 12 : hour <= 23);
}

/** Excel's last date, 9999-12-31: no date cell holds a later one. */
export const LAST_YEAR = 9999;

const ORDER_WORDS: Record<DateOrder, string> = { DMY: 'day/month/year', MDY: 'month/day/year', YMD: 'year/month/day' };

/**
 * A date written as text in the reading's order (or ISO `2026-01-31`, or with a month name):
 * the calendar date, or why it is not one, saying how it was read.
 */
export function parseTextDate(text: string, how: DateReading = dateReading()): CalendarDate | { problem: string } {
  const withTime = text.trim();
  // a time of day after the date (10:30, 10:30:15, 10:30 AM) is read and then ignored, as a whole day is what counts
  const time = TIME_OF_DAY.exec(withTime);
  if (time && !isTimeOfDay(time)) return { problem: `not a date: ${time[0].trim()} is not a time of day` };
  const trimmed = time ? withTime.slice(0, time.index).trim() : withTime;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(trimmed);
  const tokens = iso ? [iso[1], iso[2], iso[3]] : trimmed.split(/[\s/.,\-]+/).filter((t) => t !== '');
  if (tokens.length !== 3) return { problem: 'not a date' };
  let date: CalendarDate;
  let readAs: string;
  const named = tokens.findIndex((t) => !/^\d+$/.test(t));
  if (named >= 0) {
    const month = how.monthNames.get(tokens[named].toLowerCase().replace(/\.$/, ''));
    if (month === undefined) return { problem: 'not a date' };
    const numbers = tokens.filter((_, i) => i !== named);
    if (!numbers.every((t) => /^\d+$/.test(t))) return { problem: 'not a date' };
    // with the month spelled out only the year can be confused with the day: the year is the four-digit one, or the last
    const yearAt = numbers[0].length === 4 ? 0 : 1;
    date = { year: fullYear(numbers[yearAt]), month, day: Number(numbers[1 - yearAt]) };
    readAs = 'with the month named';
  } else if (iso || tokens[0].length === 4) {
    date = { year: Number(tokens[0]), month: Number(tokens[1]), day: Number(tokens[2]) };
    readAs = iso ? 'as an ISO date' : 'as year/month/day';
  } else {
    const [first, second, year] = tokens;
    // a year-first locale (ja-JP) given a year-last date reads it month first, as US-style dates are written there
    const dayFirst = how.order === 'DMY';
    date = { year: fullYear(year), month: Number(dayFirst ? second : first), day: Number(dayFirst ? first : second) };
    readAs = `as ${dayFirst ? ORDER_WORDS.DMY : ORDER_WORDS.MDY} (${how.source})`;
  }
  if (!isRealDate(date)) return { problem: `not a date when read ${readAs}: write it as YYYY-MM-DD (such as 2026-01-31) or use a date cell` };
  return date;
}

/**
 * The workbook's short-date order, from Excel's regional format (ExcelApi 1.12
 * `Application.cultureInfo.datetimeFormat.shortDatePattern`), for the shared runtime to call once at
 * startup. Undefined when the host cannot say; the runtime locale then stands in.
 */
export async function readWorkbookDateOrder(context: Excel.RequestContext): Promise<{ order: DateOrder; pattern: string; locale: string } | undefined> {
  const culture = context.application.cultureInfo;
  culture.load('name');
  culture.datetimeFormat.load('shortDatePattern');
  await context.sync();
  const pattern = culture.datetimeFormat.shortDatePattern;
  const order = dateOrderOfPattern(pattern);
  return order ? { order, pattern, locale: culture.name } : undefined;
}
