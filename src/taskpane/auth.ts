/// <reference types="office-js" />
/**
 * Signing in to Microsoft Graph from the task pane, for the SharePoint / OneDrive share.
 *
 * First choice is nested app authentication (NAA): MSAL's nestable client asks Office, which
 * already knows the signed-in user, for a token — no pop-up in current Office builds. Where the
 * host does not support NAA (older Excel builds), the Office dialog API opens our sign-in page
 * (`auth-dialog.html`, built from auth-dialog.ts, which runs MSAL's redirect flow) and the page
 * sends the token back with `Office.context.ui.messageParent`. Tokens stay in memory (MSAL's
 * cache, or here until they expire): never in the workbook, its settings or the Audit log. App
 * registration steps: docs/publishing.md.
 *
 * The dialog conversation is tested with hand-written Office stubs; the NAA path needs Office
 * itself, and a live tenant test is manual.
 */
import { createNestablePublicClientApplication, InteractionRequiredAuthError, IPublicClientApplication } from '@azure/msal-browser';
import { AUTH_DIALOG_PAGE, AUTHORITY, dialogPageUrl, parseDialogMessage } from './auth-dialog-protocol';

/** Files.ReadWrite.All covers SharePoint libraries and OneDrive; Sites.Read.All finds the library by site URL. */
export const GRAPH_SCOPES = ['Files.ReadWrite.All', 'Sites.Read.All'];

/** A dialog token is used until this long before it expires, then the dialog opens again. */
const EXPIRY_MARGIN_MS = 5 * 60 * 1000;

export interface SignIn {
  getAccessToken(): Promise<string>;
}

/** A token source for the Graph client: NAA when the host supports it, else the dialog fallback. */
export async function signIn(clientId: string, dialogPage = new URL(AUTH_DIALOG_PAGE, window.location.href).href, authority = AUTHORITY): Promise<SignIn> {
  if (!Office.context.requirements.isSetSupported('NestedAppAuth', '1.1')) return dialogSignIn(clientId, dialogPage, Date.now, authority);
  const nested: IPublicClientApplication = await createNestablePublicClientApplication({ auth: { clientId, authority } });
  return {
    async getAccessToken() {
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

/** Signs in through the dialog once, and again only when the token is about to expire (Graph asks for a token per request). */
export function dialogSignIn(clientId: string, dialogPage: string, now: () => number = Date.now, authority = AUTHORITY): SignIn {
  let held: { accessToken: string; expiresOn: number } | undefined;
  let pending: Promise<string> | undefined;
  return {
    async getAccessToken() {
      if (held && held.expiresOn - EXPIRY_MARGIN_MS > now()) return held.accessToken;
      pending ??= tokenFromDialog(dialogPageUrl(dialogPage, { clientId, authority, scopes: GRAPH_SCOPES }))
        .then(({ accessToken, expiresOn }) => {
          // Without an expiry, use the token for this request only.
          held = expiresOn ? { accessToken, expiresOn } : undefined;
          return accessToken;
        })
        .finally(() => (pending = undefined));
      return pending;
    },
  };
}

/** Office's dialog errors (DialogEventReceived) in the user's words. */
const DIALOG_EVENTS: Record<number, string> = {
  12002: 'the sign-in page could not be loaded (is auth-dialog.html deployed beside the task pane?)',
  12003: 'the sign-in page must be served over https',
  12006: 'the sign-in window was closed before sign-in finished',
};

/**
 * Opens the sign-in page in an Office dialog and waits for its one message; closes the dialog
 * whatever the outcome, and settles once.
 */
export function tokenFromDialog(url: string): Promise<{ accessToken: string; expiresOn?: number }> {
  return new Promise((resolve, reject) => {
    Office.context.ui.displayDialogAsync(url, { height: 60, width: 30 }, (opened) => {
      if (opened.status !== Office.AsyncResultStatus.Succeeded) return reject(new Error(`the sign-in window could not open: ${opened.error.message}`));
      const dialog = opened.value;
      let settled = false;
      const finish = (settle: () => void) => {
        if (settled) return;
        settled = true;
        try {
          dialog.close();
        } catch {
          // closed already (by the user)
        }
        settle();
      };
      dialog.addEventHandler(Office.EventType.DialogMessageReceived, (arg) => {
        const message = parseDialogMessage('message' in arg ? arg.message : '');
        finish(() => ('accessToken' in message ? resolve(message) : reject(new Error(`sign-in failed: ${message.error}`))));
      });
      dialog.addEventHandler(Office.EventType.DialogEventReceived, (arg) => {
        const code = 'error' in arg ? arg.error : 0;
        finish(() => reject(new Error(DIALOG_EVENTS[code] ?? `the sign-in window stopped (Office dialog error ${code})`)));
      });
    });
  });
}
