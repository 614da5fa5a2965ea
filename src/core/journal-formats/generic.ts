/** Today's journal CSV (JournalId, LineNumber, ... Debit, Credit, Currency): the one every ledger can map. */
import { JOURNAL_COLUMNS } from '../journal';
import { journalArtifact } from '../publication';
import { JournalFormatWriter } from './format';

export const genericFormat: JournalFormatWriter = {
  format: 'Generic',
  columns: JOURNAL_COLUMNS,
  write(journal, context) {
    const artifact = journalArtifact('', journal, context.minorDigits, context.version);
    return [{ format: 'Generic', name: `${context.baseName}.csv`, bytes: artifact.bytes, contentType: artifact.contentType }];
  },
};
