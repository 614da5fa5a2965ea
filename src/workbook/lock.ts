/**
 * The period lock: once a period is approved, its content may not change until someone reopens
 * it. Steps that write chargeback content ask here first.
 */
import { AuditEntry } from '../core/audit';
import { WorkbookGateway } from './gateway';
import { auditEntriesFrom } from './layout';

export class PeriodLockedError extends Error {}

/** The last Approve or Reopen in the Audit log (for `period`, when given), if any. */
export function lastDecision(entries: readonly AuditEntry[], period?: string): AuditEntry | undefined {
  return [...entries].reverse().find((e) => (period === undefined || e.period === period) && (e.action === 'Approve' || e.action === 'Reopen'));
}

/** The approval in force (the last Approve not followed by a Reopen for its period), if any. */
export async function approvalInForce(gateway: WorkbookGateway): Promise<{ period: string; by: string; time: string } | undefined> {
  const last = lastDecision(auditEntriesFrom(await gateway.readTable('Audit')));
  return last?.action === 'Approve' ? { period: last.period, by: last.by, time: last.time } : undefined;
}

export async function assertNotApproved(gateway: WorkbookGateway, step: string): Promise<void> {
  const approval = await approvalInForce(gateway);
  if (approval) {
    throw new PeriodLockedError(`${approval.period} is approved (by ${approval.by} at ${approval.time}): reopen it before you ${step}`);
  }
}
