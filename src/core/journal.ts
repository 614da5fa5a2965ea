/**
 * The GL journal for a chargeback: one line per cost center to its GL account, balanced by one
 * line to the clearing account, so the journal posts with debits equal to credits to the cent.
 * A cost center with net credits (refunds larger than its cost) gets a credit line instead of a
 * negative debit; ledgers reject negative amounts on either side. Zero lines are left out.
 */
import { allocate, AllocationResult } from './allocate';
import { formatMinor, MinorUnits } from './money';
import { Rules, Settings } from './rules';

export const JOURNAL_COLUMNS = [
  'JournalId',
  'LineNumber',
  'PostingDate',
  'Period',
  'Account',
  'CostCenter',
  'CostCenterName',
  'Description',
  'Debit',
  'Credit',
  'Currency',
] as const;

export interface JournalLine {
  journalId: string;
  lineNumber: number;
  /** Last day of the period, `YYYY-MM-DD`. */
  postingDate: string;
  period: string;
  account: string;
  /** Empty on the clearing line. */
  costCenter: string;
  costCenterName: string;
  description: string;
  debit: MinorUnits;
  credit: MinorUnits;
  currency: string;
}

export interface Journal {
  lines: JournalLine[];
  debits: MinorUnits;
  credits: MinorUnits;
}

/** Why a journal cannot be built, each problem naming what to fix. */
export class JournalError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0] : `the journal cannot be built:\n  ${problems.join('\n  ')}`);
    this.name = 'JournalError';
  }
}

export function lastDayOf(period: string): string {
  const [year, month] = period.split('-').map(Number);
  const day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${period}-${String(day).padStart(2, '0')}`;
}

/** The GL account a cost center's charge is debited to: its own, or for unallocated cost the Settings account. */
function accountOf(charge: AllocationResult['costCenters'][number], settings: Pick<Settings, 'unallocatedAccount'>): string {
  const own = charge.glAccount.trim();
  if (own !== '' || !charge.isUnallocated) return own;
  return settings.unallocatedAccount?.trim() ?? '';
}

/** Builds the balanced journal, or throws a JournalError naming every cost center without an account. */
export function journalFor(result: AllocationResult, settings: Pick<Settings, 'clearingAccount' | 'unallocatedAccount'>, options: { journalSuffix?: string } = {}): Journal {
  const m = (v: MinorUnits) => formatMinor(v, result.minorDigits);
  const problems: string[] = [];
  const clearing = settings.clearingAccount?.trim() ?? '';
  if (clearing === '') problems.push('Settings has no ClearingAccount: add the GL account the journal credits (Setting ClearingAccount)');
  const charged = result.costCenters.filter((c) => c.total !== 0n);
  for (const charge of charged) {
    if (accountOf(charge, settings) !== '') continue;
    problems.push(
      charge.isUnallocated
        ? `${charge.costCenter} (${m(charge.total)} ${result.currency} unallocated) has no GL account: map that cost to cost centers, or set Settings UnallocatedAccount`
        : `cost center ${charge.costCenter} (${m(charge.total)} ${result.currency}) has no GLAccount in CostCenters`,
    );
  }
  if (problems.length > 0) throw new JournalError(problems);

  const journalId = `CB-${result.period}${options.journalSuffix ?? ''}`;
  const base = { journalId, postingDate: lastDayOf(result.period), period: result.period, currency: result.currency };
  // A converted statement's journal says so: its amounts are in the reporting currency, not as billed.
  const converted = result.conversion ? ` (in ${result.currency}, converted from ${result.conversion.currencies.filter((c) => c.currency !== result.currency).map((c) => c.currency).join(', ')})` : '';
  const lines: JournalLine[] = charged.map((charge, index) => ({
    ...base,
    lineNumber: index + 1,
    account: accountOf(charge, settings),
    costCenter: charge.costCenter,
    costCenterName: charge.name,
    description: `Cloud chargeback ${result.period}: ${charge.name || charge.costCenter}${converted}`,
    debit: charge.total > 0n ? charge.total : 0n,
    credit: charge.total < 0n ? -charge.total : 0n,
  }));
  const net = charged.reduce((a, c) => a + c.total, 0n);
  if (net !== 0n || lines.length > 0) {
    lines.push({
      ...base,
      lineNumber: lines.length + 1,
      account: clearing,
      costCenter: '',
      costCenterName: '',
      description: `Cloud chargeback ${result.period}: cleared to cost centers${converted}`,
      debit: net < 0n ? -net : 0n,
      credit: net > 0n ? net : 0n,
    });
  }
  const debits = lines.reduce((a, l) => a + l.debit, 0n);
  const credits = lines.reduce((a, l) => a + l.credit, 0n);
  // Holds by construction; checked because a journal that does not balance must never leave here.
  if (debits !== credits) throw new JournalError([`the journal does not balance: debits ${m(debits)}, credits ${m(credits)}`]);
  return { lines, debits, credits };
}

/** A journal and the currency its amounts are in. */
export interface CurrencyJournal {
  currency: string;
  minorDigits: number;
  journal: Journal;
}

/**
 * The journals to post: one in the statement's currency; or, when Settings JournalCurrency is
 * Billing and the period was converted, one per billing currency, each the same rules run over
 * that currency's own lines as billed (so each balances in its own minor units, and an entity
 * books what it was billed, not a converted figure).
 */
export function journalsFor(result: AllocationResult, rules: Rules): CurrencyJournal[] {
  if (rules.settings.journalCurrency !== 'Billing' || !result.conversion) return [{ currency: result.currency, minorDigits: result.minorDigits, journal: journalFor(result, rules.settings) }];
  const conversion = result.conversion;
  return conversion.currencies.map((c) => {
    const lines = result.lines.flatMap((line, i) => {
      const original = conversion.originals[i];
      return original.currency === c.currency ? [{ ...line, currency: original.currency, billedCost: original.billedCost, effectiveCost: original.effectiveCost }] : [];
    });
    const own = allocate(lines, { ...rules, settings: { ...rules.settings, reportingCurrency: undefined } }, { period: result.period });
    return { currency: c.currency, minorDigits: own.minorDigits, journal: journalFor(own, rules.settings, { journalSuffix: `-${c.currency}` }) };
  });
}
