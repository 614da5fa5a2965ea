/**
 * Largest-remainder splitting: an integer whole (exact amount or minor units) is split in
 * proportion to weights, and the parts always add up to the whole. Each part is within one unit
 * of its exact proportional value. Ties go to the earlier part, so results are deterministic.
 */
import type { MinorUnits } from './money';

/**
 * Splits `whole` in proportion to `weights` (integers, same scale among themselves).
 * Throws when the weights sum to zero: the caller decides what a basis-less split means.
 */
export function splitByWeights(whole: bigint, weights: readonly bigint[]): bigint[] {
  const weightTotal = weights.reduce((a, b) => a + b, 0n);
  if (weights.length === 0) throw new RangeError('nothing to split across: no targets');
  if (weightTotal === 0n) throw new RangeError('the weights add up to zero');
  // Work on magnitudes with a positive weight total, then restore signs: floor division then behaves.
  const flip = weightTotal < 0n;
  const w = flip ? weights.map((x) => -x) : weights;
  const total = flip ? -weightTotal : weightTotal;
  const negative = whole < 0n;
  const magnitude = negative ? -whole : whole;
  const parts: bigint[] = [];
  const remainders: bigint[] = [];
  let assigned = 0n;
  for (const weight of w) {
    const product = magnitude * weight;
    let part = product / total;
    let remainder = product % total;
    if (remainder < 0n) {
      // bigint division truncates toward zero; floor it for negative weights
      part -= 1n;
      remainder += total;
    }
    parts.push(part);
    remainders.push(remainder);
    assigned += part;
  }
  let left = magnitude - assigned;
  const order = remainders
    .map((remainder, index) => ({ remainder, index }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (let i = 0; left > 0n; i = (i + 1) % order.length, left -= 1n) parts[order[i].index] += 1n;
  return negative ? parts.map((p) => -p) : parts;
}

/**
 * The exact shares of `whole` in proportion to `weights`, as numerators over one positive
 * denominator (the weight total, sign folded into the numerators): share i is
 * `numerators[i] / denominator`, nothing rounded. Throws when the weights sum to zero.
 */
export function exactShares(whole: bigint, weights: readonly bigint[]): { numerators: bigint[]; denominator: bigint } {
  const weightTotal = weights.reduce((a, b) => a + b, 0n);
  if (weights.length === 0) throw new RangeError('nothing to split across: no targets');
  if (weightTotal === 0n) throw new RangeError('the weights add up to zero');
  const sign = weightTotal < 0n ? -1n : 1n;
  return { numerators: weights.map((w) => whole * w * sign), denominator: weightTotal * sign };
}

/** `value` rounded to a count of `unit`, half away from zero. */
export function roundHalfAway(value: bigint, unit: bigint): bigint {
  const magnitude = value < 0n ? -value : value;
  const rounded = (2n * magnitude + unit) / (2n * unit);
  return value < 0n ? -rounded : rounded;
}

/**
 * Splits `whole` in proportion to `weights` straight into counts of `unit` (cents of an amount
 * held in finer units): the parts add up to `whole` rounded to `unit`, each within one unit of
 * its exact share, the leftover units going to the largest remainders compared exactly (never
 * after rounding the shares to a finer scale first, where remainders 10^-16 apart would tie).
 */
export function splitRounded(whole: bigint, weights: readonly bigint[], unit: bigint): bigint[] {
  // whole and unit over their common factor (an amount in cents held in 10^-15 units shares 10^13 with
  // a cent): the same ratios with smaller integers, which a million parts divide much faster
  const common = greatestCommonDivisor(whole < 0n ? -whole : whole, unit);
  const { numerators, denominator } = exactShares(whole / common, weights);
  return roundByLargestRemainder(numerators, (unit / common) * denominator, roundHalfAway(whole, unit));
}

function greatestCommonDivisor(a: bigint, b: bigint): bigint {
  let [x, y] = [a, b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** The least common multiple of two positive integers: the common denominator of two pools' exact shares. */
export function leastCommonMultiple(a: bigint, b: bigint): bigint {
  return (a / greatestCommonDivisor(a, b)) * b;
}

/** Splits `whole` into `count` equal parts, the earlier parts taking the leftover units. */
export function splitEvenly(whole: bigint, count: number): bigint[] {
  return splitByWeights(whole, Array.from({ length: count }, () => 1n));
}

/**
 * Rounds exact values to a coarser unit (for example exact amounts to cents) so that the rounded
 * parts add up to `roundedTotal`: floor every value, then hand the missing units to the largest
 * remainders. `unit` is the size of one rounded unit in the values' scale.
 */
export function roundByLargestRemainder<Rounded extends bigint = MinorUnits>(values: readonly bigint[], unit: bigint, roundedTotal: Rounded): Rounded[] {
  // A negative total is rounded as the mirror of its positive: splitting −x gives the negated parts
  // of splitting x, so a credit ties the same way as a charge (the earlier part takes the extra unit).
  if (roundedTotal < 0n) return roundByLargestRemainder(values.map((v) => -v), unit, (0n - roundedTotal) as Rounded).map((p) => (0n - p) as Rounded);
  const count = values.length;
  const parts = new Array<Rounded>(count);
  const remainders = new Array<bigint>(count);
  let floorTotal = 0n;
  for (let i = 0; i < count; i++) {
    const value = values[i];
    let floor = value / unit;
    let remainder = value % unit;
    if (remainder < 0n) {
      // bigint division truncates toward zero; floor it for a negative value
      floor -= 1n;
      remainder += unit;
    }
    parts[i] = floor as Rounded;
    remainders[i] = remainder;
    floorTotal += floor;
  }
  let left = roundedTotal - floorTotal;
  // Each floor is at most one unit below its value and the total is rounded to the nearest unit, so
  // a correct caller leaves between 0 and values.length units to hand out: never more than one a
  // part. A larger gap means the values do not add up to the total (a part counted twice, or lost),
  // and spreading it would publish a balanced but wrong statement.
  if (left < 0n || left > BigInt(count)) {
    throw new AllocationInvariantError(
      `rounding to the statement total would move ${left} units across ${count} lines; the exact amounts do not add up to the total`,
    );
  }
  if (left === 0n) return parts;
  // the `left` largest remainders, ties to the earlier part: selected, not sorted (a million parts)
  for (const index of largestFirst(remainders, Number(left))) parts[index] = (parts[index] + 1n) as Rounded;
  return parts;
}

/**
 * The indexes of the `count` largest values, a tie going to the earlier index: a quickselect on
 * an index array (linear on average), so a million remainders are not sorted to hand out a few units.
 */
export function largestFirst(values: readonly bigint[], count: number): Int32Array {
  const order = new Int32Array(values.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  // a before b: larger value, or the same value and the earlier index
  const before = (a: number, b: number) => (values[a] === values[b] ? a < b : values[a] > values[b]);
  let low = 0;
  let high = order.length - 1;
  while (low < high) {
    const pivot = order[(low + high) >>> 1];
    let i = low;
    let j = high;
    while (i <= j) {
      while (before(order[i], pivot)) i++;
      while (before(pivot, order[j])) j--;
      if (i <= j) {
        const swap = order[i];
        order[i++] = order[j];
        order[j--] = swap;
      }
    }
    if (count - 1 <= j) high = j;
    else if (count - 1 >= i) low = i;
    else break;
  }
  return order.subarray(0, count);
}

/**
 * A broken invariant of the allocation engine: the figures would still balance but be wrong, so
 * the run stops instead. A fault in the product, never bad input.
 */
export class AllocationInvariantError extends Error {
  constructor(detail: string) {
    super(`internal error in the allocation: ${detail}. Nothing was written; please report it with the rules and data you ran`);
    this.name = 'AllocationInvariantError';
  }
}

export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}
