/**
 * CB.RECONCILE as a pure function: what is left of an expected total after the parts, exactly
 * and then rounded to the cent, so a reconciliation cell shows 0 only when the parts really add up.
 */
import { roundToMinor } from '../core/money';
import { readDecimals, readNumber, readNumbers, readRange, worksheetNumber } from './inputs';

export function reconcile(expected: unknown, parts: unknown, decimals?: unknown): number {
  const total = readNumber(expected, 'expected');
  const places = readDecimals(decimals);
  const partsTotal = readNumbers(readRange(parts, 'parts'), 'parts').reduce((a, b) => a + b, 0n);
  return worksheetNumber(roundToMinor(total - partsTotal, places), places);
}
