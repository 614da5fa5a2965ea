/** Journals to write in each format: built as journalFor builds them (cost center lines, then the clearing line). */
import type { Journal, JournalLine } from '../../../src/core/journal';
import { JOURNAL_FORMAT_DEFAULTS, JournalFormatSettings } from '../../../src/core/journal-formats/settings';

/** Lines as [account, cost center, signed minor units]; the clearing line is added to balance. */
export function journalOf(entries: [account: string, costCenter: string, amount: bigint][], options: { period?: string; currency?: string; clearing?: string } = {}): Journal {
  const period = options.period ?? '2025-01';
  const base = { journalId: `CB-${period}`, postingDate: `${period}-${period.endsWith('-02') ? '28' : '31'}`, period, currency: options.currency ?? 'USD' };
  const line = (account: string, costCenter: string, amount: bigint, description: string): Omit<JournalLine, 'lineNumber'> => ({ ...base, account, costCenter, costCenterName: costCenter === '' ? '' : `Team ${costCenter}`, description, debit: amount > 0n ? amount : 0n, credit: amount < 0n ? -amount : 0n });
  const lines = entries.map(([account, costCenter, amount]) => line(account, costCenter, amount, `Cloud chargeback ${period}: Team ${costCenter}`));
  const net = entries.reduce((a, [, , amount]) => a + amount, 0n);
  if (net !== 0n || lines.length > 0) lines.push(line(options.clearing ?? '1990', '', -net, `Cloud chargeback ${period}: cleared to cost centers`));
  const numbered = lines.map((l, i) => ({ ...l, lineNumber: i + 1 }));
  return { lines: numbered, debits: numbered.reduce((a, l) => a + l.debit, 0n), credits: numbered.reduce((a, l) => a + l.credit, 0n) };
}

/** The reference notes' two-line example: Dr 6101 / CC100 123.45 USD, Cr 1990 clearing, posted 2025-01-31. */
export const referenceExample = () => journalOf([['6101', 'CC100', 12345n]]);

export const settingsWith = (changes: Partial<JournalFormatSettings> = {}): JournalFormatSettings => ({ ...JOURNAL_FORMAT_DEFAULTS, oracleLedger: 'US Primary Ledger', sapCompanyCode: '1000', ...changes });
