/**
 * CB.SPLIT, CB.SPLITEVEN and CB.SPLITFIXED as pure functions. Each splits the amount exactly
 * with the engine's largest-remainder split (src/core/split.ts), then rounds the exact shares to
 * `decimals` by largest remainder, as the allocation run rounds a pool's shares: the parts add
 * up to the amount rounded to `decimals`, and each part is within one minor unit of its exact
 * share.
 */
import { ExactAmount, FineAmount, fineUnitSize, formatExact, MinorUnits, parseExact } from '../core/money';
import { percentsAddUpTo100 } from '../core/pool-methods';
import { splitRounded } from '../core/split';
import { invalidValue } from './errors';
import { asColumn, CellRange, exactOf, inShapeOf, isBlank, readDecimals, readNumber, readNumbers, readRange, readWeights, showCell, worksheetNumber } from './inputs';

/** The most parts a count may ask for: a worksheet has 1,048,576 rows. */
export const MAX_PARTS = 1_048_576;

/**
 * Splits an amount (every decimal typed) by exact weights into minor units of `decimals`, rounded
 * once and with remainders compared exactly, as the allocation run rounds (core/split.ts). The
 * caller has checked that the weights do not add up to zero.
 */
export function splitToMinor(amount: FineAmount, weights: readonly bigint[], decimals: number): MinorUnits[] {
  return splitRounded(amount.units, weights, fineUnitSize(amount, decimals));
}

/** Minor units as worksheet numbers. */
export function toNumbers(parts: readonly MinorUnits[], decimals: number): number[] {
  return parts.map((part) => worksheetNumber(part, decimals));
}

/** CB.SPLIT: `amount` in proportion to `weights`, spilled in the shape of the weights range. */
export function split(amount: unknown, weights: unknown, decimals?: unknown): number[][] {
  const total = readNumber(amount, 'amount');
  const places = readDecimals(decimals);
  const range = readRange(weights, 'weights');
  const values = readWeights(range, 'weights');
  const weightTotal = values.reduce((a, b) => a + b, 0n);
  if (weightTotal === 0n) {
    throw invalidValue(
      values.some((w) => w !== 0n)
        ? 'the weights add up to zero (the negative weights cancel the positive ones), so there is no proportion to split by'
        : 'every weight is zero or empty, so there is no proportion to split by: give at least one weight above zero',
    );
  }
  return inShapeOf(range, toNumbers(splitToMinor(total, values, places), places));
}

/**
 * CB.SPLITEVEN: `amount` in equal parts. A whole number is a count of parts (spilled as a
 * column); a range gets one part per cell, spilled in its shape.
 */
export function splitEven(amount: unknown, countOrRange: unknown, decimals?: unknown): number[][] {
  const total = readNumber(amount, 'amount');
  const places = readDecimals(decimals);
  const range = readRange(countOrRange, 'count_or_range');
  const single = range.cells.length === 1 ? range.cells[0] : undefined;
  // One cell is a count unless it holds text such as a cost center code (then it is one part).
  if (range.cells.length === 1 && (typeof single !== 'string' || isBlank(single) || exactOf(single) !== undefined)) {
    const count = countOf(single);
    return asColumn(toNumbers(splitToMinor(total, Array.from({ length: count }, () => 1n), places), places));
  }
  return inShapeOf(range, toNumbers(splitToMinor(total, range.cells.map(() => 1n), places), places));
}

function countOf(value: unknown): number {
  const count = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  if (isBlank(value) || !Number.isInteger(count) || count < 1 || count > MAX_PARTS) {
    throw invalidValue(`count_or_range is ${showCell(value)}: give a whole number of parts from 1 to ${MAX_PARTS}, or a range with one cell per part`);
  }
  return count;
}

/** Percents from a range: none below zero and, together, 100 (within the precision of a worksheet number: percentsAddUpTo100). */
export function readPercents(range: CellRange, name: string): ExactAmount[] {
  const percents = readNumbers(range, name);
  const negative = percents.findIndex((p) => p < 0n);
  if (negative >= 0) throw invalidValue(`${name}: ${showCell(range.cells[negative])} is below zero; a percent must be 0 or more`);
  const sum = percents.reduce((a, b) => a + b, 0n);
  if (!percentsAddUpTo100(percents)) {
    const hint = sum === parseExact('1') ? ' (cells formatted as % hold fractions: enter 25 for 25 percent, or multiply the range by 100)' : '';
    throw invalidValue(`the percents add up to ${formatExact(sum)}, not 100${hint}`);
  }
  return percents;
}

/** CB.SPLITFIXED: `amount` by percents that add up to 100, split in their exact ratio, spilled in their shape. */
export function splitFixed(amount: unknown, percents: unknown, decimals?: unknown): number[][] {
  const total = readNumber(amount, 'amount');
  const places = readDecimals(decimals);
  const range = readRange(percents, 'percents');
  const values = readPercents(range, 'percents');
  return inShapeOf(range, toNumbers(splitToMinor(total, values, places), places));
}
