/**
 * The plan: the budgets the workbook wants against the budgets Azure has, field by field. Pure:
 * the same inputs give the same plan, in the pane, on the command line and in tests.
 *
 * A budget's start date cannot change after creation (the model), so a start outside what the row
 * allows is a replace (delete, then create). Budgets under our name prefix that the workbook no
 * longer has are orphaned: reported, deleted only when asked.
 */
import { formatExact, formatMinor, parseExact, roundToMinor } from '../core/money';
import { AzureBudget, BUDGET_NAME_PREFIX, BudgetFilter, BudgetNotification, BudgetProperties, DesiredBudget } from './budget';
import { sameScope, scopeOfBudgetId } from './scopes';

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** A budget's fields as the plan shows them (amounts as decimal strings). */
export interface BudgetFields {
  costCenter?: string;
  kind?: string;
  /** Where the workbook says so: `Budgets row 3`. */
  row?: string;
  amount?: string;
  timeGrain?: string;
  startDate?: string;
  endDate?: string;
  filter?: BudgetFilter;
  notifications?: Record<string, BudgetNotification>;
  /** Read back from Cost Management: spend so far in the current period, and the forecast. */
  currentSpend?: string;
  forecastSpend?: string;
  unit?: string;
}

export interface PlannedBudget {
  name: string;
  scope: string;
  fields: BudgetFields;
  /** update: what changes; replace: why. */
  changes?: FieldChange[];
  reason?: string;
  desired?: DesiredBudget;
  existing?: AzureBudget;
}

export interface BudgetPlan {
  create: PlannedBudget[];
  update: PlannedBudget[];
  unchanged: PlannedBudget[];
  replace: PlannedBudget[];
  orphaned: PlannedBudget[];
  /** Budgets for months already past that do not exist: Azure cannot create them, so they are left out. */
  skipped: PlannedBudget[];
}

const day = (date: string | undefined) => (date ? date.slice(0, 10) : undefined);
const cents = (amount: bigint) => formatMinor(roundToMinor(amount, 2), 2);

/** An Azure amount (a JSON number) as a decimal string to the cent. */
export function azureAmount(amount: number | undefined): string | undefined {
  if (amount === undefined || amount === null) return undefined;
  const exact = parseExact(String(amount));
  return exact === undefined ? undefined : cents(exact);
}

/** The properties a PUT sends for this budget, starting on `startDate`. */
export function budgetProperties(desired: DesiredBudget, startDate: string): BudgetProperties {
  return {
    category: 'Cost',
    amount: Number(formatExact(desired.amount)),
    timeGrain: 'Monthly',
    timePeriod: { startDate, ...(desired.endDate ? { endDate: desired.endDate } : {}) },
    ...(desired.filter ? { filter: desired.filter } : {}),
    notifications: desired.notifications,
  };
}

function sortedLower(values: readonly string[] | undefined): string[] {
  return [...(values ?? [])].map((v) => v.toLowerCase()).sort();
}

/** A filter in a form that compares equal whatever the order of clauses and values. */
export function canonicalFilter(filter: BudgetFilter | undefined): string {
  if (!filter) return '';
  const clause = (c: BudgetFilter) =>
    (['dimensions', 'tags'] as const)
      .filter((k) => c[k])
      .map((k) => `${k}:${c[k]!.name.toLowerCase()} ${c[k]!.operator} [${[...c[k]!.values].sort().join(',')}]`)
      .join('&');
  const parts = [...(filter.and ?? []).map(clause), clause(filter)].filter(Boolean).sort();
  return parts.join(' AND ');
}

function canonicalNotification(n: BudgetNotification): string {
  return JSON.stringify([
    n.enabled,
    n.operator,
    n.threshold,
    n.thresholdType ?? 'Actual',
    sortedLower(n.contactEmails),
    sortedLower(n.contactGroups),
    sortedLower(n.contactRoles),
  ]);
}

function fieldsOf(desired: DesiredBudget | undefined, existing: AzureBudget | undefined): BudgetFields {
  const p = existing?.properties;
  return {
    ...(desired
      ? {
          costCenter: desired.costCenter,
          kind: desired.kind,
          row: `${desired.source.table} row ${desired.source.row}`,
          amount: cents(desired.amount),
          timeGrain: 'Monthly',
          startDate: day(p?.timePeriod?.startDate ?? desired.startDate),
          endDate: day(desired.endDate ?? p?.timePeriod?.endDate),
          filter: desired.filter,
          notifications: desired.notifications,
        }
      : {
          amount: azureAmount(p?.amount),
          timeGrain: p?.timeGrain,
          startDate: day(p?.timePeriod?.startDate),
          endDate: day(p?.timePeriod?.endDate),
          filter: p?.filter,
          notifications: p?.notifications,
        }),
    ...(p?.currentSpend?.amount !== undefined ? { currentSpend: azureAmount(p.currentSpend.amount) } : {}),
    ...(p?.forecastSpend?.amount !== undefined ? { forecastSpend: azureAmount(p.forecastSpend.amount) } : {}),
    ...(p?.currentSpend?.unit || p?.forecastSpend?.unit ? { unit: p.currentSpend?.unit ?? p.forecastSpend?.unit } : {}),
  };
}

/** Why the existing budget cannot become the desired one in place, if it cannot. */
export function replaceReason(desired: DesiredBudget, existing: AzureBudget): string | undefined {
  const start = day(existing.properties.timePeriod?.startDate) ?? '';
  if (start < day(desired.earliestStart)! || start > day(desired.startDate)!) {
    return `the start date cannot change after creation: ${start} → ${day(desired.startDate)}`;
  }
  return undefined;
}

/** What has to change on the existing budget to make it the desired one. */
export function fieldChanges(desired: DesiredBudget, existing: AzureBudget): FieldChange[] {
  const p = existing.properties;
  const changes: FieldChange[] = [];
  const compare = (field: string, from: unknown, to: unknown, same = from === to) => {
    if (!same) changes.push({ field, from, to });
  };
  compare('category', p.category, 'Cost');
  compare('amount', azureAmount(p.amount), cents(desired.amount));
  compare('timeGrain', p.timeGrain, 'Monthly');
  if (desired.endDate) compare('endDate', day(p.timePeriod?.endDate), day(desired.endDate));
  compare('filter', canonicalFilter(p.filter) || 'none', canonicalFilter(desired.filter) || 'none');
  const had = p.notifications ?? {};
  for (const key of [...new Set([...Object.keys(had), ...Object.keys(desired.notifications)])].sort()) {
    const before = had[key] ? canonicalNotification(had[key]) : undefined;
    const after = desired.notifications[key] ? canonicalNotification(desired.notifications[key]) : undefined;
    if (before !== after) changes.push({ field: `notifications.${key}`, from: had[key] ?? null, to: desired.notifications[key] ?? null });
  }
  return changes;
}

export function isOurs(name: string): boolean {
  return name.toLowerCase().startsWith(BUDGET_NAME_PREFIX);
}

/** Which existing budget is the desired one: same scope (exactly, not a child scope) and same name. */
export function findExisting(desired: DesiredBudget, existing: readonly AzureBudget[]): AzureBudget | undefined {
  return existing.find((b) => b.name.toLowerCase() === desired.name.toLowerCase() && sameScope(scopeOfBudgetId(b.id), desired.scope.id));
}

/**
 * Plans the sync. `existing` are the budgets listed at `scopes` (a listing at a subscription also
 * returns its resource groups' budgets; those belong to their own scope).
 */
export function planBudgets(desired: readonly DesiredBudget[], existing: readonly AzureBudget[], scopes: readonly string[]): BudgetPlan {
  const plan: BudgetPlan = { create: [], update: [], unchanged: [], replace: [], orphaned: [], skipped: [] };
  const matched = new Set<AzureBudget>();
  for (const budget of desired) {
    const found = findExisting(budget, existing);
    const entry = planOne(budget, found);
    if (found) matched.add(found);
    plan[entry.action].push(entry.planned);
  }
  for (const budget of existing) {
    const scope = scopeOfBudgetId(budget.id);
    if (matched.has(budget) || !isOurs(budget.name) || !scopes.some((s) => sameScope(s, scope))) continue;
    plan.orphaned.push({ name: budget.name, scope, fields: fieldsOf(undefined, budget), existing: budget });
  }
  return plan;
}

export type PlanAction = 'create' | 'update' | 'unchanged' | 'replace' | 'skipped';

/** One desired budget against what Azure has for it (re-run after a re-read). */
export function planOne(desired: DesiredBudget, existing: AzureBudget | undefined): { action: PlanAction; planned: PlannedBudget } {
  const base = { name: desired.name, scope: desired.scope.id, desired, existing };
  if (!existing) {
    if (desired.over) return { action: 'skipped', planned: { ...base, fields: fieldsOf(desired, undefined), reason: 'its months are past: Cost Management cannot create a budget that starts in the past' } };
    return { action: 'create', planned: { ...base, fields: fieldsOf(desired, undefined) } };
  }
  const reason = replaceReason(desired, existing);
  if (reason) return { action: 'replace', planned: { ...base, fields: { ...fieldsOf(desired, existing), startDate: day(desired.startDate) }, reason } };
  const changes = fieldChanges(desired, existing);
  if (changes.length > 0) return { action: 'update', planned: { ...base, fields: fieldsOf(desired, existing), changes } };
  return { action: 'unchanged', planned: { ...base, fields: fieldsOf(desired, existing) } };
}

/** The plan as `plan --json` prints it: each budget's name, scope and fields (and changes or reason). */
export function planJson(plan: BudgetPlan) {
  const strip = (p: PlannedBudget) => ({ name: p.name, scope: p.scope, fields: p.fields, ...(p.changes ? { changes: p.changes } : {}), ...(p.reason ? { reason: p.reason } : {}) });
  return {
    create: plan.create.map(strip),
    update: plan.update.map(strip),
    unchanged: plan.unchanged.map(strip),
    replace: plan.replace.map(strip),
    orphaned: plan.orphaned.map(strip),
    skipped: plan.skipped.map(strip),
  };
}
