/**
 * Step 4, Review: the checks a reviewer reads before sign-off (what blocks first), the approval
 * state, Approve (refused while a check blocks) and Reopen (with a reason). The checks run again
 * each time the step opens, so an edit made in the workbook meanwhile shows up.
 */
import { Button, Field, Input, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Text, Textarea, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { ReviewCheck } from '../core/review';
import { auditBy } from '../core/identity';
import { ApprovalPolicy, SignOffDecision, signOffDecision } from '../core/approval-policy';
import type { ReviewerName } from './host';
import { PaneIdentity, shownName } from './identity';
import { errorNotice, Notice } from './notice';
import { ReviewView, TaskPaneOperations } from './operations';
import { CheckGroups, DerivedChecks } from './ReviewChecks';
import { approveBlockedBecause, ApprovalView, changeTitle, reviewLayout } from './review-view';
import { useStepAction } from './step-action';
import { localTime } from './pane-steps';

/** The id of the reason Approve is blocked, which the button names as its description. */
const APPROVE_BLOCKED = 'approve-blocked-reason';

export interface ReviewStepProps {
  ops: Pick<TaskPaneOperations, 'review' | 'approve' | 'reopen' | 'selectCheck'>;
  reviewer: ReviewerName;
  /** Who is signed in, if anyone: they sign off under that name; otherwise the reviewer types one. */
  identity: PaneIdentity;
  /** The administrator's sign-off policy (chargeback.config.json); undefined while it is being read. */
  policy: ApprovalPolicy | undefined;
  /** Whether the step is on screen: it checks again each time it opens. */
  active: boolean;
  /** Counts the times the pane was shown again: the checks run again then too. */
  shown?: number;
  onNotice: (notice: Notice | undefined) => void;
  /** The approval state after each check, approval or reopening, for the lock shown in the other steps. */
  onApproval: (approval: ApprovalView) => void;
}

const useStyles = makeStyles({
  step: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', alignItems: 'center' },
  group: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, margin: 0, padding: 0 },
  // Only the action row (Approve, Reopen) stays in sight however long the list of checks is; the
  // sign-off's name, reasons and fields flow with the page, so nothing sticky covers the root cause.
  // It is a child of the whole step, not of the sign-off, so it can stick wherever the step is scrolled.
  actions: {
    position: 'sticky',
    bottom: 0,
    zIndex: 1,
    backgroundColor: tokens.colorNeutralBackground1,
    borderTopWidth: tokens.strokeWidthThin,
    borderTopStyle: 'solid',
    borderTopColor: tokens.colorNeutralStroke2,
    paddingTop: tokens.spacingVerticalS,
    paddingBottom: tokens.spacingVerticalS,
  },
  blocked: { color: tokens.colorPaletteRedForeground1 },
});

/**
 * Why the person at the keyboard may not approve, in words for them: whom to ask, never how to
 * lift the restraint (the policy is the administrator's).
 */
export function signOffBlockedBecause(decision: Extract<SignOffDecision, { allowed: false }>, period: string): string {
  if (decision.kind === 'self-approval') return `You prepared ${period} (you pulled or allocated it, see Audit), and the preparer may not approve their own work. Ask a reviewer to open this workbook and approve it.`;
  return `Your organisation accepts approval only from a signed-in reviewer, and the pane could not confirm who is signed in. Sign in to Office with your work account and open the pane again, or ask a signed-in reviewer to approve it.`;
}

export function ReviewStep({ ops, reviewer, identity, policy, active, shown, onNotice, onApproval }: ReviewStepProps) {
  const styles = useStyles();
  const { busy, attempt } = useStepAction<'review' | 'approve' | 'reopen'>('review', onNotice);
  const [view, setView] = useState<ReviewView>();
  const signedIn = identity.status === 'signed in' ? identity.user : undefined;
  const [name, setName] = useState(() => reviewer.remembered());
  const [why, setWhy] = useState('');

  useEffect(() => {
    if (active) void attempt('review', check);
    // Only opening the step (or the pane) checks again.
  }, [active, shown]);

  async function check() {
    try {
      const checked = await ops.review();
      setView(checked);
      onApproval(checked.approval);
    } catch (error) {
      setView(undefined);
      throw error;
    }
  }

  const reviewerName = signedIn ? signedIn.username : name.trim();
  // The Audit log's By text: the sign-in name, or the typed name marked as such.
  const signedOffBy = auditBy(signedIn ? { name: signedIn.username, source: 'signed in' } : { name, source: 'typed' });

  const approve = () =>
    attempt('approve', async () => {
      if (!signedIn) reviewer.remember(reviewerName);
      const approved = await ops.approve(signedOffBy);
      setView(approved);
      onApproval(approved.approval);
      const { approval } = approved;
      onNotice({
        intent: 'success',
        title: `${approval.period} approved`,
        body: 'The Audit log records the approval with the totals and a digest of the content. Costs, Chargeback, Allocation and the rule sheets are protected; sort and filter still work.',
      });
    });

  const reopen = () =>
    attempt('reopen', async () => {
      if (!signedIn) reviewer.remember(reviewerName);
      const approval = await ops.reopen(signedOffBy, why);
      setView((v) => (v ? { ...v, approval } : v));
      onApproval(approval);
      setWhy('');
      onNotice({
        intent: 'success',
        title: `${approval.period} reopened`,
        body: 'The sheets are unprotected and the Audit log records who reopened the period and why. Pull or allocate again as needed, then review and approve.',
      });
    });

  const approval = view?.approval;
  const layout = view ? reviewLayout(view.checks, approval) : undefined;
  const select = (c: ReviewCheck) => void ops.selectCheck(c).catch((error) => onNotice(errorNotice(error, 'review')));
  // Whoever may not approve (the preparer; a typed name where sign-in is required) is told before trying.
  const decision = view && policy && reviewerName !== '' ? signOffDecision(view.preparers, view.period, signedOffBy, policy) : undefined;
  const signOffBlocked = !policy ? "Reading your organisation's sign-off policy…" : decision && !decision.allowed ? signOffBlockedBecause(decision, view!.period) : undefined;
  const blockedBecause = view ? (approveBlockedBecause(view.checks, approval) ?? signOffBlocked) : undefined;
  const canApprove = approval?.status !== 'approved';
  const canReopen = Boolean(approval && approval.status !== 'open');
  return (
    <section className={styles.step} aria-label="Review">
      <Text>Runs the allocation again on the workbook and lists what to look at before you approve; each link selects the rows behind it. Checking writes nothing: approving writes the checks to the Review sheet.</Text>
      <div className={styles.row}>
        <Button disabled={Boolean(busy)} onClick={() => void attempt('review', check)}>
          {busy === 'review' ? 'Checking…' : 'Check again'}
        </Button>
      </div>
      {approval && (
        <div data-testid="root-cause">
          <ApprovalBar approval={approval} />
          {layout?.rootCause && <DerivedChecks groups={layout.rootCause.derived} onSelect={select} />}
        </div>
      )}
      {layout && <CheckGroups groups={layout.attention} onSelect={select} />}
      {layout && <CheckGroups groups={layout.folded} folded onSelect={select} />}
      {view && (
        <section className={styles.group} aria-label="Sign-off" data-testid="sign-off">
          <Text as="h3" weight="semibold" size={300}>
            Sign-off
          </Text>
          {signedIn ? (
            <Text data-testid="signed-in">{`Signed in as ${shownName(signedIn)}`}</Text>
          ) : (
            <Field label="Your name" required hint="The pane could not confirm who is signed in: the Audit log records this name, marked as typed, not verified.">
              <Input value={name} onChange={(_, data) => setName(data.value)} aria-label="Your name" />
            </Field>
          )}
          {canApprove && blockedBecause && (
            <Text id={APPROVE_BLOCKED} className={styles.blocked} data-testid="approve-blocked">
              {blockedBecause}
            </Text>
          )}
          {canReopen && (
            <Field label="Why reopen" required hint="The Audit log records who reopened the period and why.">
              <Textarea value={why} onChange={(_, data) => setWhy(data.value)} aria-label="Why reopen" resize="vertical" />
            </Field>
          )}
        </section>
      )}
      {view && (canApprove || canReopen) && (
        <div className={`${styles.row} ${styles.actions}`} data-testid="sign-off-actions">
          {canApprove && (
            <Button
              appearance="primary"
              disabled={Boolean(busy) || Boolean(blockedBecause) || reviewerName === ''}
              aria-describedby={blockedBecause ? APPROVE_BLOCKED : undefined}
              onClick={() => void approve()}
            >
              {busy === 'approve' ? 'Approving…' : `Approve ${view.period}`}
            </Button>
          )}
          {canReopen && (
            <Button disabled={Boolean(busy) || why.trim() === '' || reviewerName === ''} onClick={() => void reopen()}>
              {busy === 'reopen' ? 'Reopening…' : `Reopen ${view.period}`}
            </Button>
          )}
        </div>
      )}
    </section>
  );
}

function ApprovalBar({ approval }: { approval: ApprovalView }) {
  const { period, by, time, shortDigest, changedTables } = approval;
  const bars = {
    open: { intent: 'info' as const, title: `${period} is open`, body: 'Not approved yet. Approve when the checks are right: the Audit log records who, when, the totals and a digest of the content.' },
    approved: {
      intent: 'success' as const,
      title: `Approved by ${by}`,
      body: `${period} was approved ${time ? localTime(time) : ''}; content digest ${shortDigest}. The approved sheets are protected: reopen the period to change anything.`,
    },
    changed: {
      intent: 'warning' as const,
      title: changeTitle(approval),
      body: `${period} was approved by ${by}, ${time ? localTime(time) : ''}, but ${changedTables.join(', ') || 'its content'} changed since. Publishing is refused until it is approved again: reopen it, allocate again, then approve.`,
    },
  }[approval.status];
  return (
    <MessageBar intent={bars.intent} layout="multiline" data-testid="approval-state">
      <MessageBarBody>
        <MessageBarTitle>{bars.title}</MessageBarTitle>
        {bars.body}
      </MessageBarBody>
    </MessageBar>
  );
}
