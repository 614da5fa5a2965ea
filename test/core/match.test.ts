import fc from 'fast-check';
import { matchesPattern } from '../../src/core/match';

/** The glob as a regular expression: the obvious reading, to check the matcher against. */
const asRegExp = (pattern: string) => new RegExp(`^${pattern.trim().split('').map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\/-]/g, '\\$&'))).join('')}$`, 'is');

describe('rule patterns (case-insensitive globs)', () => {
  it.each([
    ['team-a-prod', 'team-a*', true],
    ['TEAM-A-prod', 'team-a*', true],
    ['team-b', 'team-a*', false],
    ['hub', '*', true],
    ['', '*', true],
    ['', '', true],
    ['x', '', false],
    ['abc', 'a?c', true],
    ['ac', 'a?c', false],
    ['a.c', 'a.c', true],
    ['abc', 'a.c', false],
    ['networking', '*work*', true],
    ['vm-01', ' vm-0? ', true],
  ])('%j against %j: %s', (value, pattern, expected) => {
    expect(matchesPattern(value, pattern)).toBe(expected);
  });

  it('matches a pattern of many * against a long value at once (a backtracking regular expression takes minutes)', () => {
    const pattern = '*a*a*a*a*a*a*a*a*a*a*a*a*b';
    expect(matchesPattern('a'.repeat(40), pattern)).toBe(false);
    expect(matchesPattern('a'.repeat(100_000), pattern)).toBe(false);
    expect(matchesPattern('a'.repeat(40) + 'b', pattern)).toBe(true);
  });

  it('agrees with the regular-expression reading on any pattern of *, ? and letters', () => {
    const unit = fc.constantFrom('a', 'b', 'A', '*', '?', '.', '-');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 8 }), fc.string({ unit: fc.constantFrom('a', 'b', 'B', '.', '-', '*'), maxLength: 10 }), (pattern, value) => {
        expect(matchesPattern(value, pattern)).toBe(asRegExp(pattern).test(value));
      }),
      { numRuns: 2000 },
    );
  });
});
