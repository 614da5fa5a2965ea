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
 * names. `valueOf` gives the value of a dimension, or undefined to pass the mapping over. The one
 * rule of the allocation run and of CB.COSTCENTER; `spell` turns the code into the spelling the
 * statement uses (the CostCenters spelling, see cost-center-codes.ts).
 *
 * The mappings are indexed once per array (kept with it, so the array must not change after):
 * a value is looked up among the plain patterns and the `prefix*` and `*suffix` ones by its own
 * text, and only other globs are tried one by one, so 500 mappings cost a few lookups a value.
 */
export function firstMatchingMapping<M extends { dimension: string; pattern: string; costCenter: string }>(
  mappings: readonly M[],
  valueOf: (dimension: string) => string | undefined,
  spell: (code: string) => string = (code) => code,
): { mapping: M; value: string; costCenter: string } | undefined {
  let best = -1;
  let bestValue = '';
  for (const group of indexOf(mappings)) {
    if (best >= 0 && group.first >= best) continue;
    const value = valueOf(group.dimension);
    if (value === undefined) continue;
    const found = group.firstMatch(value, best < 0 ? mappings.length : best);
    if (found >= 0 && (best < 0 || found < best)) {
      best = found;
      bestValue = value;
    }
  }
  if (best < 0) return undefined;
  const mapping = mappings[best];
  return { mapping, value: bestValue, costCenter: spell(mappedCostCenter(mapping.costCenter, bestValue)) };
}

/** The mappings of one dimension (as spelled), indexed by pattern shape. */
interface DimensionIndex {
  dimension: string;
  /** Index of its first mapping: a group that starts after the best match so far is not asked. */
  first: number;
  /** The index of the first of its mappings (below `before`) that matches the value, or -1. */
  firstMatch(value: string, before: number): number;
}

const indexes = new WeakMap<readonly unknown[], DimensionIndex[]>();

function indexOf(mappings: readonly { dimension: string; pattern: string; costCenter: string }[]): DimensionIndex[] {
  let index = indexes.get(mappings);
  if (!index) indexes.set(mappings, (index = buildIndex(mappings)));
  return index;
}

function buildIndex(mappings: readonly { dimension: string; pattern: string; costCenter: string }[]): DimensionIndex[] {
  const byDimension = new Map<string, number[]>();
  mappings.forEach((m, i) => {
    const rows = byDimension.get(m.dimension);
    if (rows) rows.push(i);
    else byDimension.set(m.dimension, [i]);
  });
  return [...byDimension].map(([dimension, rows]) => {
    const exact = new Map<string, number>();
    const prefixes = new Map<string, number>();
    const suffixes = new Map<string, number>();
    const others: { at: number; glob: string }[] = [];
    const keep = (map: Map<string, number>, key: string, at: number) => map.has(key) || map.set(key, at);
    for (const at of rows) {
      const glob = mappings[at].pattern.trim().toLowerCase();
      const wild = (text: string) => /[*?]/.test(text);
      if (!wild(glob)) keep(exact, glob, at);
      else if (glob.endsWith('*') && !wild(glob.slice(0, -1))) keep(prefixes, glob.slice(0, -1), at);
      else if (glob.startsWith('*') && !wild(glob.slice(1))) keep(suffixes, glob.slice(1), at);
      else others.push({ at, glob });
    }
    const lengths = (map: Map<string, number>) => [...new Set([...map.keys()].map((k) => k.length))];
    const [prefixLengths, suffixLengths] = [lengths(prefixes), lengths(suffixes)];
    const linear = (value: string, before: number) => {
      for (const at of rows) {
        if (at >= before) break;
        const m = mappings[at];
        if (!(isValuePlaceholder(m.costCenter) && value.trim() === '') && matchesPattern(value, m.pattern)) return at;
      }
      return -1;
    };
    const firstMatch = (value: string, before: number): number => {
      // an empty value passes over {value} mappings, which the indexes below do not know: try each in turn
      if (value.trim() === '') return linear(value, before);
      const lower = value.toLowerCase();
      let best = exact.get(lower) ?? before;
      for (const length of prefixLengths) if (length <= lower.length) best = Math.min(best, prefixes.get(lower.slice(0, length)) ?? best);
      for (const length of suffixLengths) if (length <= lower.length) best = Math.min(best, suffixes.get(lower.slice(lower.length - length)) ?? best);
      for (const { at, glob } of others) {
        if (at >= best) break;
        if (globMatches(lower, glob)) best = at;
      }
      return best < before ? best : -1;
    };
    return { dimension, first: rows[0], firstMatch };
  });
}
