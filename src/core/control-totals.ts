/**
 * Control totals of what was read, to tie to the provider's invoice before anything is written:
 * billed and effective cost per billing period, provider and currency, summed exactly and rounded
 * once to the currency's minor unit (as an invoice rounds its total).
 */
import type { CostLine } from './costs';
import { minorDigitsOf } from './currency';
import { formatMinor, roundToMinor } from './money';

export interface ControlTotal {
  period: string;
  /** FOCUS ProviderName ('' when the data has none). */
  provider: string;
  currency: string;
  /** BilledCost and EffectiveCost totals, decimal strings in minor units ("1234.50"). */
  billed: string;
  effective: string;
  /** FOCUS rows behind the totals. */
  rows: number;
}

/** One total per period, provider and currency, sorted by period, then provider, then currency. */
export function controlTotals(lines: readonly CostLine[]): ControlTotal[] {
  const groups = new Map<string, { period: string; provider: string; currency: string; billed: bigint; effective: bigint; rows: number }>();
  for (const line of lines) {
    const provider = line.dimensions.ProviderName ?? '';
    const key = JSON.stringify([line.billingPeriod, provider, line.currency]);
    const group = groups.get(key) ?? { period: line.billingPeriod, provider, currency: line.currency, billed: 0n, effective: 0n, rows: 0 };
    group.billed += line.billedCost;
    group.effective += line.effectiveCost;
    group.rows += line.sourceRows;
    groups.set(key, group);
  }
  const byKey = (a: { period: string; provider: string; currency: string }, b: typeof a) =>
    a.period.localeCompare(b.period) || a.provider.localeCompare(b.provider) || a.currency.localeCompare(b.currency);
  return [...groups.values()].sort(byKey).map((g) => {
    // An unknown code is refused when the period is allocated; here two decimals keep the read readable.
    const digits = minorDigitsOf(g.currency) ?? 2;
    return { period: g.period, provider: g.provider, currency: g.currency, billed: formatMinor(roundToMinor(g.billed, digits), digits), effective: formatMinor(roundToMinor(g.effective, digits), digits), rows: g.rows };
  });
}
