/**
 * Review, approval and reopening, written once against the gateway. Approval records who, when,
 * the totals and a SHA-256 digest of the chargeback content (rule tables, Costs, Chargeback,
 * Allocation) in the Audit log, then protects those sheets. Any later change to that content is
 * detected by comparing digests; publishing refuses until the period is approved again.
 */
import { allocate, AllocationResult } from '../core/allocate';
import { AuditEntry, findBrokenLink } from '../core/audit';
import { cellText } from '../core/focus';
import { DigestForm, sha256Hex, tableDigest } from '../core/digest';
import { formatMinor, MinorUnits, minorToNumber, minorUnitSize, toExact } from '../core/money';
import { RULE_TABLES, RuleError, Rules } from '../core/rules';
import { hasBlocking, PreviousPeriod, ReviewCheck, reviewChecks } from '../core/review';
import { CellValue, ColumnSpec, readingOnce, TableData, TableSpec, WorkbookGateway } from './gateway';
import { AUDIT_TABLE, auditEntriesFrom, costLinesFrom, CostsTableError } from './layout';
import { lastDecision } from './lock';
import { ApprovalPolicy, DEFAULT_POLICY, selfApprovalMark, signOffDecision } from '../core/approval-policy';
import { auditAppend, checkRules, nowIso, StepContext } from './steps';
import { movesSincePublication } from '../core/restatement';
import { journalFormatReadiness } from '../core/journal-formats/readiness';
import { PUBLISHED_VERSIONS, publishedBaseline } from './restate';
import { derivedSheetProblems, EARLIER_HISTORY, earlierHistoryDigest, historyRowsFor } from './derived-sheets';

/**
 * The tables an approval covers, in digest order. Budgets is left out: the budgets pushed to Azure
 * do not change the chargeback, and finance keeps editing them after the close.
 */
export const APPROVED_TABLES = [...RULE_TABLES.filter((t) => t !== 'Budgets'), 'Costs', 'Chargeback', 'Allocation', 'Reconciliation'] as const;

/** Why a step on the approval cannot go on: the pane picks its notice by kind, never by the message's words. */
export type ApprovalErrorKind = 'not allocated' | 'refused' | 'not possible';

export class ApprovalError extends Error {
  constructor(message: string, readonly kind: ApprovalErrorKind = 'not possible') {
    super(message);
  }
}

// ---- Content digest ------------------------------------------------------------------------

export interface ContentDigest {
  digest: string;
  tables: Record<string, string>;
}

/** Every table review, approval and publishing read: a step asks for them in one batch. */
export const REVIEW_TABLES = [...RULE_TABLES, 'Costs', 'Chargeback', 'Allocation', 'Reconciliation', 'ApprovalHistory', PUBLISHED_VERSIONS, AUDIT_TABLE] as const;

/** The digest of the approved content, in the form approvals are signed in (docs/publishing.md, "The approval digest"). */
export async function contentDigest(gateway: WorkbookGateway, form: DigestForm = 'signed'): Promise<ContentDigest> {
  const tables: Record<string, string> = {};
  const read = await gateway.readTables(APPROVED_TABLES);
  for (const name of APPROVED_TABLES) {
    const table = read.get(name);
    tables[name] = table ? tableDigest(name, table.headers, table.rows, form) : await sha256Hex(`${name}: absent`);
  }
  return { digest: await sha256Hex(APPROVED_TABLES.map((n) => `${n}=${tables[n]}`).join('\n')), tables };
}

// ---- Review --------------------------------------------------------------------------------

export interface ReviewOutcome {
  result: AllocationResult;
  rules: Rules;
  checks: ReviewCheck[];
  blocking: boolean;
  /** The published version the review compared with, when the period was published before (a restatement). */
  published?: { version: number; manifestSha256: string };
}

/** The period the workbook's statement is for, from its Reconciliation sheet. */
export async function statementPeriod(gateway: WorkbookGateway): Promise<string> {
  const reconciliation = await gateway.readTable('Reconciliation');
  const row = reconciliation?.rows.find((r) => r[0] === 'Billing period');
  if (!row) throw new ApprovalError('the workbook has no chargeback yet: run Allocate first', 'not allocated');
  return cellText(row[3]);
}

export const HISTORY_COLUMNS: ColumnSpec[] = [
  { header: 'Period', width: 10 },
  { header: 'CostCenter', width: 16 },
  { header: 'Total', kind: 'money', width: 16 },
  { header: 'Currency', width: 10 },
  { header: 'ApprovedBy', width: 22 },
  { header: 'ApprovedAt', width: 22 },
];

/** The latest approved period before `period` in the History table, if the workbook holds one. */
async function previousPeriod(gateway: WorkbookGateway, period: string, minorDigits: number): Promise<PreviousPeriod | undefined> {
  const history = await gateway.readTable('ApprovalHistory');
  if (!history) return undefined;
  const earlier = history.rows.map((r) => cellText(r[0])).filter((p) => p < period).sort();
  const last = earlier[earlier.length - 1];
  if (!last) return undefined;
  const totals = new Map<string, MinorUnits>();
  for (const row of history.rows.filter((r) => cellText(r[0]) === last)) {
    const amount = toExact(row[2] ?? 0) ?? 0n;
    totals.set(cellText(row[1]), amount / minorUnitSize(minorDigits));
  }
  return { period: last, totals };
}

/**
 * Re-runs the allocation on the workbook's content and computes the review checks. It writes
 * nothing unless asked (`write`: the Review sheet, with no Audit entry: it changes no figure).
 */
export async function reviewWorkbook(workbook: WorkbookGateway, options: { write?: boolean } = {}): Promise<ReviewOutcome> {
  const gateway = readingOnce(workbook);
  await gateway.prefetch(REVIEW_TABLES);
  const { rules, problems } = await checkRules(gateway);
  if (!rules) throw new RuleError(problems);
  const period = await statementPeriod(gateway);
  const costs = await gateway.readTable('Costs');
  if (!costs) throw new CostsTableError('the workbook has no Costs table: pull the cost data first');
  const { lines } = costLinesFrom(costs);
  const result = allocate(lines, rules, { period });
  const statement = await gateway.readTable('Chargeback');
  const statementTotals = new Map<string, MinorUnits>();
  if (statement) {
    const code = statement.headers.indexOf('CostCenter');
    const total = statement.headers.indexOf('Total');
    for (const row of statement.rows) {
      const exact = toExact(row[total] ?? 0);
      if (cellText(row[code]) === '' || cellText(row[code]) === 'Total') continue;
      statementTotals.set(cellText(row[code]), exact === undefined ? 0n : exact / minorUnitSize(result.minorDigits));
    }
  }
  const checks = reviewChecks({ result, rules, statementTotals: statement ? statementTotals : undefined, previous: await previousPeriod(gateway, period, result.minorDigits) });
  // A restatement: what moved since the published version, per cost center and pool.
  const baseline = await publishedBaseline(gateway, period, result.minorDigits);
  if (baseline) checks.push(...movesSincePublication(result, baseline.figures));
  // What the ERP formats of Settings JournalFormats cannot take blocks approval as publish would refuse it.
  checks.push(...(await journalFormatReadiness(result, rules)));
  if (options.write === true) await gateway.commit({ tables: [reviewTable(checks)] });
  const published = baseline ? { version: baseline.figures.version, manifestSha256: baseline.manifestSha256 } : undefined;
  return { result, rules, checks, blocking: hasBlocking(checks), ...(published ? { published } : {}) };
}

export function reviewTable(checks: readonly ReviewCheck[]): TableSpec {
  return {
    name: 'Review',
    columns: [
      { header: 'Check', width: 26 },
      { header: 'Severity', width: 10 },
      { header: 'Subject', width: 18 },
      { header: 'Figure', width: 14 },
      { header: 'Detail', width: 80 },
      { header: 'Where', width: 18 },
    ],
    rows: checks.map((c): CellValue[] => [c.check, c.severity, c.subject, c.figure, c.detail, c.where]),
  };
}

// ---- Approval state ------------------------------------------------------------------------

export type ApprovalStatus = 'open' | 'approved' | 'changed';

export interface ApprovalState {
  period: string;
  status: ApprovalStatus;
  approval?: AuditEntry;
  /** Tables whose content differs from what was approved. */
  changedTables: string[];
}

const DETAILS_SEPARATOR = ' | tables ';

/** What an Approve entry's details say of the totals, without the per-table digests. */
export function approvalSummary(entry: AuditEntry): string {
  const at = entry.details.lastIndexOf(DETAILS_SEPARATOR);
  return at < 0 ? entry.details : entry.details.slice(0, at);
}

function approvedTablesOf(entry: AuditEntry): Record<string, string> {
  const at = entry.details.lastIndexOf(DETAILS_SEPARATOR);
  if (at < 0) return {};
  try {
    return JSON.parse(entry.details.slice(at + DETAILS_SEPARATOR.length)) as Record<string, string>;
  } catch {
    return {};
  }
}

/** The period's approval state; `digest` is the content's digest when the caller has just computed it. */
export async function approvalState(gateway: WorkbookGateway, period?: string, digest?: ContentDigest): Promise<ApprovalState> {
  const forPeriod = period ?? (await statementPeriod(gateway));
  const last = lastDecision(auditEntriesFrom(await gateway.readTable(AUDIT_TABLE)), forPeriod);
  if (!last || last.action === 'Reopen') return { period: forPeriod, status: 'open', changedTables: [] };
  const now = digest ?? (await contentDigest(gateway));
  if (now.digest === last.contentDigest) return { period: forPeriod, status: 'approved', approval: last, changedTables: [] };
  // An approval signed before the digest kept to what a spreadsheet saves: compare in its form.
  const before = await contentDigest(gateway, 'full-precision');
  if (before.digest === last.contentDigest) return { period: forPeriod, status: 'approved', approval: last, changedTables: [] };
  const approvedTables = approvedTablesOf(last);
  const changed = (form: ContentDigest) => APPROVED_TABLES.filter((t) => approvedTables[t] !== form.tables[t]);
  const changedTables = [changed(now), changed(before)].reduce((a, b) => (b.length < a.length ? b : a));
  return { period: forPeriod, status: 'changed', approval: last, changedTables };
}

// ---- Approve, reopen, verify --------------------------------------------------------------

/** Who prepared the period: the names on its Pull and Allocate rows in the Audit log. */
export function preparersOf(entries: readonly AuditEntry[], period: string): string[] {
  const names = entries.filter((e) => (e.action === 'Pull' || e.action === 'Allocate') && e.period.split(', ').includes(period)).map((e) => e.by.trim());
  return [...new Set(names.filter((n) => n !== ''))];
}

/**
 * Segregation of duties, for the pane and the command line alike: whoever prepared the period does
 * not approve it, unless the administrator's policy allows it (never the book's Settings). Returns
 * why approval is refused, if it is.
 */
export function selfApprovalRefusal(entries: readonly AuditEntry[], period: string, approver: string, policy: ApprovalPolicy = DEFAULT_POLICY): string | undefined {
  const decision = signOffDecision(preparersOf(entries, period), period, approver, policy);
  return decision.allowed ? undefined : decision.reason;
}

/** Whether an Approve entry records a self-approval the administrator's policy allowed. */
export function isSelfApproval(entry: AuditEntry): boolean {
  return / self-approval: .* allowed by the administrator's policy$/.test(approvalSummary(entry));
}

export async function approveWorkbook(gateway: WorkbookGateway, context: StepContext, policy: ApprovalPolicy = DEFAULT_POLICY): Promise<{ state: ApprovalState; review: ReviewOutcome; preparers: string[] }> {
  const by = context.user.trim();
  if (by === '') throw new ApprovalError('say who approves: the reviewer\'s name is required');
  // The digest reads the tables the review just read: read each once, in one batch.
  const reads = readingOnce(gateway);
  const review = await reviewWorkbook(reads);
  if (review.blocking) {
    const reasons = review.checks.filter((c) => c.severity === 'Blocking').map((c) => `${c.check}${c.subject ? ` (${c.subject})` : ''}: ${c.detail}`);
    throw new ApprovalError(`approval refused for ${review.result.period}:\n  ${reasons.join('\n  ')}`, 'refused');
  }
  const preparers = preparersOf(auditEntriesFrom(await reads.readTable(AUDIT_TABLE)), review.result.period);
  const decision = signOffDecision(preparers, review.result.period, by, policy);
  if (!decision.allowed) throw new ApprovalError(decision.reason, 'refused');
  // History and Review are outside the approved content, so this digest still holds once they are written.
  const digest = await contentDigest(reads);
  const current = await approvalState(reads, review.result.period, digest);
  if (current.status === 'approved') throw new ApprovalError(`${review.result.period} is already approved by ${current.approval!.by} at ${current.approval!.time}`);
  const { result } = review;
  const m = (v: MinorUnits) => formatMinor(v, result.minorDigits);
  const time = nowIso(context);
  // The earlier periods of ApprovalHistory fed the previous-period check: seal them with the approval.
  const approvedTables = { ...digest.tables, [EARLIER_HISTORY]: await earlierHistoryDigest(await reads.readTable('ApprovalHistory'), result.period) };
  const audit = await auditAppend(
    reads,
    {
      action: 'Approve',
      by,
      period: result.period,
      details: `approved ${m(result.allocatedTotal)} ${result.currency} (${result.metric}); source ${m(result.sourceTotal)}; unallocated ${m(result.unallocated)}; ${result.costCenters.length} cost centers${decision.selfApprovalOf ? `; ${selfApprovalMark(decision.selfApprovalOf)}` : ''}${DETAILS_SEPARATOR}${JSON.stringify(approvedTables)}`,
      contentDigest: digest.digest,
    },
    { ...context, now: () => new Date(time) },
  );
  // The checks as approved, the history, the Audit entry and the lock: one commit.
  await gateway.commit({
    tables: [reviewTable(review.checks), historyTable(await reads.readTable('ApprovalHistory'), result, by, time)],
    appends: [audit],
    protect: { sheets: [...APPROVED_TABLES], protect: true },
  });
  return { state: { period: result.period, status: 'approved', approval: audit.entry, changedTables: [] }, review, preparers };
}

function historyTable(history: TableData | undefined, result: AllocationResult, by: string, time: string): TableSpec {
  const kept = (history?.rows ?? []).filter((r) => cellText(r[0]) !== result.period);
  const rows = historyRowsFor(result, by, time);
  return { name: 'ApprovalHistory', columns: HISTORY_COLUMNS, rows: [...kept, ...rows], minorDigits: result.minorDigits };
}

export async function reopenWorkbook(gateway: WorkbookGateway, context: StepContext, why: string): Promise<ApprovalState> {
  if (why.trim() === '') throw new ApprovalError('say why the period is reopened');
  const reads = readingOnce(gateway);
  await reads.prefetch(['Reconciliation', AUDIT_TABLE]);
  // Approved or changed since, it can be reopened: whether the content changed does not matter here.
  const period = await statementPeriod(reads);
  if (lastDecision(auditEntriesFrom(await reads.readTable(AUDIT_TABLE)), period)?.action !== 'Approve') throw new ApprovalError(`${period} is not approved: nothing to reopen`);
  const audit = await auditAppend(reads, { action: 'Reopen', by: context.user, period, details: why.trim(), contentDigest: '' }, context);
  await gateway.commit({ appends: [audit], protect: { sheets: [...APPROVED_TABLES], protect: false } });
  return { period, status: 'open', changedTables: [] };
}

export interface VerifyOutcome {
  ok: boolean;
  problems: string[];
  state?: ApprovalState;
  /** The review rebuilt from the approved content, when the period is approved. */
  review?: ReviewOutcome;
}

/** Checks the Audit chain and, for an approved period, that the content still matches its approval. */
export async function verifyWorkbook(workbook: WorkbookGateway): Promise<VerifyOutcome> {
  const gateway = readingOnce(workbook);
  await gateway.prefetch(REVIEW_TABLES);
  const problems: string[] = [];
  const entries = auditEntriesFrom(await gateway.readTable(AUDIT_TABLE));
  if (entries.length === 0) problems.push('the workbook has no Audit log');
  const broken = await findBrokenLink(entries);
  if (broken) problems.push(`the Audit log has been tampered with: ${broken}`);
  let state: ApprovalState | undefined;
  try {
    state = await approvalState(gateway);
  } catch (error) {
    if (!(error instanceof ApprovalError)) throw error;
  }
  if (state?.status === 'changed') {
    problems.push(`${state.period} was approved by ${state.approval!.by} at ${state.approval!.time}, but ${state.changedTables.join(', ') || 'its content'} changed since`);
  }
  let review: ReviewOutcome | undefined;
  if (state?.status === 'approved') {
    review = await reviewWorkbook(gateway, { write: false });
    problems.push(...(await derivedSheetProblems(gateway, review, reviewTable(review.checks).rows, state.approval!, approvedTablesOf(state.approval!))));
  }
  return { ok: problems.length === 0, problems, state, review };
}
