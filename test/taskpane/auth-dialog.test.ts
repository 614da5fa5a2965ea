/**
 * The sign-in dialog fallback (Excel builds without nested app authentication), without Office:
 * hand-written stubs of Office's dialog API and of MSAL's redirect client stand in for both sides.
 */
import type { AuthenticationResult } from '@azure/msal-browser';
import { AUTHORITY, dialogPageUrl, dialogRequestFrom, parseDialogMessage, RedirectClient, signInWithRedirect } from '../../src/taskpane/auth-dialog-protocol';
import { dialogSignIn, GRAPH_SCOPES, signIn, tokenFromDialog } from '../../src/taskpane/auth';

const PAGE = 'https://chargeback.contoso.com/addin/auth-dialog.html';

/** One dialog Office opened: the URL, its handlers, and how often the pane closed it. */
class StubDialog {
  handlers = new Map<string, (arg: unknown) => void>();
  closes = 0;
  constructor(
    readonly url: string,
    private closedByUser = false,
  ) {}
  addEventHandler(type: string, handler: (arg: unknown) => void) {
    this.handlers.set(type, handler);
  }
  close() {
    this.closes++;
    if (this.closedByUser) throw new Error('the dialog is closed already');
  }
  /** The page calls messageParent. */
  send(message: string) {
    this.handlers.get('dialogMessageReceived')!({ message, origin: 'https://chargeback.contoso.com' });
  }
  /** Office reports an event: the user closed the window (12006), or the page failed to load. */
  event(code: number) {
    this.closedByUser = code === 12006;
    this.handlers.get('dialogEventReceived')!({ error: code });
  }
}

let dialogs: StubDialog[];
let openFails: string | undefined;
let nestedAppAuth: boolean;

beforeEach(() => {
  dialogs = [];
  openFails = undefined;
  nestedAppAuth = false;
  (globalThis as unknown as { Office: unknown }).Office = {
    AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
    EventType: { DialogMessageReceived: 'dialogMessageReceived', DialogEventReceived: 'dialogEventReceived' },
    context: {
      requirements: { isSetSupported: (name: string) => name === 'NestedAppAuth' && nestedAppAuth },
      ui: {
        displayDialogAsync(url: string, _options: unknown, callback: (result: unknown) => void) {
          if (openFails) return callback({ status: 'failed', error: { message: openFails } });
          const dialog = new StubDialog(url);
          dialogs.push(dialog);
          callback({ status: 'succeeded', value: dialog });
        },
      },
    },
  };
});

afterEach(() => {
  delete (globalThis as { Office?: unknown }).Office;
});

/** Lets the promise chain reach displayDialogAsync. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the task pane side: tokenFromDialog', () => {
  it('resolves with the token the page sends and closes the dialog', async () => {
    const token = tokenFromDialog(PAGE);
    dialogs[0].send(JSON.stringify({ accessToken: 'eyJ0', expiresOn: 1_800_000_000_000 }));
    await expect(token).resolves.toEqual({ accessToken: 'eyJ0', expiresOn: 1_800_000_000_000 });
    expect(dialogs[0].closes).toBe(1);
  });

  it('rejects with the page\'s error and closes the dialog', async () => {
    const token = tokenFromDialog(PAGE);
    dialogs[0].send(JSON.stringify({ error: 'AADSTS65001: the user or administrator has not consented' }));
    await expect(token).rejects.toThrow('sign-in failed: AADSTS65001: the user or administrator has not consented');
    expect(dialogs[0].closes).toBe(1);
  });

  it('treats a message that is not the page\'s answer as a failed sign-in, not a crash', async () => {
    const token = tokenFromDialog(PAGE);
    dialogs[0].send('<html>not json');
    await expect(token).rejects.toThrow('sign-in failed: the sign-in window sent back no token');
    expect(dialogs[0].closes).toBe(1);
  });

  it('says the window was closed when the user closes it, and ignores anything after', async () => {
    const token = tokenFromDialog(PAGE);
    dialogs[0].event(12006);
    dialogs[0].send(JSON.stringify({ accessToken: 'late' }));
    await expect(token).rejects.toThrow('the sign-in window was closed before sign-in finished');
    expect(dialogs[0].closes).toBe(1);
  });

  it('names a sign-in page that could not be loaded, and a dialog that could not open', async () => {
    const missing = tokenFromDialog(PAGE);
    dialogs[0].event(12002);
    await expect(missing).rejects.toThrow('the sign-in page could not be loaded (is auth-dialog.html deployed beside the task pane?)');
    expect(dialogs[0].closes).toBe(1);
    openFails = 'A dialog box is already opened from this add-in.';
    await expect(tokenFromDialog(PAGE)).rejects.toThrow('the sign-in window could not open: A dialog box is already opened from this add-in.');
  });
});

describe('signing in without nested app authentication', () => {
  it('opens the dialog page with the client id, authority and Graph scopes in the query string', async () => {
    const { getAccessToken } = await signIn('11111111-2222-3333-4444-555555555555', PAGE);
    const token = getAccessToken();
    await tick();
    expect(dialogs).toHaveLength(1);
    const url = new URL(dialogs[0].url);
    expect(url.origin + url.pathname).toBe(PAGE);
    expect(dialogRequestFrom(url.search)).toEqual({ clientId: '11111111-2222-3333-4444-555555555555', authority: AUTHORITY, scopes: GRAPH_SCOPES });
    dialogs[0].send(JSON.stringify({ accessToken: 'eyJ0' }));
    await expect(token).resolves.toBe('eyJ0');
  });

  it('reuses the token until five minutes before it expires, with one dialog for requests made together', async () => {
    let now = 1_000_000;
    const { getAccessToken } = dialogSignIn('client', PAGE, () => now);
    const first = [getAccessToken(), getAccessToken()];
    await tick();
    expect(dialogs).toHaveLength(1);
    dialogs[0].send(JSON.stringify({ accessToken: 'first', expiresOn: now + 60 * 60 * 1000 }));
    await expect(Promise.all(first)).resolves.toEqual(['first', 'first']);

    now += 54 * 60 * 1000;
    await expect(getAccessToken()).resolves.toBe('first');
    expect(dialogs).toHaveLength(1);

    now += 2 * 60 * 1000; // 4 minutes left
    const second = getAccessToken();
    await tick();
    expect(dialogs).toHaveLength(2);
    dialogs[1].send(JSON.stringify({ accessToken: 'second', expiresOn: now + 60 * 60 * 1000 }));
    await expect(second).resolves.toBe('second');
  });

  it('opens the dialog again after a failed sign-in', async () => {
    const { getAccessToken } = dialogSignIn('client', PAGE);
    const failed = getAccessToken();
    await tick();
    dialogs[0].event(12006);
    await expect(failed).rejects.toThrow('closed before sign-in finished');
    const retried = getAccessToken();
    await tick();
    dialogs[1].send(JSON.stringify({ accessToken: 'eyJ0' }));
    await expect(retried).resolves.toBe('eyJ0');
  });
});

describe('the dialog page side', () => {
  it('reads its request from the query string, and only for Microsoft Entra ID', () => {
    const url = new URL(dialogPageUrl(PAGE, { clientId: 'abc', authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com', scopes: ['Files.ReadWrite.All', 'Sites.Read.All'] }));
    expect(dialogRequestFrom(url.search)).toEqual({ clientId: 'abc', authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com', scopes: ['Files.ReadWrite.All', 'Sites.Read.All'] });
    // Back from the redirect the query is gone: the page uses what it kept.
    expect(dialogRequestFrom('')).toBeUndefined();
    expect(() => dialogRequestFrom('?clientId=abc&authority=https%3A%2F%2Fevil.example%2Fcommon&scopes=x')).toThrow('the sign-in authority https://evil.example/common is not Microsoft Entra ID');
    expect(() => dialogRequestFrom('?clientId=abc&scopes=')).toThrow('without scopes');
  });

  function client(outcome: AuthenticationResult | null | Error): RedirectClient & { redirects: unknown[] } {
    const redirects: unknown[] = [];
    return {
      redirects,
      handleRedirectPromise: async () => {
        if (outcome instanceof Error) throw outcome;
        return outcome;
      },
      loginRedirect: async (request) => void redirects.push(request),
    };
  }

  it('goes to sign in on first load, sending nothing yet', async () => {
    const sent: unknown[] = [];
    const msal = client(null);
    await expect(signInWithRedirect(msal, GRAPH_SCOPES, (m) => sent.push(m))).resolves.toBeUndefined();
    expect(msal.redirects).toEqual([{ scopes: GRAPH_SCOPES }]);
    expect(sent).toEqual([]);
  });

  it('sends the token and its expiry when back from signing in, in the form the pane reads', async () => {
    const sent: string[] = [];
    const expiresOn = new Date('2026-11-02T10:00:00Z');
    const msal = client({ accessToken: 'eyJ0', expiresOn } as AuthenticationResult);
    await signInWithRedirect(msal, GRAPH_SCOPES, (m) => sent.push(JSON.stringify(m)));
    expect(msal.redirects).toEqual([]);
    expect(sent.map(parseDialogMessage)).toEqual([{ accessToken: 'eyJ0', expiresOn: expiresOn.getTime() }]);
  });

  it('sends the error when signing in failed', async () => {
    const sent: string[] = [];
    await signInWithRedirect(client(new Error('AADSTS50011: the redirect URI does not match')), GRAPH_SCOPES, (m) => sent.push(JSON.stringify(m)));
    expect(sent.map(parseDialogMessage)).toEqual([{ error: 'AADSTS50011: the redirect URI does not match' }]);
  });
});
