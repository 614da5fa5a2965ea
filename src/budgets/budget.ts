/**
 * A Cost Management budget as the REST API spells it (Microsoft.CostManagement/budgets,
 * api-version 2025-03-01; shapes from the published model and examples), and the budget the
 * workbook wants, in the same terms so the two compare field by field.
 */
import { ExactAmount } from '../core/money';
import { BudgetScope } from './scopes';

export const BUDGETS_API_VERSION = '2025-03-01';

/** Every budget this product manages is named with this prefix; others at the scope are never touched. */
export const BUDGET_NAME_PREFIX = 'chargeback-';

export const BUDGET_KINDS = ['Budget', 'Forecast'] as const;
export type BudgetKind = (typeof BUDGET_KINDS)[number];

export const THRESHOLD_TYPES = ['Actual', 'Forecasted'] as const;
export type ThresholdType = (typeof THRESHOLD_TYPES)[number];

export interface ComparisonExpression {
  name: string;
  operator: 'In';
  values: string[];
}

export interface FilterClause {
  dimensions?: ComparisonExpression;
  tags?: ComparisonExpression;
}

/** `and` must have at least 2 items (the model), so one clause goes in bare. */
export interface BudgetFilter extends FilterClause {
  and?: FilterClause[];
}

export interface BudgetNotification {
  enabled: boolean;
  operator: string;
  threshold: number;
  thresholdType?: string;
  contactEmails: string[];
  contactGroups?: string[];
  contactRoles?: string[];
  locale?: string;
}

export interface BudgetProperties {
  category: string;
  amount?: number;
  timeGrain: string;
  timePeriod: { startDate: string; endDate?: string };
  filter?: BudgetFilter;
  notifications?: Record<string, BudgetNotification>;
  currentSpend?: { amount?: number; unit?: string };
  forecastSpend?: { amount?: number; unit?: string };
}

/** A budget resource as GET returns it. */
export interface AzureBudget {
  id: string;
  name: string;
  type?: string;
  eTag?: string;
  properties: BudgetProperties;
}

/** Where a desired budget comes from: a Budgets row, or a CostCenters row's Budget. */
export interface BudgetSource {
  table: 'Budgets' | 'CostCenters';
  row: number;
}

/** A budget the workbook wants in Azure. */
export interface DesiredBudget {
  name: string;
  scope: BudgetScope;
  costCenter: string;
  kind: BudgetKind;
  source: BudgetSource;
  amount: ExactAmount;
  /** The start this budget would be created with (first of a month, UTC). */
  startDate: string;
  /**
   * The earliest start an existing budget may have and still be this budget: a budget is created
   * no earlier than the current month, so one made for a range that began before keeps its start.
   */
  earliestStart: string;
  /** Last day of the last month; none for an open-ended budget (Azure then sets ten years). */
  endDate?: string;
  filter?: BudgetFilter;
  notifications: Record<string, BudgetNotification>;
  /** The budget's months are all past: it is compared when it exists, never created. */
  over: boolean;
}
