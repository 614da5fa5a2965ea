/**
 * Xero, Accounting › Manual Journals › Import: a CSV of at most 300 lines; rows with the same
 * Narration and Date are one journal, which must balance; one signed Amount (positive debit,
 * negative credit); the cost center as a tracking option. A longer journal is split into parts of
 * one file each, every part balanced and named "part n of m" in its narration.
 */
import { csvBytes, csvNumber } from '../csv-write';
import { amountText, balancedParts, CSV_TYPE, formatDate, journalIdOf, JournalFormatError, JournalFormatWriter, requireBalanced, signedAmount } from './format';

export const XERO_COLUMNS = ['Narration', 'Date', 'Description', 'AccountCode', 'TaxRate', 'Amount', 'TrackingName1', 'TrackingOption1', 'TrackingName2', 'TrackingOption2'] as const;
export const XERO_FILE_LINES = 300;
export const XERO_DATE = 'DD/MM/YYYY';

export const xeroFormat: JournalFormatWriter = {
  format: 'Xero',
  columns: XERO_COLUMNS,
  write(journal, context) {
    const settings = context.settings;
    const parts = balancedParts('Xero', journal, XERO_FILE_LINES, context);
    requireBalanced('Xero', parts, (i) => `part ${i + 1}`, context);
    if (parts.length === 0) return [{ format: 'Xero', name: `${context.baseName}-xero.csv`, bytes: csvBytes(XERO_COLUMNS, []), contentType: CSV_TYPE }];
    return parts.map((lines, p) => {
      const journalId = journalIdOf(lines[0], context);
      const narration = `Cloud chargeback ${journalId}${parts.length === 1 ? '' : ` (part ${p + 1} of ${parts.length})`}`;
      const rows = lines.map((line) => {
        if (line.account === '') throw new JournalFormatError('Xero', `${narration}: a line has no account code`);
        const tracking = line.costCenter === '' ? [null, null] : [settings.xeroTrackingCategory, line.costCenter];
        return [narration, formatDate(line.postingDate, XERO_DATE), line.description, line.account, settings.xeroTaxRate, csvNumber(amountText(signedAmount(line), context)), ...tracking, null, null];
      });
      if (rows.length > XERO_FILE_LINES) throw new JournalFormatError('Xero', `${narration} has ${rows.length} lines; a Xero import file holds ${XERO_FILE_LINES}`);
      return { format: 'Xero' as const, name: `${context.baseName}-xero${parts.length === 1 ? '' : `-${p + 1}`}.csv`, bytes: csvBytes(XERO_COLUMNS, rows), contentType: CSV_TYPE };
    });
  },
};
