/**
 * How deeply a JSON value we did not write (a rules file, a Tags cell) may nest. Real rules and tags
 * are one or two levels deep; a value nested thousands deep would exhaust the stack of every
 * recursive reader after it (String, JSON.stringify, validation), so it is refused first, by a walk
 * that does not recurse.
 */
export const JSON_DEPTH_LIMIT = 32;

/** The deepest nesting of objects and arrays in `value`, counted up to `limit + 1` (where it stops). */
export function jsonDepth(value: unknown, limit = JSON_DEPTH_LIMIT): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    const here = depth + 1;
    if (here > deepest) deepest = here;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(item) ? item : Object.values(item)) if (typeof child === 'object' && child !== null) pending.push([child, here]);
  }
  return deepest;
}

/** Why `value` nests too deeply to be read, or undefined. */
export function jsonDepthProblem(value: unknown, limit = JSON_DEPTH_LIMIT): string | undefined {
  return jsonDepth(value, limit) > limit ? `nested more than ${limit} levels deep (lists or objects within each other), which no rules or tags need` : undefined;
}
