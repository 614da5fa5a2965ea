import { NameNeeded, shownName, signedInUser, stepUser } from '../../src/taskpane/identity';

describe('who the pane records', () => {
  it('takes the signed-in user from the identity provider\'s account, by sign-in name', async () => {
    const asked: string[][] = [];
    const user = await signedInUser({ acquireTokenSilent: async ({ scopes }) => (asked.push(scopes), { account: { username: ' dana@contoso.com ', name: 'Dana Preparer' } }) });
    expect(user).toEqual({ username: 'dana@contoso.com', name: 'Dana Preparer' });
    expect(asked).toEqual([['User.Read']]);
    expect(shownName(user)).toBe('Dana Preparer (dana@contoso.com)');
  });

  it('refuses an answer that names no account, and passes the provider\'s failure on', async () => {
    await expect(signedInUser({ acquireTokenSilent: async () => ({ account: null }) })).rejects.toThrow('without naming an account');
    await expect(signedInUser({ acquireTokenSilent: async () => Promise.reject(new Error('AADSTS50058')) })).rejects.toThrow('AADSTS50058');
  });

  it('records a signed-in user unmarked; otherwise the remembered name, or asks once, marked typed', async () => {
    const ask = jest.fn(async () => 'Pat Preparer');
    expect(await stepUser(Promise.resolve({ status: 'signed in', user: { username: 'dana@contoso.com' } }), () => '', ask)).toBe('dana@contoso.com');
    expect(await stepUser(Promise.resolve({ status: 'unknown' }), () => 'Sam', ask)).toBe('Sam (typed, not verified)');
    expect(ask).not.toHaveBeenCalled();
    expect(await stepUser(Promise.resolve({ status: 'unknown', problem: 'x' }), () => '', ask)).toBe('Pat Preparer (typed, not verified)');
    expect(ask).toHaveBeenCalledTimes(1);
    await expect(stepUser(Promise.resolve({ status: 'unknown' }), () => '', async () => '  ')).rejects.toBeInstanceOf(NameNeeded);
  });
});
