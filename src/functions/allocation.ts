/**
 * CB.ALLOCATE as a pure function: one shared-cost pool split across its targets by the pool
 * methods of the `SharedPools` table (Even, Proportional, Fixed, Driver), with the engine's
 * arithmetic, so a formula gives the same cents as the allocation run for the same pool.
 */
import { ExactAmount } from '../core/money';
import { codeKey } from '../core/rules';
import { canonicalMethod, POOL_METHOD_RULES, PoolMethod, poolWeights, unknownMethodMessage } from '../core/pool-methods';
import { invalidValue } from './errors';
import { CellRange, cellPosition, describeShape, isBlank, readDecimals, readNumber, readRange, readWeights, showCell } from './inputs';
import { readPercents, splitToMinor, toNumbers } from './splits';

export function poolMethodOf(value: unknown): PoolMethod {
  const method = canonicalMethod(typeof value === 'string' ? value : '');
  if (!method) throw invalidValue(unknownMethodMessage(typeof value === 'string' ? value.trim() : showCell(value)));
  return method;
}

/** A cost center code from a cell: text as written, a number (6100) as its digits. */
function targetCode(cell: unknown, range: CellRange, index: number): string {
  if (typeof cell === 'string') return cell.trim();
  if (typeof cell === 'number' && Number.isFinite(cell)) return String(cell);
  if (isBlank(cell)) return '';
  throw invalidValue(`targets: ${cellPosition(range, index)} is ${showCell(cell)}, not a cost center code`);
}

/**
 * The weight each target gets under `method`, by the engine's own rules (POOL_METHOD_RULES): a
 * Proportional target whose direct cost is below zero (net credits) weighs nothing. With nothing to
 * weigh by it answers #VALUE! rather than guess: the allocation run splits such a pool evenly, which
 * `Even` does here.
 */
function weightsFor(method: PoolMethod, basis: CellRange | undefined, count: number): ExactAmount[] {
  const rule = POOL_METHOD_RULES[method];
  if (rule.basis === 'none' || !basis) return poolWeights(method, Array.from({ length: count }, () => 0n)).weights;
  // Fixed percents are read as CB.SPLITFIXED reads them (with its hint for cells formatted as %).
  const values = rule.basis === 'FixedSplits' ? readPercents(basis, 'basis') : readWeights(basis, 'basis');
  values.forEach((value, index) => {
    const refused = rule.refuse?.(value);
    if (refused) throw invalidValue(`basis: ${cellPosition(basis, index)} is ${showCell(basis.cells[index])}; ${refused}`);
  });
  const { weights, fallback, problem } = poolWeights(method, values);
  if (fallback) throw invalidValue(`${rule.withoutBasis.reason}, so there is nothing to weigh by; the allocation run splits such a pool evenly: use method Even to do the same`);
  if (problem) throw invalidValue(`${problem}, so no target can take a share: give at least one basis value above zero`);
  return weights;
}

/**
 * A target named twice (in any letter case, with spaces around: `keys` are codeKeys) is refused,
 * as the allocation run refuses a pool that names a target twice. One Set tells whether any is;
 * only then are the two rows looked for, to name them.
 */
function refuseTwice(keys: readonly string[], rows: readonly number[], targetRange: CellRange): void {
  if (new Set(keys).size === keys.length) return;
  const seen = new Map<string, number>();
  keys.forEach((key, i) => {
    const [index, earlier] = [rows[i], seen.get(key)];
    if (earlier !== undefined) {
      throw invalidValue(`targets: ${cellPosition(targetRange, index)} is ${showCell(targetRange.cells[index])}, the same cost center as ${cellPosition(targetRange, earlier)} (${showCell(targetRange.cells[earlier])}): name each target once`);
    }
    seen.set(key, index);
  });
}

/** CB.ALLOCATE: rows of (target, share) for every non-empty target. */
export function allocateAmount(amount: unknown, targets: unknown, method: unknown, basis?: unknown, decimals?: unknown): (string | number)[][] {
  const total = readNumber(amount, 'amount');
  const places = readDecimals(decimals);
  const poolMethod = poolMethodOf(method);
  const targetRange = readRange(targets, 'targets');
  let basisRange: CellRange | undefined;
  if (poolMethod !== 'Even') {
    if (isBlank(basis)) throw invalidValue(`method ${poolMethod} needs a basis: a range beside the targets with ${POOL_METHOD_RULES[poolMethod].basisMeaning}`);
    basisRange = readRange(basis, 'basis');
    if (basisRange.rows !== targetRange.rows || basisRange.columns !== targetRange.columns) {
      throw invalidValue(`targets is ${describeShape(targetRange)} but basis is ${describeShape(basisRange)}: give one basis value per target`);
    }
  }
  const codes = targetRange.cells.map((cell, index) => targetCode(cell, targetRange, index));
  const weights = weightsFor(poolMethod, basisRange, codes.length);
  // the rows with a target; plain loops, as a full column is a million rows
  const kept: number[] = [];
  for (let index = 0; index < codes.length; index++) {
    if (codes[index] !== '') kept.push(index);
    else if (weights[index] !== 0n && poolMethod !== 'Even') {
      throw invalidValue(`targets: ${cellPosition(targetRange, index)} is empty but its basis is ${showCell(basisRange!.cells[index])}; name the target or clear the basis`);
    }
  }
  if (kept.length === 0) throw invalidValue('targets is empty: list the cost centers to allocate to');
  refuseTwice(kept.map((index) => codeKey(codes[index])), kept, targetRange);
  const shares = toNumbers(splitToMinor(total, kept.map((index) => weights[index]), places), places);
  return kept.map((index, i) => [codes[index], shares[i]]);
}
