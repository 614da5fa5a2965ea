/// <reference types="custom-functions-runtime" />
/**
 * The `CB` worksheet functions: thin wrappers over the pure functions beside this file, which
 * use the allocation engine's own arithmetic, so a formula gives the same cents as the
 * allocation run. The JSDoc of each is what `npm run functions:metadata` turns into
 * functions.json: the descriptions are what Excel shows while the user types.
 *
 * The ids (SPLIT, SPLITEVEN, ...) are published in workbooks' formulas: never change one.
 * Office.js loads from its CDN in Excel; nothing here runs Office code outside it.
 */
import { allocateAmount } from './allocation';
import { amortize as amortizeShare } from './amortize';
import { readWorkbookDateOrder, useDateOrder } from './dates';
import { FormulaError } from './errors';
import { reconcile as reconcileParts } from './reconcile';
import { convert as convertAmount } from './convert';
import { split as splitByWeight, splitEven as splitEvenly, splitFixed as splitByPercent } from './splits';
import { costCenter as firstCostCenter, costCenters as costCentersOf } from './cost-center';
import { tag as tagValue } from './tags';

/**
 * Runs a pure function and turns its FormulaError into the Excel error it names, with its
 * message, which Excel shows when the user selects the cell.
 */
export function answer<T>(compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    throw toExcelError(error);
  }
}

export function toExcelError(error: unknown): CustomFunctions.Error {
  if (error instanceof FormulaError) return new CustomFunctions.Error(CustomFunctions.ErrorCode[error.code], error.message);
  const message = error instanceof Error ? error.message : String(error);
  return new CustomFunctions.Error(CustomFunctions.ErrorCode.invalidValue, `could not compute: ${message}`);
}

// The parts add up exactly to the amount rounded to `decimals`, each within one minor unit of
// its exact share (largest remainder, as the allocation run rounds). Empty weight cells weigh 0;
// weights that add up to zero, or text, give #VALUE!.
/**
 * Splits an amount in proportion to weights; the parts add up exactly to the amount and spill in the shape of the weights.
 * @customfunction SPLIT SPLIT
 * @param {any} amount The amount to split, such as a shared cost.
 * @param {any[][]} weights A row or column of weights, such as usage or headcount. Any scale; negative weights are allowed if they do not cancel out.
 * @param {number} [decimals] Decimals to round the parts to: 2 (cents) when left out, 0 for whole units.
 * @returns {number[][]} The parts, in the shape of the weights.
 */
export function split(amount: any, weights: any[][], decimals?: number): number[][] {
  return answer(() => splitByWeight(amount, weights, decimals));
}

// The earlier parts take the leftover cents: =CB.SPLITEVEN(100, 3) gives 33.34, 33.33, 33.33.
/**
 * Splits an amount into equal parts that add up exactly to it.
 * @customfunction SPLITEVEN SPLITEVEN
 * @param {any} amount The amount to split.
 * @param {any[][]} count_or_range A number of parts (spills a column), or a range with one cell per part (spills in its shape, whatever the cells hold).
 * @param {number} [decimals] Decimals to round the parts to: 2 (cents) when left out.
 * @returns {number[][]} The equal parts.
 */
export function splitEven(amount: any, count_or_range: any[][], decimals?: number): number[][] {
  return answer(() => splitEvenly(amount, count_or_range, decimals));
}

// The percents must add up to 100 as a worksheet shows it (within 0.0000000000005, so =100/3 three
// times is 100), else #VALUE! says what they add up to; they are split in their exact ratio.
/**
 * Splits an amount by fixed percents that add up to 100, as a Fixed shared pool does; the parts add up exactly to the amount.
 * @customfunction SPLITFIXED SPLITFIXED
 * @param {any} amount The amount to split.
 * @param {any[][]} percents A row or column of percents, each 0 or more, adding up to 100.
 * @param {number} [decimals] Decimals to round the parts to: 2 (cents) when left out.
 * @returns {number[][]} The parts, in the shape of the percents.
 */
export function splitFixed(amount: any, percents: any[][], decimals?: number): number[][] {
  return answer(() => splitByPercent(amount, percents, decimals));
}

// Even: equal shares (basis not needed). Proportional: to each target's direct cost (a cost
// below zero weighs nothing; if no target has direct cost it answers #VALUE! and says so, where
// the allocation run would fall back to Even). Fixed: basis percents adding up to 100. Driver:
// basis quantities, 0 or more. Rows with an empty target are skipped.
/**
 * Allocates a shared-cost pool across cost centers by the method Even, Proportional, Fixed or Driver; spills two columns, target and share.
 * @customfunction ALLOCATE ALLOCATE
 * @param {any} amount The pool amount to allocate.
 * @param {any[][]} targets The cost center codes, a row or column.
 * @param {string} method Even, Proportional, Fixed or Driver.
 * @param {any[][]} [basis] Beside the targets, the same shape: direct costs (Proportional), percents (Fixed) or quantities (Driver). Not used by Even.
 * @param {number} [decimals] Decimals to round the shares to: 2 (cents) when left out.
 * @returns {any[][]} One row per target: the cost center and its share.
 */
export function allocate(amount: any, targets: any[][], method: string, basis?: any[][], decimals?: number): any[][] {
  return answer(() => allocateAmount(amount, targets, method, basis, decimals));
}

// Dates are whole days and both end dates count (inclusive): 2026-01-01 to 2026-12-31 is 365
// days. Cumulative rounding makes consecutive periods' parts add up exactly to the amount.
/**
 * The part of a commitment purchase (reservation, savings plan, prepaid term) that falls in a period, by days, end dates included.
 * @customfunction AMORTIZE AMORTIZE
 * @param {any} amount The purchase amount.
 * @param {any} term_start First day of the commitment term: a date, or text such as 2026-01-01 or 31/01/2026 (read in the workbook's date order).
 * @param {any} term_end Last day of the term (inclusive).
 * @param {any} period_start First day of the period, such as the first of the month.
 * @param {any} period_end Last day of the period (inclusive), such as the last of the month.
 * @param {number} [decimals] Decimals to round to: 2 (cents) when left out.
 * @returns {number} The amount that falls in the period; 0 when the period is outside the term.
 */
export function amortize(amount: any, term_start: any, term_end: any, period_start: any, period_end: any, decimals?: number): number {
  return answer(() => amortizeShare(amount, term_start, term_end, period_start, period_end, decimals));
}

// The key is matched without regard to case, as the allocation rules match Tag:<key>.
/**
 * A tag's value from a FOCUS Tags cell (a JSON object such as {"team":"checkout"}); #N/A when the tag is missing.
 * @customfunction TAG TAG
 * @param {string} tags_json The Tags cell of a cost row.
 * @param {string} key The tag key, such as team (Tag:team also works).
 * @returns {string} The tag's value.
 */
export function tag(tags_json: string, key: string): string {
  return answer(() => tagValue(tags_json, key));
}

// The allocation run's own matching (core/match.ts): first matching row wins; Pattern is a glob
// (* any text, ? one character, any case); a CostCenter of {value} gives the matched value itself.
// Values are matched as they are (not trimmed), as the run matches a FOCUS value. Given a Tags JSON
// object, rows with Dimension Tag:<key> are tried against that tag; given a plain value, the other rows.
/**
 * The cost center a value or a FOCUS Tags cell goes to under Mappings rules (first match wins), the engine's answer; given a column, one answer a row; #N/A when no rule matches.
 * @customfunction COSTCENTER COSTCENTER
 * @param {any[][]} value_or_tags A dimension value (such as a SubAccountName) or a FOCUS Tags cell, or a whole column of them (spills one answer a row).
 * @param {any[][]} mappings_range Three columns, Dimension, Pattern and CostCenter, such as the Mappings table, with or without its header row.
 * @param {string} [dimension] The dimension the values are (such as SubAccountName or Tag:team): only its mappings are tried. Left out: Tag:<key> mappings for Tags cells, the others for plain values.
 * @param {any[][]} [cost_centers] The CostCenters table (or its CostCenter column): the code comes back spelled as there, as the statement spells it. Left out: as Mappings spells it.
 * @returns {any[][]} The cost center code, or one a row for a column.
 */
export function costCenter(value_or_tags: any[][], mappings_range: any[][], dimension?: string, cost_centers?: any[][]): any[][] {
  return answer(() => {
    // One cell: its error is thrown, so Excel shows its message; a range: each cell holds its own answer.
    const single = !Array.isArray(value_or_tags) || (value_or_tags.length === 1 && (!Array.isArray(value_or_tags[0]) || value_or_tags[0].length === 1));
    if (single) return [[firstCostCenter(value_or_tags, mappings_range, dimension, cost_centers)]];
    return costCentersOf(value_or_tags, mappings_range, dimension, cost_centers).map((row) => row.map((cell) => (cell instanceof FormulaError ? toExcelError(cell) : cell)));
  });
}

// Exact arithmetic, rounded only at the end: a positive result is cost not yet allocated.
/**
 * What is left of an expected total after the parts (expected minus their sum), to the cent; 0 when they reconcile.
 * @customfunction RECONCILE RECONCILE
 * @param {any} expected The total the parts must add up to, such as the invoice or source total.
 * @param {any[][]} parts The amounts that should make it up, such as a statement's Total column. Empty cells count as 0.
 * @param {number} [decimals] Decimals to round the difference to: 2 (cents) when left out.
 * @returns {number} expected − sum(parts), rounded.
 */
export function reconcile(expected: any, parts: any[][], decimals?: number): number {
  return answer(() => reconcileParts(expected, parts, decimals));
}

// The rate is read exactly as the Rates table holds it and the product rounded once, to the target
// currency's minor unit unless decimals says otherwise: the cents of a converted chargeback line.
/**
 * Converts an amount between currencies at a rate from a Rates range, exactly, rounded once to the target currency's minor unit.
 * @customfunction CONVERT CONVERT
 * @param {any} amount The amount in the from currency.
 * @param {any} from The currency of the amount, such as EUR.
 * @param {any} to The currency to convert to, such as USD.
 * @param {any[][]} rates_range The Rates table (Period, FromCurrency, ToCurrency, Rate, Source), with or without its header row.
 * @param {any} [period] The period (YYYY-MM) whose rate to use; needed when the range holds the pair for several periods.
 * @param {number} [decimals] Decimals to round to: the to currency's minor unit when left out (USD 2, JPY 0, BHD 3).
 * @returns {number} amount × rate, rounded.
 */
export function convert(amount: any, from: any, to: any, rates_range: any[][], period?: any, decimals?: number): number {
  return answer(() => convertAmount(amount, from, to, rates_range, period, decimals));
}

if (typeof CustomFunctions !== 'undefined') {
  CustomFunctions.associate('SPLIT', split);
  CustomFunctions.associate('SPLITEVEN', splitEven);
  CustomFunctions.associate('SPLITFIXED', splitFixed);
  CustomFunctions.associate('ALLOCATE', allocate);
  CustomFunctions.associate('AMORTIZE', amortize);
  CustomFunctions.associate('TAG', tag);
  CustomFunctions.associate('COSTCENTER', costCenter);
  CustomFunctions.associate('RECONCILE', reconcile);
  CustomFunctions.associate('CONVERT', convert);
}

// Text dates (CB.AMORTIZE) are read in the workbook's own day/month order, as Excel reads what is
// typed. If the host cannot say (an older Excel), the runtime's locale stands in: dates.ts.
if (typeof Office !== 'undefined' && typeof Excel !== 'undefined') {
  void Office.onReady()
    .then(() => Excel.run((context) => readWorkbookDateOrder(context)))
    .then((found) => found && useDateOrder(found.order, `the workbook's regional format, ${found.pattern}`, found.locale))
    .catch(() => undefined);
}
