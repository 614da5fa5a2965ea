/**
 * The task pane's operations: the month-end steps (written once, in workbook/steps.ts) bound to
 * the host's gateway, plus what the pane shows of their results. Components receive these as
 * props, so they can be driven without a workbook.
 */
import { AllocationResult } from '../core/allocate';
import { IngestResult } from '../core/ingest';
import { formatMinor, sum } from '../core/money';
import { percentFigure } from '../core/percent';
import { periodsIn } from '../core/period';
import { isBlankRow, RULE_TABLES, RuleProblem, RuleTables, validateRules } from '../core/rules';
import { checkRules, costGrain, CostGrain, describeCostChanges, ensureRuleTables, pullCosts, PullMode, readRuleTables, replaceRuleTables, StepContext, allocateWorkbook } from '../workbook/steps';
import { ReviewCheck } from '../core/review';
import { approvalState, approveWorkbook, preparersOf, reopenWorkbook, ReviewOutcome, reviewWorkbook } from '../workbook/approval';
import { ApprovalPolicy, DEFAULT_POLICY } from '../core/approval-policy';
import { approvalInForce, publishedSinceDecision } from '../workbook/lock';
import { AUDIT_TABLE, auditEntriesFrom, parseWhere } from '../workbook/layout';
import { readingOnce } from '../workbook/gateway';
import { TaskPaneHost } from './host';
import { FileProgress, publishWorkbook, PublishOutcome } from '../workbook/publish';
import { nextVersion, versionsTaken } from '../core/publication';
import type { ShareChoice } from './shares';
import { approvalView, ApprovalView, rowsBehind } from './review-view';

export interface PeriodChoice {
  period: string;
  rows: number;
}

export interface AllocationView {
  period: string;
  currency: string;
  metric: string;
  sourceTotal: string;
  /** The statement total: charged to cost centers plus unallocated. */
  allocatedTotal: string;
  /** What the cost centers carry: the statement total less unallocated. */
  chargedTotal: string;
  unallocated: string;
  /** Unallocated as a share of the total, in percent at the one precision (core/percent.ts). */
  unallocatedShare: string;
  difference: string;
  costCenters: { costCenter: string; name: string; direct: string; shared: string; total: string }[];
  /** The statement's columns added up: direct + shared = the statement total. */
  directTotal: string;
  sharedTotal: string;
}

/** Groups thousands for reading ("23022.36" → "23,022.36"); the figure itself is unchanged. */
export function grouped(amount: string): string {
  const [whole, fraction] = amount.split('.');
  const sign = whole.startsWith('-') ? '-' : '';
  const digits = whole.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${digits}${fraction !== undefined ? `.${fraction}` : ''}`;
}

/** A publish that would add a version to a period already on the share. */
export interface NewVersion {
  period: string;
  /** The version this publish would be. */
  version: number;
  /** Versions on the share already. */
  published: number;
}

export interface ReviewView {
  period: string;
  checks: ReviewCheck[];
  approval: ApprovalView;
  /** Who prepared the period (the By texts of its Pull and Allocate entries): they may not approve it, unless the administrator allows. */
  preparers: string[];
}

function reviewView(review: ReviewOutcome, approval: ApprovalView, preparers: string[]): ReviewView {
  return { period: review.result.period, checks: review.checks, approval, preparers };
}

export interface RulesCheck {
  problems: RuleProblem[];
  /** Rows in each rule table, as checked. */
  counts: { table: string; rows: number }[];
}

export function periodChoices(result: IngestResult): PeriodChoice[] {
  return [...periodsIn(result.lines).entries()].map(([period, rows]) => ({ period, rows }));
}

export function allocationView(result: AllocationResult): AllocationView {
  const m = (v: bigint) => grouped(formatMinor(v, result.minorDigits));
  return {
    period: result.period,
    currency: result.currency,
    metric: result.metric,
    sourceTotal: m(result.sourceTotal),
    allocatedTotal: m(result.allocatedTotal),
    chargedTotal: m(result.allocatedTotal - result.unallocated),
    unallocated: m(result.unallocated),
    unallocatedShare: percentFigure(result.unallocated, result.sourceTotal),
    difference: m(result.allocatedTotal - result.sourceTotal),
    costCenters: result.costCenters.map((c) => ({ costCenter: c.costCenter, name: c.name, direct: m(c.direct), shared: m(c.shared), total: m(c.total) })),
    directTotal: m(sum(result.costCenters.map((c) => c.direct))),
    sharedTotal: m(sum(result.costCenters.map((c) => c.shared))),
  };
}

/** `user`: the Audit log's By text for a step now (it may ask the user's name, once). */
/** `policy`: the administrator's sign-off policy (chargeback.config.json), awaited before approving or publishing. */
export function taskPaneOperations(host: TaskPaneHost, user: () => Promise<string>, policy: () => Promise<ApprovalPolicy> = async () => DEFAULT_POLICY) {
  const { gateway } = host;
  const context = async (): Promise<StepContext> => ({ user: await user() });
  return {
    /** The dimensions to keep while reading (the usual ones and every one the rules look at), and those a file may lack. */
    async dimensionsFor(fallbackRules?: RuleTables): Promise<CostGrain> {
      const present = validateRules(await readRuleTables(gateway));
      if (present.rules) return costGrain(present.rules);
      const fallback = fallbackRules ? validateRules(fallbackRules).rules : undefined;
      return costGrain(fallback);
    },
    /**
     * Writes the cost lines of the chosen period into the Costs table: in place of what it holds, or
     * (`add`) beside it, for a late credit or an adjustment file. Says what each period's total became.
     */
    async pull(result: IngestResult, period: string | undefined, mode: PullMode = 'replace'): Promise<{ lines: number; summary: string; changes: string }> {
      const lines = period ? result.lines.filter((line) => line.billingPeriod === period) : result.lines;
      const rules = validateRules(await readRuleTables(gateway)).rules;
      const outcome = await pullCosts(gateway, { ...result, lines }, await context(), { mode, metric: rules?.settings.metric });
      // A first pull changes nothing that was there: there is nothing to say of totals before.
      const changed = mode === 'add' || outcome.changes.some((c) => c.linesBefore > 0);
      return { lines: lines.length, summary: outcome.summary, changes: changed ? describeCostChanges(outcome.changes) : '' };
    },
    async createRuleTables(): Promise<string[]> {
      return ensureRuleTables(gateway, await context());
    },
    async loadRules(tables: RuleTables, origin: string): Promise<void> {
      await replaceRuleTables(gateway, tables, origin, await context());
    },
    /** Checks the rules; it changes nothing, so the Audit log does not record it. */
    async checkRules(): Promise<RulesCheck> {
      const { problems, tables } = await checkRules(gateway);
      return { problems, counts: RULE_TABLES.map((table) => ({ table, rows: (tables[table] ?? []).filter((row) => !isBlankRow(row)).length })) };
    },
    async allocate(period: string | undefined): Promise<AllocationView> {
      return allocationView(await allocateWorkbook(gateway, await context(), { period }));
    },
    selectCell: (table: string, row: number, column?: string) => host.selectCell(table, row, column),
    /**
     * Publishes the approved period to the chosen share: statement, journal, workbook copy, manifest
     * last. When the period is on the share already and its approval is newer than its last
     * publication, `confirmNewVersion` is asked first; undefined when the user says no (nothing written).
     */
    async publish(choice: ShareChoice, onProgress: (progress: FileProgress) => void, confirmNewVersion: (next: NewVersion) => Promise<boolean>): Promise<PublishOutcome | undefined> {
      if (!host.openShare || !host.workbookBytes) throw new Error('publishing is not available here');
      const by = await user();
      const share = await host.openShare(choice);
      const reads = readingOnce(gateway);
      const approved = await approvalInForce(reads);
      // Only an approval newer than the period's last publication can make a new version, so only then
      // is the user asked. One this book published already (nothing approved since) goes straight on:
      // the share holds it, and publishing finds nothing new and says "Nothing published".
      if (approved && !publishedSinceDecision(auditEntriesFrom(await reads.readTable(AUDIT_TABLE)), approved.period)) {
        const taken = versionsTaken(await share.listFolder(`${approved.period}/`));
        if (taken.length > 0 && !(await confirmNewVersion({ period: approved.period, version: nextVersion(taken), published: taken.length }))) return undefined;
      }
      return publishWorkbook(gateway, share, { user: by, workbookBytes: () => host.workbookBytes!(), onProgress, policy: await policy() });
    },
    /** Runs the review checks on the workbook, with the approval state; writes nothing (Approve writes the checks it approved). */
    async review(): Promise<ReviewView> {
      // The approval digest reads the tables the review just read: one batch of reads.
      const reads = readingOnce(gateway);
      const review = await reviewWorkbook(reads);
      const preparers = preparersOf(auditEntriesFrom(await reads.readTable(AUDIT_TABLE)), review.result.period);
      return reviewView(review, approvalView(await approvalState(reads, review.result.period)), preparers);
    },
    /** Approves the period in the name of `reviewer`; refused while a check blocks. */
    async approve(reviewer: string): Promise<ReviewView> {
      const { review, state, preparers } = await approveWorkbook(gateway, { user: reviewer }, await policy());
      return reviewView(review, approvalView(state), preparers);
    },
    async reopen(reviewer: string, why: string): Promise<ApprovalView> {
      return approvalView(await reopenWorkbook(gateway, { user: reviewer }, why));
    },
    /** The approval that locks the workbook, if any: Data and Allocate say so. */
    lock: () => approvalInForce(gateway),
    /** Selects the rows behind a review check in the workbook; returns the address selected. */
    async selectCheck(check: Pick<ReviewCheck, 'where' | 'subject'>): Promise<string> {
      const { sheet, cell } = parseWhere(check.where);
      const address = rowsBehind(check, cell || !check.subject ? undefined : await gateway.readTable(sheet));
      await host.selectRange(address);
      return address;
    },
  };
}

export type TaskPaneOperations = ReturnType<typeof taskPaneOperations>;
