/**
 * Choosing the billing period and currency to close. A chargeback covers one period in one
 * currency; data with several periods, or several billing currencies and no reporting currency
 * to convert them to, is an error that lists what was found.
 */
import { CostLine } from './costs';

export interface SkippedRows {
  reason: string;
  rows: number;
}

/** A billing period as written in settings and options: YYYY-MM with a month from 01 to 12. */
export function isBillingPeriod(value: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
}

export class PeriodError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PeriodError';
  }
}

export function periodsIn(lines: readonly CostLine[]): Map<string, number> {
  const periods = new Map<string, number>();
  for (const line of lines) periods.set(line.billingPeriod, (periods.get(line.billingPeriod) ?? 0) + line.sourceRows);
  return new Map([...periods.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

function describe(counts: Map<string, number>): string {
  return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([value, rows]) => `${value} (${rows} rows)`).join(', ');
}

/**
 * The period's lines and the currency its statement is in: the reporting currency when one is
 * set, else the data's only billing currency.
 */
export function selectPeriod(
  all: readonly CostLine[],
  requested: string | undefined,
  reportingCurrency?: string,
): { lines: CostLine[]; period: string; currency: string; billingCurrencies: string[]; skipped: SkippedRows[] } {
  const periods = periodsIn(all);
  if (periods.size === 0) throw new PeriodError('there are no cost rows to allocate');
  let period = requested;
  if (!period) {
    if (periods.size > 1) throw new PeriodError(`the cost data covers several billing periods: ${describe(periods)}; choose one with --period YYYY-MM (or the Settings Period)`);
    period = [...periods.keys()][0];
  } else if (!periods.has(period)) {
    throw new PeriodError(`no cost rows for billing period ${period}; the data covers ${describe(periods)}`);
  }
  const lines = all.filter((l) => l.billingPeriod === period);
  const skipped = [...periods.entries()].filter(([p]) => p !== period).map(([p, rows]) => ({ reason: `billing period ${p} is not the one being closed`, rows }));
  const currencies = new Map<string, number>();
  for (const line of lines) currencies.set(line.currency, (currencies.get(line.currency) ?? 0) + line.sourceRows);
  if (currencies.size > 1 && !reportingCurrency) {
    throw new PeriodError(`billing period ${period} has costs in several currencies: ${describe(currencies)}; set Settings ReportingCurrency (and give the Rates) to charge them back in one currency`);
  }
  const billingCurrencies = [...currencies.keys()].sort();
  return { lines, period, currency: reportingCurrency || billingCurrencies[0], billingCurrencies, skipped };
}
