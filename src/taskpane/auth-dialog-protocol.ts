/**
 * The conversation between the task pane and its sign-in page (`auth-dialog.html`), for Excel
 * builds without nested app authentication: the pane opens the page in an Office dialog with what
 * to sign in to in the query string; the page runs MSAL's redirect flow and answers with one
 * message, `{ accessToken, expiresOn }` or `{ error }`, through `Office.context.ui.messageParent`.
 * No Office or MSAL here, so both sides' logic is tested without them.
 */
import type { AuthenticationResult, RedirectRequest } from '@azure/msal-browser';

export const AUTH_DIALOG_PAGE = 'auth-dialog.html';
export const AUTHORITY = 'https://login.microsoftonline.com/common';

/** What the dialog signs in to. None of it is secret: the client id is the app registration's public id. */
export interface DialogRequest {
  clientId: string;
  authority: string;
  scopes: string[];
}

/** The dialog's one answer. `expiresOn` is milliseconds since 1970, so the pane can reuse the token until then. */
export type DialogMessage = { accessToken: string; expiresOn?: number } | { error: string };

export function dialogPageUrl(page: string, request: DialogRequest): string {
  const url = new URL(page);
  url.search = new URLSearchParams({ clientId: request.clientId, authority: request.authority, scopes: request.scopes.join(' ') }).toString();
  return url.href;
}

/** Only Microsoft Entra ID signs in here: a link to this page cannot send the user's sign-in elsewhere. */
const ENTRA = /^https:\/\/login\.microsoftonline\.com\/[A-Za-z0-9.-]+\/?$/;

/** The request in the dialog page's query string, or undefined when there is none (as after the redirect back). */
export function dialogRequestFrom(search: string): DialogRequest | undefined {
  const params = new URLSearchParams(search);
  const clientId = params.get('clientId');
  if (!clientId) return undefined;
  const authority = params.get('authority') || AUTHORITY;
  if (!ENTRA.test(authority)) throw new Error(`the sign-in authority ${authority} is not Microsoft Entra ID (https://login.microsoftonline.com/<tenant>)`);
  const scopes = (params.get('scopes') ?? '').split(' ').filter((s) => s !== '');
  if (scopes.length === 0) throw new Error('the sign-in page was opened without scopes');
  return { clientId, authority, scopes };
}

/** Reads the dialog's answer; anything else is an error message, never an exception. */
export function parseDialogMessage(text: string): DialogMessage {
  try {
    const message = JSON.parse(text) as Partial<{ accessToken: unknown; expiresOn: unknown; error: unknown }>;
    if (typeof message.accessToken === 'string' && message.accessToken !== '') {
      return { accessToken: message.accessToken, ...(typeof message.expiresOn === 'number' ? { expiresOn: message.expiresOn } : {}) };
    }
    if (typeof message.error === 'string') return { error: message.error };
  } catch {
    // not JSON: fall through
  }
  return { error: 'the sign-in window sent back no token' };
}

/** The part of MSAL's PublicClientApplication the redirect flow uses. */
export interface RedirectClient {
  handleRedirectPromise(): Promise<AuthenticationResult | null>;
  loginRedirect(request: RedirectRequest): Promise<void>;
}

/**
 * One step of the redirect flow, run on every load of the dialog page: back from Entra ID with a
 * result, send the token; otherwise go to sign in (the page navigates away and loads again).
 * Returns what was sent, or undefined while the browser goes to sign in.
 */
export async function signInWithRedirect(client: RedirectClient, scopes: string[], send: (message: DialogMessage) => void): Promise<DialogMessage | undefined> {
  let message: DialogMessage;
  try {
    const result = await client.handleRedirectPromise();
    if (!result) {
      await client.loginRedirect({ scopes });
      return undefined;
    }
    message = result.accessToken ? { accessToken: result.accessToken, ...(result.expiresOn ? { expiresOn: result.expiresOn.getTime() } : {}) } : { error: 'Microsoft Entra ID returned no access token' };
  } catch (error) {
    message = { error: error instanceof Error ? error.message : String(error) };
  }
  send(message);
  return message;
}
