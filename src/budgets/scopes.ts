/**
 * Cost Management scopes a budget can live at, and what each allows. The kinds and their rules
 * come from the budgets REST model (api-version 2025-03-01): contact groups and contact roles are
 * "Subscription or Resource Group scopes only"; every other scope needs a contact email.
 */

export type ScopeKind = 'Subscription' | 'ResourceGroup' | 'ManagementGroup' | 'BillingAccount' | 'BillingProfile' | 'InvoiceSection' | 'Department' | 'EnrollmentAccount';

export interface BudgetScope {
  /** The scope as Resource Manager spells it, with a leading slash: `/subscriptions/{id}`. */
  id: string;
  kind: ScopeKind;
}

const GUIDISH = '[^/\\s]+';
const SCOPE_PATTERNS: [ScopeKind, RegExp][] = [
  ['ResourceGroup', new RegExp(`^/subscriptions/${GUIDISH}/resourceGroups/${GUIDISH}$`, 'i')],
  ['Subscription', new RegExp(`^/subscriptions/${GUIDISH}$`, 'i')],
  ['ManagementGroup', new RegExp(`^/providers/Microsoft\\.Management/managementGroups/${GUIDISH}$`, 'i')],
  ['InvoiceSection', new RegExp(`^/providers/Microsoft\\.Billing/billingAccounts/${GUIDISH}/billingProfiles/${GUIDISH}/invoiceSections/${GUIDISH}$`, 'i')],
  ['BillingProfile', new RegExp(`^/providers/Microsoft\\.Billing/billingAccounts/${GUIDISH}/billingProfiles/${GUIDISH}$`, 'i')],
  ['Department', new RegExp(`^/providers/Microsoft\\.Billing/billingAccounts/${GUIDISH}/departments/${GUIDISH}$`, 'i')],
  ['EnrollmentAccount', new RegExp(`^/providers/Microsoft\\.Billing/billingAccounts/${GUIDISH}/enrollmentAccounts/${GUIDISH}$`, 'i')],
  ['BillingAccount', new RegExp(`^/providers/Microsoft\\.Billing/billingAccounts/${GUIDISH}$`, 'i')],
];

/** The scope named by `text` (with or without its leading slash), or undefined when it names none a budget can live at. */
export function parseScope(text: string): BudgetScope | undefined {
  const trimmed = text.trim().replace(/\/+$/, '');
  const id = trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
  const found = SCOPE_PATTERNS.find(([, pattern]) => pattern.test(id));
  return found ? { id, kind: found[0] } : undefined;
}

export const SCOPE_FORMS =
  '/subscriptions/{id}, /subscriptions/{id}/resourceGroups/{name}, /providers/Microsoft.Management/managementGroups/{id}, ' +
  '/providers/Microsoft.Billing/billingAccounts/{id}[/billingProfiles/{id}[/invoiceSections/{id}]]';

/** Contact groups (action groups) and contact roles are allowed at these scopes only. */
export function allowsContactGroups(kind: ScopeKind): boolean {
  return kind === 'Subscription' || kind === 'ResourceGroup';
}

/** Scopes compare without regard to letter case, as Resource Manager compares them. */
export function sameScope(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * The role a person or pipeline needs to read (plan) and to write (apply) budgets at each scope:
 * Azure RBAC roles for Resource Manager scopes, billing roles for billing scopes. One table, read
 * by the 403 message and by docs/budgets.md.
 */
export const BUDGET_ROLES: Record<ScopeKind, { read: string; write: string }> = {
  Subscription: { read: 'Cost Management Reader (or Reader)', write: 'Cost Management Contributor (or Contributor)' },
  ResourceGroup: { read: 'Cost Management Reader (or Reader)', write: 'Cost Management Contributor (or Contributor)' },
  ManagementGroup: { read: 'Cost Management Reader (or Reader)', write: 'Cost Management Contributor (or Contributor)' },
  BillingAccount: { read: 'Billing account reader', write: 'Billing account contributor (or owner)' },
  BillingProfile: { read: 'Billing profile reader', write: 'Billing profile contributor (or owner)' },
  InvoiceSection: { read: 'Invoice section reader', write: 'Invoice section contributor (or owner)' },
  Department: { read: 'Department reader (EA)', write: 'Department admin (EA)' },
  EnrollmentAccount: { read: 'Account owner (EA)', write: 'Account owner (EA)' },
};

/** The scope a Resource Manager id (`/subscriptions/x/providers/Microsoft.CostManagement/budgets/y`) is under. */
export function scopeOfBudgetId(id: string): string {
  const at = id.toLowerCase().lastIndexOf('/providers/microsoft.costmanagement/budgets/');
  const scope = at < 0 ? id : id.slice(0, at);
  return scope.startsWith('/') ? scope : `/${scope}`;
}
