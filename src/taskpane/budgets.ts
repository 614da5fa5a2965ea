/**
 * What the Budgets step runs in the pane: the workbook's Budgets step (src/workbook/budgets.ts,
 * the same as the command line's) against Cost Management, signed in by the host with the admin's
 * app registration. The connection settings (default scope, endpoint, and a client id an admin typed
 * where none is configured) are kept in the browser's storage for this add-in, never in the
 * workbook; tokens stay in memory.
 */
import { BudgetsApi, DEFAULT_ENDPOINT } from '../budgets/budgets-api';
import { applyWorkbookBudgets, planWorkbookBudgets } from '../workbook/budgets';
import type { BudgetsStepProps, BudgetsConnection } from './BudgetsStep';
import type { TaskPaneHost } from './host';
import { PANE_CONFIG_FILE } from './pane-config';

const SETTINGS_KEY = 'chargeback.budgets';

export function loadBudgetsConnection(): BudgetsConnection {
  try {
    return { endpoint: DEFAULT_ENDPOINT, scope: '', clientId: '', ...(JSON.parse(window.localStorage.getItem(SETTINGS_KEY) ?? '{}') as Partial<BudgetsConnection>) };
  } catch {
    return { endpoint: DEFAULT_ENDPOINT, scope: '', clientId: '' };
  }
}

export function saveBudgetsConnection({ endpoint, scope, clientId }: BudgetsConnection): void {
  // The authority follows the admin's tenant each time: it is not kept.
  window.localStorage.setItem(SETTINGS_KEY, JSON.stringify({ endpoint, scope, clientId }));
}

/** The step's plan and apply, on the host's workbook and sign-in. */
export function budgetsOperations(host: TaskPaneHost, user: () => Promise<string>): Pick<BudgetsStepProps, 'plan' | 'apply'> {
  const api = async (connection: BudgetsConnection) => {
    if (!connection.clientId.trim()) throw new Error(`no app registration to sign in to Azure with: the admin sets clientId in ${PANE_CONFIG_FILE} beside the pane (docs/budgets.md)`);
    const endpoint = connection.endpoint || DEFAULT_ENDPOINT;
    return new BudgetsApi({ endpoint, token: await host.azureToken!(endpoint, connection.clientId.trim(), connection.authority) });
  };
  const options = (connection: BudgetsConnection) => ({ scope: connection.scope.trim() || undefined });
  return {
    plan: async (connection) => planWorkbookBudgets(host.gateway, await api(connection), { user: await user() }, options(connection)),
    apply: async (connection, prune) => applyWorkbookBudgets(host.gateway, await api(connection), { user: await user() }, { ...options(connection), prune }),
  };
}
