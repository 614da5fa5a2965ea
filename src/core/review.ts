/**
 * Review checks: what a reviewer must look at before approving a chargeback. Each check carries
 * its figures and where the rows behind it are. Only a reconciliation difference blocks approval;
 * the rest ask for a human look.
 */
import { AllocationResult } from './allocate';
import { ExactAmount, formatMinor, MinorUnits, roundToMinor } from './money';
import { percentText, signedPercentText } from './percent';
import { Rules } from './rules';
import { ExchangeRate, rateFor } from './rates';
import { JournalError, journalsFor } from './journal';

export type CheckSeverity = 'Blocking' | 'Warning' | 'OK' | 'Info';

/** Every review check, by the name the Review sheet shows: the pane and the command line compare these, never free text. */
export const REVIEW_CHECKS = [
  'Reconciliation',
  'Statement edited',
  'Effective vs billed',
  'Unallocated share',
  'Largest unallocated cost',
  'Unlisted cost center',
  'Ambiguous tag',
  'Missing GL account',
  'Budget variance',
  'Change since last period',
  'New cost center',
  'Vanished cost center',
  'Pool without basis',
  'Exchange rate change',
  'Moved since publication',
  'Not publishable',
] as const;
export type ReviewCheckId = (typeof REVIEW_CHECKS)[number];

export interface ReviewCheck {
  check: ReviewCheckId;
  severity: CheckSeverity;
  /** The cost center, pool or line the finding is about ('' for the whole statement). */
  subject: string;
  /** The finding's main figure as a decimal string in minor units, or a percent. */
  figure: string;
  detail: string;
  /** Where the rows behind it are, as `Sheet!A1` addresses or a table name. */
  where: string;
}

/** A previous period's approved totals, per cost center, in minor units. */
export interface PreviousPeriod {
  period: string;
  totals: Map<string, MinorUnits>;
}

export interface ReviewInput {
  result: AllocationResult;
  rules: Rules;
  /** Totals of the Chargeback sheet as the workbook holds them (they may have been edited). */
  statementTotals?: Map<string, MinorUnits>;
  previous?: PreviousPeriod;
  /** Sheet row of each Allocation entry (entries are written in order from row 2). */
  allocationRowOf?: (entryIndex: number) => number;
}

/** The exact ratio as a number, for comparing with a threshold only (shown figures come from ./percent). */
const percentOf = (part: MinorUnits, whole: MinorUnits): number => (whole === 0n ? 0 : Number((part * 1_000_000n) / whole) / 10_000);

export function reviewChecks({ result, rules, statementTotals, previous, allocationRowOf = (i) => i + 2 }: ReviewInput): ReviewCheck[] {
  const m = (v: MinorUnits) => formatMinor(v, result.minorDigits);
  const checks: ReviewCheck[] = [];
  const { settings } = rules;

  // 1. Reconciliation: the statement must add up to the source to the cent.
  const statementTotal = statementTotals ? [...statementTotals.values()].reduce((a, b) => a + b, 0n) : result.allocatedTotal;
  const difference = statementTotal - result.sourceTotal;
  checks.push({
    check: 'Reconciliation',
    severity: difference === 0n ? 'OK' : 'Blocking',
    subject: '',
    figure: m(difference),
    detail:
      difference === 0n
        ? `allocated ${m(statementTotal)} = source ${m(result.sourceTotal)} ${result.currency} (${result.metric})`
        : `the Chargeback sheet totals ${m(statementTotal)} but the source is ${m(result.sourceTotal)}: run Allocate again, and do not edit the statement by hand`,
    where: 'Reconciliation',
  });
  if (statementTotals) {
    for (const charge of result.costCenters) {
      const shown = statementTotals.get(charge.costCenter);
      if (shown !== undefined && shown !== charge.total) {
        checks.push({ check: 'Statement edited', severity: 'Blocking', subject: charge.costCenter, figure: m(shown - charge.total), detail: `the Chargeback sheet shows ${m(shown)}, the rules give ${m(charge.total)}: run Allocate again`, where: 'Chargeback' });
      }
    }
  }

  // Effective vs billed, with the difference explained.
  const byKind = (predicate: (category: string, status: string) => boolean): ExactAmount =>
    result.lines.filter((l) => predicate(l.chargeCategory.toLowerCase(), l.commitmentDiscountStatus.toLowerCase())).reduce((a, l) => a + (l.effectiveCost - l.billedCost), 0n);
  const purchases = byKind((c) => c === 'purchase');
  const unused = byKind((c, s) => c !== 'purchase' && s === 'unused');
  const used = byKind((c, s) => c !== 'purchase' && s === 'used');
  const other = result.effectiveTotalExact - result.billedTotalExact - purchases - unused - used;
  const r = (v: ExactAmount) => m(roundToMinor(v, result.minorDigits));
  checks.push({
    check: 'Effective vs billed',
    severity: 'Info',
    subject: '',
    figure: r(result.effectiveTotalExact - result.billedTotalExact),
    detail: `effective ${r(result.effectiveTotalExact)} − billed ${r(result.billedTotalExact)}: commitment purchases spread over their term ${r(purchases)}, commitment-covered usage ${r(used)}, unused commitments ${r(unused)}${other !== 0n ? `, other ${r(other)}` : ''}`,
    where: 'Reconciliation',
  });

  // 2. Unallocated share.
  const unallocatedShare = percentOf(result.unallocated, result.sourceTotal);
  const unallocatedEntries = result.entries
    .map((entry, index) => ({ entry, index }))
    .filter(({ entry }) => entry.kind === 'Unallocated')
    .sort((a, b) => (a.entry.amountExact > b.entry.amountExact ? -1 : a.entry.amountExact < b.entry.amountExact ? 1 : 0));
  checks.push({
    check: 'Unallocated share',
    severity: unallocatedShare > settings.unallocatedThreshold ? 'Warning' : 'OK',
    subject: settings.unallocated,
    figure: percentText(result.unallocated, result.sourceTotal),
    detail: `${m(result.unallocated)} of ${m(result.sourceTotal)} is unallocated (threshold ${settings.unallocatedThreshold}%)`,
    where: unallocatedEntries.length > 0 ? `Allocation!A${allocationRowOf(unallocatedEntries[0].index)}` : 'Allocation',
  });
  if (unallocatedShare > settings.unallocatedThreshold) {
    for (const { entry, index } of unallocatedEntries.slice(0, 10)) {
      const line = result.lines[entry.lineIndex!];
      const describe = ['SubAccountName', 'ServiceName', 'ResourceName', 'ResourceId']
        .filter((d) => line.dimensions[d])
        .map((d) => `${d} ${line.dimensions[d]}`)
        .join(', ');
      checks.push({ check: 'Largest unallocated cost', severity: 'Info', subject: line.dimensions.SubAccountName ?? '', figure: r(entry.amountExact), detail: describe || 'no sub-account or service on the line', where: `Allocation!A${allocationRowOf(index)}` });
    }
  }

  // 3. What the run itself warns of: unlisted codes, missing GL accounts, pools without basis.
  checks.push(...allocationWarnings(result, allocationRowOf));
  // Whatever publishing would refuse blocks approval, so an approved period always publishes.
  checks.push(...publishReadiness(result, rules));

  // 4. Variance against budget and against the previous approved period.
  const threshold = settings.varianceThreshold;
  for (const charge of result.costCenters) {
    if (charge.budget !== undefined && charge.variance !== undefined) {
      const change = percentOf(charge.variance, charge.budget < 0n ? -charge.budget : charge.budget);
      checks.push({
        check: 'Budget variance',
        severity: Math.abs(change) > threshold ? 'Warning' : 'OK',
        subject: charge.costCenter,
        figure: m(charge.variance),
        detail: `${m(charge.total)} against a budget of ${m(charge.budget)} (${signedPercentText(charge.variance, charge.budget < 0n ? -charge.budget : charge.budget)}; threshold ±${threshold}%)`,
        where: 'Chargeback',
      });
    }
    const before = previous?.totals.get(charge.costCenter);
    if (previous && before !== undefined) {
      const delta = charge.total - before;
      const change = percentOf(delta, before < 0n ? -before : before);
      checks.push({
        check: 'Change since last period',
        severity: Math.abs(change) > threshold ? 'Warning' : 'OK',
        subject: charge.costCenter,
        figure: m(delta),
        detail: `${m(charge.total)} in ${result.period} against ${m(before)} approved for ${previous.period} (${signedPercentText(delta, before < 0n ? -before : before)})`,
        where: 'ApprovalHistory',
      });
    }
  }

  // 5. Exchange rates that moved more than the threshold since the last approved period.
  if (previous) checks.push(...rateChanges(result, rules, previous.period));

  // 6. New or vanished cost centers, and pools split another way for want of a basis.
  if (previous) {
    for (const charge of result.costCenters) {
      if (!previous.totals.has(charge.costCenter) && charge.total !== 0n) {
        checks.push({ check: 'New cost center', severity: 'Warning', subject: charge.costCenter, figure: m(charge.total), detail: `not charged in ${previous.period}`, where: 'Chargeback' });
      }
    }
    for (const [code, total] of previous.totals) {
      const now = result.costCenters.find((c) => c.costCenter === code);
      if ((!now || now.total === 0n) && total !== 0n) {
        checks.push({ check: 'Vanished cost center', severity: 'Warning', subject: code, figure: m(total), detail: `charged ${m(total)} in ${previous.period}, nothing in ${result.period}`, where: 'ApprovalHistory' });
      }
    }
  }
  return checks;
}

/** Each Rates row the period used, against the same pair's rate for the last approved period (when Rates holds it). */
function rateChanges(result: AllocationResult, rules: Rules, previousPeriod: string): ReviewCheck[] {
  const used = new Map<number, ExchangeRate>();
  for (const original of result.conversion?.originals ?? []) if (original.rate.rate) used.set(original.rate.rate.row, original.rate.rate);
  const threshold = rules.settings.rateChangeThreshold;
  return [...used.values()].flatMap((now): ReviewCheck[] => {
    const before = rateFor(rules.rates, previousPeriod, now.fromCurrency, now.toCurrency);
    if (!before) return [];
    // (now − before) / before, exactly: compared with the threshold to four decimals of a percent, shown as every percent is
    const numerator = now.rate.numerator * before.rate.denominator - before.rate.numerator * now.rate.denominator;
    const change = Number((numerator * 1_000_000n) / (before.rate.numerator * now.rate.denominator)) / 10_000;
    return [{
      check: 'Exchange rate change',
      severity: Math.abs(change) > threshold ? 'Warning' : 'OK',
      subject: `${now.fromCurrency}→${now.toCurrency}`,
      figure: signedPercentText(numerator, before.rate.numerator * now.rate.denominator),
      detail: `${now.rateText} for ${now.period} against ${before.rateText} for ${previousPeriod}, the last approved period (${signedPercentText(numerator, before.rate.numerator * now.rate.denominator)}; threshold ±${threshold}%)`,
      where: `Rates!A${now.row}`,
    }];
  });
}

/**
 * The warnings an allocation carries whatever the previous period or the workbook says: shown by
 * `run` (and its `--json` `warnings`) as soon as the statement is made, and again in Review.
 */
export function allocationWarnings(result: AllocationResult, allocationRowOf = (entryIndex: number) => entryIndex + 2): ReviewCheck[] {
  const m = (v: MinorUnits) => formatMinor(v, result.minorDigits);
  const checks: ReviewCheck[] = [];
  // Lines left unallocated because a tag a rule reads is held under several spellings with different values (docs/rules.md).
  result.entries.forEach((entry, index) => {
    if (entry.kind !== 'Unallocated' || entry.ambiguousTag === undefined) return;
    const line = result.lines[entry.lineIndex!];
    const describe = ['SubAccountName', 'ServiceName', 'ResourceId'].filter((d) => line.dimensions[d]).map((d) => `${d} ${line.dimensions[d]}`);
    checks.push({
      check: 'Ambiguous tag',
      severity: 'Warning',
      subject: entry.ambiguousTag,
      figure: m(roundToMinor(entry.amountExact, result.minorDigits)),
      detail: `left unallocated: ${line.sourceRows} FOCUS row${line.sourceRows === 1 ? '' : 's'}${describe.length > 0 ? ` (${describe.join(', ')})` : ''} ${line.sourceRows === 1 ? 'holds' : 'hold'} ${entry.ambiguousTag.replace(/^tag:/i, '')} under several spellings with different values and none spelled as the rules spell it; ask the resource's owner to keep one tag`,
      where: `Allocation!A${allocationRowOf(index)}`,
    });
  });
  // Cost centers a {value} mapping produced but CostCenters does not list; cost centers without a GL account.
  for (const charge of result.costCenters) {
    if (!charge.listed && !charge.isUnallocated) {
      checks.push({ check: 'Unlisted cost center', severity: 'Warning', subject: charge.costCenter, figure: m(charge.total), detail: `a {value} mapping charged ${charge.costCenter}, which CostCenters does not list: add it with its GL account, or fix the tag`, where: 'CostCenters' });
    } else if (charge.listed && charge.glAccount.trim() === '') {
      checks.push({ check: 'Missing GL account', severity: 'Warning', subject: charge.costCenter, figure: m(charge.total), detail: `${charge.costCenter} has no GLAccount: the journal cannot post it`, where: 'CostCenters' });
    }
  }
  for (const pool of result.pools) {
    if (pool.fallback) {
      checks.push({ check: 'Pool without basis', severity: 'Warning', subject: pool.pool, figure: m(pool.amount), detail: `${pool.method}: ${pool.fallback}`, where: 'Allocation' });
    }
  }
  return checks;
}

/**
 * What publishing would refuse, as Blocking checks: the journal (a GL account for every charged cost
 * center, the unallocated account, the clearing account, debits equal to credits, in each journal
 * currency). The one readiness check: Review shows it in the pane and on the command line, and
 * approval is refused while it blocks.
 */
export function publishReadiness(result: AllocationResult, rules: Rules): ReviewCheck[] {
  try {
    journalsFor(result, rules);
    return [];
  } catch (error) {
    if (!(error instanceof JournalError)) throw error;
    return error.problems.map((problem) => ({
      check: 'Not publishable',
      severity: 'Blocking',
      subject: '',
      figure: '',
      detail: `the journal cannot be built, so publishing would be refused: ${problem}`,
      where: /ClearingAccount|UnallocatedAccount/.test(problem) ? 'Settings' : 'CostCenters',
    }));
  }
}

export function hasBlocking(checks: readonly ReviewCheck[]): boolean {
  return checks.some((c) => c.severity === 'Blocking');
}
