/**
 * Who did a step, and how we know: the Audit log's By column carries the name with a mark that
 * says how far to trust it. A user signed in through Microsoft Entra ID (the pane's nested app
 * authentication) is recorded by their sign-in name alone; a name someone typed is marked "typed,
 * not verified"; the command line records the operating-system account it runs under, marked so.
 * Segregation of duties compares the names without their marks.
 */

export type IdentitySource = 'signed in' | 'typed' | 'os user';

export interface Identity {
  name: string;
  source: IdentitySource;
}

const MARKS: Record<IdentitySource, string> = { 'signed in': '', typed: ' (typed, not verified)', 'os user': ' (OS user)' };

/** The Audit log's By text for an identity: "dana@contoso.com", "Dana Reviewer (typed, not verified)", "dana (OS user)". */
export function auditBy(identity: Identity): string {
  const name = identity.name.trim();
  return name === '' ? '' : `${name}${MARKS[identity.source]}`;
}

/** The person an Audit By text names, without the mark that says how we know. */
export function personIn(by: string): string {
  const text = by.trim();
  for (const mark of Object.values(MARKS)) if (mark && text.endsWith(mark)) return text.slice(0, -mark.length).trim();
  return text;
}

/** Whether two Audit By texts name the same person (case aside, however each was known). */
export function samePerson(a: string, b: string): boolean {
  return personIn(a).toLowerCase() === personIn(b).toLowerCase();
}
