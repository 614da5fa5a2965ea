/**
 * CB.AMORTIZE as a pure function: the part of a commitment purchase (a reservation, a savings
 * plan, a prepaid support term) that falls in a period, by days.
 *
 * Convention: every date is a whole day and both ends are inclusive, so a term from 2026-01-01 to
 * 2026-12-31 has 365 days and the period 2026-01-01 to 2026-01-31 holds 31 of them. A time of day
 * is ignored. The share is the amount rounded through the end of the period minus the amount
 * rounded through the day before it ("cumulative rounding"), so the shares of consecutive
 * periods that cover the term add up exactly to the amount, and each is within one minor unit of
 * amount × overlap days ÷ term days.
 */
import { FineAmount, fineUnitSize, MinorUnits } from '../core/money';
import { parseTextDate } from './dates';
import { invalidValue } from './errors';
import { isBlank, readDecimals, readNumber, showCell, singleCell, worksheetNumber } from './inputs';

const DAY_MS = 86_400_000;
/** Excel's last date, 9999-12-31, as a serial day: a larger serial is no date a cell can hold. */
export const LAST_SERIAL_DAY = 2_958_465;
/** Excel's day 0: serial numbers count days from 1899-12-30 (the 1900 leap-year bug makes this right from March 1900 on). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/**
 * A date cell as an Excel serial day: a serial number (time of day dropped), or text in ISO
 * `YYYY-MM-DD`, the workbook's own short-date order (`31/01/2026` or `1/31/2026`) or with a month
 * name (`31 Jan 2026`); see dates.ts.
 */
export function readDay(value: unknown, name: string): number {
  const cell = singleCell(value, name);
  if (typeof cell === 'number' && Number.isFinite(cell) && cell >= 0) {
    if (Math.floor(cell) > LAST_SERIAL_DAY) throw invalidValue(`${name} is ${cell}, past Excel's last date (9999-12-31, serial ${LAST_SERIAL_DAY}): give a date cell or text like 2026-01-31`);
    return Math.floor(cell);
  }
  if (cell instanceof Date && !Number.isNaN(cell.getTime())) {
    const serial = Math.floor((cell.getTime() - EXCEL_EPOCH_MS) / DAY_MS);
    if (serial >= 0 && serial <= LAST_SERIAL_DAY) return serial;
  }
  if (typeof cell === 'string' && !isBlank(cell)) {
    const date = parseTextDate(cell);
    if (!('problem' in date)) return Math.round((Date.UTC(date.year, date.month - 1, date.day) - EXCEL_EPOCH_MS) / DAY_MS);
    if (date.problem !== 'not a date') throw invalidValue(`${name} is ${showCell(cell)}, ${date.problem}`);
  }
  const why = isBlank(cell) ? 'empty' : showCell(cell);
  throw invalidValue(`${name} is ${why}, not a date: give a date cell or text like 2026-01-31`);
}

/** Rounds amount × days ÷ termDays to minor units, half away from zero, exactly (every decimal of the amount kept). */
function roundedPart(amount: FineAmount, days: number, termDays: number, decimals: number): MinorUnits {
  const numerator = amount.units * BigInt(days);
  const denominator = BigInt(termDays) * fineUnitSize(amount, decimals);
  const magnitude = numerator < 0n ? -numerator : numerator;
  const rounded = (2n * magnitude + denominator) / (2n * denominator);
  return numerator < 0n ? -rounded : rounded;
}

export function amortize(
  amount: unknown,
  termStart: unknown,
  termEnd: unknown,
  periodStart: unknown,
  periodEnd: unknown,
  decimals?: unknown,
): number {
  const total = readNumber(amount, 'amount');
  const places = readDecimals(decimals);
  const [termFrom, termTo] = [readDay(termStart, 'term_start'), readDay(termEnd, 'term_end')];
  const [periodFrom, periodTo] = [readDay(periodStart, 'period_start'), readDay(periodEnd, 'period_end')];
  if (termTo < termFrom) throw invalidValue(`term_end (${showDay(termTo)}) is before term_start (${showDay(termFrom)})`);
  if (periodTo < periodFrom) throw invalidValue(`period_end (${showDay(periodTo)}) is before period_start (${showDay(periodFrom)})`);
  const termDays = termTo - termFrom + 1;
  const clamp = (days: number) => Math.min(Math.max(days, 0), termDays);
  const daysBefore = clamp(periodFrom - termFrom);
  const daysThrough = clamp(periodTo - termFrom + 1);
  if (daysThrough <= daysBefore) return 0;
  const share = roundedPart(total, daysThrough, termDays, places) - roundedPart(total, daysBefore, termDays, places);
  return worksheetNumber(share, places);
}

/** A serial day as ISO text, for messages. */
export function showDay(serial: number): string {
  return new Date(EXCEL_EPOCH_MS + serial * DAY_MS).toISOString().slice(0, 10);
}
