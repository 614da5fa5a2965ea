/**
 * Restating a published period (a true-up). Cloud bills move after month end, so a period that was
 * approved and published may be run again. The ledger already holds the published version, so the
 * restatement posts only what changed: per cost center and GL account, the new amount minus what
 * the last published version posted (or, where Settings ask for it, a full reversal of the last
 * version followed by the new one). Either way the ledger ends up holding the period as it now
 * stands, and the journal balances because both versions balance.
 *
 * A version's ledger position is its journal netted per account and cost center: a signed amount,
 * a debit positive. It is what the ledger holds for the period once every version up to that one is
 * posted, whichever journal form was used, so the next restatement needs only the last version's.
 */
import { AllocationResult } from './allocate';
import { Journal, JournalLine, lastDayOf } from './journal';
import { formatMinor, MinorUnits, minorUnitSize, parseExact } from './money';
import { isBillingPeriod } from './period';
import { ReviewCheck } from './review';

/** How a restatement's journal posts: only the difference, or a reversal of the last version and the new one in full. */
export type RestatementJournal = 'Difference' | 'Reverse and repost';
export const RESTATEMENT_JOURNALS: readonly RestatementJournal[] = ['Difference', 'Reverse and repost'];

/**
 * Which period a restatement posts in: the restated period itself, the open period (the month it is
 * published in, as a prior-period adjustment), or a named open period.
 */
export type RestatementPeriod = 'Restated' | 'Open' | { period: string };

/** One line of a version's ledger position: what the ledger holds on this account for this cost center. */
export interface LedgerLine {
  account: string;
  /** Empty on the clearing account. */
  costCenter: string;
  costCenterName: string;
  /** Signed: a debit positive, a credit negative. */
  amount: MinorUnits;
}

/** The ledger position as the manifest writes it: amounts as decimal strings in minor units. */
export interface ManifestLedgerLine {
  account: string;
  costCenter: string;
  costCenterName: string;
  amount: string;
}

const keyOf = (line: Pick<LedgerLine, 'account' | 'costCenter'>) => `${line.costCenter}\u0000${line.account}`;

/** A journal netted per account and cost center, in journal order (the clearing account last). */
export function ledgerOf(journal: Journal): LedgerLine[] {
  const lines = new Map<string, LedgerLine>();
  for (const line of journal.lines) {
    const key = keyOf(line);
    const held = lines.get(key) ?? { account: line.account, costCenter: line.costCenter, costCenterName: line.costCenterName, amount: 0n };
    held.amount += line.debit - line.credit;
    lines.set(key, held);
  }
  return [...lines.values()].filter((l) => l.amount !== 0n);
}

export function ledgerForManifest(ledger: readonly LedgerLine[], minorDigits: number): ManifestLedgerLine[] {
  return ledger.map((l) => ({ account: l.account, costCenter: l.costCenter, costCenterName: l.costCenterName, amount: formatMinor(l.amount, minorDigits) }));
}

/** A decimal string in minor units ("1234.50") back to minor units; undefined when it is not one. */
export function minorFromDecimal(text: string, minorDigits: number): MinorUnits | undefined {
  const trimmed = text.trim();
  if (!/^-?\d+(\.\d+)?$/.test(trimmed)) return undefined;
  const exact = parseExact(trimmed);
  const unit = minorUnitSize(minorDigits);
  if (exact === undefined || exact % unit !== 0n) return undefined;
  return exact / unit;
}

export class RestatementError extends Error {}

export function ledgerFromManifest(lines: readonly ManifestLedgerLine[], minorDigits: number, where: string): LedgerLine[] {
  return lines.map((line, index) => {
    const amount = minorFromDecimal(String(line.amount), minorDigits);
    if (amount === undefined) throw new RestatementError(`${where}: ledger line ${index + 1} has the amount "${line.amount}", not a decimal in minor units`);
    return { account: String(line.account), costCenter: String(line.costCenter), costCenterName: String(line.costCenterName ?? ''), amount };
  });
}

// ---- The restatement -------------------------------------------------------------------------

export interface NetChange {
  costCenter: string;
  before: MinorUnits;
  after: MinorUnits;
  change: MinorUnits;
}

/** Each cost center's net charge before and after (the clearing account is not a cost center), in the new order, then vanished ones. */
export function netChangeByCostCenter(before: readonly LedgerLine[], after: readonly LedgerLine[]): NetChange[] {
  const totals = new Map<string, { before: MinorUnits; after: MinorUnits }>();
  const add = (lines: readonly LedgerLine[], side: 'before' | 'after') => {
    for (const line of lines) {
      if (line.costCenter === '') continue;
      const held = totals.get(line.costCenter) ?? { before: 0n, after: 0n };
      held[side] += line.amount;
      totals.set(line.costCenter, held);
    }
  };
  add(after, 'after');
  add(before, 'before');
  return [...totals].map(([costCenter, t]) => ({ costCenter, before: t.before, after: t.after, change: t.after - t.before }));
}

/** The period a restatement posts in, for the Setting and the time of publishing. */
export function postingPeriodFor(setting: RestatementPeriod, restated: string, publishedAt: string): string {
  if (setting === 'Restated') return restated;
  const nextMonth = monthAfter(restated);
  if (setting === 'Open') {
    const current = publishedAt.slice(0, 7);
    return current > nextMonth ? current : nextMonth;
  }
  if (!isBillingPeriod(setting.period) || setting.period <= restated) {
    throw new RestatementError(`Settings RestatementPeriod ${setting.period} is not an open period after ${restated}: give a later YYYY-MM, Open or Restated`);
  }
  return setting.period;
}

function monthAfter(period: string): string {
  const [year, month] = period.split('-').map(Number);
  return month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
}

export interface RestatementInput {
  period: string;
  currency: string;
  minorDigits: number;
  /** The version restated (its ledger position is `before`). */
  restatesVersion: number;
  before: readonly LedgerLine[];
  /** The ledger position of the period as it now stands (the new full journal, netted). */
  after: readonly LedgerLine[];
  form: RestatementJournal;
  /** The period the journal posts in (see postingPeriodFor). */
  postedIn: string;
}

/**
 * The restatement's journal: the difference per account and cost center (zero lines left out), or
 * the last version reversed line by line followed by the new one. Balanced by construction, and
 * checked: a journal that does not balance never leaves here.
 */
export function restatementJournal(input: RestatementInput): Journal {
  const { period, postedIn } = input;
  const adjustment = postedIn === period ? `Cloud chargeback ${period} restated (was version ${input.restatesVersion})` : `Prior-period adjustment: cloud chargeback ${period} restated (was version ${input.restatesVersion})`;
  const label = (line: LedgerLine) => (line.costCenter === '' ? 'cleared to cost centers' : line.costCenterName || line.costCenter);
  const signed: { line: LedgerLine; amount: MinorUnits; description: string }[] = [];
  if (input.form === 'Difference') {
    const before = new Map(input.before.map((l) => [keyOf(l), l]));
    const seen = new Set<string>();
    // New order first, then what vanished; the clearing account last, as in every journal.
    const order = [...input.after, ...input.before.filter((l) => !input.after.some((a) => keyOf(a) === keyOf(l)))].sort((a, b) => Number(a.costCenter === '') - Number(b.costCenter === ''));
    for (const line of order) {
      const key = keyOf(line);
      if (seen.has(key)) continue;
      seen.add(key);
      const now = input.after.find((a) => keyOf(a) === key)?.amount ?? 0n;
      const change = now - (before.get(key)?.amount ?? 0n);
      if (change !== 0n) signed.push({ line, amount: change, description: `${adjustment}: ${label(line)}` });
    }
  } else {
    for (const line of input.before) signed.push({ line, amount: -line.amount, description: `Reversal of version ${input.restatesVersion}, cloud chargeback ${period}: ${label(line)}` });
    for (const line of input.after) signed.push({ line, amount: line.amount, description: `${adjustment}: ${label(line)}` });
  }
  const base = { journalId: `CB-${period}`, postingDate: lastDayOf(postedIn), period: postedIn, currency: input.currency };
  const lines: JournalLine[] = signed.map(({ line, amount, description }, index) => ({
    ...base,
    lineNumber: index + 1,
    account: line.account,
    costCenter: line.costCenter,
    costCenterName: line.costCenterName,
    description,
    debit: amount > 0n ? amount : 0n,
    credit: amount < 0n ? -amount : 0n,
  }));
  const debits = lines.reduce((a, l) => a + l.debit, 0n);
  const credits = lines.reduce((a, l) => a + l.credit, 0n);
  if (debits !== credits) {
    const m = (v: bigint) => formatMinor(v, input.minorDigits);
    throw new RestatementError(`the restatement journal of ${period} does not balance (debits ${m(debits)}, credits ${m(credits)}): one of the versions does not balance`);
  }
  return { lines, debits, credits };
}

// ---- What moved, for the review --------------------------------------------------------------

/** The published version a review compares with: each cost center's direct cost and pool shares as published. */
export interface PublishedFigures {
  version: number;
  /** costCenter → part (`Direct` or a pool name) → amount. */
  parts: Map<string, Map<string, MinorUnits>>;
}

export const DIRECT_PART = 'Direct';

/** A statement's figures per cost center and part, as PublishedFigures holds them. */
export function statementParts(result: AllocationResult): Map<string, Map<string, MinorUnits>> {
  return new Map(result.costCenters.map((c) => [c.costCenter, new Map<string, MinorUnits>([[DIRECT_PART, c.direct], ...result.pools.map((p, i): [string, MinorUnits] => [p.pool, c.shares[i]])])]));
}

/**
 * What moved since the published version, per cost center and pool: one check that sums it up
 * (a Warning while anything moved, so the reviewer looks before approving the restatement), and one
 * Info line per cost center and part that moved.
 */
export function movesSincePublication(result: AllocationResult, published: PublishedFigures): ReviewCheck[] {
  const m = (v: bigint) => formatMinor(v, result.minorDigits);
  const signedM = (v: bigint) => (v > 0n ? `+${m(v)}` : m(v));
  const now = statementParts(result);
  const codes = [...now.keys(), ...[...published.parts.keys()].filter((c) => !now.has(c))];
  const moves: ReviewCheck[] = [];
  const byCostCenter: string[] = [];
  let net = 0n;
  for (const code of codes) {
    const after = now.get(code) ?? new Map<string, MinorUnits>();
    const before = published.parts.get(code) ?? new Map<string, MinorUnits>();
    const parts = [...after.keys(), ...[...before.keys()].filter((p) => !after.has(p))];
    let change = 0n;
    for (const part of parts) {
      const was = before.get(part) ?? 0n;
      const is = after.get(part) ?? 0n;
      if (was === is) continue;
      change += is - was;
      const what = part === DIRECT_PART ? 'direct cost' : `${part} share`;
      moves.push({ check: 'Moved since publication', severity: 'Info', subject: code, figure: signedM(is - was), detail: `${what} ${m(was)} → ${m(is)} since version ${published.version}`, where: 'Chargeback' });
    }
    if (change !== 0n) byCostCenter.push(`${code} ${signedM(change)}`);
    net += change;
  }
  const summary: ReviewCheck =
    moves.length === 0
      ? { check: 'Moved since publication', severity: 'OK', subject: `version ${published.version}`, figure: m(0n), detail: `nothing moved since version ${published.version} was published: publishing again publishes nothing`, where: 'Chargeback' }
      : {
          check: 'Moved since publication',
          severity: 'Warning',
          subject: `version ${published.version}`,
          figure: signedM(net),
          detail: `this restates version ${published.version}: ${byCostCenter.length > 0 ? byCostCenter.join(', ') : 'totals unchanged, shares moved between pools'}; publishing posts only the difference`,
          where: 'Chargeback',
        };
  return [summary, ...moves];
}
