/**
 * The sheets a reader relies on that the approval digest does not cover, checked against what
 * they must say. `Review` is rebuilt from the approved content (the review checks run again) and
 * must read the same, as must `Method` (the rules in plain words, rebuilt from the same rules and
 * allocation; a book allocated before there was a Method sheet has none, and that is no edit);
 * `ApprovalHistory` must hold the approved period's totals exactly as
 * approved, by whom and when, and its earlier periods as they stood at approval (their digest is
 * kept in the Approve entry, which the Audit chain seals). An edit to either after approval is
 * found by verify, and publish refuses what verify refuses.
 */
import { AuditEntry } from '../core/audit';
import { canonicalRows, sha256Hex } from '../core/digest';
import { cellText } from '../core/focus';
import { minorToNumber } from '../core/money';
import { CellValue, TableData, WorkbookGateway } from './gateway';
import type { ReviewOutcome } from './approval';
import { METHOD_TABLE, methodTable } from './method-sheet';

/** The key, in an Approve entry's table digests, of the ApprovalHistory rows of earlier periods. */
export const EARLIER_HISTORY = 'ApprovalHistory (other periods)';

/** A digest of the ApprovalHistory rows of every period but `period`. */
export async function earlierHistoryDigest(history: TableData | undefined, period: string): Promise<string> {
  const rows = (history?.rows ?? []).filter((r) => cellText(r[0]) !== period);
  return sha256Hex(canonicalRows('ApprovalHistory', [], rows));
}

/** The ApprovalHistory rows an approval writes for its period. */
export function historyRowsFor(result: ReviewOutcome['result'], by: string, time: string): CellValue[][] {
  return result.costCenters.map((c) => [result.period, c.costCenter, minorToNumber(c.total, result.minorDigits), result.currency, by, time]);
}

const sameRows = (a: readonly (readonly unknown[])[], b: readonly (readonly unknown[])[]) => canonicalRows('', [], a) === canonicalRows('', [], b);

/**
 * What is wrong with the Review and ApprovalHistory sheets of an approved period, given the review
 * rebuilt from its approved content and the Approve entry; empty when they are as approved.
 */
export async function derivedSheetProblems(
  gateway: WorkbookGateway,
  review: ReviewOutcome,
  reviewRows: CellValue[][],
  approval: AuditEntry,
  approvedTables: Record<string, string>,
): Promise<string[]> {
  const problems: string[] = [];
  const period = review.result.period;
  const sheet = await gateway.readTable('Review');
  if (!sheet || !sameRows(sheet.rows, reviewRows)) problems.push(`the Review sheet no longer says what the approved content gives: it was edited after approval (review ${period} again to rebuild it)`);
  const method = await gateway.readTable(METHOD_TABLE);
  if (method && !sameRows(method.rows, methodTable(review.rules, review.result).rows)) {
    problems.push(`the Method sheet no longer describes the approved rules: it was edited after approval (reopen ${period}, allocate it again to rebuild the sheet, and approve it again)`);
  }
  const history = await gateway.readTable('ApprovalHistory');
  const approvedRows = (history?.rows ?? []).filter((r) => cellText(r[0]) === period);
  if (!sameRows(approvedRows, historyRowsFor(review.result, approval.by, approval.time))) {
    problems.push(`ApprovalHistory does not hold ${period}'s totals as ${approval.by} approved them at ${approval.time}: it was edited after approval`);
  }
  const earlier = approvedTables[EARLIER_HISTORY];
  if (earlier !== undefined && earlier !== (await earlierHistoryDigest(history, period))) {
    problems.push(`ApprovalHistory's earlier periods changed since ${period} was approved (the previous-period check read them): they were edited after approval`);
  }
  return problems;
}
