import { IngestError } from '../core/ingest';
import { PeriodError } from '../core/period';
import { RuleError } from '../core/rules';
import { CostsTableError } from '../workbook/layout';
import { ApprovalError } from '../workbook/approval';
import { PeriodLockedError } from '../workbook/lock';
import { JournalError } from '../core/journal';
import { redactSecrets, ShareError } from '../shares/share';
import { PublishError } from '../workbook/publish';
import { SheetLimitError } from '../workbook/sheet-limits';
import { EngineError } from '../sources/engine-error';

/** Bad input the user can fix, told as what and where. Anything else is a fault in the product. */
export class InputError extends Error {}

export function isInputError(error: unknown): boolean {
  return (
    error instanceof InputError || error instanceof IngestError || error instanceof RuleError || error instanceof PeriodError || error instanceof CostsTableError || error instanceof ApprovalError || error instanceof PeriodLockedError ||
    error instanceof PublishError ||
    error instanceof JournalError ||
    error instanceof ShareError ||
    error instanceof SheetLimitError ||
    error instanceof EngineError
  );
}

/** The message for stderr; URLs lose their query (where a SAS token lives) whatever the error. */
export function describeFailure(error: unknown): string {
  if (isInputError(error)) return redactSecrets((error as Error).message);
  const message = error instanceof Error ? error.message : String(error);
  return `${redactSecrets(message)} (unexpected; please report it with the command you ran)`;
}
