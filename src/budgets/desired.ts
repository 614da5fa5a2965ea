/**
 * The budgets the workbook wants in Cost Management: one per Budgets row, plus one per cost
 * center whose CostCenters.Budget is the simple monthly case (when the Budgets table has no
 * Budget row for it). Every Azure rule that can be checked before calling Azure is checked here
 * and reported with its table and row, all at once.
 */
import { formatExact, parseExact } from '../core/money';
import { isBlankRow, RuleProblem, Rules, RuleTables } from '../core/rules';
import { BUDGET_KINDS, BUDGET_NAME_PREFIX, BudgetKind, BudgetSource, DesiredBudget } from './budget';
import { filterFromMappings, readFilter } from './budget-filter';
import { firstDayOf, isEmail, lastDayOf, monthIndex, monthOf, notificationsFor, readContacts, readPeriod, readThresholds, startDateProblem } from './budget-fields';
import { allowsContactGroups, parseScope, SCOPE_FORMS } from './scopes';

export interface DesiredOptions {
  /** The month budgets are planned in (`YYYY-MM`): Azure's start-date rules count from it. */
  currentMonth: string;
  /** `--scope`: where budgets go when a row names none (instead of Settings BudgetScope). */
  scope?: string;
}

/** A CostCenters.Budget that cannot become an Azure budget as it stands, and why. */
export interface NotPushed {
  costCenter: string;
  source: BudgetSource;
  reason: string;
}

export interface DesiredOutcome {
  budgets: DesiredBudget[];
  problems: RuleProblem[];
  notPushed: NotPushed[];
}

const MAX_NAME = 63;

/** A 32-bit FNV-1a hash as 8 hex digits: keeps names unique when a code has to be shortened or cleaned. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (const ch of text) {
    hash ^= ch.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * The budget's name: `chargeback-<cost center>-<kind>`, plus `-<YYYY-MM>` for a one-month budget.
 * Names allow letters, digits, `_` and `-`, at most 63 (the model); a code with other characters,
 * or too long, is cleaned and shortened and gets a hash of the code so two codes never share a name.
 */
export function budgetName(costCenter: string, kind: BudgetKind, month?: string): string {
  const suffix = `-${kind}${month ? `-${month}` : ''}`;
  const room = MAX_NAME - BUDGET_NAME_PREFIX.length - suffix.length;
  const clean = costCenter.replace(/[^A-Za-z0-9_-]+/g, '_');
  const code = clean === costCenter && clean.length <= room ? clean : `${clean.slice(0, room - 9)}-${shortHash(costCenter)}`;
  return `${BUDGET_NAME_PREFIX}${code}${suffix}`;
}

const cell = (row: Record<string, unknown>, column: string) => {
  const value = row[column];
  return value === null || value === undefined ? '' : value instanceof Date ? value : String(value).trim();
};

export function desiredBudgets(tables: RuleTables, rules: Rules, options: DesiredOptions): DesiredOutcome {
  const problems: RuleProblem[] = [];
  const budgets: DesiredBudget[] = [];
  const notPushed: NotPushed[] = [];
  const defaultScope = options.scope ?? rules.settings.budgetScope;
  const costCenterOf = (code: string) => rules.costCenters.find((c) => c.costCenter.toLowerCase() === code.toLowerCase());
  const current = monthIndex(options.currentMonth);

  interface RowInput {
    source: BudgetSource;
    costCenter: string;
    kind: BudgetKind;
    amountText: string;
    period: unknown;
    scope: string;
    filter: string;
    thresholds: unknown;
    contacts: unknown;
  }

  const build = ({ source, costCenter: code, kind, amountText, period: periodCell, scope: scopeText, filter: filterText, thresholds: thresholdsCell, contacts: contactsCell }: RowInput) => {
    const before = problems.length;
    const problem = (column: string, message: string) => problems.push({ table: source.table, row: source.row, column, message });
    const amountColumn = source.table === 'Budgets' ? 'Amount' : 'Budget';
    const costCenter = costCenterOf(code);
    // The rest of the row (filter, contacts) is read against the cost center: without one, say only that.
    if (!costCenter) return void problem('CostCenter', `cost center ${code} is not in CostCenters`);
    const amount = parseExact(amountText);
    if (amount === undefined || amount <= 0n) problem(amountColumn, `${amountColumn} "${amountText}" must be an amount above zero`);
    else if (!/^\d+(\.\d{1,2})?$/.test(formatExact(amount))) problem(amountColumn, `${amountColumn} ${formatExact(amount)} has more than 2 decimals`);

    const period = readPeriod(periodCell);
    if ('problem' in period) problem('Period', period.problem);
    const from = 'value' in period ? period.value.from : undefined;
    const to = 'value' in period ? period.value.to : undefined;
    const startProblem = from ? startDateProblem(from, options.currentMonth) : undefined;
    if (startProblem) problem('Period', startProblem);

    const scopeSource = scopeText || defaultScope || '';
    if (!scopeSource && source.table === 'CostCenters') {
      notPushed.push({ costCenter: code, source, reason: 'no BudgetScope in Settings and no --scope: set one to push CostCenters budgets' });
      problems.splice(before);
      return;
    }
    const scope = scopeSource ? parseScope(scopeSource) : undefined;
    if (!scopeSource) problem('Scope', 'no Scope: name one here, set BudgetScope in Settings, or pass --scope');
    else if (!scope) problem('Scope', `"${scopeSource}" is not a scope a budget can live at: use ${SCOPE_FORMS}`);

    const filter = filterText ? readFilter(filterText) : filterFromMappings(code, rules.mappings);
    if ('problem' in filter) {
      // A CostCenters.Budget asks for no Azure budget in so many words (it also feeds the variance
      // check, and may be an AWS or GCP team's): when its mappings do not translate it is listed as
      // not pushed, and a Budgets row with a Filter pushes it.
      if (source.table === 'CostCenters') {
        notPushed.push({ costCenter: code, source, reason: `${filter.problem.replace(/: write a Filter.*$/, '')}: add a Budgets row with a Filter to push it` });
        problems.splice(before);
        return;
      }
      problem('Filter', filter.problem);
    }

    const thresholds = readThresholds(thresholdsCell);
    if ('problem' in thresholds) problem('Thresholds', thresholds.problem);
    const contacts = readContacts(contactsCell);
    if ('problem' in contacts) problem('Contacts', contacts.problem);
    else {
      // With no contacts named, the cost center's owner gets the alerts when the Owner is an email.
      if (contacts.value.emails.length === 0 && contacts.value.actionGroups.length === 0 && isEmail(costCenter.owner)) contacts.value.emails.push(costCenter.owner.trim());
      if (scope && contacts.value.actionGroups.length > 0 && !allowsContactGroups(scope.kind)) {
        problem('Contacts', `action groups are allowed only at subscription or resource group scope, not at ${scope.kind} scope ${scope.id}`);
      } else if (contacts.value.emails.length === 0) {
        if (contacts.value.actionGroups.length === 0) problem('Contacts', `no contact: name an email${scope && allowsContactGroups(scope.kind) ? ' or an action group' : ''}, or give ${code} an Owner email in CostCenters`);
      }
    }
    if (problems.length > before || !scope || amount === undefined || !('value' in filter) || !('value' in thresholds) || !('value' in contacts)) return;

    // A budget is created from the current month at the earliest (Azure refuses a past start);
    // an existing one may have started any month from the row's first.
    const first = from ?? options.currentMonth;
    const createFrom = monthOf(Math.max(monthIndex(first), current));
    budgets.push({
      name: budgetName(code, kind, from && from === to ? from : undefined),
      scope,
      costCenter: costCenter.costCenter,
      kind,
      source,
      amount,
      startDate: firstDayOf(createFrom),
      earliestStart: firstDayOf(from ?? '2017-06'),
      endDate: to ? lastDayOf(to) : undefined,
      filter: filter.value,
      notifications: notificationsFor(thresholds.value, contacts.value),
      over: to !== undefined && monthIndex(to) < current,
    });
  };

  const budgetRows = tables.Budgets ?? [];
  const withBudgetRow = new Set<string>();
  budgetRows.forEach((row, index) => {
    if (isBlankRow(row)) return;
    const source: BudgetSource = { table: 'Budgets', row: index + 2 };
    const code = String(cell(row, 'CostCenter'));
    if (code === '') {
      problems.push({ ...source, column: 'CostCenter', message: 'CostCenter is empty' });
      return;
    }
    const kindText = String(cell(row, 'Kind')) || 'Budget';
    const kind = BUDGET_KINDS.find((k) => k.toLowerCase() === kindText.toLowerCase());
    if (!kind) {
      problems.push({ ...source, column: 'Kind', message: `Kind "${kindText}" must be Budget or Forecast` });
      return;
    }
    if (kind === 'Budget') withBudgetRow.add(code.toLowerCase());
    build({
      source,
      costCenter: code,
      kind,
      amountText: String(cell(row, 'Amount')),
      period: cell(row, 'Period'),
      scope: String(cell(row, 'Scope')),
      filter: String(cell(row, 'Filter')),
      thresholds: cell(row, 'Thresholds'),
      contacts: cell(row, 'Contacts'),
    });
  });

  // CostCenters.Budget is the simple monthly case: an open Budget row with the defaults.
  (tables.CostCenters ?? []).forEach((row, index) => {
    const code = String(cell(row, 'CostCenter'));
    const budget = String(cell(row, 'Budget'));
    if (code === '' || budget === '' || withBudgetRow.has(code.toLowerCase())) return;
    if (parseExact(budget) === 0n) return;
    build({ source: { table: 'CostCenters', row: index + 2 }, costCenter: code, kind: 'Budget', amountText: budget, period: '', scope: '', filter: '', thresholds: '', contacts: '' });
  });

  // One amount per budget: two rows that would be one budget are a mistake, not a merge.
  const seen = new Map<string, DesiredBudget>();
  for (const budget of budgets) {
    const key = `${budget.scope.id.toLowerCase()}|${budget.name.toLowerCase()}`;
    const earlier = seen.get(key);
    if (!earlier) seen.set(key, budget);
    else {
      problems.push({
        table: budget.source.table,
        row: budget.source.row,
        column: 'Period',
        message: `${budget.costCenter} already has a ${budget.kind} budget ${budget.name} at ${budget.scope.id} from ${earlier.source.table} row ${earlier.source.row}: a budget has one amount, so give each month its own row (Period YYYY-MM) or keep one row`,
      });
    }
  }
  return { budgets: problems.length > 0 ? [] : budgets, problems, notPushed };
}
