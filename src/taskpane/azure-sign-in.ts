/// <reference types="office-js" />
/**
 * Signing in to Azure Resource Manager from the task pane, for the Budgets step: nested app
 * authentication (MSAL's nestable client asks Office, which knows the signed-in user) for the
 * `user_impersonation` scope of the Resource Manager endpoint. The app registration needs the
 * Azure Service Management API's user_impersonation permission (docs/budgets.md). Tokens stay in
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
  if (!clientId) throw new Error("set the app registration's client id first");
  if (!Office.context.requirements.isSetSupported('NestedAppAuth', '1.1')) {
    throw new Error('this version of Excel cannot sign in to Azure from the add-in (no nested app authentication): run chargeback budgets on the command line');
  }
  const nested = await createNestablePublicClientApplication({ auth: { clientId, authority } });
  const request = { scopes: [resourceManagerScope(endpoint)] };
  return async () => {
    try {
      return (await nested.acquireTokenSilent(request)).accessToken;
    } catch (error) {
      if (!(error instanceof InteractionRequiredAuthError)) throw error;
      return (await nested.acquireTokenPopup(request)).accessToken;
    }
  };
}
