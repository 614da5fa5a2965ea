/// <reference types="office-js" />
/**
 * Signing in to Microsoft Graph from the task pane, for the SharePoint / OneDrive share.
 *
 * First choice is nested app authentication (NAA): MSAL's nestable client asks Office, which
 * already knows the signed-in user, for a token — no pop-up in current Office builds. Where the
 * host does not support NAA (older Excel builds), the Office dialog API opens our sign-in page
 * (`auth-dialog.html`, which runs MSAL's redirect flow) and the page sends the token back with
 * `Office.context.ui.messageParent` (that page is not built yet: until it is, hosts without NAA
 * cannot use the SharePoint share; docs/publishing.md says so). Tokens stay in memory (MSAL's cache): never in the workbook,
 * its settings or the Audit log. App registration steps: docs/publishing.md.
 *
 * This module needs Office and a browser, so tests cover only what is built from it (GraphShare
 * is tested against a local Graph stand-in); a live tenant test is manual.
 */
import { createNestablePublicClientApplication, InteractionRequiredAuthError, IPublicClientApplication } from '@azure/msal-browser';

/** Files.ReadWrite.All covers SharePoint libraries and OneDrive; Sites.Read.All finds the library by site URL. */
export const GRAPH_SCOPES = ['Files.ReadWrite.All', 'Sites.Read.All'];

export interface SignIn {
  getAccessToken(): Promise<string>;
}

/** A token source for the Graph client: NAA when the host supports it, else the dialog fallback. */
export async function signIn(clientId: string, dialogUrl = new URL('auth-dialog.html', window.location.href).href): Promise<SignIn> {
  let nested: IPublicClientApplication | undefined;
  if (Office.context.requirements.isSetSupported('NestedAppAuth', '1.1')) {
    nested = await createNestablePublicClientApplication({ auth: { clientId, authority: 'https://login.microsoftonline.com/common' } });
  }
  return {
    async getAccessToken() {
      if (!nested) return tokenFromDialog(dialogUrl, clientId);
      const request = { scopes: GRAPH_SCOPES };
      try {
        return (await nested.acquireTokenSilent(request)).accessToken;
      } catch (error) {
        if (!(error instanceof InteractionRequiredAuthError)) throw error;
        return (await nested.acquireTokenPopup(request)).accessToken;
      }
    },
  };
}

/** Opens the sign-in page in an Office dialog and waits for it to send back `{ accessToken }` or `{ error }`. */
function tokenFromDialog(dialogUrl: string, clientId: string): Promise<string> {
  const url = `${dialogUrl}?clientId=${encodeURIComponent(clientId)}&scopes=${encodeURIComponent(GRAPH_SCOPES.join(' '))}`;
  return new Promise((resolve, reject) => {
    Office.context.ui.displayDialogAsync(url, { height: 60, width: 30 }, (opened) => {
      if (opened.status !== Office.AsyncResultStatus.Succeeded) return reject(new Error(`the sign-in window could not open: ${opened.error.message}`));
      const dialog = opened.value;
      dialog.addEventHandler(Office.EventType.DialogMessageReceived, (arg) => {
        dialog.close();
        const message = JSON.parse('message' in arg ? arg.message : '{}') as { accessToken?: string; error?: string };
        if (message.accessToken) resolve(message.accessToken);
        else reject(new Error(`sign-in failed: ${message.error ?? 'no token came back'}`));
      });
      dialog.addEventHandler(Office.EventType.DialogEventReceived, () => reject(new Error('the sign-in window was closed before sign-in finished')));
    });
  });
}
