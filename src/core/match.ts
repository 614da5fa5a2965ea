/**
 * Rule matching: `Pattern` is a case-insensitive glob (`*` any run of characters, `?` one
 * character) over the whole value, and `{value}` as a cost center means "the matched value itself".
 */

/**
 * Whether `value` matches the glob `pattern` (both already in one letter case). Greedy matching
 * that returns only to the last `*` seen: at most |value| × |pattern| steps, where a regular
 * expression of many `*` backtracks for minutes on a 40-character value.
 */
function globMatches(value: string, pattern: string): boolean {
  let v = 0;
  let p = 0;
  let star = -1; // pattern index just after the last `*` seen
  let resume = 0; // value index that `*` has swallowed up to
  while (v < value.length) {
    if (p < pattern.length && pattern[p] === '*') {
      star = ++p;
      resume = v;
    } else if (p < pattern.length && (pattern[p] === '?' || pattern[p] === value[v])) {
      v++;
      p++;
    } else if (star >= 0) {
      p = star;
      v = ++resume;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

const lowered = new Map<string, string>();

/** Whether a value matches a rule pattern, ignoring case. An empty value only matches `*`... or an empty pattern. */
export function matchesPattern(value: string, pattern: string): boolean {
  let glob = lowered.get(pattern);
  if (glob === undefined) {
    glob = pattern.trim().toLowerCase();
    if (lowered.size > 10_000) lowered.clear();
    lowered.set(pattern, glob);
  }
  return globMatches(value.toLowerCase(), glob);
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
