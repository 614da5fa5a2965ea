/**
 * CB.TAG and CB.COSTCENTER as pure functions: a tag's value from a FOCUS `Tags` cell, and the
 * cost center a value goes to under the `Mappings` rules, with the engine's semantics (tag keys
 * compared without regard to case, first matching mapping wins, `{value}` sends the matched value
 * itself and never matches an empty one).
 */
import { AMBIGUOUS_TAG, ambiguousTagProblem, cellText, isTagDimension, isValidDimension, parseTags, tagKey, tagKeyOf, TagValues, tagValue } from '../core/focus';
import { firstMatchingMapping } from '../core/match';
import { invalidValue, notAvailable } from './errors';
import { isBlank, readRange, showCell, singleCell } from './inputs';

/** Tags keyed trimmed and in lower case, own keys only, values as text: how the engine reads a `Tags` cell. */
export type Tags = TagValues;

/** A tag's value as the engine reads it ('' when absent); #VALUE! when the cell spells the key twice with different values. */
function tagOf(tags: Tags, key: string): string {
  const value = tagValue(tags, tagKey(key));
  if (value === AMBIGUOUS_TAG) throw invalidValue(ambiguousTagProblem(tagKey(key)));
  return value;
}

/** Whether a cell holds a JSON object, the shape of a FOCUS `Tags` value. */
export function looksLikeTags(value: unknown): boolean {
  return typeof value === 'string' && value.trim().startsWith('{');
}

/** Reads a FOCUS `Tags` cell (`{"team":"checkout","env":"prod"}`). An empty cell has no tags. */
export function readTags(value: unknown, name: string): Tags {
  const cell = singleCell(value, name);
  if (isBlank(cell)) return Object.create(null) as Tags;
  if (typeof cell !== 'string') throw invalidValue(`${name} is ${showCell(cell)}, not a JSON object of tags such as {"team":"checkout"}`);
  const tags = parseTags(cell);
  if ('problem' in tags) {
    if (tags.problem === 'not valid JSON') throw invalidValue(`${name} is not valid JSON: ${showCell(cell)}`);
    throw invalidValue(`${name} must be a JSON object of tags such as {"team":"checkout"}, not ${showCell(cell)}`);
  }
  return tags as Tags;
}

/** CB.TAG: the value of tag `key` (`team` or `Tag:team`, any case); #N/A when the tags lack it. */
export function tag(tagsJson: unknown, key: unknown): string {
  const wanted = tagKeyOf(cellText(singleCell(key, 'key')).trim());
  if (wanted === '') throw invalidValue('key is empty: name the tag to read, such as team');
  const tags = readTags(tagsJson, 'tags_json');
  const value = tagOf(tags, wanted);
  if (value === '' && !(tagKey(wanted) in tags)) {
    const keys = Object.keys(tags);
    throw notAvailable(`there is no tag "${wanted}" in these tags${keys.length > 0 ? ` (they have ${keys.slice(0, 10).join(', ')}${keys.length > 10 ? ', …' : ''})` : ' (the cell is empty)'}`);
  }
  return value;
}

interface MappingRow {
  dimension: string;
  pattern: string;
  costCenter: string;
  /** 1-based row within the range given, for messages. */
  row: number;
}

/** A Mappings range: three columns (Dimension, Pattern, CostCenter), optionally under a header row. */
export function readMappings(value: unknown): MappingRow[] {
  const range = readRange(value, 'mappings_range');
  if (range.columns !== 3) {
    throw invalidValue(`mappings_range has ${range.columns} column${range.columns === 1 ? '' : 's'}; it needs 3: Dimension, Pattern, CostCenter`);
  }
  const rows: MappingRow[] = [];
  for (let r = 0; r < range.rows; r++) {
    const [dimension, pattern, costCenter] = range.cells.slice(r * 3, r * 3 + 3).map((cell) => cellText(cell).trim());
    if (r === 0 && dimension.toLowerCase() === 'dimension') continue;
    if (dimension === '' && pattern === '' && costCenter === '') continue;
    const where = `mappings_range row ${r + 1}`;
    if (!isValidDimension(dimension)) {
      throw invalidValue(`${where}: Dimension ${showCell(dimension)} is not a FOCUS column, an x_ column or Tag:<key>`);
    }
    if (pattern === '') throw invalidValue(`${where}: Pattern is empty`);
    if (costCenter === '') throw invalidValue(`${where}: CostCenter is empty`);
    rows.push({ dimension, pattern, costCenter, row: r + 1 });
  }
  return rows;
}

/**
 * CB.COSTCENTER: the first mapping that matches. Given FOCUS tags (a JSON object), only `Tag:<key>`
 * rows are tried, each against its tag's value (empty when the tags lack it, as in the engine);
 * given a plain value, only rows of other dimensions are tried, against that value.
 */
export function costCenter(valueOrTags: unknown, mappingsRange: unknown): string {
  const cell = singleCell(valueOrTags, 'value_or_tags');
  const mappings = readMappings(mappingsRange);
  const tags = looksLikeTags(cell) ? readTags(cell, 'value_or_tags') : undefined;
  const plain = tags ? '' : cellText(cell).trim();
  const matched = firstMatchingMapping(mappings, (dimension) =>
    isTagDimension(dimension) !== (tags !== undefined) ? undefined : tags ? tagOf(tags, tagKeyOf(dimension)) : plain,
  );
  if (matched) return matched.costCenter;
  const tried = mappings.filter((m) => isTagDimension(m.dimension) === (tags !== undefined)).length;
  const what = tags ? 'these tags' : `"${plain}"`;
  const kind = tags ? 'Tag:<key>' : 'non-tag';
  throw notAvailable(`no mapping matches ${what} (${tried} ${kind} mapping${tried === 1 ? '' : 's'} tried); the allocation run would send it to the unallocated cost center`);
}
