/**
 * Step 6, Budgets: the one-way sync of the workbook's Budgets (and CostCenters.Budget) to Azure
 * Cost Management budgets — the same plan table as `chargeback budgets plan`, with the spend and
 * forecast Azure reports, and an Apply button that writes it and logs it in Audit.
 */
import { Button, Checkbox, Field, Input, makeStyles, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { BudgetsApiError } from '../budgets/budgets-api';
import type { BudgetPlan, FieldChange, PlannedBudget } from '../budgets/plan';
import type { ApplyOutcome } from '../budgets/sync';
import { errorNotice, Notice } from './notice';
import { authorityFor, LoadedPaneConfig, PANE_CONFIG_FILE } from './pane-config';

export interface BudgetsConnection {
  /** Resource Manager: https://management.azure.com unless a sovereign cloud. */
  endpoint: string;
  /** Where rows without a Scope go, instead of Settings BudgetScope; empty for the setting. */
  scope: string;
  /** The app registration the pane signs in with (nested app authentication): the admin's, else the one an admin typed here. */
  clientId: string;
  /** Where to sign in: the admin's tenant, else any work or school account. Comes from the configuration, never saved. */
  authority?: string;
}

export interface BudgetsStepProps {
  plan(connection: BudgetsConnection): Promise<BudgetPlan>;
  apply(connection: BudgetsConnection, prune: boolean): Promise<{ plan: BudgetPlan; outcome: ApplyOutcome }>;
  initial: BudgetsConnection;
  /** The admin's configuration (undefined while it is read): its client id and tenant win over anything typed. */
  config?: LoadedPaneConfig;
  onSaveConnection(connection: BudgetsConnection): void;
  onNotice(notice: Notice | undefined): void;
}

const useStyles = makeStyles({
  step: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  amount: { textAlign: 'right', fontVariantNumeric: 'tabular-nums' },
  detail: { fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2, overflowWrap: 'anywhere' },
});

const ACTIONS = ['create', 'update', 'replace', 'unchanged', 'orphaned', 'skipped'] as const;

/** A notification change in a few words: `+Actual 80%` added, `−Actual 80%` removed, `Actual 80% changed`. */
function notificationChange(change: FieldChange): string {
  const key = change.field.replace(/^notifications\./, '');
  const [type, , threshold] = key.split('_');
  const label = `${type} ${threshold?.replace(/(\d)_(\d)/, '$1.$2') ?? key}%`;
  return change.from === null ? `+${label}` : change.to === null ? `−${label}` : `${label} changed`;
}

function detailOf(action: (typeof ACTIONS)[number], budget: PlannedBudget): string {
  if (budget.changes) {
    return budget.changes
      .map((c) => (c.field.startsWith('notifications.') ? notificationChange(c) : typeof c.from === 'string' || typeof c.to === 'string' ? `${c.field}: ${c.from ?? '(none)'} → ${c.to ?? '(none)'}` : c.field))
      .join('; ');
  }
  if (budget.reason) return budget.reason;
  if (action === 'orphaned') return 'no longer in the workbook: Apply with "delete orphaned" removes it';
  return `${budget.fields.startDate ?? ''} to ${budget.fields.endDate ?? 'open-ended'}${budget.fields.row ? ` (${budget.fields.row})` : ''}`;
}

export function BudgetsStep({ plan, apply, initial, config: loaded, onSaveConnection, onNotice }: BudgetsStepProps) {
  const styles = useStyles();
  const [connection, setConnection] = useState(initial);
  const [prune, setPrune] = useState(false);
  const [shown, setShown] = useState<BudgetPlan>();
  const [busy, setBusy] = useState<'plan' | 'apply'>();
  const set = (key: keyof BudgetsConnection) => (_: unknown, data: { value: string }) => setConnection({ ...connection, [key]: data.value });
  const config = loaded?.config ?? {};
  // As in Publish: the admin's client id always wins, so finance staff are never asked for one.
  const signIn: BudgetsConnection = { ...connection, clientId: config.clientId ?? connection.clientId, authority: authorityFor(config) };

  async function run(what: 'plan' | 'apply') {
    setBusy(what);
    onNotice(undefined);
    onSaveConnection(connection);
    try {
      if (what === 'plan') {
        const result = await plan(signIn);
        setShown(result);
        onNotice({ intent: 'info', title: 'Budgets planned', body: `${result.create.length} to create, ${result.update.length} to update, ${result.replace.length} to replace, ${result.unchanged.length} unchanged, ${result.orphaned.length} orphaned. Nothing was written.` });
      } else {
        const { outcome } = await apply(signIn, prune);
        setShown(await plan(signIn));
        const done = outcome.applied.filter((a) => a.action !== 'unchanged' && a.action !== 'skipped');
        onNotice({ intent: 'success', title: `Budgets applied: ${outcome.writes} write${outcome.writes === 1 ? '' : 's'}`, body: `${done.map((a) => `${a.action} ${a.name}`).join(', ') || 'Nothing to change'}. The Audit sheet has the apply.` });
      }
    } catch (error) {
      // Azure's refusals say which role is missing where; rule problems come with links to their cells.
      if (error instanceof BudgetsApiError) {
        onNotice({ intent: 'error', title: 'Azure refused', body: `${error.message.charAt(0).toUpperCase()}${error.message.slice(1)}. Nothing was written to the workbook; budgets already written stay as they are.` });
      } else onNotice(errorNotice(error, 'rules'));
    } finally {
      setBusy(undefined);
    }
  }

  const rows = shown ? ACTIONS.flatMap((action) => shown[action].map((budget) => ({ action, budget }))) : [];
  return (
    <section className={styles.step} aria-label="Budgets">
      <Text>Pushes the Budgets table (and each cost center's monthly Budget) to Azure Cost Management budgets, so teams get Azure's alerts on actual and forecast spend. Plan first: nothing is written until you apply.</Text>
      {/* Only when the deployment names no app registration: an admin's field, never finance staff's. */}
      {!config.clientId && (
        <Field label="App registration client id (admins)" hint={`Normally set once for everyone as clientId in ${PANE_CONFIG_FILE} beside the pane (docs/budgets.md).`}>
          <Input value={connection.clientId} onChange={set('clientId')} />
        </Field>
      )}
      <Field label="Default scope" hint="Leave empty for the BudgetScope setting"><Input value={connection.scope} onChange={set('scope')} placeholder="/subscriptions/…" /></Field>
      <Field label="Resource Manager"><Input value={connection.endpoint} onChange={set('endpoint')} /></Field>
      <Checkbox checked={prune} onChange={(_, data) => setPrune(data.checked === true)} label="Delete orphaned budgets (ours, no longer in the workbook)" />
      <div style={{ display: 'flex', gap: tokens.spacingHorizontalS }}>
        <Button disabled={Boolean(busy)} onClick={() => void run('plan')}>{busy === 'plan' ? 'Planning…' : 'Plan'}</Button>
        <Button appearance="primary" disabled={Boolean(busy) || !shown} onClick={() => void run('apply')}>{busy === 'apply' ? 'Applying…' : 'Apply'}</Button>
      </div>
      {shown && (
        <Table size="small" aria-label="Budgets plan" data-testid="budgets-plan">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Budget</TableHeaderCell>
              <TableHeaderCell>Plan</TableHeaderCell>
              <TableHeaderCell className={styles.amount}>Amount</TableHeaderCell>
              <TableHeaderCell className={styles.amount}>Spent</TableHeaderCell>
              <TableHeaderCell className={styles.amount}>Forecast</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map(({ action, budget }) => (
              <TableRow key={`${action}|${budget.scope}|${budget.name}`} data-testid="budget-row">
                <TableCell>
                  <div>{budget.name}</div>
                  <div className={styles.detail}>{detailOf(action, budget)}</div>
                </TableCell>
                <TableCell>{action}</TableCell>
                <TableCell className={styles.amount}>{budget.fields.amount ?? ''}</TableCell>
                <TableCell className={styles.amount}>{budget.fields.currentSpend ?? ''}</TableCell>
                <TableCell className={styles.amount}>{budget.fields.forecastSpend ?? ''}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}
