/**
 * CB.CONVERT as a pure function: an amount times the exact rate of a Rates range, rounded once to
 * the target currency's minor unit (JPY 0, BHD 3) by the engine's own rule, so a formula gives the
 * same cents as a converted chargeback line.
 */
import { roundRatioToMinor } from '../core/conversion';
import { minorDigitsOf } from '../core/currency';
import { EXACT_DIGITS } from '../core/money';
import { isBlankRow } from '../core/rules';
import { ExchangeRate, RATE_COLUMNS, readRates } from '../core/rates';
import { invalidValue, notAvailable } from './errors';
import { isBlank, readDecimals, readNumber, readRange, showCell, singleCell, worksheetNumber } from './inputs';

function currencyArgument(value: unknown, name: string): string {
  const cell = singleCell(value, name);
  const code = typeof cell === 'string' ? cell.trim().toUpperCase() : '';
  if (minorDigitsOf(code) === undefined) throw invalidValue(`${name} is ${showCell(cell)}, not an ISO 4217 currency code such as USD or EUR`);
  return code;
}

/** The rates of a range laid out like the Rates table (Period, FromCurrency, ToCurrency, Rate[, Source]), with or without its header row. */
function ratesOf(argument: unknown): ExchangeRate[] {
  const range = readRange(argument, 'rates_range');
  if (range.columns < 4) throw invalidValue(`rates_range has ${range.columns} column${range.columns === 1 ? '' : 's'}; give the Rates table (Period, FromCurrency, ToCurrency, Rate, Source)`);
  const rows = Array.from({ length: range.rows }, (_, r) => range.cells.slice(r * range.columns, (r + 1) * range.columns));
  const hasHeader = rows.length > 0 && String(rows[0][1] ?? '').trim().toLowerCase() === 'fromcurrency';
  const records = rows.slice(hasHeader ? 1 : 0).map((cells) => Object.fromEntries(RATE_COLUMNS.map((column, i) => [column, cells[i] ?? ''])));
  // rows numbered as the range's rows, so "already has rate … on row N" names the same row as the message's start
  const { rates, problems } = readRates(records, isBlankRow, hasHeader ? 2 : 1);
  if (problems.length > 0) {
    const first = problems[0];
    throw invalidValue(`rates_range row ${first.row}${first.column ? `, ${first.column}` : ''}: ${first.message}`);
  }
  return rates;
}

export function convert(amount: unknown, from: unknown, to: unknown, ratesRange: unknown, period?: unknown, decimals?: unknown): number {
  const value = readNumber(amount, 'amount');
  const source = currencyArgument(from, 'from');
  const target = currencyArgument(to, 'to');
  const places = isBlank(singleCell(decimals, 'decimals')) ? minorDigitsOf(target)! : readDecimals(decimals);
  const periodCell = singleCell(period, 'period');
  const wanted = isBlank(periodCell) ? undefined : String(periodCell).trim();
  // every decimal of the amount kept: its units are 10^-digits, the ratio's denominator says so
  const scale = 10n ** BigInt(value.digits - EXACT_DIGITS);
  if (source === target) return worksheetNumber(roundRatioToMinor({ numerator: value.units, denominator: scale }, places), places);
  const candidates = ratesOf(ratesRange).filter((r) => r.fromCurrency === source && r.toCurrency === target && (wanted === undefined || r.period === wanted));
  if (candidates.length === 0) throw notAvailable(`rates_range has no rate ${source} → ${target}${wanted ? ` for ${wanted}` : ''}`);
  if (candidates.length > 1) throw invalidValue(`rates_range has ${source} → ${target} for ${candidates.map((r) => r.period).join(', ')}: give the period`);
  const { rate } = candidates[0];
  return worksheetNumber(roundRatioToMinor({ numerator: value.units * rate.numerator, denominator: rate.denominator * scale }, places), places);
}
