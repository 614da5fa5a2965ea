import { FormulaError, FormulaErrorCode } from '../../src/functions/errors';
import { parseExact } from '../../src/core/money';

/** Runs `compute` and returns the FormulaError it throws, failing the test if it answers instead. */
export function formulaError(compute: () => unknown): FormulaError {
  try {
    const answer = compute();
    throw new Error(`expected a formula error, got ${JSON.stringify(answer)}`);
  } catch (error) {
    if (error instanceof FormulaError) return error;
    throw error;
  }
}

export function expectFormulaError(compute: () => unknown, code: FormulaErrorCode, message: RegExp | string): void {
  const error = formulaError(compute);
  expect(error.code).toBe(code);
  expect(error.message).toMatch(message);
}

/** A worksheet number read back exactly (10^-15 units). */
export function exact(value: number | string): bigint {
  const result = parseExact(String(value));
  if (result === undefined) throw new Error(`not a number: ${value}`);
  return result;
}

export const column = (...values: unknown[]) => values.map((v) => [v]);
export const row = (...values: unknown[]) => [values];
