/**
 * Exact money. Cost amounts are carried as bigint counts of 10^-15 of a currency unit
 * ("exact amounts"), so sums over millions of cost lines never pick up binary-float error.
 * Only the final statement is rounded, to the currency's minor units (cents).
 */

/** Digits kept after the decimal point in an exact amount. FOCUS exports carry at most ~10. */
export const EXACT_DIGITS = 15;
const EXACT_ONE = 10n ** BigInt(EXACT_DIGITS);

/**
 * Which scale a bigint amount is on. Exact amounts and minor units are both bigints, and mixing
 * them (cents passed where 10^-15 units are meant) is off by 10^13 while still adding up. The tag
 * is optional and never present at run time: a literal or the result of arithmetic (plain bigint)
 * may be either, but a value declared as one kind cannot be passed as the other, so the compiler
 * catches the mix at every function boundary, field and array.
 */
declare const amountScale: unique symbol;
/** An amount in 10^-15 currency units. */
export type ExactAmount = bigint & { readonly [amountScale]?: 'exact 10^-15' };
/** An amount in the currency's minor units (cents for USD, yen for JPY). */
export type MinorUnits = bigint & { readonly [amountScale]?: 'minor units' };

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * An amount with more decimals than an exact amount keeps (FOCUS allows any precision):
 * `units` × 10^-`digits`, with `digits` > 15. Cost cells like this are summed as they are and
 * the sum is rounded to an exact amount once, so digits past the 15th never round cell by cell.
 */
export interface FineAmount {
  readonly units: bigint;
  readonly digits: number;
}

export function isFineAmount(value: unknown): value is FineAmount {
  return typeof value === 'object' && value !== null && typeof (value as FineAmount).units === 'bigint';
}

/**
 * Reads a decimal number written as text ("1234.50", "-0.25", "1.5E-7"): an exact amount, or a
 * FineAmount when it has digits past the 15th decimal (nothing is dropped). Undefined for text that
 * is not a number, so the caller can say which cell was wrong.
 */
export function parseDecimal(text: string): ExactAmount | FineAmount | undefined {
  const match = DECIMAL.exec(text.trim());
  if (!match) return undefined;
  const [, sign, whole = '', fraction = '', exponentText] = match;
  if (whole === '' && fraction === '') return undefined;
  const exponent = exponentText ? Number(exponentText) : 0;
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 400) return undefined;
  let digits = (whole + fraction).replace(/^0+(?=\d)/, '');
  let scale = fraction.length - exponent; // number of digits after the point
  if (scale < 0) {
    digits += '0'.repeat(-scale);
    scale = 0;
  }
  // trailing zeros past the 15th decimal say nothing: 1.50000000000000000 is an exact amount
  while (scale > EXACT_DIGITS && digits.length > 1 && digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    scale--;
  }
  if (/^0+$/.test(digits)) return 0n;
  const magnitude = BigInt(digits || '0');
  const units = sign === '-' ? -magnitude : magnitude;
  if (scale <= EXACT_DIGITS) return units * 10n ** BigInt(EXACT_DIGITS - scale);
  return { units, digits: scale };
}

/** The sum of two fine amounts, at the finer of their scales. */
export function addFine(a: FineAmount | undefined, b: FineAmount): FineAmount {
  if (!a) return b;
  const digits = Math.max(a.digits, b.digits);
  return { units: a.units * 10n ** BigInt(digits - a.digits) + b.units * 10n ** BigInt(digits - b.digits), digits };
}

/** Any amount as a fine one (an exact amount is 15 digits): one shape for arithmetic that keeps every digit. */
export function asFine(amount: ExactAmount | FineAmount): FineAmount {
  return isFineAmount(amount) ? amount : { units: amount, digits: EXACT_DIGITS };
}

/** The size of one minor unit in a fine amount's units (10^(digits − minorDigits)). */
export function fineUnitSize(amount: FineAmount, minorDigits: number): bigint {
  return 10n ** BigInt(amount.digits - minorDigits);
}

/** A fine amount rounded once, straight to minor units, half away from zero (never through 15 decimals first). */
export function roundFineToMinor(amount: FineAmount, minorDigits: number): MinorUnits {
  const unit = fineUnitSize(amount, minorDigits);
  const magnitude = amount.units < 0n ? -amount.units : amount.units;
  const rounded = (2n * magnitude + unit) / (2n * unit);
  return amount.units < 0n ? -rounded : rounded;
}

/** A fine amount rounded to an exact amount (15 decimals), half away from zero. */
export function fineToExact(amount: FineAmount): ExactAmount {
  const divisor = 10n ** BigInt(amount.digits - EXACT_DIGITS);
  const negative = amount.units < 0n;
  const magnitude = negative ? -amount.units : amount.units;
  const rounded = (magnitude + divisor / 2n) / divisor;
  return negative ? -rounded : rounded;
}

/**
 * Reads a decimal number written as text into an exact amount. Digits past the 15th decimal are
 * rounded half away from zero (use parseDecimal to sum such amounts before rounding). Returns
 * undefined for text that is not a number, so the caller can say which cell was wrong.
 */
export function parseExact(text: string): ExactAmount | undefined {
  const value = parseDecimal(text);
  return isFineAmount(value) ? fineToExact(value) : value;
}

/**
 * The workbook keeps each statement figure as an Excel number: 15 significant digits. An amount at
 * or above 10^13 (ten trillion) cannot be kept to the cent, so the approval would later find the
 * statement "edited". Such a cost cell is refused when it is read, saying where.
 */
export const AMOUNT_DIGITS_LIMIT = 15;
const AMOUNT_CEILING = 10n ** 13n * EXACT_ONE;

/** Why a cost amount cannot be kept exactly in the workbook, or undefined when it can. */
export function amountDigitsProblem(amount: ExactAmount | FineAmount): string | undefined {
  const units = isFineAmount(amount) ? fineToExact(amount) : amount;
  if (units < AMOUNT_CEILING && units > -AMOUNT_CEILING) return undefined;
  const text = formatExact(units);
  return `${text.length > 28 ? `${text.slice(0, 24)}…` : text} has more significant digits than the workbook keeps exactly (${AMOUNT_DIGITS_LIMIT}: amounts below 10,000,000,000,000 to the cent); is the column in the right unit?`;
}

/**
 * Digits of the fast path: most FOCUS amounts have at most 10 decimals and 15 significant digits,
 * so they fit a float64 integer count of 10^-10 exactly, and millions of them can be summed as
 * plain numbers (exact while the sum stays under 2^53) before one bigint conversion.
 */
export const SMALL_DIGITS = 10;
/** 10^-10 units → exact amount (10^-15 units). */
export const SMALL_TO_EXACT = 10n ** BigInt(EXACT_DIGITS - SMALL_DIGITS);
/** A small amount (count of 10^-10) is under this in magnitude: 15 significant digits. */
export const SMALL_LIMIT = 1e15;

/**
 * The amount as an integer count of 10^-10, when it is plain decimal text ("12.5", "-0.0000000001")
 * with at most 10 decimals and 15 significant digits; else undefined (use parseExact).
 * Allocates nothing.
 */
export function parseSmall(text: string): number | undefined {
  const length = text.length;
  let i = 0;
  let negative = false;
  const first = length > 0 ? text.charCodeAt(0) : 0;
  if (first === 45 /* - */ || first === 43 /* + */) {
    negative = first === 45;
    i = 1;
  }
  let value = 0;
  let significant = 0;
  let decimals = -1;
  let sawDigit = false;
  for (; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      sawDigit = true;
      if (value !== 0) significant++;
      if (decimals >= 0) decimals++;
    } else if (c === 46 /* . */ && decimals < 0) {
      decimals = 0;
    } else {
      return undefined;
    }
  }
  if (!sawDigit || decimals > SMALL_DIGITS) return undefined;
  const scale = decimals < 0 ? SMALL_DIGITS : SMALL_DIGITS - decimals;
  if (significant + scale > 15) return undefined;
  const scaled = value * 10 ** scale;
  return negative ? -scaled : scaled;
}

/**
 * parseSmall of the ASCII digits bytes[start, end) (a CSV cell read without making a string): the
 * same count of 10^-10 under the same rule, else NaN (the caller reads the text).
 */
export function smallFromBytes(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  let negative = false;
  const first = start < end ? bytes[start] : 0;
  if (first === 45 /* - */ || first === 43 /* + */) {
    negative = first === 45;
    i++;
  }
  let value = 0;
  let significant = 0;
  let decimals = -1;
  let sawDigit = false;
  for (; i < end; i++) {
    const c = bytes[i];
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      sawDigit = true;
      if (value !== 0) significant++;
      if (decimals >= 0) decimals++;
    } else if (c === 46 /* . */ && decimals < 0) decimals = 0;
    else return NaN;
  }
  if (!sawDigit || decimals > SMALL_DIGITS) return NaN;
  const scale = decimals < 0 ? SMALL_DIGITS : SMALL_DIGITS - decimals;
  if (significant + scale > 15) return NaN;
  const scaled = value * 10 ** scale;
  return negative ? -scaled : scaled;
}

/**
 * A float64 amount (Parquet DOUBLE or DECIMAL as hyparquet gives it) as an integer count of
 * 10^-10, when its shortest decimal form has at most 10 decimals and 15 significant digits, i.e.
 * exactly what parseExact(String(value)) would give; else undefined.
 */
export function smallFromNumber(value: number): number | undefined {
  const scaled = Math.round(value * 1e10);
  if (scaled >= SMALL_LIMIT || scaled <= -SMALL_LIMIT || scaled / 1e10 !== value) return undefined;
  return scaled;
}

/** Reads a cell value (number from Excel or Parquet, or text) into an exact amount, or a fine one past 15 decimals. */
export function toDecimal(value: unknown): ExactAmount | FineAmount | undefined {
  if (typeof value === 'bigint') return value * EXACT_ONE;
  if (typeof value === 'number') return Number.isFinite(value) ? parseDecimal(String(value)) : undefined;
  if (typeof value === 'string') return parseDecimal(value);
  return undefined;
}

/** Reads a cell value (number from Excel or Parquet, or text) into an exact amount. */
export function toExact(value: unknown): ExactAmount | undefined {
  const amount = toDecimal(value);
  return isFineAmount(amount) ? fineToExact(amount) : amount;
}

/** Exact amount as a plain decimal string with trailing zeros trimmed ("12.5", "-0.000001"). */
export function formatExact(amount: ExactAmount): string {
  const negative = amount < 0n;
  const digits = (negative ? -amount : amount).toString().padStart(EXACT_DIGITS + 1, '0');
  const whole = digits.slice(0, digits.length - EXACT_DIGITS);
  const fraction = digits.slice(digits.length - EXACT_DIGITS).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? '.' + fraction : ''}`;
}

/** Exact amount as a JavaScript number, for display in a worksheet cell. */
export function exactToNumber(amount: ExactAmount): number {
  return Number(formatExact(amount));
}

/** Minor units as a decimal string with exactly `minorDigits` decimals ("1234.50"). */
export function formatMinor(units: MinorUnits, minorDigits: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(minorDigits + 1, '0');
  if (minorDigits === 0) return `${negative ? '-' : ''}${digits}`;
  return `${negative ? '-' : ''}${digits.slice(0, -minorDigits)}.${digits.slice(-minorDigits)}`;
}

/** Minor units as a number of currency units, for a worksheet cell (exact for any real bill). */
export function minorToNumber(units: MinorUnits, minorDigits: number): number {
  return Number(formatMinor(units, minorDigits));
}

/** The size of one minor unit, as an exact amount (10^13 for cents). */
export function minorUnitSize(minorDigits: number): ExactAmount {
  return 10n ** BigInt(EXACT_DIGITS - minorDigits);
}

/** Rounds an exact amount to minor units, half away from zero (the usual invoice rounding). */
export function roundToMinor(amount: ExactAmount, minorDigits: number): MinorUnits {
  const unit = minorUnitSize(minorDigits);
  const magnitude = amount < 0n ? -amount : amount;
  const rounded = (magnitude + unit / 2n) / unit;
  return amount < 0n ? -rounded : rounded;
}

/** Converts minor units back to an exact amount. */
export function minorToExact(units: MinorUnits, minorDigits: number): ExactAmount {
  return units * minorUnitSize(minorDigits);
}

export function sum(amounts: Iterable<bigint>): bigint {
  let total = 0n;
  for (const amount of amounts) total += amount;
  return total;
}
