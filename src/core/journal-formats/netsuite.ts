/**
 * NetSuite, Setup › Import/Export › Import CSV Records › Journal Entry (single file): one row per
 * line, the entry's values repeated on each; External ID on every row says which rows are one
 * entry (rows of an entry together). Each entry has at least two lines whose debits equal credits;
 * amounts are positive with at most 2 decimals and 10 digits before the point.
 */
import { csvBytes, csvNumber } from '../csv-write';
import { amountText, balancedParts, CSV_TYPE, formatDate, journalIdOf, JournalFormatError, JournalFormatWriter, requireBalanced } from './format';

export const NETSUITE_COLUMNS = ['External ID', 'Subsidiary', 'Currency', 'Date', 'Memo', 'Account', 'Debit', 'Credit', 'Department', 'Line Memo'] as const;
/** The Single Journal Entry import's limit; the Import Assistant states none lower. */
export const NETSUITE_ENTRY_LINES = 10_000;

export const netSuiteFormat: JournalFormatWriter = {
  format: 'NetSuite',
  columns: NETSUITE_COLUMNS,
  write(journal, context) {
    if (context.minorDigits > 2) throw new JournalFormatError('NetSuite', `amounts take 2 decimals at most, and this journal's currency (${journal.lines[0]?.currency ?? ''}) has ${context.minorDigits}`);
    const settings = context.settings;
    const entries = balancedParts('NetSuite', journal, NETSUITE_ENTRY_LINES, context);
    requireBalanced('NetSuite', entries, (i) => `entry ${i + 1}`, context);
    const rows = entries.flatMap((lines, e) => {
      const externalId = `${journalIdOf(lines[0], context)}${entries.length === 1 ? '' : `-${e + 1}`}`;
      if (lines.length < 2) throw new JournalFormatError('NetSuite', `entry ${externalId} has ${lines.length} line: an entry needs at least 2 lines whose debits equal credits`);
      return lines.map((line) => {
        const amount = (units: bigint) => {
          if (units === 0n) return null;
          const text = amountText(units, context);
          if (!/^\d{1,10}(\.\d{1,2})?$/.test(text)) throw new JournalFormatError('NetSuite', `entry ${externalId}, account ${line.account}: ${text} has more than 10 digits before the decimal point`);
          return csvNumber(text);
        };
        return [externalId, settings.netSuiteSubsidiary, line.currency, formatDate(line.postingDate, settings.netSuiteDateFormat), `Cloud chargeback ${line.period}`, line.account, amount(line.debit), amount(line.credit), line.costCenter, line.description];
      });
    });
    return [{ format: 'NetSuite', name: `${context.baseName}-netsuite.csv`, bytes: csvBytes(NETSUITE_COLUMNS, rows), contentType: CSV_TYPE }];
  },
};
