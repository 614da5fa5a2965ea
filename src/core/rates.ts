/**
 * Exchange rates: the `Rates` rule table finance fills from its treasury rates, and the
 * provider's own rate on a FOCUS row. A rate is kept as the exact decimal it was written as and
 * used as an exact ratio, so a conversion never meets binary-float error.
 */
import { currencyProblem } from './currency';
import { cellText } from './focus';
import { isFineAmount, parseDecimal, EXACT_DIGITS } from './money';
import { isBillingPeriod } from './period';

/** A conversion factor as an exact ratio: an amount in the source currency × numerator / denominator. Both positive. */
export interface Ratio {
  numerator: bigint;
  denominator: bigint;
}

/** One row of the Rates table: 1 FromCurrency = Rate ToCurrency, for Period. */
export interface ExchangeRate {
  period: string;
  fromCurrency: string;
  toCurrency: string;
  rate: Ratio;
  /** The rate as written ("0.9234"), for labels. */
  rateText: string;
  /** Where finance took it from ("ECB month-end"), shown beside each converted line. */
  source: string;
  /** Worksheet row of the Rates table. */
  row: number;
}

export const RATE_COLUMNS = ['Period', 'FromCurrency', 'ToCurrency', 'Rate', 'Source'] as const;

/** A decimal written as text ("0.9234", "1.5E2") as an exact ratio; undefined when it is not a number. */
export function decimalRatio(text: string): Ratio | undefined {
  const value = parseDecimal(text);
  if (value === undefined) return undefined;
  const ratio = isFineAmount(value) ? { numerator: value.units, denominator: 10n ** BigInt(value.digits) } : { numerator: value, denominator: 10n ** BigInt(EXACT_DIGITS) };
  return reduced(ratio);
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

export function reduced(ratio: Ratio): Ratio {
  const divisor = gcd(ratio.numerator, ratio.denominator);
  return divisor <= 1n ? ratio : { numerator: ratio.numerator / divisor, denominator: ratio.denominator / divisor };
}

/** The ratio the other way round (a provider rate from pricing to billing currency, used from billing to pricing). */
export function inverse(ratio: Ratio): Ratio {
  return { numerator: ratio.denominator, denominator: ratio.numerator };
}

export interface RateProblem {
  row: number;
  column?: string;
  message: string;
}

/**
 * Validates the Rates table's rows (header-keyed, worksheet row = index + 2): every problem at
 * once, each with its row. A rate of zero or below, an unknown currency code, a period that is
 * not YYYY-MM and the same pair twice for a period with different rates are problems.
 */
export function readRates(
  rows: readonly Record<string, unknown>[],
  isBlank: (row: Record<string, unknown>) => boolean,
  /** The row number of rows[0] in messages: 2 under a header row (the Rates table), 1 for a range without one. */
  firstRow = 2,
): { rates: ExchangeRate[]; problems: RateProblem[] } {
  const rates: ExchangeRate[] = [];
  const problems: RateProblem[] = [];
  rows.forEach((raw, index) => {
    const row = index + firstRow;
    if (isBlank(raw)) return;
    const cell = (column: string) => cellText(raw[column]).trim();
    const [period, from, to, rateText, source] = RATE_COLUMNS.map(cell);
    const before = problems.length;
    for (const [column, value] of [['Period', period], ['FromCurrency', from], ['ToCurrency', to], ['Rate', rateText]] as const) {
      if (value === '') problems.push({ row, column, message: `${column} is empty` });
    }
    if (period !== '' && !isBillingPeriod(period)) problems.push({ row, column: 'Period', message: `Period must be YYYY-MM, not "${period}"` });
    for (const [column, code] of [['FromCurrency', from], ['ToCurrency', to]] as const) {
      const problem = code === '' ? undefined : currencyProblem(code);
      if (problem) problems.push({ row, column, message: problem.replace('BillingCurrency', column) });
    }
    if (from !== '' && from === to) problems.push({ row, column: 'ToCurrency', message: `FromCurrency and ToCurrency are both ${from}: a rate converts between two currencies` });
    const rate = rateText === '' ? undefined : decimalRatio(rateText);
    if (rateText !== '' && rate === undefined) problems.push({ row, column: 'Rate', message: `Rate "${rateText}" is not a number` });
    else if (rate !== undefined && rate.numerator <= 0n) problems.push({ row, column: 'Rate', message: `Rate ${rateText} is zero or below: a rate must be above zero (1 ${from || 'FromCurrency'} = Rate ${to || 'ToCurrency'})` });
    if (problems.length > before || rate === undefined) return;
    const twin = rates.find((r) => r.period === period && r.fromCurrency === from && r.toCurrency === to);
    if (twin && (twin.rate.numerator !== rate.numerator || twin.rate.denominator !== rate.denominator)) {
      problems.push({ row, column: 'Rate', message: `${period} ${from} → ${to} already has rate ${twin.rateText} on row ${twin.row}: give each period and pair one rate` });
      return;
    }
    rates.push({ period, fromCurrency: from, toCurrency: to, rate, rateText, source, row });
  });
  return { rates, problems };
}

/** The Rates row that converts `from` into `to` for `period`, if finance gave one. */
export function rateFor(rates: readonly ExchangeRate[], period: string, from: string, to: string): ExchangeRate | undefined {
  return rates.find((r) => r.period === period && r.fromCurrency === from && r.toCurrency === to);
}
