import { IngestError } from '../core/ingest';
import { PeriodError } from '../core/period';
import { RuleError } from '../core/rules';
import { CostsTableError } from '../workbook/layout';
import { ApprovalError } from '../workbook/approval';
import { PeriodLockedError } from '../workbook/lock';

/** Bad input the user can fix, told as what and where. Anything else is a fault in the product. */
export class InputError extends Error {}

export function isInputError(error: unknown): boolean {
  return error instanceof InputError || error instanceof IngestError || error instanceof RuleError || error instanceof PeriodError || error instanceof CostsTableError || error instanceof ApprovalError || error instanceof PeriodLockedError;
}

export function describeFailure(error: unknown): string {
  if (isInputError(error)) return (error as Error).message;
  const message = error instanceof Error ? error.message : String(error);
  return `${message} (unexpected; please report it with the command you ran)`;
}
