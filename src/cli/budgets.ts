/**
 * `chargeback budgets plan|apply`: the one-way sync of the workbook's budgets to Cost Management.
 * Rules from a workbook get an Audit row for each apply; rules from JSON have no log to write to.
 */
import { parseRules } from '../core/rules';
import { BudgetsApi, BudgetsApiError, DEFAULT_ENDPOINT } from '../budgets/budgets-api';
import { BudgetPlan, PlannedBudget, planJson } from '../budgets/plan';
import { parseScope, SCOPE_FORMS } from '../budgets/scopes';
import { ApplyOutcome, applyBudgetPlan, planBudgetSync } from '../budgets/sync';
import { applyWorkbookBudgets, currentMonthOf, planWorkbookBudgets } from '../workbook/budgets';
import { managementToken } from './azure-sign-in';
import { cliUser, loadRuleTables, openWorkbook, UsageError, writeFileAtomically } from './commands';
import { InputError } from './failures';

type Values = Record<string, string | string[] | boolean | undefined>;

const OPTIONS = {
  rules: { type: 'string' },
  scope: { type: 'string' },
  endpoint: { type: 'string' },
  json: { type: 'boolean' },
  prune: { type: 'boolean' },
} as const;

interface BudgetRun {
  rules: string;
  scope?: string;
  json: boolean;
  prune: boolean;
  api: BudgetsApi;
  user: string;
}

function budgetRun(values: Values): BudgetRun {
  const rules = values.rules;
  if (typeof rules !== 'string' || rules === '') throw new UsageError('--rules is required (a chargeback workbook .xlsx or rules .json)');
  const scopeText = typeof values.scope === 'string' ? values.scope : undefined;
  const scope = scopeText === undefined ? undefined : parseScope(scopeText);
  if (scopeText !== undefined && !scope) throw new UsageError(`--scope "${scopeText}" is not a scope a budget can live at: use ${SCOPE_FORMS}`);
  const endpoint = typeof values.endpoint === 'string' ? values.endpoint : DEFAULT_ENDPOINT;
  if (!/^https?:\/\/[^/]+/i.test(endpoint)) throw new UsageError(`--endpoint must be a URL such as ${DEFAULT_ENDPOINT}, not "${endpoint}"`);
  // Refused here (plain http to another machine, a password in it) before any token is asked for.
  let api: BudgetsApi;
  try {
    api = new BudgetsApi({ endpoint, token: managementToken(endpoint) });
  } catch (error) {
    if (error instanceof BudgetsApiError) throw new InputError(error.message);
    throw error;
  }
  return {
    rules,
    scope: scope?.id,
    json: values.json === true,
    prune: values.prune === true,
    api,
    user: cliUser(),
  };
}

const isWorkbook = (file: string) => file.toLowerCase().endsWith('.xlsx');

/** Azure's refusals (sign-in, role, throttling) are the user's to act on: exit 1 with the message. */
async function azureCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof BudgetsApiError) throw new InputError(error.message);
    throw error;
  }
}

async function plan(run: BudgetRun): Promise<BudgetPlan> {
  const context = { user: run.user };
  if (isWorkbook(run.rules)) return planWorkbookBudgets(await openWorkbook(run.rules), run.api, context, { scope: run.scope });
  const tables = await loadRuleTables(run.rules);
  return planBudgetSync(run.api, tables, parseRules(tables), { currentMonth: currentMonthOf(context), scope: run.scope });
}

async function apply(run: BudgetRun): Promise<{ plan: BudgetPlan; outcome: ApplyOutcome }> {
  const context = { user: run.user };
  if (isWorkbook(run.rules)) {
    const gateway = await openWorkbook(run.rules);
    const logged = async () => (await gateway.readTable('Audit'))?.rows.length ?? 0;
    const before = await logged();
    try {
      // The intent is saved before the first write to Azure, so a killed apply leaves a log that names what Azure may hold.
      const persist = async () => writeFileAtomically(run.rules, await gateway.toBytes());
      return await applyWorkbookBudgets(gateway, run.api, context, { scope: run.scope, prune: run.prune, persist });
    } finally {
      // Written whenever apply logged something, also when it stopped part-way: Azure keeps what it was sent.
      if ((await logged()) > before) await writeFileAtomically(run.rules, await gateway.toBytes());
    }
  }
  const budgetPlan = await plan(run);
  return { plan: budgetPlan, outcome: await applyBudgetPlan(run.api, budgetPlan, { prune: run.prune }) };
}

function spendText(p: PlannedBudget): string {
  const { currentSpend, forecastSpend, unit } = p.fields;
  if (currentSpend === undefined && forecastSpend === undefined) return '';
  return `; Azure: spent ${currentSpend ?? '?'}${forecastSpend !== undefined ? `, forecast ${forecastSpend}` : ''}${unit ? ` ${unit}` : ''}`;
}

function describePlanned(action: string, p: PlannedBudget): string {
  const f = p.fields;
  const head = `  ${action.padEnd(10)} ${p.name}  ${p.scope || '(no scope)'}`;
  const amount = f.amount ? `\n             ${f.amount} a month, ${f.startDate ?? '?'} to ${f.endDate ?? 'open-ended'}${f.row ? ` (${f.row})` : ''}${spendText(p)}` : '';
  const changes = (p.changes ?? []).map((c) => `\n             ${c.field}: ${short(c.from)} → ${short(c.to)}`).join('');
  const reason = p.reason ? `\n             ${p.reason}` : '';
  return head + amount + changes + reason;
}

function short(value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && 'threshold' in (value as object)) {
    const n = value as { thresholdType?: string; threshold: number; contactEmails?: string[]; contactGroups?: string[] };
    return `${n.thresholdType ?? 'Actual'} ${n.threshold}% to ${[...(n.contactEmails ?? []), ...(n.contactGroups ?? [])].join(', ') || 'nobody'}`;
  }
  return JSON.stringify(value);
}

export function describePlan(plan: BudgetPlan): string {
  const lines: string[] = [];
  const section = (action: string, list: PlannedBudget[]) => list.forEach((p) => lines.push(describePlanned(action, p)));
  section('create', plan.create);
  section('update', plan.update);
  section('replace', plan.replace);
  section('unchanged', plan.unchanged);
  section('orphaned', plan.orphaned);
  section('skipped', plan.skipped);
  const counts = `${plan.create.length} to create, ${plan.update.length} to update, ${plan.replace.length} to replace, ${plan.unchanged.length} unchanged, ${plan.orphaned.length} orphaned (deleted only with --prune)`;
  return `Budgets plan: ${counts}\n${lines.join('\n')}\n`;
}

function describeOutcome(outcome: ApplyOutcome): string {
  const lines = outcome.applied.filter((a) => a.action !== 'unchanged' && a.action !== 'skipped').map((a) => `  ${a.action.padEnd(10)} ${a.name}  ${a.scope}${a.detail ? ` (${a.detail})` : ''}`);
  const unchanged = outcome.applied.filter((a) => a.action === 'unchanged').length;
  const kept = outcome.orphaned.map((o) => `  kept       ${o.name}  ${o.scope} (orphaned: --prune deletes it)`);
  return `Budgets applied: ${outcome.writes} write${outcome.writes === 1 ? '' : 's'} to Cost Management, ${unchanged} unchanged\n${[...lines, ...kept].join('\n')}${lines.length + kept.length > 0 ? '\n' : ''}`;
}

export const budgetCommands = {
  'budgets plan': {
    options: OPTIONS,
    action: async (values: Values) => {
      const run = budgetRun(values);
      const result = await azureCall(() => plan(run));
      process.stdout.write(run.json ? JSON.stringify(planJson(result)) + '\n' : describePlan(result));
    },
  },
  'budgets apply': {
    options: OPTIONS,
    action: async (values: Values) => {
      const run = budgetRun(values);
      const { plan: result, outcome } = await azureCall(() => apply(run));
      if (run.json) process.stdout.write(JSON.stringify({ ...planJson(result), applied: outcome.applied, writes: outcome.writes }) + '\n');
      else process.stdout.write(describeOutcome(outcome));
    },
  },
};
