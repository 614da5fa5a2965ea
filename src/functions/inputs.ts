/**
 * Reading worksheet inputs. Excel hands a custom function a range as a 2-D array (rows of
 * cells), a literal array such as `{1,2,3}` the same way, an omitted optional argument as null or
 * undefined, and an empty cell as "" (or 0). A data type (a formatted number, an entity) comes as
 * its JSON cell value and is unwrapped or refused first (data-types.ts). Numbers are read exactly
 * through the core money module, so a split of 0.1 + 0.2 never meets binary-float error.
 */
import { asFine, ExactAmount, FineAmount, formatMinor, MinorUnits, parseExact, toDecimal, toExact } from '../core/money';
import { plainArgument } from './data-types';
import { invalidValue } from './errors';

/** A worksheet range, cells in reading order (row by row). */
export interface CellRange {
  rows: number;
  columns: number;
  cells: unknown[];
}

/** The most decimals a result may be rounded to; past ~10 a worksheet number cannot show them anyway. */
export const MAX_DECIMALS = 10;
export const DEFAULT_DECIMALS = 2;

export function isBlank(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

/** How a cell value reads in a message: text in quotes, TRUE/FALSE as Excel writes them. */
export function showCell(value: unknown): string {
  if (typeof value === 'string') return `"${value.length > 40 ? value.slice(0, 40) + '…' : value}"`;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') return String(value);
  return Array.isArray(value) ? 'a range' : String(value);
}

/** A number cell (or text that is a plain decimal number) as an exact amount; undefined when it is neither. */
export function exactOf(value: unknown): ExactAmount | undefined {
  if (typeof value === 'number') return toExact(value);
  if (typeof value === 'string') return parseExact(value);
  return undefined;
}

/** A number cell (or text that is a plain decimal number) with every decimal it has; undefined when it is neither. */
function amountOf(value: unknown): FineAmount | undefined {
  const amount = typeof value === 'number' || typeof value === 'string' ? toDecimal(value) : undefined;
  return amount === undefined ? undefined : asFine(amount);
}

/**
 * A single amount argument with every decimal it has (text such as "1.0049999999999999999" keeps
 * its 19 decimals), so the answer is rounded once. An empty cell counts as 0, as in any Excel formula.
 */
export function readNumber(value: unknown, name: string): FineAmount {
  const single = singleCell(value, name);
  if (isBlank(single)) return asFine(0n);
  const amount = amountOf(single);
  if (amount === undefined) throw invalidValue(`${name} is ${showCell(single)}, not a number`);
  return amount;
}

/** Amounts from a range (the parts of a total), every decimal kept; an empty cell counts as 0. */
export function readAmounts(range: CellRange, name: string): FineAmount[] {
  return range.cells.map((cell, index) => {
    if (isBlank(cell)) return asFine(0n);
    const amount = amountOf(cell);
    if (amount === undefined) throw invalidValue(`${name}: ${cellPosition(range, index)} is ${showCell(cell)}, not a number`);
    return amount;
  });
}

/** The optional `decimals` argument: how many decimals to round to, 2 (cents) when left out. */
export function readDecimals(value: unknown): number {
  const single = singleCell(value, 'decimals');
  if (isBlank(single)) return DEFAULT_DECIMALS;
  const decimals = typeof single === 'number' ? single : typeof single === 'string' ? Number(single) : NaN;
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > MAX_DECIMALS) {
    throw invalidValue(`decimals is ${showCell(single)}: use a whole number from 0 to ${MAX_DECIMALS} (2 for cents)`);
  }
  return decimals;
}

/** A scalar argument given as a 1×1 range is that cell; a larger range is a mistake worth naming. */
export function singleCell(value: unknown, name: string): unknown {
  const plain = plainArgument(value, name);
  if (!Array.isArray(plain)) return plain;
  const range = readRange(plain, name);
  if (range.cells.length !== 1) throw invalidValue(`${name} must be a single value, not a range of ${describeShape(range)}`);
  return range.cells[0];
}

/**
 * Any argument as a range: a 2-D array as it is, a single value as a 1×1 range. Data-type cells
 * are unwrapped (a bad one refuses the range) unless `unwrapCells` is false: then the cells are
 * as Excel passed them, for a function that reads each cell on its own so one bad cell is that
 * cell's error alone.
 */
export function readRange(argument: unknown, name: string, { unwrapCells = true } = {}): CellRange {
  const value = unwrapCells || !Array.isArray(argument) ? plainArgument(argument, name) : argument;
  if (!Array.isArray(value)) return { rows: 1, columns: 1, cells: [value] };
  if (value.length === 0) throw invalidValue(`${name} is an empty range`);
  if (!value.every(Array.isArray)) return { rows: 1, columns: value.length, cells: [...value] };
  const rows = value as unknown[][];
  const columns = rows[0].length;
  if (columns === 0 || rows.some((row) => row.length !== columns)) throw invalidValue(`${name} is not a rectangular range`);
  // a plain loop: Array.prototype.flat measured ~50× slower, and CB.COSTCENTER filled down a column reads its range once a row
  const cells: unknown[] = new Array(rows.length * columns);
  for (let r = 0, i = 0; r < rows.length; r++) for (let c = 0; c < columns; c++) cells[i++] = rows[r][c];
  return { rows: rows.length, columns, cells };
}

/** Numbers from a range (weights, percents, quantities, parts); an empty cell weighs 0. */
export function readNumbers(range: CellRange, name: string): ExactAmount[] {
  return range.cells.map((cell, index) => {
    if (isBlank(cell)) return 0n;
    const exact = exactOf(cell);
    if (exact === undefined) throw invalidValue(`${name}: ${cellPosition(range, index)} is ${showCell(cell)}, not a number`);
    return exact;
  });
}

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** A plain decimal number as digits × 10^exponent, with every digit kept (no 15-decimal limit). */
function decimalParts(value: unknown): { digits: bigint; exponent: number } | undefined {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : typeof value === 'string' ? value.trim() : '';
  const match = DECIMAL.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return undefined;
  const [, sign, whole = '', fraction = '', exponentText] = match;
  const digits = BigInt(`${sign === '-' ? '-' : ''}${whole}${fraction}` || '0');
  return { digits, exponent: Number(exponentText ?? 0) - fraction.length };
}

const POWERS = Array.from({ length: 11 }, (_, k) => 10 ** k);
const BELOW_2_52 = 2 ** 52;

/**
 * How many decimals (0 to 10) a worksheet number has, read without making its text; -1 when it has
 * more, or is too large, for this (the caller then reads its text). x × 10^k is a whole number M
 * below 2^52 and M ÷ 10^k gives x back: below 2^52 one step of x is less than 10^-k, so M × 10^-k is
 * the only number of k decimals that x stands for, which is the decimal Excel shows (String(x)).
 */
function decimalPlaces(x: number): number {
  for (let k = 0; k < POWERS.length; k++) {
    const m = x * POWERS[k];
    if (Math.abs(m) >= BELOW_2_52) return -1;
    if (Number.isInteger(m) && m / POWERS[k] === x) return k;
  }
  return -1;
}

/** 10^n as a bigint, kept: a million weights on one scale ask for the same few powers. */
const powersOfTen: bigint[] = [];
function tenToThe(n: number): bigint {
  return (powersOfTen[n] ??= 10n ** BigInt(n));
}

/**
 * Weights from a range as integers on one common scale: only their ratios matter, so even weights
 * too small for 15 decimals (1e-20 and 3e-20) split 1:3 rather than rounding to nothing.
 * An empty cell weighs 0.
 */
export function readWeights(range: CellRange, name: string): bigint[] {
  const { cells } = range;
  const digits = new Array<bigint>(cells.length);
  const exponents = new Int16Array(cells.length);
  let scale = 0;
  for (let index = 0; index < cells.length; index++) {
    const cell = cells[index];
    // a number with few decimals (a headcount, a usage figure) needs no text: the fast path of a full column
    const small = typeof cell === 'number' ? decimalPlaces(cell) : -1;
    if (small >= 0) {
      digits[index] = BigInt((cell as number) * POWERS[small]);
      exponents[index] = -small;
      if (cell !== 0 && -small < scale) scale = -small;
      continue;
    }
    if (isBlank(cell)) {
      digits[index] = 0n;
      continue;
    }
    const decimal = decimalParts(cell);
    if (decimal === undefined || Math.abs(decimal.exponent) > 400) throw invalidValue(`${name}: ${cellPosition(range, index)} is ${showCell(cell)}, not a number`);
    digits[index] = decimal.digits;
    exponents[index] = decimal.exponent;
    if (decimal.digits !== 0n && decimal.exponent < scale) scale = decimal.exponent;
  }
  for (let index = 0; index < digits.length; index++) {
    if (digits[index] !== 0n && exponents[index] !== scale) digits[index] *= tenToThe(exponents[index] - scale);
  }
  return digits;
}

/** Where a cell sits in its range, in the words a user would look for it. */
export function cellPosition(range: CellRange, index: number): string {
  if (range.rows === 1 && range.columns === 1) return 'the value';
  if (range.rows === 1 || range.columns === 1) return `item ${index + 1}`;
  return `row ${Math.floor(index / range.columns) + 1}, column ${(index % range.columns) + 1}`;
}

export function describeShape(range: CellRange): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(range.rows, 'row')} × ${plural(range.columns, 'column')}`;
}

/** Results laid out in the shape of a range, so a row of weights spills a row of parts. */
export function inShapeOf<T>(range: CellRange, values: readonly T[]): T[][] {
  if (range.columns === 1) return values.map((value) => [value]);
  return Array.from({ length: range.rows }, (_, r) => values.slice(r * range.columns, (r + 1) * range.columns));
}

/** Results as a column (one value a row): how a list spills when no range gives it a shape. */
export function asColumn<T>(values: readonly T[]): T[][] {
  return values.map((value) => [value]);
}

/** A worksheet number holds 15 significant digits; an answer with more would come out rounded. */
const WORKSHEET_DIGITS_LIMIT = 10n ** 15n;

/** Minor units as a worksheet number, refusing an answer a cell could not hold to the last unit. */
export function worksheetNumber(units: MinorUnits, decimals: number): number {
  if (units >= WORKSHEET_DIGITS_LIMIT || units <= -WORKSHEET_DIGITS_LIMIT) {
    throw invalidValue(`the answer ${formatMinor(units, decimals)} has more than the 15 significant digits a worksheet number holds exactly; use fewer decimals`);
  }
  // below 2^53 the units are an exact double and one division rounds correctly: the same number
  // as reading the decimal text, without making it (a full column is a million answers)
  return Number(units) / 10 ** decimals;
}
