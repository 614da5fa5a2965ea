/**
 * The pool methods, defined once: their names, what their shares are in proportion to, where that
 * basis comes from, how a basis becomes weights, and what happens when there is none. Read by the
 * rules check (rules.ts), the engine (allocate.ts) and CB.ALLOCATE alike; a new method is one entry
 * here plus its docs (docs/rules.md, docs/functions.md).
 */
import { ExactAmount, formatExact, parseExact } from './money';

export const POOL_METHODS = ['Even', 'Proportional', 'Fixed', 'Driver'] as const;
export type PoolMethod = (typeof POOL_METHODS)[number];

export interface PoolMethodRule {
  /** How the shares are made, as the Allocation sheet labels them ("in proportion to direct cost"). */
  label: string;
  /**
   * Where the engine finds each target's basis: nothing (equal shares), the targets' direct cost,
   * the pool's FixedSplits rows (which also name the targets) or the Drivers quantities.
   */
  basis: 'none' | 'direct cost' | 'FixedSplits' | 'Drivers';
  /** What a basis value is, for messages ("each target's direct cost"). */
  basisMeaning: string;
  /** A basis value this method refuses (say, a negative percent), or undefined when it takes any. */
  refuse?: (value: ExactAmount) => string | undefined;
  /** Weights from basis values: a net credit weighs nothing in Proportional. */
  weigh: (basis: readonly ExactAmount[]) => ExactAmount[];
  /** A problem with the basis as a whole (percents not adding up to 100), or undefined. */
  checkAll?: (basis: readonly ExactAmount[]) => string | undefined;
  /** When every weight is zero: whether the engine then splits evenly (and says why), or cannot split at all. */
  withoutBasis: { fallsBackToEven: boolean; reason: string };
}

const HUNDRED = parseExact('100')!;
/**
 * How far from 100 percents may add up: less than 0.0000000000005, so whatever a worksheet shows as
 * 100 at the 15 significant digits a number holds (=100/3 three times, {7%,93%}*100) is 100. The
 * percents are then split in their own ratio, exactly, so the parts still add up to the whole.
 */
export const PERCENT_TOLERANCE = parseExact('0.0000000000005')!;
const sumOf = (values: readonly ExactAmount[]) => values.reduce((a, b) => a + b, 0n);

/** Whether percents add up to 100 within PERCENT_TOLERANCE: the one rule of FixedSplits and of CB.SPLITFIXED. */
export function percentsAddUpTo100(percents: readonly ExactAmount[]): boolean {
  const gap = sumOf(percents) - HUNDRED;
  return gap < PERCENT_TOLERANCE && gap > -PERCENT_TOLERANCE;
}
const notNegative = (what: string) => (value: ExactAmount) => (value < 0n ? `${what} must be 0 or more` : undefined);

export const POOL_METHOD_RULES: Record<PoolMethod, PoolMethodRule> = {
  Even: {
    label: 'equal shares',
    basis: 'none',
    basisMeaning: 'nothing: every target gets an equal share',
    weigh: (basis) => basis.map(() => 1n),
    withoutBasis: { fallsBackToEven: true, reason: 'every target weighs the same' },
  },
  Proportional: {
    label: 'in proportion to direct cost',
    basis: 'direct cost',
    basisMeaning: "each target's direct cost",
    weigh: (basis) => basis.map((cost) => (cost > 0n ? cost : 0n)),
    withoutBasis: { fallsBackToEven: true, reason: 'no target has a direct cost above zero' },
  },
  Fixed: {
    label: 'fixed percents',
    basis: 'FixedSplits',
    basisMeaning: 'percents that add up to 100',
    refuse: notNegative('a percent'),
    weigh: (basis) => [...basis],
    checkAll: (basis) => (percentsAddUpTo100(basis) ? undefined : `the percents add up to ${formatExact(sumOf(basis))}, not 100`),
    withoutBasis: { fallsBackToEven: false, reason: 'every percent is zero' },
  },
  Driver: {
    label: 'by driver quantity',
    basis: 'Drivers',
    basisMeaning: "each target's driver quantity",
    refuse: notNegative('a driver quantity'),
    weigh: (basis) => [...basis],
    withoutBasis: { fallsBackToEven: false, reason: 'every driver quantity is zero or empty' },
  },
};

/** How a method's shares read after "split": "in proportion to direct cost", "in equal shares", "by driver quantity". */
export function splitPhrase(method: PoolMethod): string {
  const label = POOL_METHOD_RULES[method].label;
  return /^(in|by) /.test(label) ? label : `in ${label}`;
}

/** The pool method named by `method`, in any letter case and with spaces around; undefined when it names none. */
export function canonicalMethod(method: string): PoolMethod | undefined {
  return POOL_METHODS.find((m) => m.toLowerCase() === method.trim().toLowerCase());
}

/** The message for a method that is none of these. */
export function unknownMethodMessage(method: string): string {
  return `unknown method "${method}": use ${POOL_METHODS.slice(0, -1).join(', ')} or ${POOL_METHODS[POOL_METHODS.length - 1]}`;
}

/**
 * The weights of a pool's targets under `method`, from their basis values (ignored for Even).
 * `fallback` is set when no target had any weight and the method splits evenly instead; a method
 * that cannot fall back gives `problem` instead (the rules check keeps the engine from meeting it).
 */
export function poolWeights(method: PoolMethod, basis: readonly ExactAmount[]): { weights: ExactAmount[]; fallback?: string; problem?: string } {
  const rule = POOL_METHOD_RULES[method];
  const weights = rule.weigh(basis);
  if (weights.length === 0) return { weights, problem: 'it has no targets' };
  if (weights.some((w) => w !== 0n)) return { weights };
  if (rule.withoutBasis.fallsBackToEven) {
    return { weights: weights.map(() => 1n), fallback: method === 'Even' ? undefined : `${rule.withoutBasis.reason}, so it was split evenly` };
  }
  return { weights, problem: rule.withoutBasis.reason };
}
