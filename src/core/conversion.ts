/**
 * Conversion of a period's cost lines from their billing currencies to the reporting currency,
 * exactly: each line's exact amount times its exact rate is a ratio, the ratios are summed
 * exactly, and the total is cut to an exact amount once (toward zero, which keeps what the total
 * rounds to in minor units). The lines' converted amounts are handed the units of that total by
 * largest remainder, so they add up to it and the statement, rounded once more by the same rule,
 * adds up to the converted source total rounded to the reporting currency's minor unit.
 */
import { CostLine } from './costs';
import { currencyProblem, minorDigitsOf } from './currency';
import { ExactAmount, MinorUnits, minorUnitSize, roundToMinor } from './money';
import { PeriodError } from './period';
import { decimalRatio, ExchangeRate, inverse, Ratio, rateFor } from './rates';
import { roundByLargestRemainder } from './split';

/** Where rates come from: the Rates table, or the provider's rate on each FOCUS row where it has one. */
export type ExchangeRateSource = 'Rates' | 'Provider';

/** The FOCUS columns of the provider's own rate (Azure): it converts x_PricingCurrency into BillingCurrency. */
export const PROVIDER_RATE_COLUMNS = ['x_BillingExchangeRate', 'x_BillingExchangeRateDate', 'x_PricingCurrency'] as const;

/** What converted a line: the rate as a ratio and a label that says which rate it was. */
export interface LineRate {
  ratio: Ratio;
  /** "EUR→USD 1.0825 (Rates row 3, ECB month-end)" or "USD→EUR 0.9238 from x_BillingExchangeRate of 2026-10-01, inverted". */
  label: string;
  /** The Rates row, when the rate came from the table. */
  rate?: ExchangeRate;
}

/** A cost line's amounts as billed, before conversion. */
export interface OriginalAmounts {
  currency: string;
  billedCost: ExactAmount;
  effectiveCost: ExactAmount;
  rate: LineRate;
}

/** One billing currency of the period, as Reconciliation shows it. */
export interface CurrencyConversion {
  currency: string;
  minorDigits: number;
  lines: number;
  /** The rate label when one rate converted every line of the currency, else how many rates did. */
  rateLabel: string;
  /** The chosen metric's exact total in the billing currency, and rounded to its minor unit. */
  sourceExact: ExactAmount;
  source: MinorUnits;
  /** Σ amount × rate, exactly, rounded once to the reporting currency's minor unit. */
  converted: MinorUnits;
  /** What the currency's converted lines, as allocated, add up to, rounded the same way: equal to `converted`. */
  allocated: MinorUnits;
}

export interface Conversion {
  reportingCurrency: string;
  lines: CostLine[];
  /** Per line (same order), what it was before conversion. */
  originals: OriginalAmounts[];
  currencies: CurrencyConversion[];
}

/** Why a period cannot be converted: a missing rate, a currency no ISO code names. */
export class ConversionError extends PeriodError {}

const IDENTITY: Ratio = { numerator: 1n, denominator: 1n };

/** The rate that converts a line into the reporting currency, or a problem naming the period and pair. */
export function lineRate(line: CostLine, reportingCurrency: string, rates: readonly ExchangeRate[], source: ExchangeRateSource): LineRate | string {
  if (line.currency === reportingCurrency) return { ratio: IDENTITY, label: `${reportingCurrency}, not converted` };
  if (source === 'Provider') {
    const providerRate = line.dimensions.x_BillingExchangeRate ?? '';
    const pricing = (line.dimensions.x_PricingCurrency ?? '').trim().toUpperCase();
    const ratio = providerRate.trim() === '' ? undefined : decimalRatio(providerRate);
    // The provider's rate turns pricing currency into billing currency; read backwards, it converts
    // the bill into the pricing currency, so it serves only when that is the reporting currency.
    if (ratio && ratio.numerator > 0n && pricing === reportingCurrency) {
      const date = (line.dimensions.x_BillingExchangeRateDate ?? '').slice(0, 10);
      return { ratio: inverse(ratio), label: `${line.currency}→${reportingCurrency} 1 / ${providerRate.trim()} (provider x_BillingExchangeRate${date ? ` of ${date}` : ''})` };
    }
  }
  const rate = rateFor(rates, line.billingPeriod, line.currency, reportingCurrency);
  if (!rate) {
    return `no exchange rate for ${line.billingPeriod} ${line.currency} → ${reportingCurrency}: add a Rates row (Period ${line.billingPeriod}, FromCurrency ${line.currency}, ToCurrency ${reportingCurrency}, Rate)${source === 'Provider' ? ', or bring the provider rate (x_BillingExchangeRate with x_PricingCurrency ' + reportingCurrency + ') in the cost data' : ''}`;
  }
  return { ratio: rate.rate, label: `${rate.fromCurrency}→${rate.toCurrency} ${rate.rateText} (Rates row ${rate.row}${rate.source ? `, ${rate.source}` : ''})`, rate };
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

/**
 * Exact amounts times ratios: the parts (exact amounts that add up to the exact total cut toward
 * zero) and the exact total as a ratio.
 */
export function convertExactly(amounts: readonly ExactAmount[], ratios: readonly Ratio[]): { parts: ExactAmount[]; total: Ratio } {
  let denominator = 1n;
  for (const r of ratios) denominator = (denominator / gcd(denominator, r.denominator)) * r.denominator;
  const scaled = amounts.map((amount, i) => amount * ratios[i].numerator * (denominator / ratios[i].denominator));
  const total = scaled.reduce((a, b) => a + b, 0n);
  // bigint division cuts toward zero: the cut total rounds to the same minor units as the exact one
  const parts = scaled.length === 0 ? [] : roundByLargestRemainder(scaled, denominator, total / denominator);
  return { parts, total: { numerator: total, denominator } };
}

/** An exact ratio of amounts rounded to minor units, half away from zero (as roundToMinor rounds exact amounts). */
export function roundRatioToMinor(amount: Ratio, minorDigits: number): MinorUnits {
  const unitTimesDenominator = minorUnitSize(minorDigits) * amount.denominator;
  const magnitude = amount.numerator < 0n ? -amount.numerator : amount.numerator;
  const rounded = (2n * magnitude + unitTimesDenominator) / (2n * unitTimesDenominator);
  return amount.numerator < 0n ? -rounded : rounded;
}

/**
 * Converts a period's cost lines to the reporting currency. Throws a ConversionError listing
 * every missing rate (by period and currency pair) at once.
 */
export function convertLines(lines: readonly CostLine[], metric: 'BilledCost' | 'EffectiveCost', reportingCurrency: string, rates: readonly ExchangeRate[], source: ExchangeRateSource): Conversion {
  const reportingDigits = minorDigitsOf(reportingCurrency);
  if (reportingDigits === undefined) throw new ConversionError(currencyProblem(reportingCurrency)!.replace('BillingCurrency', 'Settings ReportingCurrency'));
  const lineRates: LineRate[] = [];
  const missing = new Set<string>();
  for (const line of lines) {
    const rate = lineRate(line, reportingCurrency, rates, source);
    if (typeof rate === 'string') missing.add(rate);
    else lineRates.push(rate);
  }
  if (missing.size > 0) throw new ConversionError([...missing].join('; '));
  const ratios = lineRates.map((r) => r.ratio);
  const billed = convertExactly(lines.map((l) => l.billedCost), ratios);
  const effective = convertExactly(lines.map((l) => l.effectiveCost), ratios);
  const converted = lines.map((line, i): CostLine => ({ ...line, currency: reportingCurrency, billedCost: billed.parts[i], effectiveCost: effective.parts[i] }));
  const originals = lines.map((line, i): OriginalAmounts => ({ currency: line.currency, billedCost: line.billedCost, effectiveCost: line.effectiveCost, rate: lineRates[i] }));

  const currencies = [...new Set(lines.map((l) => l.currency))].sort();
  const metricOf = (l: CostLine) => (metric === 'BilledCost' ? l.billedCost : l.effectiveCost);
  return {
    reportingCurrency,
    lines: converted,
    originals,
    currencies: currencies.map((currency): CurrencyConversion => {
      const at = lines.flatMap((l, i) => (l.currency === currency ? [i] : []));
      const digits = minorDigitsOf(currency);
      if (digits === undefined) throw new ConversionError(currencyProblem(currency)!);
      const sourceExact = at.reduce((a, i) => a + metricOf(lines[i]), 0n);
      const exactConverted = convertExactly(at.map((i) => metricOf(lines[i])), at.map((i) => ratios[i])).total;
      const labels = [...new Set(at.map((i) => lineRates[i].label))];
      return {
        currency,
        minorDigits: digits,
        lines: at.length,
        rateLabel: labels.length === 1 ? labels[0] : `${labels.length} rates (see Allocation)`,
        sourceExact,
        source: roundToMinor(sourceExact, digits),
        converted: roundRatioToMinor(exactConverted, reportingDigits),
        allocated: roundToMinor(at.reduce((a, i) => a + metricOf(converted[i]), 0n), reportingDigits),
      };
    }),
  };
}
