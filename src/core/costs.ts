/**
 * Cost lines: FOCUS rows summed to the grain allocation needs (billing period, currency, charge
 * category, commitment status and every dimension a rule looks at). Both cost figures are kept,
 * exact, so the statement can use either and the reviewer can compare them.
 */
import { CostMetric } from './focus';
import { ExactAmount } from './money';

export interface CostLine {
  /** `YYYY-MM` of BillingPeriodStart */
  billingPeriod: string;
  currency: string;
  chargeCategory: string;
  commitmentDiscountStatus: string;
  /** Values of the grain's dimensions, keyed as the rules name them (`SubAccountName`, `Tag:team`). */
  dimensions: Record<string, string>;
  billedCost: ExactAmount;
  effectiveCost: ExactAmount;
  /** How many FOCUS rows were summed into this line. */
  sourceRows: number;
}

export function costOf(line: CostLine, metric: CostMetric): ExactAmount {
  return metric === 'BilledCost' ? line.billedCost : line.effectiveCost;
}

/** The value a rule's dimension has on a cost line ('' when the line has none). */
export function dimensionValue(line: CostLine, dimension: string): string {
  const value = line.dimensions[dimension];
  if (value !== undefined) return value;
  const key = Object.keys(line.dimensions).find((k) => k.toLowerCase() === dimension.toLowerCase());
  return key === undefined ? '' : line.dimensions[key];
}

/** Fixed columns of the `Costs` table; the grain's dimension columns sit between these and the amounts. */
export const COST_KEY_COLUMNS = ['BillingPeriod', 'BillingCurrency', 'ChargeCategory', 'CommitmentDiscountStatus'] as const;
export const COST_AMOUNT_COLUMNS = ['BilledCost', 'EffectiveCost', 'SourceRows'] as const;

/** Stable order for cost lines so that the order of input rows never changes a result. */
export function compareCostLines(a: CostLine, b: CostLine): number {
  return lineKey(a) < lineKey(b) ? -1 : lineKey(a) > lineKey(b) ? 1 : 0;
}

export function lineKey(line: CostLine): string {
  return [line.billingPeriod, line.currency, line.chargeCategory, line.commitmentDiscountStatus, ...Object.keys(line.dimensions).sort().map((k) => `${k}=${line.dimensions[k]}`)].join('\u001f');
}
