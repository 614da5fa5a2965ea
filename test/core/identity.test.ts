import { auditBy, howKnown, identityIn, personIn, samePerson, sharedPerson } from '../../src/core/identity';

describe('who did a step, and how we know', () => {
  it('records a signed-in user by their sign-in name, and marks a typed name and the OS account', () => {
    expect(auditBy({ name: 'dana@contoso.com', source: 'signed in' })).toBe('dana@contoso.com');
    expect(auditBy({ name: ' Dana Reviewer ', source: 'typed' })).toBe('Dana Reviewer (typed, not verified)');
    expect(auditBy({ name: 'dana@build01', source: 'os user' })).toBe('dana@build01 (OS user)');
    expect(auditBy({ name: '  ', source: 'typed' })).toBe('');
  });

  it('records the account a typed or signed-in name was given from, and reads every mark back', () => {
    const typed = auditBy({ name: 'Dana Reviewer', source: 'typed', osAccount: 'root@build01' });
    const signedIn = auditBy({ name: 'dana@contoso.com', source: 'signed in', osAccount: 'root@build01' });
    expect([typed, signedIn]).toEqual(['Dana Reviewer (typed, not verified; OS user root@build01)', 'dana@contoso.com (signed in; OS user root@build01)']);
    expect(identityIn(typed)).toEqual({ name: 'Dana Reviewer', source: 'typed', osAccount: 'root@build01' });
    expect(identityIn(signedIn)).toEqual({ name: 'dana@contoso.com', source: 'signed in', osAccount: 'root@build01' });
    expect([howKnown('dana@contoso.com'), howKnown('x@h (OS user)'), howKnown(typed)]).toEqual(['signed in', 'os user', 'typed']);
    // A typed name that carries a mark of its own stays typed.
    expect(howKnown(auditBy({ name: 'dana@contoso.com (signed in; OS user root@h)', source: 'typed' }))).toBe('typed');
  });

  it('records names as a reader sees them: compatibility forms folded, invisible characters dropped, spaces made one', () => {
    expect(auditBy({ name: 'Ｍａｌｌｏｒｙ\u200b  Smith\u00ad', source: 'typed' })).toBe('Mallory Smith (typed, not verified)');
    expect(personIn('Mal\u2060lory (typed, not verified)')).toBe('Mal\u2060lory');
  });

  it('compares people without the marks, case aside', () => {
    expect(personIn('Dana Reviewer (typed, not verified)')).toBe('Dana Reviewer');
    expect(personIn('dana (OS user)')).toBe('dana');
    expect(samePerson('dana (OS user)', 'Dana (typed, not verified)')).toBe(true);
    expect(samePerson('dana@contoso.com', 'sam@contoso.com')).toBe(false);
  });

  it.each([
    ['a zero-width space', 'Mallory\u200b'],
    ['a Cyrillic о', 'Mallоry'],
    ['fullwidth letters', 'Ｍａｌｌｏｒｙ'],
    ['a soft hyphen', 'Mal\u00adlory'],
    ['a word joiner', 'Mal\u2060lory'],
    ['a right-to-left override', '\u202eMallory'],
    ['capital I for l', 'MaIIory'],
    ['doubled spaces and capitals', ' MALLORY '],
  ])('knows Mallory spelled with %s', (_, spelled) => {
    expect(samePerson('Mallory (typed, not verified)', `${spelled} (typed, not verified)`)).toBe(true);
  });

  it('compares the account a step ran under as well as the name: the same account is the same person', () => {
    expect(sharedPerson('root@build01 (OS user)', 'Dana Reviewer (typed, not verified; OS user root@build01)')).toBe('root@build01');
    expect(samePerson('Pat (typed, not verified; OS user pat@laptop)', 'Dana (typed, not verified; OS user dana@desk)')).toBe(false);
    expect(samePerson('Dana Reviewer', 'Dana Preparer')).toBe(false);
  });
});
