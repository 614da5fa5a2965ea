/**
 * What the Budgets step runs in the pane: the workbook's Budgets step (src/workbook/budgets.ts,
 * the same as the command line's) against Cost Management, signed in by the host. The connection
 * settings (client id, default scope, endpoint) are kept in the browser's storage for this add-in,
 * never in the workbook; tokens stay in memory.
 */
import { BudgetsApi, DEFAULT_ENDPOINT } from '../budgets/budgets-api';
import { applyWorkbookBudgets, planWorkbookBudgets } from '../workbook/budgets';
import type { BudgetsStepProps, BudgetsConnection } from './BudgetsStep';
import type { TaskPaneHost } from './host';

const SETTINGS_KEY = 'chargeback.budgets';

export function loadBudgetsConnection(): BudgetsConnection {
  try {
    return { endpoint: DEFAULT_ENDPOINT, scope: '', clientId: '', ...(JSON.parse(window.localStorage.getItem(SETTINGS_KEY) ?? '{}') as Partial<BudgetsConnection>) };
  } catch {
    return { endpoint: DEFAULT_ENDPOINT, scope: '', clientId: '' };
  }
}

export function saveBudgetsConnection(connection: BudgetsConnection): void {
  window.localStorage.setItem(SETTINGS_KEY, JSON.stringify(connection));
}

/** The step's plan and apply, on the host's workbook and sign-in. */
export function budgetsOperations(host: TaskPaneHost, user: () => Promise<string>): Pick<BudgetsStepProps, 'plan' | 'apply'> {
  const api = async (connection: BudgetsConnection) => new BudgetsApi({ endpoint: connection.endpoint || DEFAULT_ENDPOINT, token: await host.azureToken!(connection.endpoint || DEFAULT_ENDPOINT, connection.clientId) });
  const options = (connection: BudgetsConnection) => ({ scope: connection.scope.trim() || undefined });
  return {
    plan: async (connection) => planWorkbookBudgets(host.gateway, await api(connection), { user: await user() }, options(connection)),
    apply: async (connection, prune) => applyWorkbookBudgets(host.gateway, await api(connection), { user: await user() }, { ...options(connection), prune }),
  };
}
