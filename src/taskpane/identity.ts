/**
 * Who the pane records in the Audit log. The signed-in user comes from Microsoft Entra ID through
 * nested app authentication: MSAL's nestable client asks Office, which knows who is signed in, for
 * a token, silently, and the token's account names the user. That needs the app registration the
 * admin names in chargeback.config.json (clientId) and an Excel that supports NestedAppAuth 1.1.
 * Where no identity can be had, the pane asks for a name at the first step that writes, remembers
 * it on this computer, and the Audit log marks it "typed, not verified" (src/core/identity.ts).
 */
import type { AccountInfo } from '@azure/msal-browser';
import { auditBy } from '../core/identity';

/** The scope asked for only to learn who is signed in (any Entra app may ask for it). */
export const IDENTITY_SCOPES = ['User.Read'];

export interface SignedInUser {
  /** The sign-in name (user principal name), recorded in the Audit log: unique in the tenant. */
  username: string;
  /** The display name, shown in the pane. */
  name?: string;
}

/** What the identity provider is asked: MSAL's nestable client in Excel, a stand-in on the harness page. */
export interface TokenClient {
  acquireTokenSilent(request: { scopes: string[] }): Promise<{ account: Pick<AccountInfo, 'username' | 'name'> | null }>;
}

/** The user the identity provider's token is for; rejects when it answers no account. */
export async function signedInUser(client: TokenClient): Promise<SignedInUser> {
  const { account } = await client.acquireTokenSilent({ scopes: IDENTITY_SCOPES });
  const username = account?.username?.trim();
  if (!username) throw new Error('the sign-in answered without naming an account');
  return { username, name: account?.name?.trim() || undefined };
}

/** The user's name in the pane: "Dana Preparer (dana@contoso.com)". */
export const shownName = (user: SignedInUser) => (user.name && user.name !== user.username ? `${user.name} (${user.username})` : user.username);

/** How the pane stands on who is at the keyboard. */
export type PaneIdentity = { status: 'finding out' } | { status: 'signed in'; user: SignedInUser } | { status: 'unknown'; problem?: string };

/** Refused when the user closes the name prompt: nothing is written without a name for the Audit log. */
export class NameNeeded extends Error {
  constructor() {
    super('the Audit log records who did each step: give your name to go on');
    this.name = 'NameNeeded';
  }
}

/** The Audit log's By text for a step now: the signed-in user, else a typed name (asked for once, then remembered). */
export async function stepUser(identity: Promise<PaneIdentity>, remembered: () => string, askName: () => Promise<string>): Promise<string> {
  const known = await identity;
  if (known.status === 'signed in') return auditBy({ name: known.user.username, source: 'signed in' });
  const name = remembered().trim() || (await askName()).trim();
  if (name === '') throw new NameNeeded();
  return auditBy({ name, source: 'typed' });
}
