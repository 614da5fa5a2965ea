/**
 * A worksheet function's answer when its inputs make no sense: which Excel error to show
 * (`#VALUE!` or `#N/A`) and a message that says why, so the user can fix the cell.
 * Kept free of Office.js so the pure functions run in tests and the command line.
 */

/** `invalidValue` shows as `#VALUE!`, `notAvailable` as `#N/A` (the CustomFunctions.ErrorCode names). */
export type FormulaErrorCode = 'invalidValue' | 'notAvailable';

export class FormulaError extends Error {
  constructor(
    readonly code: FormulaErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FormulaError';
  }
}

/** `#VALUE!`: an input of the wrong kind or one that cannot be split. */
export function invalidValue(message: string): FormulaError {
  return new FormulaError('invalidValue', message);
}

/** `#N/A`: the inputs are fine but there is no answer (no tag of that name, no mapping matched). */
export function notAvailable(message: string): FormulaError {
  return new FormulaError('notAvailable', message);
}
