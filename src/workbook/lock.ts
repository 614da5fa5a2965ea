/**
 * The period lock: once a period is approved, its content may not change until someone reopens
 * it. Steps that write chargeback content ask here first.
 */
import { WorkbookGateway } from './gateway';
import { auditEntriesFrom } from './layout';

export class PeriodLockedError extends Error {}

/** The approval in force (the last Approve not followed by a Reopen for its period), if any. */
export async function approvalInForce(gateway: WorkbookGateway): Promise<{ period: string; by: string; time: string } | undefined> {
  const entries = auditEntriesFrom(await gateway.readTable('Audit'));
  const last = [...entries].reverse().find((e) => e.action === 'Approve' || e.action === 'Reopen');
  return last?.action === 'Approve' ? { period: last.period, by: last.by, time: last.time } : undefined;
}

export async function assertNotApproved(gateway: WorkbookGateway, step: string): Promise<void> {
  const approval = await approvalInForce(gateway);
  if (approval) {
    throw new PeriodLockedError(`${approval.period} is approved (by ${approval.by} at ${approval.time}): reopen it before you ${step}`);
  }
}
