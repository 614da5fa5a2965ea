/// <reference types="office-js" />
/**
 * Signing in to Azure from the task pane, through nested app authentication (MSAL's nestable client
 * asks Office, which knows the signed-in user): the `user_impersonation` scope of Resource Manager
 * for the Budgets step (the app registration needs the Azure Service Management API's
 * user_impersonation permission, docs/budgets.md), and a FinOps hub's cluster (`https://CLUSTER/.default`)
 * for the Data step (Azure Data Explorer's user_impersonation, docs/sources.md). Tokens stay in
 * MSAL's memory cache. Needs Office itself: a live tenant test is manual.
 */
import { createNestablePublicClientApplication, InteractionRequiredAuthError } from '@azure/msal-browser';
import { AUTHORITY } from './auth-dialog-protocol';

/** `https://management.azure.com/user_impersonation`, for the endpoint's own cloud. */
export function resourceManagerScope(endpoint: string): string {
  return `${new URL(endpoint).origin}/user_impersonation`;
}

/** `authority`: the admin's tenant (chargeback.config.json), else any work or school account. */
export async function azureToken(endpoint: string, clientId: string, authority = AUTHORITY): Promise<() => Promise<string>> {
  return nestedAppToken([resourceManagerScope(endpoint)], clientId, 'run chargeback budgets on the command line', authority);
}

/** `https://CLUSTER/.default`: the cluster's own resource, as Data Explorer and Fabric eventhouses take it. */
export function clusterScope(clusterUrl: string): string {
  return `${new URL(clusterUrl).origin}/.default`;
}

/** Signs in to a FinOps hub's cluster for the Data step. The app registration needs Azure Data Explorer's user_impersonation permission (docs/sources.md). */
export async function hubToken(clusterUrl: string, clientId: string | undefined, authority = AUTHORITY): Promise<() => Promise<string>> {
  if (!clientId) throw new Error("the add-in has no app registration to sign in with: ask your admin to set clientId in chargeback.config.json (docs/sources.md)");
  return nestedAppToken([clusterScope(clusterUrl)], clientId, 'run chargeback run --source on the command line', authority);
}

/** A token source for `scopes` through nested app authentication: silent first, a pop-up when Entra ID asks for one. */
async function nestedAppToken(scopes: string[], clientId: string, elsewhere: string, authority: string): Promise<() => Promise<string>> {
  if (!clientId) throw new Error("set the app registration's client id first");
  if (!Office.context.requirements.isSetSupported('NestedAppAuth', '1.1')) {
    throw new Error(`this version of Excel cannot sign in to Azure from the add-in (no nested app authentication): ${elsewhere}`);
  }
  const nested = await createNestablePublicClientApplication({ auth: { clientId, authority } });
  const request = { scopes };
  return async () => {
    try {
      return (await nested.acquireTokenSilent(request)).accessToken;
    } catch (error) {
      if (!(error instanceof InteractionRequiredAuthError)) throw error;
      return (await nested.acquireTokenPopup(request)).accessToken;
    }
  };
}
