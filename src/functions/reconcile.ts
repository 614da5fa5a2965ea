/**
 * CB.RECONCILE as a pure function: what is left of an expected total after the parts, exactly
 * (every decimal typed) and then rounded once to the cent, so a reconciliation cell shows 0 only
 * when the parts really add up.
 */
import { addFine, asFine, roundFineToMinor } from '../core/money';
import { readAmounts, readDecimals, readNumber, readRange, worksheetNumber } from './inputs';

export function reconcile(expected: unknown, parts: unknown, decimals?: unknown): number {
  const total = readNumber(expected, 'expected');
  const places = readDecimals(decimals);
  const partsTotal = readAmounts(readRange(parts, 'parts'), 'parts').reduce((sum, part) => addFine(sum, part), asFine(0n));
  return worksheetNumber(roundFineToMinor(addFine(total, { units: -partsTotal.units, digits: partsTotal.digits }), places), places);
}
