/**
 * CB.TAG as a pure function: a tag's value from a FOCUS `Tags` cell, with the engine's semantics
 * (tag keys compared without regard to case). CB.COSTCENTER is in cost-center.ts.
 */
import { AMBIGUOUS_TAG, ambiguousTagProblem, cellText, hasTag, NO_TAGS, parseTags, tagKeyOf, TagValues, tagValue } from '../core/focus';
import { invalidValue, notAvailable } from './errors';
import { isBlank, showCell, singleCell } from './inputs';

/** Tags by key as written and trimmed in lower case, own keys only, values as text: how the engine reads a `Tags` cell. */
export type Tags = TagValues;

/**
 * A tag's value as the engine reads it ('' when absent): the key spelled as given wins; #VALUE! when
 * only other spellings hold it, with different values (the engine leaves such a line unallocated).
 */
export function tagOf(tags: Tags, key: string): string {
  const value = tagValue(tags, key);
  if (value === AMBIGUOUS_TAG) throw invalidValue(ambiguousTagProblem(key));
  return value;
}

/** Whether a cell holds a JSON object, the shape of a FOCUS `Tags` value. */
export function looksLikeTags(value: unknown): boolean {
  return typeof value === 'string' && value.trim().startsWith('{');
}

/** Reads a FOCUS `Tags` cell (`{"team":"checkout","env":"prod"}`). An empty cell has no tags. */
export function readTags(value: unknown, name: string): Tags {
  const cell = singleCell(value, name);
  if (isBlank(cell)) return NO_TAGS;
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
  if (value === '' && !hasTag(tags, wanted)) {
    const keys = Object.keys(tags.byFoldedKey);
    throw notAvailable(`there is no tag "${wanted}" in these tags${keys.length > 0 ? ` (they have ${keys.slice(0, 10).join(', ')}${keys.length > 10 ? ', …' : ''})` : ' (the cell is empty)'}`);
  }
  return value;
}
