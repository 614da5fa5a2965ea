/**
 * SAP S/4HANA, app F2548 Upload General Journal Entries: one block per journal entry, as in the
 * app's template — the entry number and `Header`, the header's technical names, their
 * descriptions, the header values; then `Line Items`, the amount columns' currency label, the line
 * items' technical names, descriptions and one row per line. Debit (WRSOL) and credit (WRHAB)
 * are both positive; an entry holds 999 line items at most and must balance.
 */
import { CsvCell, csvNumber, csvRowsBytes } from '../csv-write';
import { amountText, balancedParts, CSV_TYPE, formatDate, journalIdOf, JournalFormatError, JournalFormatWriter, requireBalanced } from './format';

export const SAP_HEADER_FIELDS = ['BUKRS', 'BLART', 'BLDAT', 'BUDAT', 'MONAT', 'BKTXT', 'WAERS', 'XBLNR'] as const;
export const SAP_HEADER_DESCRIPTIONS = ['Company Code', 'Journal Entry Type', 'Journal Entry Date', 'Posting Date', 'Posting Period', 'Header Text', 'Transaction Currency', 'Reference'];
export const SAP_LINE_FIELDS = ['BUKRS', 'HKONT', 'SGTXT', 'WRSOL', 'WRHAB', 'KOSTL'] as const;
export const SAP_LINE_DESCRIPTIONS = ['Company Code', 'G/L Account', 'Item Text', 'Debit', 'Credit', 'Cost Center'];
export const SAP_ENTRY_LINES = 999;

export const sapFormat: JournalFormatWriter = {
  format: 'SAP',
  columns: [...SAP_HEADER_FIELDS, ...SAP_LINE_FIELDS],
  write(journal, context) {
    const settings = context.settings;
    if (settings.sapCompanyCode === '') throw new JournalFormatError('SAP', 'Settings has no SAPCompanyCode: add the company code (BUKRS) the journal posts in, e.g. 1000');
    const entries = balancedParts('SAP', journal, SAP_ENTRY_LINES, context);
    requireBalanced('SAP', entries, (i) => `journal entry ${i + 1}`, context);
    const rows: CsvCell[][] = [];
    entries.forEach((lines, e) => {
      const first = lines[0];
      const date = formatDate(first.postingDate, settings.sapDateFormat);
      const reference = `${journalIdOf(first, context)}${entries.length === 1 ? '' : `-${e + 1}`}`;
      rows.push([e + 1, 'Header']);
      rows.push([null, ...SAP_HEADER_FIELDS]);
      rows.push([null, ...SAP_HEADER_DESCRIPTIONS]);
      rows.push([null, settings.sapCompanyCode, settings.sapDocumentType, date, date, first.postingDate.slice(5, 7), `Cloud chargeback ${first.period}`, first.currency, reference]);
      rows.push([]);
      rows.push([null, 'Line Items']);
      rows.push([null, null, null, null, 'Transaction Currency', 'Transaction Currency']);
      rows.push([null, ...SAP_LINE_FIELDS]);
      rows.push([null, ...SAP_LINE_DESCRIPTIONS]);
      for (const line of lines) {
        if (line.currency !== first.currency) throw new JournalFormatError('SAP', `journal entry ${e + 1} mixes ${first.currency} and ${line.currency}: one entry has one transaction currency`);
        rows.push([null, settings.sapCompanyCode, line.account, line.description, line.debit === 0n ? null : csvNumber(amountText(line.debit, context)), line.credit === 0n ? null : csvNumber(amountText(line.credit, context)), line.costCenter]);
      }
      rows.push([]);
    });
    return [{ format: 'SAP', name: `${context.baseName}-sap.csv`, bytes: csvRowsBytes(rows), contentType: CSV_TYPE }];
  },
};
