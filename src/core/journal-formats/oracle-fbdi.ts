/**
 * Oracle Fusion General Ledger, file-based data import: `GlInterface.csv` (no header row, all 149
 * columns of the JournalImportTemplate's GL_INTERFACE sheet in order) in a zip, loaded with
 * Scheduled Processes › Load Interface File for Import, then Import Journals with the same journal
 * source and Group ID as the file. The account is one value per chart-of-accounts segment
 * (Settings OracleSegments).
 */
import JSZip from 'jszip';
import type { JournalLine } from '../journal';
import { CsvCell, csvNumber, csvRowsBytes } from '../csv-write';
import { amountText, balancedParts, formatDate, journalIdOf, JournalFileContext, JournalFormatError, JournalFormatWriter, requireBalanced } from './format';

const range = (prefix: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);

/** The 149 columns of GlInterface.csv, in the template's order. */
export const ORACLE_COLUMNS = [
  'STATUS', 'LEDGER_ID', 'ACCOUNTING_DATE', 'USER_JE_SOURCE_NAME', 'USER_JE_CATEGORY_NAME', 'CURRENCY_CODE', 'DATE_CREATED', 'ACTUAL_FLAG',
  ...range('SEGMENT', 1, 30),
  'ENTERED_DR', 'ENTERED_CR', 'ACCOUNTED_DR', 'ACCOUNTED_CR',
  ...range('REFERENCE', 1, 10),
  ...range('REFERENCE', 21, 30),
  'STAT_AMOUNT', 'USER_CURRENCY_CONVERSION_TYPE', 'CURRENCY_CONVERSION_DATE', 'CURRENCY_CONVERSION_RATE', 'GROUP_ID', 'ATTRIBUTE_CATEGORY',
  ...range('ATTRIBUTE', 1, 20),
  'ATTRIBUTE_CATEGORY3', 'AVERAGE_JOURNAL_FLAG', 'ORIGINATING_BAL_SEG_VALUE', 'LEDGER_NAME', 'ENCUMBRANCE_TYPE_ID', 'JGZZ_RECON_REF', 'PERIOD_NAME',
  ...range('REFERENCE', 18, 20),
  ...range('ATTRIBUTE_DATE', 1, 10),
  ...range('ATTRIBUTE_NUMBER', 1, 10),
  'GLOBAL_ATTRIBUTE_CATEGORY',
  ...range('GLOBAL_ATTRIBUTE', 1, 20),
  ...range('GLOBAL_ATTRIBUTE_DATE', 1, 5),
  ...range('GLOBAL_ATTRIBUTE_NUMBER', 1, 5),
] as const;
export const ORACLE_DATE = 'YYYY/MM/DD';
export const ORACLE_CSV_NAME = 'GlInterface.csv';
/** One journal of the file; Journal Import has no documented line limit, so a journal is split only past this. */
export const ORACLE_JOURNAL_LINES = 100_000;

const at = (column: (typeof ORACLE_COLUMNS)[number]) => ORACLE_COLUMNS.indexOf(column);

/** SEGMENT1..n of a line from Settings OracleSegments. */
export function oracleSegments(line: Pick<JournalLine, 'account' | 'costCenter'>, context: JournalFileContext): string[] {
  const settings = context.settings;
  return settings.oracleSegments.map((segment, i) => {
    const value = segment
      .replace(/\{GLAccount\}/g, line.account)
      .replace(/\{CostCenter\}/g, line.costCenter === '' ? settings.oracleClearingCostCenter : line.costCenter)
      .replace(/\{Entity\}/g, () => {
        if (!context.entity) throw new JournalFormatError('OracleFBDI', `OracleSegments puts {Entity} in SEGMENT${i + 1}, but this journal has no legal entity: put the company value there instead (e.g. 101)`);
        return context.entity;
      });
    if (value === '') throw new JournalFormatError('OracleFBDI', `SEGMENT${i + 1} (${segment}) is empty for account ${line.account}${line.costCenter ? ` and cost center ${line.costCenter}` : ''}: every segment of the chart of accounts needs a value (Settings OracleSegments, OracleClearingCostCenter)`);
    return value;
  });
}

/** The group id Journal Import selects by: Settings OracleGroupId, or the posting date and version (`2025013101`). */
export function oracleGroupId(line: JournalLine, context: JournalFileContext): string {
  return context.settings.oracleGroupId || `${line.postingDate.replace(/-/g, '')}${String(context.version).padStart(2, '0')}`;
}

function rowOf(line: JournalLine, context: JournalFileContext, journalName: string): CsvCell[] {
  const settings = context.settings;
  const row: CsvCell[] = ORACLE_COLUMNS.map(() => null);
  const date = formatDate(line.postingDate, ORACLE_DATE);
  const set = (column: (typeof ORACLE_COLUMNS)[number], value: CsvCell) => (row[at(column)] = value);
  set('STATUS', 'NEW');
  set('ACCOUNTING_DATE', date);
  set('USER_JE_SOURCE_NAME', settings.oracleSource);
  set('USER_JE_CATEGORY_NAME', settings.oracleCategory);
  set('CURRENCY_CODE', line.currency);
  set('DATE_CREATED', date);
  set('ACTUAL_FLAG', 'A');
  oracleSegments(line, context).forEach((value, i) => (row[at('SEGMENT1') + i] = value));
  if (line.debit !== 0n) set('ENTERED_DR', csvNumber(amountText(line.debit, context)));
  if (line.credit !== 0n) set('ENTERED_CR', csvNumber(amountText(line.credit, context)));
  set('REFERENCE1', journalIdOf(line, context));
  set('REFERENCE2', `Cloud chargeback ${journalIdOf(line, context)}`);
  set('REFERENCE4', journalName);
  set('REFERENCE5', `Cloud chargeback ${line.period}`);
  set('REFERENCE10', line.description);
  set('GROUP_ID', oracleGroupId(line, context));
  set('LEDGER_NAME', settings.oracleLedger);
  return row;
}

/** The rules Journal Import checks, applied before the file is written. */
function requireOracleRow(row: CsvCell[], where: string): void {
  const fail = (message: string) => {
    throw new JournalFormatError('OracleFBDI', `${where}: ${message}`);
  };
  if (row.length !== ORACLE_COLUMNS.length) fail(`has ${row.length} fields, not ${ORACLE_COLUMNS.length}`);
  if (row[at('STATUS')] !== 'NEW') fail('STATUS must be NEW');
  if (row[at('ACTUAL_FLAG')] !== 'A') fail('ACTUAL_FLAG must be A');
  for (const column of ['ACCOUNTING_DATE', 'DATE_CREATED'] as const) if (!/^\d{4}\/\d{2}\/\d{2}$/.test(String(row[at(column)]))) fail(`${column} must be YYYY/MM/DD`);
  for (const column of ['USER_JE_SOURCE_NAME', 'USER_JE_CATEGORY_NAME', 'CURRENCY_CODE', 'LEDGER_NAME', 'GROUP_ID'] as const) if (!row[at(column)]) fail(`${column} is empty${column === 'LEDGER_NAME' ? ': set Settings OracleLedger' : ''}`);
  if ((row[at('ENTERED_DR')] === null) === (row[at('ENTERED_CR')] === null)) fail('needs one of ENTERED_DR and ENTERED_CR');
}

export const oracleFbdiFormat: JournalFormatWriter = {
  format: 'OracleFBDI',
  columns: ORACLE_COLUMNS,
  async write(journal, context) {
    const journals = balancedParts('OracleFBDI', journal, ORACLE_JOURNAL_LINES, context);
    requireBalanced('OracleFBDI', journals, (i) => `journal ${i + 1}`, context);
    const rows = journals.flatMap((lines, j) => {
      const journalName = `${journalIdOf(lines[0], context)}${journals.length === 1 ? '' : `-${j + 1}`}`;
      return lines.map((line, i) => {
        const row = rowOf(line, context, journalName);
        requireOracleRow(row, `journal ${journalName}, line ${i + 1}`);
        return row;
      });
    });
    const zip = new JSZip();
    // A fixed file date (the posting date), so the same journal always zips to the same bytes and hash.
    const date = journal.lines[0] ? new Date(`${journal.lines[0].postingDate}T00:00:00Z`) : new Date(Date.UTC(2000, 0, 1));
    zip.file(ORACLE_CSV_NAME, csvRowsBytes(rows), { date });
    const bytes = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
    return [{ format: 'OracleFBDI', name: `${context.baseName}-oracle-fbdi.zip`, bytes, contentType: 'application/zip' }];
  },
};
