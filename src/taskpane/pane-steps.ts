/**
 * The pane's steps as data: one list drives the tabs, the headings, the status header's Next
 * button and the "start with …" hints. A new step is its component plus one entry here.
 */
import type { TaskPaneHost } from './host';
import type { PaneState, PaneStatus } from './pane-status';

export type StepId = 'data' | 'rules' | 'allocate' | 'review' | 'publish' | 'budgets';

export interface PaneStep {
  id: StepId;
  /** The tab's label: short, so six fit a 320 px pane. */
  name: string;
  /** The step's heading. */
  heading: string;
  /** The sheets the step writes, for the hint under the heading. */
  writes: string;
  /** Whether this host offers the step at all. */
  offered?: (host: TaskPaneHost) => boolean;
  /** Why the step cannot run yet, and the step that comes first; undefined when it can. */
  needs?: (status: PaneStatus) => { why: string; first: StepId } | undefined;
  /** While approved, the step's actions would be refused: they are disabled, with the reason. */
  lockedWhileApproved?: boolean;
}

const noCosts = (status: PaneStatus) => (status.hasCosts ? undefined : { why: 'There are no costs in this workbook yet.', first: 'data' as const });

export const PANE_STEPS: readonly PaneStep[] = [
  { id: 'data', name: 'Data', heading: 'Pull the cost data', writes: 'Writes the Costs sheet.', lockedWhileApproved: true },
  { id: 'rules', name: 'Rules', heading: 'Cost centers and rules', writes: 'Writes the rule sheets (Settings, CostCenters, Mappings, SharedPools, …).' },
  {
    id: 'allocate',
    name: 'Allocate',
    heading: 'Allocate to cost centers',
    writes: 'Writes Chargeback (with a chart), Allocation and Reconciliation.',
    needs: (status) => noCosts(status) ?? (status.hasRules ? undefined : { why: 'The workbook has no rules yet.', first: 'rules' }),
    lockedWhileApproved: true,
  },
  {
    id: 'review',
    name: 'Review',
    heading: 'Review and approve',
    writes: 'Approving writes Review, ApprovalHistory and an Audit row, and protects the approved sheets.',
    needs: (status) => noCosts(status) ?? (status.state === 'pulled' ? { why: 'There is no chargeback to review yet.', first: 'allocate' } : undefined),
  },
  {
    id: 'publish',
    name: 'Publish',
    heading: 'Publish the approved chargeback',
    writes: 'Writes the statement, journal and a workbook copy to the share, and an Audit row.',
    offered: (host) => Boolean(host.openShare),
    needs: (status) => (status.approved && status.state !== 'changed since approval' ? undefined : { why: 'Only an approved period can be published.', first: 'review' }),
  },
  {
    id: 'budgets',
    name: 'Budgets',
    heading: 'Budgets in Azure',
    writes: 'Creates or updates Cost Management budgets and writes an Audit row.',
    offered: (host) => Boolean(host.azureToken),
  },
];

export const offeredSteps = (host: TaskPaneHost) => PANE_STEPS.filter((s) => !s.offered || s.offered(host));

/** What to do next in each state: the step the Next button opens. */
const NEXT: Record<PaneState, StepId> = {
  'no data': 'data',
  pulled: 'rules',
  allocated: 'review',
  approved: 'publish',
  'changed since approval': 'review',
  published: 'review',
};

export function nextStep(status: PaneStatus, steps: readonly PaneStep[]): PaneStep | undefined {
  const wanted = steps.find((s) => s.id === NEXT[status.state]);
  // After pulling, Rules then Allocate: once rules exist, Allocate is next.
  if (status.state === 'pulled' && status.hasRules) return steps.find((s) => s.id === 'allocate');
  return wanted;
}

export function stepLabel(steps: readonly PaneStep[], id: StepId): string {
  const index = steps.findIndex((s) => s.id === id);
  return `${index + 1}. ${steps[index]?.name ?? id}`;
}

/** Local time with its zone, for the screen (the Audit sheet keeps UTC). */
export function localTime(iso: string, locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  // dateStyle/timeStyle cannot be combined with timeZoneName: the fields are named one by one.
  return date.toLocaleString(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' });
}
