/**
 * Rule matching: `Pattern` is a case-insensitive glob (`*` any run of characters, `?` one
 * character) over the whole value, and `{value}` as a cost center means "the matched value itself".
 */

const compiled = new Map<string, RegExp>();

export function globToRegExp(pattern: string): RegExp {
  let regex = compiled.get(pattern);
  if (!regex) {
    const body = pattern
      .split('')
      .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\/-]/g, '\\$&')))
      .join('');
    regex = new RegExp(`^${body}$`, 'is');
    compiled.set(pattern, regex);
  }
  return regex;
}

/** Whether a value matches a rule pattern. An empty value only matches `*`... or an empty pattern. */
export function matchesPattern(value: string, pattern: string): boolean {
  return globToRegExp(pattern.trim()).test(value);
}

export const VALUE_PLACEHOLDER = '{value}';

/** The cost center a mapping sends a value to: its own code, or the value itself for `{value}`. */
export function mappedCostCenter(mappingCostCenter: string, matchedValue: string): string {
  return mappingCostCenter.trim().toLowerCase() === VALUE_PLACEHOLDER ? matchedValue : mappingCostCenter;
}
