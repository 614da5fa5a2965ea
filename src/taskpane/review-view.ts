/**
 * What the Review step shows of a review and an approval: the checks in the order a reviewer
 * reads them (what blocks first), the approval state in words, and the cell each check's link
 * selects.
 */
import type { CheckSeverity, ReviewCheck } from '../core/review';
import type { ApprovalState, ApprovalStatus } from '../workbook/approval';
import type { TableData } from '../workbook/gateway';
import { parseWhere } from '../workbook/layout';

export const SEVERITY_ORDER: readonly CheckSeverity[] = ['Blocking', 'Warning', 'OK', 'Info'];

export interface CheckGroup {
  severity: CheckSeverity;
  /** The group's heading: "Blocking", "Warnings", "OK", "Info". */
  title: string;
  checks: ReviewCheck[];
}

/** The checks grouped by severity, Blocking first; empty groups left out; order within a group kept. */
export function groupChecks(checks: readonly ReviewCheck[]): CheckGroup[] {
  const titles: Record<CheckSeverity, string> = { Blocking: 'Blocking', Warning: 'Warnings', OK: 'OK', Info: 'Info' };
  return SEVERITY_ORDER.map((severity) => ({ severity, title: titles[severity], checks: checks.filter((c) => c.severity === severity) })).filter((g) => g.checks.length > 0);
}

/** Groups read at once (what needs a look) and groups folded away until asked for (OK, Info). */
const FOLDED: readonly CheckSeverity[] = ['OK', 'Info'];

export interface ReviewLayout {
  /** After a change since approval: the one root cause, with the checks that follow from it folded under it. */
  rootCause?: { title: string; derived: CheckGroup[] };
  /** Blocking and warnings, shown open (empty under a root cause). */
  attention: CheckGroup[];
  /** OK and info, collapsed. */
  folded: CheckGroup[];
}

/** The root cause when an approved period changed: "Costs changed since approval" (or the tables that did). */
export function changeTitle(approval: Pick<ApprovalView, 'changedTables'>): string {
  const tables = approval.changedTables;
  return tables.length === 0 || tables.includes('Costs') ? 'Costs changed since approval' : `${tables.join(', ')} changed since approval`;
}

/** How Review lays the checks out: what needs attention first, OK and info folded, and after a change one root cause. */
export function reviewLayout(checks: readonly ReviewCheck[], approval: ApprovalView | undefined): ReviewLayout {
  const groups = groupChecks(checks);
  const attention = groups.filter((g) => !FOLDED.includes(g.severity));
  const folded = groups.filter((g) => FOLDED.includes(g.severity));
  if (approval?.status === 'changed') return { rootCause: { title: changeTitle(approval), derived: attention }, attention: [], folded };
  return { attention, folded };
}

export interface ApprovalView {
  period: string;
  status: ApprovalStatus;
  /** Who approved and when (UTC), while an approval is on record. */
  by?: string;
  time?: string;
  /** The approval's content digest, in full and shortened for display. */
  digest?: string;
  shortDigest?: string;
  changedTables: string[];
}

export function approvalView(state: ApprovalState): ApprovalView {
  const digest = state.approval?.contentDigest || undefined;
  return {
    period: state.period,
    status: state.status,
    by: state.approval?.by,
    time: state.approval?.time,
    digest,
    shortDigest: digest ? `${digest.slice(0, 12)}…` : undefined,
    changedTables: state.changedTables,
  };
}

/** Why Approve is unavailable, in one sentence, or undefined when it is available. */
export function approveBlockedBecause(checks: readonly ReviewCheck[], state: ApprovalView | undefined): string | undefined {
  const blocking = checks.filter((c) => c.severity === 'Blocking');
  if (blocking.length > 0) {
    return `Approval is blocked until ${blocking.length === 1 ? 'this check passes' : `these ${blocking.length} checks pass`}: ${blocking.map((c) => `${c.check}${c.subject ? ` (${c.subject})` : ''}`).join(', ')}.`;
  }
  if (state?.status === 'approved') return `${state.period} is approved already.`;
  return undefined;
}

/**
 * The cell a check's link selects. A check that names a cell (`Allocation!A17`) selects it; one
 * that names a table and has a subject (a cost center, a pool) selects the subject's row when the
 * table has one; otherwise the whole table.
 */
export function rowsBehind(check: Pick<ReviewCheck, 'where' | 'subject'>, table: TableData | undefined): string {
  const { sheet, cell } = parseWhere(check.where);
  if (cell || !check.subject || !table) return check.where;
  for (const header of ['CostCenter', 'Pool']) {
    const column = table.headers.indexOf(header);
    if (column < 0) continue;
    const index = table.rows.findIndex((row) => String(row[column] ?? '') === check.subject);
    // Row 1 is the header, so data row i is sheet row i + 2.
    if (index >= 0) return `${sheet}!A${index + 2}`;
  }
  return check.where;
}
