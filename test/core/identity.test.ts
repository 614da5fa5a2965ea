import { auditBy, personIn, samePerson } from '../../src/core/identity';

describe('who did a step, and how we know', () => {
  it('records a signed-in user by their sign-in name, and marks a typed name and the OS account', () => {
    expect(auditBy({ name: 'dana@contoso.com', source: 'signed in' })).toBe('dana@contoso.com');
    expect(auditBy({ name: ' Dana Reviewer ', source: 'typed' })).toBe('Dana Reviewer (typed, not verified)');
    expect(auditBy({ name: 'dana', source: 'os user' })).toBe('dana (OS user)');
    expect(auditBy({ name: '  ', source: 'typed' })).toBe('');
  });

  it('compares people without the marks, case aside', () => {
    expect(personIn('Dana Reviewer (typed, not verified)')).toBe('Dana Reviewer');
    expect(personIn('dana (OS user)')).toBe('dana');
    expect(samePerson('dana (OS user)', 'Dana (typed, not verified)')).toBe(true);
    expect(samePerson('dana@contoso.com', 'sam@contoso.com')).toBe(false);
  });
});
