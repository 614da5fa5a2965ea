/**
 * Step 4, Review: the checks a reviewer reads before sign-off (what blocks first), the approval
 * state, Approve (refused while a check blocks) and Reopen (with a reason). The checks run again
 * each time the step opens, so an edit made in the workbook meanwhile shows up.
 */
import { Button, Caption1, Field, Input, Link, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Text, Textarea, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { CheckSeverity, ReviewCheck } from '../core/review';
import type { ReviewerName } from './host';
import { errorNotice, Notice } from './notice';
import { grouped, ReviewView, TaskPaneOperations } from './operations';
import { approveBlockedBecause, ApprovalView, groupChecks } from './review-view';
import { useStepAction } from './step-action';
import { localTime } from './pane-steps';

export interface ReviewStepProps {
  ops: Pick<TaskPaneOperations, 'review' | 'approve' | 'reopen' | 'selectCheck'>;
  reviewer: ReviewerName;
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
  checks: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  check: { display: 'flex', flexDirection: 'column', paddingLeft: tokens.spacingHorizontalS, borderLeftWidth: '3px', borderLeftStyle: 'solid' },
  Blocking: { borderLeftColor: tokens.colorPaletteRedBorder2 },
  Warning: { borderLeftColor: tokens.colorPaletteMarigoldBorder2 },
  OK: { borderLeftColor: tokens.colorPaletteGreenBorder2 },
  Info: { borderLeftColor: tokens.colorNeutralStroke1 },
  headline: { display: 'flex', justifyContent: 'space-between', gap: tokens.spacingHorizontalS },
  figure: { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' },
  detail: { color: tokens.colorNeutralForeground3 },
  blocked: { color: tokens.colorPaletteRedForeground1 },
});

export function ReviewStep({ ops, reviewer, active, shown, onNotice, onApproval }: ReviewStepProps) {
  const styles = useStyles();
  const { busy, attempt } = useStepAction<'review' | 'approve' | 'reopen'>('review', onNotice);
  const [view, setView] = useState<ReviewView>();
  const [signedIn, setSignedIn] = useState<string>();
  const [name, setName] = useState(() => reviewer.remembered());
  const [why, setWhy] = useState('');

  useEffect(() => {
    void reviewer.signedIn().then(setSignedIn);
  }, [reviewer]);

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

  const reviewerName = (signedIn ?? name).trim();

  const approve = () =>
    attempt('approve', async () => {
      if (!signedIn) reviewer.remember(reviewerName);
      const approved = await ops.approve(reviewerName);
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
      const approval = await ops.reopen(reviewerName, why);
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
  const blockedBecause = view ? approveBlockedBecause(view.checks, approval) : undefined;
  return (
    <section className={styles.step} aria-label="Review">
      <Text>Runs the allocation again on the workbook and lists what to look at before you approve. The checks are also written to the Review sheet; each link selects the rows behind it.</Text>
      <div className={styles.row}>
        <Button disabled={Boolean(busy)} onClick={() => void attempt('review', check)}>
          {busy === 'review' ? 'Checking…' : 'Check again'}
        </Button>
      </div>
      {approval && <ApprovalBar approval={approval} />}
      {view &&
        groupChecks(view.checks).map((group) => (
          <section key={group.severity} className={styles.group} aria-label={group.title} data-testid={`checks-${group.severity}`}>
            <Text as="h3" weight="semibold" size={300}>{`${group.title} (${group.checks.length})`}</Text>
            <ul className={styles.checks}>
              {group.checks.map((c, index) => (
                <CheckItem key={index} check={c} className={`${styles.check} ${styles[c.severity as CheckSeverity]}`} onSelect={() => void ops.selectCheck(c).catch((error) => onNotice(errorNotice(error, 'review')))} />
              ))}
            </ul>
          </section>
        ))}
      {view && (
        <section className={styles.group} aria-label="Sign-off">
          <Text as="h3" weight="semibold" size={300}>
            Sign-off
          </Text>
          {signedIn ? (
            <Text data-testid="signed-in">{`Signed in as ${signedIn}`}</Text>
          ) : (
            <Field label="Your name" required hint="Excel does not tell add-ins who is signed in; the Audit log records this name.">
              <Input value={name} onChange={(_, data) => setName(data.value)} aria-label="Your name" />
            </Field>
          )}
          {approval?.status !== 'approved' && (
            <>
              <div className={styles.row}>
                <Button appearance="primary" disabled={Boolean(busy) || Boolean(blockedBecause) || reviewerName === ''} onClick={() => void approve()}>
                  {busy === 'approve' ? 'Approving…' : `Approve ${view.period}`}
                </Button>
              </div>
              {blockedBecause && (
                <Text className={styles.blocked} data-testid="approve-blocked">
                  {blockedBecause}
                </Text>
              )}
            </>
          )}
          {approval && approval.status !== 'open' && (
            <>
              <Field label="Why reopen" required hint="The Audit log records who reopened the period and why.">
                <Textarea value={why} onChange={(_, data) => setWhy(data.value)} aria-label="Why reopen" resize="vertical" />
              </Field>
              <div className={styles.row}>
                <Button disabled={Boolean(busy) || why.trim() === '' || reviewerName === ''} onClick={() => void reopen()}>
                  {busy === 'reopen' ? 'Reopening…' : `Reopen ${view.period}`}
                </Button>
              </div>
            </>
          )}
        </section>
      )}
    </section>
  );
}

function CheckItem({ check, className, onSelect }: { check: ReviewCheck; className: string; onSelect: () => void }) {
  const styles = useStyles();
  return (
    <li className={className} data-testid="check">
      <div className={styles.headline}>
        <Text weight="semibold">{`${check.check}${check.subject ? ` · ${check.subject}` : ''}`}</Text>
        <Text className={styles.figure} data-testid="check-figure">
          {grouped(check.figure)}
        </Text>
      </div>
      <Caption1 className={styles.detail}>{check.detail}</Caption1>
      {check.where && (
        <Caption1>
          <Link as="button" onClick={onSelect} title="Select the rows behind this check in the workbook">
            {check.where}
          </Link>
        </Caption1>
      )}
    </li>
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
      title: 'Changed since approval',
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
