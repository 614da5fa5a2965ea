/**
 * The task pane: the steps of PANE_STEPS (Data → Rules → Allocate → Review → Publish → Budgets),
 * each available again at any time, under a status header that says where the month-end stands
 * and what comes next. It gets its host (the workbook gateway and friends) as a prop, so it runs in
 * Excel and on the harness page.
 */
import { Button, Caption1, FluentProvider, Link, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Subtitle1, Subtitle2, Tab, TabList, Text, tokens } from '@fluentui/react-components';
import { ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import type { RuleTables } from '../core/rules';
import { AllocateStep } from './AllocateStep';
import { BudgetsStep } from './BudgetsStep';
import { budgetsOperations, loadBudgetsConnection, saveBudgetsConnection } from './budgets';
import { DataStep } from './DataStep';
import { hubOperations } from './hub';
import type { TaskPaneHost } from './host';
import type { Notice } from './notice';
import { taskPaneOperations } from './operations';
import { localTime, nextStep, offeredSteps, StepId, stepLabel } from './pane-steps';
import { paneStatus, PaneStatus } from './pane-status';
import { approvalPolicyFor, authorityFor, type LoadedPaneConfig } from './pane-config';
import { DEFAULT_POLICY } from '../core/approval-policy';
import { ProblemList } from './problems';
import type { ApprovalView } from './review-view';
import { PublishStep } from './PublishStep';
import { ReviewStep } from './ReviewStep';
import { RulesStep } from './RulesStep';
import { loadSharePointSettings, saveSharePointSettings } from './shares';
import { usePaneIdentity } from './use-identity';
import { browserThemeEnvironment, onThemeMediaChange, OfficeThemeLike, paneTheme } from './theme';

const useStyles = makeStyles({
  pane: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, padding: tokens.spacingHorizontalM, minHeight: '100vh', boxSizing: 'border-box', minWidth: 0, overflowWrap: 'anywhere',
    // Fluent's inputs, drop-downs and buttons keep a minimum width made for wider pages: here they
    // shrink to the pane (a 320 px pane at 200% zoom is 160 CSS px), and button labels wrap.
    '& .fui-Input, & .fui-Dropdown, & .fui-Textarea, & .fui-Combobox': { minWidth: 0, maxWidth: '100%' },
    '& .fui-Input__input, & .fui-Dropdown__button': { minWidth: 0 },
    '& .fui-Button': { maxWidth: '100%', minWidth: 0 },
  },
  header: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  status: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalS },
  // The tabs wrap onto a second line rather than scroll sideways in a narrow pane or at 200% zoom.
  tabs: { flexWrap: 'wrap' },
  notice: { outlineStyle: 'none' },
  // Text components are inline: the heading and the line under it each take their own line.
  heading: { display: 'block', margin: 0 },
  writes: { display: 'block', color: tokens.colorNeutralForeground3, margin: `0 0 ${tokens.spacingVerticalS}` },
});

/** The status as Review last found it: approved, changed since, or open (allocated). Published stays until a change. */
function approvalStatus(approval: ApprovalView, status: PaneStatus): Partial<PaneStatus> {
  const approved = approval.by && approval.time ? { by: approval.by, time: approval.time } : undefined;
  if (approval.status === 'open') return { period: approval.period, state: 'allocated', approved: undefined, version: undefined };
  if (approval.status === 'changed') return { period: approval.period, state: 'changed since approval', approved };
  return { period: approval.period, state: status.state === 'published' && status.period === approval.period ? 'published' : 'approved', approved };
}

const LOCKED_REASON = 'period-locked-reason';
const NEEDS_REASON = 'step-needs-reason';

export function App({ host, officeTheme }: { host: TaskPaneHost; officeTheme?: OfficeThemeLike }) {
  const styles = useStyles();
  const { identity, user, nameDialog } = usePaneIdentity(host.reviewer);
  // The admin's configuration, read once: its sign-off policy is awaited before any approval or publish.
  const configLoad = useMemo(() => host.loadConfig?.(), [host]);
  const policy = useMemo(() => async () => (configLoad ? approvalPolicyFor(await configLoad) : DEFAULT_POLICY), [configLoad]);
  const ops = useMemo(() => taskPaneOperations(host, user, policy), [host, user, policy]);
  const budgets = useMemo(() => budgetsOperations(host, user), [host, user]);
  const [config, setConfig] = useState<LoadedPaneConfig>();
  useEffect(() => void configLoad?.then(setConfig), [configLoad]);
  // The hub signs in with the admin's app registration and tenant, as Budgets and Publish do.
  const registration = useRef<{ clientId?: string; authority?: string }>({});
  registration.current = config ? { clientId: config.config.clientId, authority: authorityFor(config.config) } : {};
  const hub = useMemo(() => (host.hubToken ? hubOperations(host, () => registration.current) : undefined), [host]);
  const steps = useMemo(() => offeredSteps(host), [host]);
  const [step, setStep] = useState<StepId>('data');
  const [notice, setNotice] = useState<Notice>();
  const [period, setPeriod] = useState<string>();
  const [sampleRules, setSampleRules] = useState<RuleTables>();
  const [costsPulled, setCostsPulled] = useState(0);
  // Read once: the Publish step takes them as its initial state and saves changes itself.
  const [sharePointSettings] = useState(loadSharePointSettings);
  const [status, setStatus] = useState<PaneStatus>({ state: 'no data', hasCosts: false, hasRules: false });
  // Each time the pane is shown again (the page outlives it in Excel), the status and the review are read afresh.
  const [shown, setShown] = useState(0);
  const [theme, setTheme] = useState(() => paneTheme(browserThemeEnvironment(officeTheme)));
  useEffect(() => onThemeMediaChange(() => setTheme(paneTheme(browserThemeEnvironment(officeTheme)))), [officeTheme]);
  // Read from the workbook on opening, when shown again and after publishing; between those, each
  // step's outcome updates it (so a step's own requests to Excel stay as few as they were).
  const refresh = () => void paneStatus(host.gateway).then(setStatus, () => undefined);
  useEffect(refresh, [host, shown]);
  const update = (change: Partial<PaneStatus>) => setStatus((s) => ({ ...s, ...change }));
  useEffect(() => host.onShown?.(() => setShown((n) => n + 1)), [host]);

  // Focus moves to the outcome, so keyboard and screen reader users land on what happened.
  const noticeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  const open = (id: StepId) => {
    setStep(id);
    setNotice(undefined);
  };
  const current = steps.find((s) => s.id === step)!;
  const needs = current.needs?.(status);
  const lockedStill = current.lockedWhileApproved && status.approved ? status.approved : undefined;
  const blockedBy = lockedStill ? LOCKED_REASON : needs ? NEEDS_REASON : undefined;
  const next = nextStep(status, steps);
  const stateText = status.state === 'published' ? `published (version ${status.version})` : status.state;

  const panels: Record<StepId, ReactNode> = {
    data: (
      <DataStep
        ops={ops}
        ingest={host.ingest}
        loadSample={host.loadSample}
        onNotice={setNotice}
        hub={hub}
        lockedBy={step === 'data' && lockedStill ? LOCKED_REASON : undefined}
        allocatedPeriod={status.state !== 'no data' && status.state !== 'pulled' ? status.period : undefined}
        onPulled={(pulled, rules) => {
          setCostsPulled((n) => n + 1);
          update({ hasCosts: true, period: pulled ?? status.period, state: 'pulled', approved: undefined, version: undefined });
          setPeriod(pulled);
          setSampleRules(rules);
        }}
      />
    ),
    rules: <RulesStep ops={ops} sampleRules={sampleRules} onNotice={setNotice} onRulesWritten={() => update({ hasRules: true })} />,
    allocate: <AllocateStep ops={ops} period={period} onNotice={setNotice} blockedBy={step === 'allocate' ? blockedBy : undefined} onAllocated={(allocated) => update({ period: allocated, state: 'allocated', hasCosts: true, hasRules: true })} costsPulled={costsPulled} />,
    review: <ReviewStep ops={ops} reviewer={host.reviewer} identity={identity} policy={config ? approvalPolicyFor(config) : configLoad ? undefined : DEFAULT_POLICY} active={step === 'review'} shown={shown} onNotice={setNotice} onApproval={(a) => update(approvalStatus(a, status))} />,
    publish: <PublishStep key={config ? 'configured' : 'reading configuration'} ops={ops} config={config} sharePointSettings={sharePointSettings} onSaveSettings={saveSharePointSettings} onNotice={setNotice} onPublished={refresh} blockedBy={step === 'publish' && needs ? NEEDS_REASON : undefined} />,
    budgets: <BudgetsStep {...budgets} initial={loadBudgetsConnection()} config={config} onSaveConnection={saveBudgetsConnection} onNotice={setNotice} />,
  };

  return (
    <FluentProvider theme={theme}>
      <main className={styles.pane}>
        <header className={styles.header}>
          <Subtitle1 as="h1">Chargeback</Subtitle1>
          <div className={styles.status} data-testid="status">
            <Text role="status">
              {status.period ? <Text weight="semibold">{status.period}</Text> : null}
              {status.period ? ': ' : ''}
              <span data-testid="status-state">{stateText}</span>
            </Text>
            {next && next.id !== step && (
              <Button size="small" appearance="primary" onClick={() => open(next.id)}>
                {`Next: ${stepLabel(steps, next.id)}`}
              </Button>
            )}
          </div>
        </header>
        <TabList className={styles.tabs} size="small" selectedValue={step} onTabSelect={(_, data) => open(data.value as StepId)} aria-label="Month-end steps">
          {steps.map((s) => (
            <Tab key={s.id} value={s.id}>
              {stepLabel(steps, s.id)}
            </Tab>
          ))}
        </TabList>
        <div ref={noticeRef} tabIndex={-1} className={styles.notice} role={notice?.intent === 'error' ? 'alert' : 'status'} data-testid="notice-region">
          {notice && (
            <MessageBar intent={notice.intent} layout="multiline" data-testid="notice">
              <MessageBarBody>
                <MessageBarTitle>{notice.title}</MessageBarTitle>
                {notice.body}
                {notice.problems && <ProblemList problems={notice.problems} onSelect={(p) => void ops.selectCell(p.table, p.row, p.column)} />}
              </MessageBarBody>
            </MessageBar>
          )}
        </div>
        {lockedStill && (
          <MessageBar intent="warning" layout="multiline" data-testid="period-locked">
            <MessageBarBody id={LOCKED_REASON}>
              <MessageBarTitle>{`${status.period} is approved`}</MessageBarTitle>
              {`By ${lockedStill.by}, ${localTime(lockedStill.time)}. Pulling and allocating are locked; reopen the period in ${stepLabel(steps, 'review')} to change anything.`}
            </MessageBarBody>
          </MessageBar>
        )}
        {needs && !lockedStill && (
          <MessageBar intent="info" layout="multiline" data-testid="step-needs">
            <MessageBarBody id={NEEDS_REASON}>
              {`${needs.why} Start with `}
              <Link as="button" onClick={() => open(needs.first)}>
                {stepLabel(steps, needs.first)}
              </Link>
              .
            </MessageBarBody>
          </MessageBar>
        )}
        {/* Steps stay mounted, so going back to one keeps what it showed. */}
        {steps.map((s) => (
          <div key={s.id} hidden={step !== s.id} role="tabpanel" aria-label={s.heading}>
            <Subtitle2 as="h2" className={styles.heading}>
              {s.heading}
            </Subtitle2>
            <Caption1 as="p" className={styles.writes}>
              {s.writes}
            </Caption1>
            {panels[s.id]}
          </div>
        ))}
        {nameDialog}
      </main>
    </FluentProvider>
  );
}
