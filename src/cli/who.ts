/**
 * Who the command line records in the Audit log.
 *
 * - The operating-system account it runs under, as `user@host`: the user from the operating
 *   system's user database (getpwuid on Linux and macOS, the logon name on Windows, through
 *   `os.userInfo()`), never from $USER, and the host name. It is recorded with every step, so the
 *   same account cannot prepare a period and approve it under another typed name.
 * - A name set in CHARGEBACK_USER (automation) or given with --by: typed, not verified.
 * - `approve --signed-in`: the user Microsoft Graph `/me` names for a token from the developer's
 *   own sign-in (Azure CLI `az login`, else Azure Developer CLI `azd auth login`), through
 *   @azure/identity. Graph is asked at https://graph.microsoft.com unless the administrator's
 *   policy names another Graph endpoint (a national cloud).
 */
import os from 'node:os';
import { auditBy } from '../core/identity';
import { InputError } from './failures';

/** `user@host` for the account this process runs under; a numeric `uid N` when the user database has no entry. */
export function osAccount(): string {
  let user: string | undefined;
  try {
    user = os.userInfo().username.trim() || undefined;
  } catch {
    // No entry in the user database (a container's arbitrary uid): the uid still names the account.
  }
  const uid = process.getuid?.();
  return `${user ?? (uid !== undefined ? `uid ${uid}` : 'an unnamed account')}@${os.hostname()}`;
}

/** The Audit log's By text for a step the command line runs (pull, allocate, publish). */
export function cliUser(env: NodeJS.ProcessEnv = process.env): string {
  const account = osAccount();
  const given = env.CHARGEBACK_USER?.trim();
  if (given) return auditBy({ name: given, source: 'typed', osAccount: account });
  return auditBy({ name: account, source: 'os user' });
}

/** The By text for a name given with --by: typed, with the account that typed it. */
export function typedUser(name: string): string {
  return auditBy({ name, source: 'typed', osAccount: osAccount() });
}

export const GRAPH_ENDPOINT = 'https://graph.microsoft.com';

/** What Graph `/me` answers, as far as we read it: checked, as every answer from the network is. */
function meFrom(json: unknown, url: string): string {
  const me = json as { userPrincipalName?: unknown; mail?: unknown } | null;
  const upn = typeof me?.userPrincipalName === 'string' ? me.userPrincipalName.trim() : '';
  if (upn === '') throw new InputError(`${url} answered without a userPrincipalName: cannot tell who is signed in`);
  return upn;
}

/** Graph's endpoint, checked: https, or plain http on this computer only (a stand-in for tests). */
export function graphEndpoint(configured: string | undefined): URL {
  const url = new URL(configured ?? GRAPH_ENDPOINT);
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw new InputError(`${url.origin}: Microsoft Graph must be reached over https`);
  return url;
}

/** The signed-in user's By text for `approve --signed-in`: their sign-in name as Graph /me gives it, with the account the command ran under. */
export async function signedInUser(graph: URL = graphEndpoint(undefined)): Promise<string> {
  const { AzureCliCredential, AzureDeveloperCliCredential, ChainedTokenCredential } = await import('@azure/identity');
  const credential = new ChainedTokenCredential(new AzureCliCredential(), new AzureDeveloperCliCredential());
  let token: string;
  try {
    const answer = await credential.getToken(`${graph.origin}/.default`);
    if (!answer?.token) throw new Error('no token');
    token = answer.token;
  } catch (error) {
    throw new InputError(`cannot sign in to approve: ${((error as Error).message ?? String(error)).split('\n')[0]} — sign in first with az login (Azure CLI) or azd auth login (Azure Developer CLI)`);
  }
  const me = new URL('v1.0/me?$select=userPrincipalName,displayName', graph.origin + '/');
  let response: Response;
  try {
    response = await fetch(me, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' }, redirect: 'error' });
  } catch (error) {
    throw new InputError(`cannot ask Microsoft Graph who is signed in (${me.origin}): ${(error as Error).message}`);
  }
  if (!response.ok) throw new InputError(`Microsoft Graph refused to say who is signed in (${me.origin}/v1.0/me answered ${response.status}): sign in again with az login`);
  let json: unknown;
  try {
    json = JSON.parse(await response.text());
  } catch {
    throw new InputError(`${me.origin}/v1.0/me did not answer JSON: cannot tell who is signed in`);
  }
  return auditBy({ name: meFrom(json, `${me.origin}/v1.0/me`), source: 'signed in', osAccount: osAccount() });
}
