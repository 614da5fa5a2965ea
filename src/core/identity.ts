/**
 * Who did a step, and how we know: the Audit log's By column carries the name with a mark that
 * says how far to trust it. A user signed in through Microsoft Entra ID (the pane's nested app
 * authentication) is recorded by their sign-in name alone; a name someone typed is marked "typed,
 * not verified"; the command line records the operating-system account it runs under, marked so,
 * and beside a typed or signed-in name the account the command ran under:
 *
 *   dana@contoso.com                                     signed in (the pane)
 *   Dana Reviewer (typed, not verified)                  typed (the pane)
 *   root@build01 (OS user)                               the command line's own account
 *   Dana Reviewer (typed, not verified; OS user root@build01)
 *   dana@contoso.com (signed in; OS user root@build01)
 *
 * Segregation of duties compares every person a By text names (the name and the account), each
 * as a reader sees it: compatibility forms, invisible characters, case, white space and confusable
 * letters aside (./lookalike).
 */
import { lookalikeKey, visibleText } from './lookalike';

export const IDENTITY_SOURCES = ['signed in', 'typed', 'os user'] as const;
export type IdentitySource = (typeof IDENTITY_SOURCES)[number];

export interface Identity {
  name: string;
  source: IdentitySource;
  /** The operating-system account the step ran under (`user@host`), where the host knows it: the command line. */
  osAccount?: string;
}

const MARKS: Record<IdentitySource, string> = { 'signed in': 'signed in', typed: 'typed, not verified', 'os user': 'OS user' };
const ACCOUNT_MARK = '; OS user ';

/** The Audit log's By text for an identity, the name recorded as a reader sees it: "dana@contoso.com", "Dana Reviewer (typed, not verified)", "dana@host (OS user)". */
export function auditBy(identity: Identity): string {
  const name = visibleText(identity.name);
  if (name === '') return '';
  const account = identity.osAccount ? visibleText(identity.osAccount) : '';
  if (identity.source === 'os user' || (identity.source === 'signed in' && !account)) return identity.source === 'os user' ? `${name} (OS user)` : name;
  return `${name} (${MARKS[identity.source]}${account ? `${ACCOUNT_MARK}${account}` : ''})`;
}

// The mark is the last parenthesis: a typed name may hold parentheses of its own.
const MARKED = /^(.*) \((signed in|typed, not verified|OS user)(?:; OS user ([^()]+))?\)$/s;

/** The identity an Audit By text records: a text without a mark is a signed-in name (as the pane writes it). */
export function identityIn(by: string): Identity {
  const text = by.trim();
  const marked = MARKED.exec(text);
  if (!marked) return { name: text, source: 'signed in' };
  const source = IDENTITY_SOURCES.find((s) => MARKS[s] === marked[2])!;
  return { name: marked[1].trim(), source, ...(marked[3] ? { osAccount: marked[3].trim() } : {}) };
}

/** The person an Audit By text names, without the marks that say how we know. */
export function personIn(by: string): string {
  return identityIn(by).name;
}

/** Everyone a By text stands for: the name, and the operating-system account the step ran under. */
export function peopleIn(by: string): string[] {
  const identity = identityIn(by);
  return [identity.name, ...(identity.osAccount ? [identity.osAccount] : [])].filter((n) => visibleText(n) !== '');
}

/** Whether two Audit By texts name the same person (or ran under the same account), however each was known and spelled. */
export function samePerson(a: string, b: string): boolean {
  return sharedPerson(a, b) !== undefined;
}

/** The person (or account) `a` names that `b` names too, as `a` spells it; undefined when they share none. */
export function sharedPerson(a: string, b: string): string | undefined {
  const theirs = new Set(peopleIn(b).map(lookalikeKey));
  return peopleIn(a).find((person) => theirs.has(lookalikeKey(person)));
}

/** How a step's person was known, in words for `verify` and the manifest. */
export function howKnown(by: string): IdentitySource {
  return identityIn(by).source;
}

const KNOWN_WORDS: Record<IdentitySource, string> = { 'signed in': 'signed in (Microsoft Entra ID)', typed: 'typed, not verified', 'os user': 'the operating-system account' };

/** How a step's person was known, for `verify`: "Dana Reviewer: typed, not verified, from the account root@build01". */
export function describeKnown(by: string): string {
  const identity = identityIn(by);
  return `${identity.name}: ${KNOWN_WORDS[identity.source]}${identity.osAccount ? `, from the account ${identity.osAccount}` : ''}`;
}
