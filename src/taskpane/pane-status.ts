/**
 * Where the month-end stands, for the pane's status header and for which steps can run: read from
 * the workbook itself (its tables and Audit log), so it is right after a reload or a change made
 * elsewhere.
 */
import { cellText } from '../core/focus';
import { RULE_TABLES } from '../core/rules';
import { approvalState, REVIEW_TABLES } from '../workbook/approval';
import { readingOnce, WorkbookGateway } from '../workbook/gateway';
import { AUDIT_TABLE, auditEntriesFrom } from '../workbook/layout';
import { publishedSinceDecision } from '../workbook/lock';

export type PaneState = 'no data' | 'pulled' | 'allocated' | 'approved' | 'changed since approval' | 'published';

export interface PaneStatus {
  /** The period of the statement, else the period(s) in Costs; undefined on an empty workbook. */
  period?: string;
  state: PaneState;
  /** The published version, when published. */
  version?: number;
  hasCosts: boolean;
  hasRules: boolean;
  /** The approval in force: Pull and Allocate would be refused. */
  approved?: { by: string; time: string };
}

export async function paneStatus(workbook: WorkbookGateway): Promise<PaneStatus> {
  const gateway = readingOnce(workbook);
  const names = new Set((await gateway.tableNames()).map((n) => n.toLowerCase()));
  const has = (name: string) => names.has(name.toLowerCase());
  const hasCosts = has('Costs');
  const hasRules = RULE_TABLES.some((t) => t !== 'Settings' && t !== 'Budgets' && has(t));
  if (!hasCosts && !has('Reconciliation')) return { state: 'no data', hasCosts, hasRules };
  await gateway.prefetch(REVIEW_TABLES.filter(has));
  if (!has('Reconciliation')) {
    const costs = await gateway.readTable('Costs');
    const at = costs?.headers.indexOf('BillingPeriod') ?? -1;
    const periods = [...new Set((costs?.rows ?? []).map((r) => cellText(r[at])))].filter((p) => p !== '').sort();
    return { period: periods.join(', ') || undefined, state: 'pulled', hasCosts, hasRules };
  }
  const approval = await approvalState(gateway);
  const base = { period: approval.period, hasCosts, hasRules };
  if (approval.status === 'open') return { ...base, state: 'allocated' };
  const approved = { by: approval.approval!.by, time: approval.approval!.time };
  if (approval.status === 'changed') return { ...base, state: 'changed since approval', approved };
  // Published after this approval: the version is the last Publish entry's.
  const last = publishedSinceDecision(auditEntriesFrom(await gateway.readTable(AUDIT_TABLE)), approval.period);
  const version = last ? Number(/^version (\d+)/.exec(last.details)?.[1]) : undefined;
  return last ? { ...base, state: 'published', version, approved } : { ...base, state: 'approved', approved };
}
