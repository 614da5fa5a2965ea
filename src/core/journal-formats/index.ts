/**
 * The journal formats ERPs import as they are, one module each, and the one entry point that
 * writes the files Settings JournalFormats lists. A Journal is a Journal: a period's journal, a
 * billing currency's, or a restatement's difference all go through the same writers.
 */
import type { Journal } from '../journal';
import { d365Format } from './d365';
import { JournalFile, JournalFileContext, JournalFormatWriter } from './format';
import { genericFormat } from './generic';
import { netSuiteFormat } from './netsuite';
import { oracleFbdiFormat } from './oracle-fbdi';
import { sapFormat } from './sap';
import { JournalFormat, JOURNAL_FORMAT_DEFAULTS, JournalFormatSettings } from './settings';
import { xeroFormat } from './xero';

export type { JournalFile, JournalFileContext } from './format';
export { JournalFormatError } from './format';
export { JOURNAL_FORMATS, JOURNAL_FORMAT_DEFAULTS, JOURNAL_FORMAT_SETTING_NAMES } from './settings';
export type { JournalFormat, JournalFormatSettings } from './settings';

export const JOURNAL_FORMAT_WRITERS: Record<JournalFormat, JournalFormatWriter> = {
  Generic: genericFormat,
  D365: d365Format,
  OracleFBDI: oracleFbdiFormat,
  SAP: sapFormat,
  NetSuite: netSuiteFormat,
  Xero: xeroFormat,
};

/** What publish knows about a journal, turned into what the writers need (Settings defaults for what is not set). */
export interface JournalFilesInput {
  /** `journal-2025-01`, or `journal-2025-01-USD` for a billing currency's journal. */
  baseName: string;
  minorDigits: number;
  version?: number;
  settings?: { journalFormats?: JournalFormatSettings; clearingAccount?: string };
  entity?: string;
}

/**
 * The files of a journal in each listed format (Settings JournalFormats by default), in the order
 * listed: one per format, or one per part where the format limits a file (Xero). Every format rule
 * is checked before any byte is written; a broken one throws a JournalFormatError naming it.
 */
export async function erpJournalFiles(journal: Journal, input: JournalFilesInput, formats?: readonly JournalFormat[]): Promise<JournalFile[]> {
  const settings = input.settings?.journalFormats ?? JOURNAL_FORMAT_DEFAULTS;
  const context: JournalFileContext = { baseName: input.baseName, minorDigits: input.minorDigits, version: input.version ?? 1, settings, clearingAccount: input.settings?.clearingAccount, entity: input.entity };
  const files: JournalFile[] = [];
  for (const format of formats ?? settings.formats) files.push(...(await JOURNAL_FORMAT_WRITERS[format].write(journal, context)));
  return files;
}
