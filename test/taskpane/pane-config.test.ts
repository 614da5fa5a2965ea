import { approvalPolicyFor, authorityFor, loadPaneConfig, parsePaneConfig } from '../../src/taskpane/pane-config';

const CLIENT_ID = '11111111-2222-3333-4444-555555555555';

describe("the admin's chargeback.config.json", () => {
  it('reads tenant, client id and the default share', () => {
    const config = parsePaneConfig(JSON.stringify({ tenant: 'contoso.onmicrosoft.com', clientId: CLIENT_ID, sharePoint: { siteUrl: 'https://contoso.sharepoint.com/sites/Finance', library: 'Documents', folder: 'Chargeback' }, blobContainerUrl: 'https://acct.blob.core.windows.net/finance' }));
    expect(config.clientId).toBe(CLIENT_ID);
    expect(authorityFor(config)).toBe('https://login.microsoftonline.com/contoso.onmicrosoft.com');
    expect(authorityFor({})).toBe('https://login.microsoftonline.com/common');
  });

  it("carries the administrator's sign-off policy; a file that cannot be read requires a signed-in approver", () => {
    expect(approvalPolicyFor({ config: parsePaneConfig('{"allowSelfApproval": true}') })).toEqual({ allowSelfApproval: true, requireSignIn: false });
    expect(approvalPolicyFor({ config: {} })).toEqual({ allowSelfApproval: false, requireSignIn: false });
    expect(approvalPolicyFor({ config: {}, problem: 'chargeback.config.json: allowSelfApproval must be true or false' })).toEqual({ allowSelfApproval: false, requireSignIn: true });
    expect(() => parsePaneConfig('{"requireSignIn": "yes"}')).toThrow('chargeback.config.json: requireSignIn must be true or false');
  });

  it('names each wrong field and why, all at once', () => {
    expect(() => parsePaneConfig('{"clientId": "abc", "tenant": "not a tenant", "sharePoint": {"siteUrl": "http://x"}, "clientID": 1}')).toThrow(
      /^chargeback\.config\.json: tenant must be the tenant id .*; clientId must be the app registration's Application \(client\) ID.*; sharePoint\.siteUrl must be an https URL.*; "clientID" is not a setting \(the settings are tenant, clientId, sharePoint, blobContainerUrl, allowSelfApproval, requireSignIn\)$/,
    );
    expect(() => parsePaneConfig('{"sharePoint": {"site": "x"}}')).toThrow('sharePoint "site" is not a setting (the settings are siteUrl, library, folder)');
    expect(() => parsePaneConfig('{"clientId": ')).toThrow(/^chargeback\.config\.json is not JSON: /);
  });

  it('refuses a SAS in the file, which anyone who can open the pane can read', () => {
    expect(() => parsePaneConfig(JSON.stringify({ blobContainerUrl: 'https://acct.blob.core.windows.net/finance?sv=2022-11-02&sig=abc' }))).toThrow('blobContainerUrl must not carry a SAS');
  });

  it('takes no file as nothing configured, and a bad file as a problem to show (the pane works on without it)', async () => {
    const answer = (status: number, body = '') => (async () => new Response(body, { status })) as unknown as typeof fetch;
    await expect(loadPaneConfig('https://addin.contoso.com/chargeback/taskpane.html', answer(404))).resolves.toEqual({ config: {} });
    await expect(loadPaneConfig('https://addin.contoso.com/chargeback/taskpane.html', answer(500))).resolves.toEqual({ config: {}, problem: 'chargeback.config.json could not be read: the server answered 500' });
    await expect(loadPaneConfig('https://x/taskpane.html', answer(200, '{"clientId": "x"}'))).resolves.toMatchObject({ config: {}, problem: expect.stringContaining('clientId must be') });
    let asked = '';
    await loadPaneConfig('https://addin.contoso.com/chargeback/taskpane.html', (async (url: string) => ((asked = url), new Response('{}', { status: 200 }))) as unknown as typeof fetch);
    expect(asked).toBe('https://addin.contoso.com/chargeback/chargeback.config.json');
  });
});
