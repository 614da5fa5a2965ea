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

/** Whether a mapping's cost center is the `{value}` placeholder (any letter case, surrounding spaces ignored). */
export function isValuePlaceholder(mappingCostCenter: string): boolean {
  return mappingCostCenter.trim().toLowerCase() === VALUE_PLACEHOLDER;
}

/** The cost center a mapping sends a value to: its own code, or the value itself for `{value}`. */
export function mappedCostCenter(mappingCostCenter: string, matchedValue: string): string {
  return isValuePlaceholder(mappingCostCenter) ? matchedValue : mappingCostCenter;
}

/**
 * The first-match-wins rule of the Mappings table: the first mapping whose dimension's value
 * matches its pattern (a `{value}` mapping never matches an empty value) and the cost center it
 * names. `valueOf` gives the value of a dimension, or undefined to pass the mapping over.
 */
export function firstMatchingMapping<M extends { dimension: string; pattern: string; costCenter: string }>(
  mappings: readonly M[],
  valueOf: (dimension: string) => string | undefined,
): { mapping: M; value: string; costCenter: string } | undefined {
  for (const mapping of mappings) {
    const value = valueOf(mapping.dimension);
    if (value === undefined) continue;
    const byValue = isValuePlaceholder(mapping.costCenter);
    if ((byValue && value.trim() === '') || !matchesPattern(value, mapping.pattern)) continue;
    return { mapping, value, costCenter: mappedCostCenter(mapping.costCenter, value) };
  }
  return undefined;
}
