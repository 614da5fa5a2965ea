/**
 * The one-way sync: read what Azure has at the scopes the workbook names, plan, and apply the plan.
 * Every write reads the budget first and re-plans it from what it reads, so a budget changed by
 * someone else meanwhile is neither overwritten blindly (the PUT carries the eTag as read) nor
 * written when it already matches; a 412 or 409 means read and plan again.
 */
import { RuleError, Rules, RuleTables } from '../core/rules';
import { AzureBudget, DesiredBudget } from './budget';
import { BudgetsApi, ConcurrencyError } from './budgets-api';
import { budgetName, desiredBudgets } from './desired';
import { BudgetPlan, budgetProperties, planBudgets, planOne } from './plan';
import { parseScope, scopeOfBudgetId } from './scopes';

export interface SyncOptions {
  /** The month the plan is made in (`YYYY-MM`), from the clock unless a test fixes it. */
  currentMonth: string;
  /** `--scope`: the default scope for rows that name none. */
  scope?: string;
}

/** Reads the budgets at every scope the workbook's budgets use, and plans the sync. */
export async function planBudgetSync(api: BudgetsApi, tables: RuleTables, rules: Rules, options: SyncOptions): Promise<BudgetPlan> {
  const outcome = desiredBudgets(tables, rules, options);
  if (outcome.problems.length > 0) throw new RuleError(outcome.problems);
  const scopes: string[] = [];
  const defaultScope = parseScope(options.scope ?? rules.settings.budgetScope ?? '');
  for (const scope of [...outcome.budgets.map((b) => b.scope.id), ...(defaultScope ? [defaultScope.id] : [])]) {
    if (!scopes.some((s) => s.toLowerCase() === scope.toLowerCase())) scopes.push(scope);
  }
  // A subscription's listing includes its resource groups' budgets, which may be listed at their own scope too.
  const existing = new Map<string, AzureBudget>();
  for (const budget of (await Promise.all(scopes.map((scope) => api.list(scope)))).flat()) {
    existing.set(`${scopeOfBudgetId(budget.id)}/${budget.name}`.toLowerCase(), budget);
  }
  const plan = planBudgets(outcome.budgets, [...existing.values()], scopes);
  for (const skipped of outcome.notPushed) {
    plan.skipped.push({ name: budgetName(skipped.costCenter, 'Budget'), scope: '', fields: { costCenter: skipped.costCenter, kind: 'Budget', row: `${skipped.source.table} row ${skipped.source.row}` }, reason: skipped.reason });
  }
  return plan;
}

export interface ApplyOptions {
  /** Delete orphaned budgets (ours by name, no longer in the workbook). */
  prune?: boolean;
  /** Re-reads after a 412/409 before giving up. */
  attempts?: number;
  /** Filled as budgets are done, so a caller still knows what was written when apply stops part-way. */
  applied?: AppliedBudget[];
}

export interface AppliedBudget {
  name: string;
  scope: string;
  /** What was done, after re-reading: the plan may have gone stale. */
  action: 'created' | 'updated' | 'replaced' | 'deleted' | 'unchanged' | 'skipped';
  detail?: string;
}

export interface ApplyOutcome {
  applied: AppliedBudget[];
  /** Orphaned budgets left in place (no --prune). */
  orphaned: { name: string; scope: string }[];
  /** Writes Azure accepted (PUT, DELETE). */
  writes: number;
}

/** Makes the budget in Azure match the desired one: read, plan, write with the eTag read; again on 412/409. */
async function syncOne(api: BudgetsApi, desired: DesiredBudget, attempts: number): Promise<AppliedBudget> {
  const where = { name: desired.name, scope: desired.scope.id };
  for (let attempt = 1; ; attempt++) {
    const existing = await api.get(desired.scope.id, desired.name);
    const { action, planned } = planOne(desired, existing);
    try {
      switch (action) {
        case 'unchanged':
          return { ...where, action: 'unchanged' };
        case 'skipped':
          return { ...where, action: 'skipped', detail: planned.reason };
        case 'create':
          await api.put(desired.scope.id, desired.name, budgetProperties(desired, desired.startDate));
          return { ...where, action: 'created' };
        case 'update':
          await api.put(desired.scope.id, desired.name, budgetProperties(desired, existing!.properties.timePeriod.startDate), existing!.eTag);
          return { ...where, action: 'updated', detail: planned.changes!.map((c) => c.field).join(', ') };
        case 'replace':
          await api.delete(desired.scope.id, desired.name);
          await api.put(desired.scope.id, desired.name, budgetProperties(desired, desired.startDate));
          return { ...where, action: 'replaced', detail: planned.reason };
      }
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= attempts) throw error;
    }
  }
}

/** Applies a plan. Budgets the plan found unchanged are not touched, so a second apply writes nothing. */
export async function applyBudgetPlan(api: BudgetsApi, plan: BudgetPlan, options: ApplyOptions = {}): Promise<ApplyOutcome> {
  const before = api.writes;
  const applied: AppliedBudget[] = options.applied ?? [];
  for (const planned of [...plan.create, ...plan.update, ...plan.replace]) applied.push(await syncOne(api, planned.desired!, options.attempts ?? 3));
  for (const planned of plan.unchanged) applied.push({ name: planned.name, scope: planned.scope, action: 'unchanged' });
  for (const planned of plan.skipped) applied.push({ name: planned.name, scope: planned.scope, action: 'skipped', detail: planned.reason });
  const orphaned: ApplyOutcome['orphaned'] = [];
  for (const planned of plan.orphaned) {
    if (!options.prune) {
      orphaned.push({ name: planned.name, scope: planned.scope });
      continue;
    }
    await api.delete(planned.scope, planned.name);
    applied.push({ name: planned.name, scope: planned.scope, action: 'deleted' });
  }
  return { applied, orphaned, writes: api.writes - before };
}

/** One line for the Audit log: what apply did, counted. */
export function applySummary(outcome: Pick<ApplyOutcome, 'applied'> & Partial<ApplyOutcome>): string {
  const count = (action: AppliedBudget['action']) => outcome.applied.filter((a) => a.action === action).length;
  const names = (action: AppliedBudget['action']) => outcome.applied.filter((a) => a.action === action).map((a) => a.name);
  const changed = [...names('created'), ...names('updated'), ...names('replaced'), ...names('deleted')];
  return (
    `created ${count('created')}, updated ${count('updated')}, replaced ${count('replaced')}, deleted ${count('deleted')}, unchanged ${count('unchanged')}` +
    (outcome.orphaned?.length ? `, orphaned ${outcome.orphaned.length} left (no --prune)` : '') +
    (changed.length > 0 ? `: ${changed.join(', ')}` : '')
  );
}
