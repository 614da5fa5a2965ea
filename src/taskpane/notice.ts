/** What the pane tells the user after a step: an outcome, or an error with what to do about it. */
import { CostsTableError } from '../workbook/layout';
import { PeriodError } from '../core/period';
import { RuleError, RuleProblem } from '../core/rules';
import { ApprovalError } from '../workbook/approval';
import { PeriodLockedError } from '../workbook/lock';
import { isPayloadTooLarge } from '../workbook/office-errors';
import { IngestCancelled } from './host';
import { EngineError } from '../sources/engine-error';
import { NameNeeded } from './identity';
import type { PublishOutcome } from '../workbook/publish';
import { describeNetChange } from '../workbook/restate';

export interface Notice {
  intent: 'success' | 'error' | 'warning' | 'info';
  title: string;
  body: string;
  problems?: RuleProblem[];
}

const sentence = (message: string) => `${message.charAt(0).toUpperCase()}${message.slice(1).replace(/\n\s*/g, ' ')}`;

export function errorNotice(error: unknown, step: 'data' | 'rules' | 'allocate' | 'review'): Notice {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof NameNeeded) return { intent: 'info', title: 'Nothing was written', body: `${sentence(message)}.` };
  if (error instanceof IngestCancelled) return { intent: 'info', title: 'Cancelled', body: 'Reading stopped. Nothing was written to the workbook.' };
  // An engine that sums where the data lives (a FinOps hub): which engine, which step, what to do.
  if (error instanceof EngineError) {
    const advice = error.advice ? ` ${sentence(error.advice)}${/[.!?]$/.test(error.advice) ? '' : '.'}` : '';
    return { intent: 'error', title: `${error.engine}: ${error.step} failed`, body: `${sentence(error.problem)}${/[.!?]$/.test(error.problem) ? '' : '.'}${advice} Nothing was written to the workbook.` };
  }
  if (error instanceof RuleError) {
    return {
      intent: 'error',
      title: `The rules have ${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}`,
      body: 'Nothing was written. Select each problem to go to its cell, fix it, then run the step again.',
      problems: error.problems,
    };
  }
  if (error instanceof PeriodLockedError) {
    return { intent: 'warning', title: 'The period is approved', body: `${sentence(message)}. Nothing was written. To change it, reopen the period in step 4, Review, and say why.` };
  }
  if (error instanceof ApprovalError) {
    if (error.kind === 'not allocated') return { intent: 'info', title: 'Nothing to review yet', body: 'Pull the costs, check the rules and allocate first; then review the result here.' };
    const refused = error.kind === 'refused';
    return { intent: 'error', title: refused ? 'Approval refused' : 'Not possible yet', body: `${sentence(message)}.` };
  }
  if (error instanceof PeriodError) return { intent: 'error', title: 'Choose one billing period', body: `${message}. Go back to Data and pull the period to close.` };
  if (error instanceof CostsTableError) return { intent: 'error', title: 'The Costs table cannot be read', body: `${message}.` };
  if (isPayloadTooLarge(error)) {
    return { intent: 'error', title: 'Excel refused a request as too large', body: 'Nothing was written. Try again; if it keeps failing, pull fewer dimensions or split the files by month.' };
  }
  const what: Record<typeof step, string> = {
    data: 'Check that each file is a FOCUS export (CSV, .csv.gz or Parquet), or the export folder URL and its SAS, and try again. Nothing was written to the workbook.',
    rules: 'Nothing was changed in the rule tables. Check that the workbook is not protected, then try again.',
    allocate: 'Nothing was written: the results are written all at once or not at all. Fix the cause and allocate again.',
    review: 'Nothing was approved or reopened. Fix the cause, then check again.',
  };
  return { intent: 'error', title: 'That did not work', body: `${message}. ${what[step]}` };
}

/** What the pane says after Publish: the version written, what a restatement restates and moved, or that nothing was published. */
export function publishNotice(result: PublishOutcome): Notice {
  if (result.unchanged) {
    return { intent: 'info', title: 'Nothing published', body: `${result.period} as it stands is what version ${result.version} on the share holds: nothing to post, and the statement reads the same. Nothing was written.` };
  }
  if (result.recovered) {
    return {
      intent: 'info',
      title: `Recorded ${result.period} version ${result.version}`,
      body: `${result.location}/${result.folder} holds a version an earlier publish from this workbook wrote, but the workbook was not saved after it. The Audit sheet now records it; nothing new was written to the share.`,
    };
  }
  const { restatement, restates } = result;
  if (restatement && restates) {
    return {
      intent: 'success',
      title: `Published ${result.period} version ${result.version}, restating version ${restates.version}`,
      body: `${result.location}/${result.folder}: the statement as it now stands and a ${restatement.journal === 'Difference' ? 'journal of the difference' : 'journal reversing version ' + restates.version + ' and posting the new one'}, posted in ${restatement.postedIn}; net change ${describeNetChange(restatement.netChange, restatement.minorDigits)}. The Audit sheet links it to version ${restates.version}.`,
    };
  }
  return { intent: 'success', title: `Published ${result.period} version ${result.version}`, body: `${result.location}/${result.folder}${result.supersedes ? ` (supersedes version ${result.supersedes.version})` : ''}; the Audit sheet has the publish.` };
}
