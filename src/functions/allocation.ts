/**
 * CB.ALLOCATE as a pure function: one shared-cost pool split across its targets by the pool
 * methods of the `SharedPools` table (Even, Proportional, Fixed, Driver), with the engine's
 * arithmetic, so a formula gives the same cents as the allocation run for the same pool.
 */
import { ExactAmount } from '../core/money';
import { canonicalMethod, PoolMethod } from '../core/rules';
import { invalidValue } from './errors';
import { CellRange, cellPosition, describeShape, isBlank, readDecimals, readNumber, readRange, readWeights, showCell } from './inputs';
import { readPercents, splitToMinor, toNumbers } from './splits';

const BASIS_MEANING: Record<Exclude<PoolMethod, 'Even'>, string> = {
  Proportional: "each target's direct cost",
  Fixed: 'percents that add up to 100',
  Driver: "each target's driver quantity",
};

export function poolMethodOf(value: unknown): PoolMethod {
  const text = typeof value === 'string' ? value.trim() : '';
  const method = canonicalMethod(text);
  if (!method) throw invalidValue(`unknown method ${showCell(value)}: use Even, Proportional, Fixed or Driver`);
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
 * The weight each target gets under `method`. Proportional, like the engine, gives a target whose
 * direct cost is below zero (net credits) no weight. With nothing to weigh by it answers #VALUE!
 * rather than guess: the allocation run splits such a pool evenly, which `Even` does here.
 */
function weightsFor(method: PoolMethod, basis: CellRange | undefined, count: number): ExactAmount[] {
  if (method === 'Even' || !basis) return Array.from({ length: count }, () => 1n);
  switch (method) {
    case 'Proportional': {
      const weights = readWeights(basis, 'basis').map((cost) => (cost > 0n ? cost : 0n));
      if (weights.every((w) => w === 0n)) {
        throw invalidValue('no target has a direct cost above zero, so there is nothing to be proportional to; the allocation run splits such a pool evenly: use method Even to do the same');
      }
      return weights;
    }
    case 'Fixed':
      return readPercents(basis, 'basis');
    case 'Driver': {
      const quantities = readWeights(basis, 'basis');
      const negative = quantities.findIndex((q) => q < 0n);
      if (negative >= 0) throw invalidValue(`basis: ${cellPosition(basis, negative)} is ${showCell(basis.cells[negative])}; a driver quantity must be 0 or more`);
      if (quantities.every((q) => q === 0n)) throw invalidValue('every driver quantity is zero or empty, so no target can take a share: give at least one quantity above zero');
      return quantities;
    }
  }
}

/** CB.ALLOCATE: rows of (target, share) for every non-empty target. */
export function allocateAmount(amount: unknown, targets: unknown, method: unknown, basis?: unknown, decimals?: unknown): (string | number)[][] {
  const total = readNumber(amount, 'amount');
  const places = readDecimals(decimals);
  const poolMethod = poolMethodOf(method);
  const targetRange = readRange(targets, 'targets');
  let basisRange: CellRange | undefined;
  if (poolMethod !== 'Even') {
    if (isBlank(basis)) throw invalidValue(`method ${poolMethod} needs a basis: a range beside the targets with ${BASIS_MEANING[poolMethod]}`);
    basisRange = readRange(basis, 'basis');
    if (basisRange.rows !== targetRange.rows || basisRange.columns !== targetRange.columns) {
      throw invalidValue(`targets is ${describeShape(targetRange)} but basis is ${describeShape(basisRange)}: give one basis value per target`);
    }
  }
  const codes = targetRange.cells.map((cell, index) => targetCode(cell, targetRange, index));
  const weights = weightsFor(poolMethod, basisRange, codes.length);
  const kept = codes.map((code, index) => ({ code, index })).filter(({ code, index }) => {
    if (code !== '') return true;
    if (weights[index] !== 0n && poolMethod !== 'Even') {
      throw invalidValue(`targets: ${cellPosition(targetRange, index)} is empty but its basis is ${showCell(basisRange!.cells[index])}; name the target or clear the basis`);
    }
    return false;
  });
  if (kept.length === 0) throw invalidValue('targets is empty: list the cost centers to allocate to');
  const shares = toNumbers(splitToMinor(total, kept.map(({ index }) => weights[index]), places), places);
  return kept.map(({ code }, i) => [code, shares[i]]);
}
