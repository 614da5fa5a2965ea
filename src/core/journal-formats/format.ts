/**
 * What every ERP journal format shares: the file it becomes, what a writer is told, the error a
 * broken rule raises, and the few pieces of arithmetic they all need (amounts, dates, splitting a
 * journal into balanced parts small enough for the ERP). Each format is a table of columns and a
 * writer in its own module; the registry (index.ts) lists them.
 */
import type { Journal, JournalLine } from '../journal';
import { formatMinor, MinorUnits } from '../money';
import { versionJournalId } from '../publication';
import { DATE_TOKENS, JournalFormat, JournalFormatSettings } from './settings';

/** One file to publish: its name on the share, its bytes, its media type. */
export interface JournalFile {
  format: JournalFormat;
  name: string;
  bytes: Uint8Array;
  contentType: string;
}

/** What a writer needs besides the journal. */
export interface JournalFileContext {
  /** The name every file of this journal starts with, e.g. `journal-2025-01` or `journal-2025-01-USD`. */
  baseName: string;
  /** Decimals of the journal's currency. */
  minorDigits: number;
  /** The publication version: 1, 2, ... (a later version's journal id ends `-V2`, so a ledger refuses no re-import as a duplicate). */
  version: number;
  settings: JournalFormatSettings;
  /** Settings ClearingAccount: the account a format balances each part on when it must split a journal. */
  clearingAccount?: string;
  /** The legal entity the journal books in, where one is known (Oracle `{Entity}` segment). */
  entity?: string;
}

/** A format rule the journal or the Settings break; says what and where, and what to change. */
export class JournalFormatError extends Error {
  constructor(readonly format: JournalFormat, message: string) {
    super(`${format} journal: ${message}`);
    this.name = 'JournalFormatError';
  }
}

export const CSV_TYPE = 'text/csv; charset=utf-8';

/** The journal id a line is published under (`CB-2025-01`, `CB-2025-01-V2`). */
export function journalIdOf(line: JournalLine, context: JournalFileContext): string {
  return versionJournalId(line.journalId, context.version);
}

/** A line's signed amount: debit positive, credit negative. */
export function signedAmount(line: Pick<JournalLine, 'debit' | 'credit'>): MinorUnits {
  return line.debit - line.credit;
}

export function amountText(units: MinorUnits, context: JournalFileContext): string {
  return formatMinor(units, context.minorDigits);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** An ISO date (`2025-01-31`) written in a pattern: `YYYY/MM/DD` → `2025/01/31`, `DD-MMM-YYYY` → `31-Jan-2025`, `M/D/YYYY` → `1/31/2025`. */
export function formatDate(isoDate: string, pattern: string): string {
  const [year, month, day] = isoDate.split('-');
  const parts: Record<string, string> = { YYYY: year, MMM: MONTHS[Number(month) - 1], MM: month, M: String(Number(month)), DD: day, D: String(Number(day)) };
  return pattern.replace(DATE_TOKENS, (token) => parts[token]);
}

/** A balanced run of journal lines that an ERP takes as one unit (a voucher, an entry, a journal). */
export type BalancedPart = JournalLine[];

/**
 * The journal's lines in parts of at most `maxLines`, each balanced. A journal that fits is one
 * part. A longer one is cut into runs of `maxLines - 1` lines, each closed by a line to the
 * clearing account that balances it; those lines add up to zero over the journal (it balances), so
 * every account and cost center nets to what the journal says.
 */
export function balancedParts(format: JournalFormat, journal: Journal, maxLines: number, context: JournalFileContext): BalancedPart[] {
  const lines = journal.lines;
  if (lines.length <= maxLines) return lines.length === 0 ? [] : [lines];
  const clearing = context.clearingAccount?.trim() || lines.find((l) => l.costCenter === '')?.account;
  if (!clearing) throw new JournalFormatError(format, `the journal has ${lines.length} lines, more than the ${maxLines} one unit may hold, and no clearing account to balance its parts on: set Settings ClearingAccount`);
  const parts: BalancedPart[] = [];
  for (let start = 0; start < lines.length; start += maxLines - 1) {
    const run = lines.slice(start, start + maxLines - 1);
    const net = run.reduce((a, l) => a + signedAmount(l), 0n);
    const first = run[0];
    const balancing: JournalLine = {
      ...first,
      lineNumber: 0,
      account: clearing,
      costCenter: '',
      costCenterName: '',
      description: `${first.description.split(':')[0]}: balances part ${parts.length + 1} to the clearing account`,
      debit: net < 0n ? -net : 0n,
      credit: net > 0n ? net : 0n,
    };
    parts.push(net === 0n ? run : [...run, balancing]);
  }
  return parts;
}

/** Throws unless each part's debits equal its credits. */
export function requireBalanced(format: JournalFormat, parts: readonly BalancedPart[], unit: (index: number) => string, context: JournalFileContext): void {
  parts.forEach((part, index) => {
    const debits = part.reduce((a, l) => a + l.debit, 0n);
    const credits = part.reduce((a, l) => a + l.credit, 0n);
    if (debits !== credits) throw new JournalFormatError(format, `${unit(index)} does not balance: debits ${amountText(debits, context)}, credits ${amountText(credits, context)}`);
  });
}

/** A format: the ERP's column names in order, and the writer that turns a journal into its files. */
export interface JournalFormatWriter {
  format: JournalFormat;
  columns: readonly string[];
  write(journal: Journal, context: JournalFileContext): JournalFile[] | Promise<JournalFile[]>;
}
