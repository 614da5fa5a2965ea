/**
 * The task pane: Data → Rules → Allocate → Review → Publish, each step available again at any time. It gets its
 * host (the workbook gateway and friends) as a prop, so it runs in Excel and on the harness page.
 */
import {
  FluentProvider,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Subtitle1,
  Caption1,
  Tab,
  TabList,
  tokens,
  webLightTheme,
} from '@fluentui/react-components';
import { useEffect, useMemo, useState } from 'react';
import type { RuleTables } from '../core/rules';
import { AllocateStep } from './AllocateStep';
import { DataStep } from './DataStep';
import type { TaskPaneHost } from './host';
import type { Notice } from './notice';
import { taskPaneOperations } from './operations';
import { ProblemList } from './problems';
import { ReviewStep } from './ReviewStep';
import type { ApprovalView } from './review-view';
import { RulesStep } from './RulesStep';
import { PublishStep } from './PublishStep';
import { BudgetsStep } from './BudgetsStep';
import { budgetsOperations, loadBudgetsConnection, saveBudgetsConnection } from './budgets';
import { loadSharePointSettings, saveSharePointSettings } from './shares';

type Step = 'data' | 'rules' | 'allocate' | 'review' | 'publish' | 'budgets';
type Lock = Pick<ApprovalView, 'period' | 'by' | 'time'>;

const useStyles = makeStyles({
  pane: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, padding: tokens.spacingHorizontalM, minHeight: '100vh', boxSizing: 'border-box' },
  header: { display: 'flex', flexDirection: 'column' },
});

export function App({ host }: { host: TaskPaneHost }) {
  const styles = useStyles();
  const ops = useMemo(() => taskPaneOperations(host), [host]);
  const [step, setStep] = useState<Step>('data');
  const [notice, setNotice] = useState<Notice>();
  const [period, setPeriod] = useState<string>();
  const [sampleRules, setSampleRules] = useState<RuleTables>();
  // Read once: the Publish step takes them as its initial state and saves changes itself.
  const [sharePointSettings] = useState(loadSharePointSettings);
  // The approval in force: Data, Rules and Allocate say the period is locked (Publish needs it).
  const [lock, setLock] = useState<Lock>();
  // Each time the pane is shown again (the page outlives it in Excel), the lock and the review are read afresh.
  const [shown, setShown] = useState(0);
  useEffect(() => void ops.lock().then(setLock, () => undefined), [ops, shown]);
  useEffect(() => host.onShown?.(() => setShown((n) => n + 1)), [host]);

  return (
    <FluentProvider theme={webLightTheme}>
      <main className={styles.pane}>
        <header className={styles.header}>
          <Subtitle1 as="h1">Chargeback</Subtitle1>
          <Caption1>Allocate the month's cloud bill to cost centers, reconciled to the cent.</Caption1>
        </header>
        <TabList
          selectedValue={step}
          onTabSelect={(_, data) => {
            setStep(data.value as Step);
            setNotice(undefined);
          }}
        >
          <Tab value="data">1. Data</Tab>
          <Tab value="rules">2. Rules</Tab>
          <Tab value="allocate">3. Allocate</Tab>
          <Tab value="review">4. Review</Tab>
          {host.openShare && <Tab value="publish">5. Publish</Tab>}
          {host.azureToken && <Tab value="budgets">6. Budgets</Tab>}
        </TabList>
        {notice && (
          <MessageBar intent={notice.intent} layout="multiline" data-testid="notice">
            <MessageBarBody>
              <MessageBarTitle>{notice.title}</MessageBarTitle>
              {notice.body}
              {notice.problems && <ProblemList problems={notice.problems} onSelect={(p) => void ops.selectCell(p.table, p.row, p.column)} />}
            </MessageBarBody>
          </MessageBar>
        )}
        {lock && (step === 'data' || step === 'rules' || step === 'allocate') && (
          <MessageBar intent="warning" layout="multiline" data-testid="period-locked">
            <MessageBarBody>
              <MessageBarTitle>{`${lock.period} is approved`}</MessageBarTitle>
              {`By ${lock.by} at ${lock.time} (UTC). Pulling, loading rules and allocating are locked; reopen the period in Review to change anything.`}
            </MessageBarBody>
          </MessageBar>
        )}
        {/* Steps stay mounted, so going back to one keeps what it showed. */}
        <div hidden={step !== 'data'}>
          <DataStep
            ops={ops}
            ingest={host.ingest}
            loadSample={host.loadSample}
            onNotice={setNotice}
            onPulled={(pulled, rules) => {
              setPeriod(pulled);
              setSampleRules(rules);
            }}
          />
        </div>
        <div hidden={step !== 'rules'}>
          <RulesStep ops={ops} sampleRules={sampleRules} onNotice={setNotice} />
        </div>
        <div hidden={step !== 'allocate'}>
          <AllocateStep ops={ops} period={period} onNotice={setNotice} />
        </div>
        <div hidden={step !== 'review'}>
          <ReviewStep ops={ops} reviewer={host.reviewer} active={step === 'review'} shown={shown} onNotice={setNotice} onApproval={(a) => setLock(a.status === 'open' ? undefined : a)} />
        </div>
        {host.openShare && (
          <div hidden={step !== 'publish'}>
            <PublishStep ops={ops} sharePointSettings={sharePointSettings} onSaveSettings={saveSharePointSettings} onNotice={setNotice} />
          </div>
        )}
        {host.azureToken && (
          <div hidden={step !== 'budgets'}>
            <BudgetsStep {...budgetsOperations(host)} initial={loadBudgetsConnection()} onSaveConnection={saveBudgetsConnection} onNotice={setNotice} />
          </div>
        )}
      </main>
    </FluentProvider>
  );
}
