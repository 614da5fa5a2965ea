/**
 * The period lock: once a period is approved, its content may not change until someone reopens
 * it. Steps that write chargeback content ask here first.
 */
import { AuditEntry, isPublishAction } from '../core/audit';
import { WorkbookGateway } from './gateway';
import { auditEntriesFrom } from './layout';

export class PeriodLockedError extends Error {}

/** The last Approve or Reopen in the Audit log (for `period`, when given), if any. */
export function lastDecision(entries: readonly AuditEntry[], period?: string): AuditEntry | undefined {
  return [...entries].reverse().find((e) => (period === undefined || e.period === period) && (e.action === 'Approve' || e.action === 'Reopen'));
}

/**
 * The last Publish or Restate of `period` after its last Approve or Reopen, if any: whether the
 * approval in force is already published (and as which version), or newer than its last publication.
 */
export function publishedSinceDecision(entries: readonly AuditEntry[], period: string): AuditEntry | undefined {
  const decision = lastDecision(entries, period);
  const since = decision ? entries.slice(entries.indexOf(decision) + 1) : entries;
  return [...since].reverse().find((e) => isPublishAction(e.action) && e.period === period);
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
