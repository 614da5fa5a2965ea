/**
 * CB.TAG and CB.COSTCENTER as pure functions: a tag's value from a FOCUS `Tags` cell, and the
 * cost center a value goes to under the `Mappings` rules, with the engine's semantics (tag keys
 * compared without regard to case, first matching mapping wins, `{value}` sends the matched value
 * itself and never matches an empty one).
 */
import { AMBIGUOUS_TAG, ambiguousTagProblem, cellText, hasTag, isTagDimension, isValidDimension, NO_TAGS, parseTags, tagKeyOf, TagValues, tagValue } from '../core/focus';
import { firstMatchingMapping } from '../core/match';
import { FormulaError, invalidValue, notAvailable } from './errors';
import { inShapeOf, isBlank, readRange, showCell, singleCell } from './inputs';

/** Tags by key as written and trimmed in lower case, own keys only, values as text: how the engine reads a `Tags` cell. */
export type Tags = TagValues;

/**
 * A tag's value as the engine reads it ('' when absent): the key spelled as given wins; #VALUE! when
 * only other spellings hold it, with different values (the engine leaves such a line unallocated).
 */
function tagOf(tags: Tags, key: string): string {
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

interface MappingRow {
  dimension: string;
  pattern: string;
  costCenter: string;
  /** 1-based row within the range given, for messages. */
  row: number;
}

/**
 * The last Mappings range read and its rows. A column of =CB.COSTCENTER(…, Mappings[#All]) hands
 * the same range to every cell; comparing its cells is far cheaper than checking and parsing it
 * again, and a changed range (an edited rule) is read afresh.
 */
let lastMappings: { grid: MappingsGrid; rows: MappingRow[]; answers: Map<string, (cell: unknown) => string> } | undefined;

/** A range's cells kept flat, row by row, with its shape: one tight loop compares a new argument with it. */
interface MappingsGrid {
  rows: number;
  columns: number;
  cells: unknown[];
}

/**
 * Whether a range argument holds the same cells as a grid kept from before (no copying: this runs
 * once a cell, 1,500 cells against 500 mappings, so it is one flat loop over plain comparisons).
 */
function sameGrid(value: unknown, grid: MappingsGrid): boolean {
  if (!Array.isArray(value) || value.length !== grid.rows) return false;
  const { columns, cells } = grid;
  for (let r = 0, i = 0; r < value.length; r++) {
    const row: unknown = value[r];
    if (!Array.isArray(row) || row.length !== columns) return false;
    for (let c = 0; c < columns; c++, i++) if (row[c] !== cells[i]) return false;
  }
  return true;
}

/** A Mappings range: three columns (Dimension, Pattern, CostCenter), optionally under a header row. */
export function readMappings(value: unknown): MappingRow[] {
  if (lastMappings && sameGrid(value, lastMappings.grid)) return lastMappings.rows;
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
  // kept as a copy, so a range changed in place is not taken for the one read
  lastMappings = { grid: { rows: range.rows, columns: range.columns, cells: [...range.cells] }, rows, answers: new Map() };
  return rows;
}

/**
 * The engine's answer for one cell, as a function of the cell: given FOCUS tags (a JSON object),
 * only `Tag:<key>` rows are tried, each against its tag's value (empty when the tags lack it, as in
 * the engine); given a plain value, only rows of other dimensions are tried, against that value.
 * With `dimension` (`SubAccountName`, `Tag:team`) only that dimension's rows are tried, the cell
 * being that dimension's value (or, for a tag, a Tags cell). Answers are kept per distinct cell.
 */
function costCenterOf(mappings: readonly MappingRow[], dimension: string | undefined): (cell: unknown) => string {
  // the answers of the last range read are kept with it, per dimension, for the next cell to use
  const cache = lastMappings?.rows === mappings ? lastMappings.answers : undefined;
  const key = dimension ?? '';
  const cached = cache?.get(key);
  if (cached) return cached;
  const answerOf = answersFor(mappings, dimension);
  cache?.set(key, answerOf);
  return answerOf;
}

function answersFor(mappings: readonly MappingRow[], dimension: string | undefined): (cell: unknown) => string {
  const wanted = dimension === undefined ? undefined : dimension.toLowerCase();
  const rows = wanted === undefined ? mappings : mappings.filter((m) => m.dimension.toLowerCase() === wanted);
  const answers = new Map<unknown, string | FormulaError>();
  const compute = (cell: unknown): string => {
    const tags = looksLikeTags(cell) && (dimension === undefined || isTagDimension(dimension)) ? readTags(cell, 'value_or_tags') : undefined;
    const plain = tags ? '' : cellText(cell).trim();
    const matched = firstMatchingMapping(rows, (d) => {
      if (wanted !== undefined) return tags ? tagOf(tags, tagKeyOf(d)) : plain;
      return isTagDimension(d) !== (tags !== undefined) ? undefined : tags ? tagOf(tags, tagKeyOf(d)) : plain;
    });
    if (matched) return matched.costCenter;
    const tried = wanted !== undefined ? rows.length : rows.filter((m) => isTagDimension(m.dimension) === (tags !== undefined)).length;
    const what = tags ? 'these tags' : `"${plain}"`;
    const kind = wanted !== undefined ? dimension! : tags ? 'Tag:<key>' : 'non-tag';
    throw notAvailable(`no mapping matches ${what} (${tried} ${kind} mapping${tried === 1 ? '' : 's'} tried); the allocation run would send it to the unallocated cost center`);
  };
  return (cell) => {
    let answer = answers.get(cell);
    if (answer === undefined) {
      try {
        answer = compute(cell);
      } catch (error) {
        if (!(error instanceof FormulaError)) throw error;
        answer = error;
      }
      answers.set(cell, answer);
    }
    if (answer instanceof FormulaError) throw answer;
    return answer;
  };
}

function dimensionOf(value: unknown): string | undefined {
  const cell = singleCell(value, 'dimension');
  if (isBlank(cell)) return undefined;
  const dimension = cellText(cell).trim();
  if (!isValidDimension(dimension)) throw invalidValue(`dimension ${showCell(dimension)} is not a FOCUS column, an x_ column or Tag:<key>`);
  return dimension;
}

/** CB.COSTCENTER for one cell: the first mapping that matches (see costCenterOf). */
export function costCenter(valueOrTags: unknown, mappingsRange: unknown, dimension?: unknown): string {
  const cell = singleCell(valueOrTags, 'value_or_tags');
  return costCenterOf(readMappings(mappingsRange), dimensionOf(dimension))(cell);
}

/**
 * CB.COSTCENTER over a range (a whole column of values or Tags cells): one answer per cell, in the
 * range's shape, a cell no mapping matches holding its #N/A (a FormulaError) rather than failing
 * the whole column.
 */
export function costCenters(valuesOrTags: unknown, mappingsRange: unknown, dimension?: unknown): (string | FormulaError)[][] {
  const range = readRange(valuesOrTags, 'value_or_tags');
  const answerOf = costCenterOf(readMappings(mappingsRange), dimensionOf(dimension));
  const answers = range.cells.map((cell): string | FormulaError => {
    try {
      return answerOf(cell);
    } catch (error) {
      if (error instanceof FormulaError) return error;
      throw error;
    }
  });
  return inShapeOf(range, answers);
}
