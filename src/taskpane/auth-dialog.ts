/// <reference types="office-js" />
/**
 * The sign-in page the task pane opens in an Office dialog where nested app authentication is
 * not available (auth-dialog.html; see auth.ts). It runs MSAL's redirect flow to Microsoft Entra
 * ID and back to itself, then hands the token to the pane with `messageParent`. The query string
 * says what to sign in to; it is kept in this dialog's session storage across the redirect (it
 * holds no secret). MSAL keeps its state there too: it goes when the dialog window closes.
 */
import { createStandardPublicClientApplication } from '@azure/msal-browser';
import { DialogMessage, DialogRequest, dialogRequestFrom, signInWithRedirect } from './auth-dialog-protocol';

const REQUEST_KEY = 'chargeback.auth-dialog';

function show(text: string) {
  const root = document.getElementById('root');
  if (root) root.textContent = text;
}

Office.onReady(async () => {
  const send = (message: DialogMessage) => {
    show('accessToken' in message ? 'Signed in. This window closes by itself.' : `Sign-in failed: ${message.error}`);
    Office.context.ui.messageParent(JSON.stringify(message));
  };
  try {
    show('Signing in to Microsoft 365…');
    let request = dialogRequestFrom(window.location.search);
    if (request) window.sessionStorage.setItem(REQUEST_KEY, JSON.stringify(request));
    else request = JSON.parse(window.sessionStorage.getItem(REQUEST_KEY) ?? 'null') as DialogRequest | null ?? undefined;
    if (!request) throw new Error('the sign-in page was opened without a client id');
    const client = await createStandardPublicClientApplication({
      // Back to this very page, without its query: the URI registered in the app registration.
      auth: { clientId: request.clientId, authority: request.authority, redirectUri: `${window.location.origin}${window.location.pathname}` },
      cache: { cacheLocation: 'sessionStorage' },
    });
    await signInWithRedirect(client, request.scopes, send);
  } catch (error) {
    send({ error: error instanceof Error ? error.message : String(error) });
  }
});
