/**
 * Dynamics 365 Finance, Data management › General journal entity (LedgerJournalEntity): a CSV
 * with a header row mapped by name. Rows with one JOURNALBATCHNUMBER are one journal (header values
 * identical, about 10,000 lines at most); rows with one VOUCHER and TRANSDATE are one voucher, which
 * must balance (Microsoft recommends about 10 lines a voucher). The ledger account is one string,
 * main account and dimensions joined by the ledger's delimiter (Settings D365Account).
 */
import type { JournalLine } from '../journal';
import { csvBytes, csvNumber } from '../csv-write';
import { accountTemplate } from './settings';
import { amountText, balancedParts, BalancedPart, CSV_TYPE, formatDate, journalIdOf, JournalFileContext, JournalFormatError, JournalFormatWriter, requireBalanced } from './format';

export const D365_COLUMNS = ['JOURNALBATCHNUMBER', 'LINENUMBER', 'JOURNALNAME', 'DESCRIPTION', 'ACCOUNTTYPE', 'ACCOUNTDISPLAYVALUE', 'TRANSDATE', 'VOUCHER', 'CURRENCYCODE', 'DEBITAMOUNT', 'CREDITAMOUNT', 'TEXT'] as const;
export const D365_VOUCHER_LINES = 10;
export const D365_BATCH_LINES = 10_000;
/** The style of Microsoft's own example (`11-Nov-2023`): no day/month ambiguity in any locale. */
export const D365_DATE = 'DD-MMM-YYYY';

/** ACCOUNTDISPLAYVALUE of a line; refuses a value that holds the delimiter (D365 could not tell the segments apart). */
export function d365AccountDisplayValue(line: Pick<JournalLine, 'account' | 'costCenter'>, template: string): string {
  const { delimiters } = accountTemplate(template);
  for (const [what, value] of [['GL account', line.account], ['cost center', line.costCenter]] as const) {
    const clash = delimiters.find((d) => value.includes(d));
    if (clash !== undefined) {
      throw new JournalFormatError(
        'D365',
        `${what} "${value}" contains "${clash}", the segment delimiter of D365Account "${template}", so D365 cannot tell the segments apart: rename the ${what} without "${clash}", or set D365Account with the delimiter your ledger uses that no code contains (e.g. {GLAccount}--{CostCenter})`,
      );
    }
  }
  return template.replace(/\{GLAccount\}/g, line.account).replace(/\{CostCenter\}/g, line.costCenter);
}

/** Vouchers packed into batches of whole vouchers, each batch at most D365_BATCH_LINES lines. */
function batchesOf(vouchers: BalancedPart[]): BalancedPart[][] {
  const batches: BalancedPart[][] = [];
  let lines = D365_BATCH_LINES;
  for (const voucher of vouchers) {
    if (lines + voucher.length > D365_BATCH_LINES) {
      batches.push([]);
      lines = 0;
    }
    batches[batches.length - 1].push(voucher);
    lines += voucher.length;
  }
  return batches;
}

export const d365Format: JournalFormatWriter = {
  format: 'D365',
  columns: D365_COLUMNS,
  write(journal, context: JournalFileContext) {
    const settings = context.settings;
    const vouchers = balancedParts('D365', journal, D365_VOUCHER_LINES, context);
    requireBalanced('D365', vouchers, (i) => `voucher V${i + 1}`, context);
    const batches = batchesOf(vouchers);
    const rows: (string | number | ReturnType<typeof csvNumber>)[][] = [];
    let voucherNumber = 0;
    batches.forEach((batch, b) => {
      const journalId = journalIdOf(batch[0][0], context);
      const batchNumber = batches.length === 1 ? journalId : `${journalId}-B${b + 1}`;
      const description = `Cloud chargeback ${journalId}`;
      let lineNumber = 0;
      for (const voucher of batch) {
        voucherNumber += 1;
        const dates = new Set(voucher.map((l) => l.postingDate));
        if (dates.size !== 1) throw new JournalFormatError('D365', `voucher V${voucherNumber} has lines dated ${[...dates].join(' and ')}: TRANSDATE must be the same within a voucher`);
        for (const line of voucher) {
          lineNumber += 1;
          rows.push([batchNumber, lineNumber, settings.d365JournalName, description, 'Ledger', d365AccountDisplayValue(line, settings.d365Account), formatDate(line.postingDate, D365_DATE), `V${voucherNumber}`, line.currency, csvNumber(amountText(line.debit, context)), csvNumber(amountText(line.credit, context)), line.description]);
        }
      }
      if (lineNumber > D365_BATCH_LINES) throw new JournalFormatError('D365', `batch ${batchNumber} has ${lineNumber} lines, more than ${D365_BATCH_LINES}`);
    });
    return [{ format: 'D365', name: `${context.baseName}-d365.csv`, bytes: csvBytes(D365_COLUMNS, rows), contentType: CSV_TYPE }];
  },
};
