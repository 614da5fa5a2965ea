/**
 * Whether the ERP journal files Settings JournalFormats lists can be written for a period, as a
 * Review problem: publish refuses what a format cannot take (a code holding D365's delimiter, say),
 * so approval is refused first and an approved period always publishes.
 */
import type { AllocationResult } from '../allocate';
import { JournalError, journalsFor } from '../journal';
import type { ReviewCheck } from '../review';
import type { Rules } from '../rules';
import { JournalFormatError } from './format';
import { erpJournalFiles } from './index';

export async function journalFormatReadiness(result: AllocationResult, rules: Rules): Promise<ReviewCheck[]> {
  const formats = (rules.settings.journalFormats?.formats ?? []).filter((format) => format !== 'Generic');
  if (formats.length === 0) return [];
  let journals: ReturnType<typeof journalsFor>;
  try {
    journals = journalsFor(result, rules);
  } catch (error) {
    // The generic journal's own problems are Review's 'Not publishable' already.
    if (error instanceof JournalError) return [];
    throw error;
  }
  const problems = new Set<string>();
  for (const { journal, minorDigits } of journals) {
    try {
      await erpJournalFiles(journal, { baseName: `journal-${result.period}`, minorDigits, settings: rules.settings }, formats);
    } catch (error) {
      if (!(error instanceof JournalFormatError)) throw error;
      problems.add(error.message);
    }
  }
  return [...problems].map((problem) => ({ check: 'Not publishable', severity: 'Blocking', subject: '', figure: '', detail: `the ERP journal files cannot be written, so publishing would be refused: ${problem}`, where: 'Settings' }));
}
