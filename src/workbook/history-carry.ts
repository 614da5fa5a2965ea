/**
 * Carrying ApprovalHistory forward: the command line builds each month's book afresh, so the
 * previous month's approved totals (which the review compares against) come from the previous
 * book, given as `run --previous BOOK.xlsx`. Only a book that verifies is trusted for them.
 */
import { cellText } from '../core/focus';
import { ApprovalError, HISTORY_COLUMNS, verifyWorkbook } from './approval';
import { WorkbookGateway } from './gateway';

/** Copies the ApprovalHistory rows of periods before `period` from `previous` into `book`; returns the periods copied. */
export async function carryApprovalHistory(previous: WorkbookGateway, book: WorkbookGateway, period: string, minorDigits: number, previousName: string): Promise<string[]> {
  const verdict = await verifyWorkbook(previous);
  if (!verdict.ok) throw new ApprovalError(`${previousName}: its approval history cannot be trusted: ${verdict.problems.join('; ')}`);
  const history = await previous.readTable('ApprovalHistory');
  if (!history) throw new ApprovalError(`${previousName}: the workbook has no ApprovalHistory: approve its period first`);
  const column = (name: string) => history.headers.indexOf(name);
  const order = HISTORY_COLUMNS.map((c) => column(c.header));
  if (order.some((i) => i < 0)) throw new ApprovalError(`${previousName}: ApprovalHistory lacks a column (${HISTORY_COLUMNS.map((c) => c.header).join(', ')} expected)`);
  const rows = history.rows.filter((r) => cellText(r[order[0]]) < period).map((r) => order.map((i) => r[i] ?? null));
  if (rows.length === 0) return [];
  await book.writeTables([{ name: 'ApprovalHistory', columns: HISTORY_COLUMNS, rows, minorDigits }]);
  return [...new Set(rows.map((r) => cellText(r[0])))].sort();
}
