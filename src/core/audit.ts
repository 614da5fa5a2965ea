/**
 * The audit trail: an append-only log in which each entry carries the digest of the previous
 * one, so an edited or deleted entry breaks the chain and `verify` can say where.
 */
import { sha256Hex } from './digest';

export const AUDIT_COLUMNS = ['Time', 'Action', 'By', 'Period', 'Details', 'ContentDigest', 'PreviousEntryDigest', 'EntryDigest'] as const;

/** Every step that writes to the Audit log, by the name the log shows. Writers must use one of these. */
export const AUDIT_ACTIONS = ['Create rules', 'Load rules', 'Check rules', 'Pull', 'Allocate', 'Approve', 'Reopen', 'Publish', 'Restate', 'Budgets'] as const;

/** The actions that put a version on the finance share: a first publish, or a restatement of a published period. */
export const PUBLISH_ACTIONS: readonly AuditAction[] = ['Publish', 'Restate'];
export const isPublishAction = (action: string) => (PUBLISH_ACTIONS as readonly string[]).includes(action);
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Whether text read back from the Audit sheet names an action this product writes. */
export function isAuditAction(text: string): text is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(text);
}

export interface AuditEntry {
  /** ISO 8601, UTC */
  time: string;
  /** An AuditAction when this product wrote it; as read back from the sheet, whatever the cell holds. */
  action: string;
  by: string;
  period: string;
  details: string;
  contentDigest: string;
  previousEntryDigest: string;
  entryDigest: string;
}

export type NewAuditEntry = Omit<AuditEntry, 'previousEntryDigest' | 'entryDigest' | 'action'> & { action: AuditAction };

export function entryDigestOf(entry: Omit<AuditEntry, 'entryDigest'>): Promise<string> {
  return sha256Hex(JSON.stringify([entry.time, entry.action, entry.by, entry.period, entry.details, entry.contentDigest, entry.previousEntryDigest]));
}

/** Seals a new entry onto the end of the chain. */
export async function sealEntry(previous: AuditEntry | undefined, entry: NewAuditEntry): Promise<AuditEntry> {
  const previousEntryDigest = previous?.entryDigest ?? '';
  return { ...entry, previousEntryDigest, entryDigest: await entryDigestOf({ ...entry, previousEntryDigest }) };
}

/** The first broken link in the chain, described for a person, or undefined when it is intact. */
export async function findBrokenLink(entries: readonly AuditEntry[]): Promise<string | undefined> {
  let previous = '';
  for (const [index, entry] of entries.entries()) {
    const row = index + 2;
    if (entry.previousEntryDigest !== previous) return `Audit row ${row} (${entry.action} at ${entry.time}) does not follow the entry before it: an entry was removed, inserted or edited`;
    if ((await entryDigestOf(entry)) !== entry.entryDigest) return `Audit row ${row} (${entry.action} at ${entry.time}) was edited after it was written`;
    previous = entry.entryDigest;
  }
  return undefined;
}
