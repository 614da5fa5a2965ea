/**
 * CB.COSTCENTER as a pure function: the cost center a value (or a FOCUS `Tags` cell) goes to under
 * the `Mappings` rules, by the allocation run's own matching (core/match.ts `firstMatchingMapping`:
 * first matching mapping wins, patterns are case-insensitive globs, `{value}` sends the matched
 * value itself and never matches an empty one), read the way the run reads a cost line:
 *
 * - a value is matched as it is, spaces and all (the run does not trim a FOCUS value);
 * - a `Tag:<key>` mapping reads the tag its key names, trimmed and in any case (`Tag: Team` is
 *   the tag `team`), and `dimension` names a dimension the same way (core/grain.ts `sameDimension`);
 * - the code comes back as the statement spells it: given the CostCenters range, its spelling
 *   (`cc-pay` and ` CC-PAY ` in Mappings are `CC-PAY`); without it the function cannot know that
 *   spelling and gives the Mappings code trimmed. A `{value}` code CostCenters does not list is the
 *   value trimmed (the statement spells such a code as the first cost line that produced it).
 */
import { listedSpelling } from '../core/cost-center-codes';
import { cellText, isTagDimension, isValidDimension, tagKeyOf } from '../core/focus';
import { sameDimension } from '../core/grain';
import { firstMatchingMapping } from '../core/match';
import { plainCell } from './data-types';
import { FormulaError, invalidValue, notAvailable } from './errors';
import { CellRange, cellPosition, inShapeOf, isBlank, readRange, showCell, singleCell } from './inputs';
import { looksLikeTags, readTags, tagOf } from './tags';

interface MappingRow {
  dimension: string;
  pattern: string;
  costCenter: string;
  /** 1-based row within the range given, for messages. */
  row: number;
}

/** A cell's answer: its cost center code, or the error that cell alone shows. */
type Answer = (cell: unknown) => string;

/**
 * Ranges read before, most recently used first, each kept with what was worked out from it. A
 * column of =CB.COSTCENTER(…, Mappings[#All]) hands the same range to every cell (and a sheet may
 * use two or three Mappings ranges in turn): comparing its cells with a kept copy is far cheaper
 * than checking and parsing it again, and an edited range is read afresh.
 */
class RangeMemory<T> {
  private kept: { grid: CellRange; value: T }[] = [];
  constructor(private readonly limit: number) {}

  recall(argument: unknown, name: string, read: (range: CellRange) => T): T {
    for (let i = 0; i < this.kept.length; i++) {
      const entry = this.kept[i];
      if (!sameGrid(argument, entry.grid)) continue;
      if (i > 0) this.kept.unshift(...this.kept.splice(i, 1));
      return entry.value;
    }
    const range = readRange(argument, name);
    const value = read(range);
    // kept as a copy, so a range changed in place is not taken for the one read
    this.kept.unshift({ grid: { rows: range.rows, columns: range.columns, cells: [...range.cells] }, value });
    this.kept.length = Math.min(this.kept.length, this.limit);
    return value;
  }
}

/** Whether a range argument holds the same cells as a kept range: one flat loop of plain comparisons, no copying. */
function sameGrid(value: unknown, grid: CellRange): boolean {
  if (!Array.isArray(value) || value.length !== grid.rows) return false;
  const { columns, cells } = grid;
  for (let r = 0, i = 0; r < value.length; r++) {
    const row: unknown = value[r];
    if (!Array.isArray(row) || row.length !== columns) return false;
    for (let c = 0; c < columns; c++, i++) if (row[c] !== cells[i]) return false;
  }
  return true;
}

/** The most Mappings (and CostCenters) ranges kept at once. */
const RANGES_KEPT = 8;
/** The most answers kept per range and dimension: a column of distinct values larger than this starts afresh. */
const ANSWERS_KEPT = 1_100_000;

interface KeptMappings {
  rows: MappingRow[];
  /** Answers per dimension and CostCenters range, each a function of the cell with its answers remembered. */
  answers: Map<string, Answer>;
}

const mappingsMemory = new RangeMemory<KeptMappings>(RANGES_KEPT);
const spellingMemory = new RangeMemory<{ id: number; spell: (code: string) => string }>(RANGES_KEPT);
let spellings = 0;

/** A Mappings range: three columns (Dimension, Pattern, CostCenter), optionally under a header row. */
function readMappings(range: CellRange): MappingRow[] {
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
 * The CostCenters range (the table, or its CostCenter column, header row or not): the spelling of
 * each code the statement uses. The column headed CostCenter, else the first.
 */
function readSpelling(range: CellRange): { id: number; spell: (code: string) => string } {
  const header = Array.from({ length: range.columns }, (_, c) => cellText(range.cells[c]).trim().toLowerCase());
  const at = Math.max(header.indexOf('costcenter'), 0);
  const hasHeader = header[at] === 'costcenter';
  const codes: string[] = [];
  for (let r = hasHeader ? 1 : 0; r < range.rows; r++) {
    const code = cellText(range.cells[r * range.columns + at]).trim();
    if (code !== '') codes.push(code);
  }
  const listed = listedSpelling(codes);
  return { id: ++spellings, spell: (code) => listed(code) ?? code.trim() };
}

const trimmed = { id: 0, spell: (code: string) => code.trim() };

/**
 * The answer for each cell under these mappings, as the run answers a cost line: given FOCUS tags
 * (a JSON object), only `Tag:<key>` mappings are tried, each against its tag's value (empty when
 * the tags lack it); given a plain value, only mappings of other dimensions, against that value.
 * An empty cell is both an empty value and an empty Tags cell: every mapping is tried against ''.
 * With `dimension` (`SubAccountName`, `Tag:team`) only that dimension's mappings are tried, the
 * cell being that dimension's value (or, for a tag, a Tags cell). Answers are kept per distinct cell.
 */
function answersFor(mappings: readonly MappingRow[], dimension: string | undefined, spell: (code: string) => string): Answer {
  const forTags = dimension === undefined ? mappings.filter((m) => isTagDimension(m.dimension)) : mappings.filter((m) => sameDimension(m.dimension, dimension));
  const forValues = dimension === undefined ? mappings.filter((m) => !isTagDimension(m.dimension)) : forTags;
  const takesTags = dimension === undefined || isTagDimension(dimension);
  const compute = (cell: unknown): string => {
    const tags = takesTags && looksLikeTags(cell) ? readTags(cell, 'value_or_tags') : undefined;
    const value = tags ? '' : cellText(cell);
    // an empty cell is an empty value and no tags at once: every mapping is tried against '', as on a line with neither
    const rows = tags ? forTags : dimension === undefined && value === '' ? mappings : forValues;
    const matched = firstMatchingMapping(rows, (d) => (tags ? tagOf(tags, tagKeyOf(d)) : value), spell);
    if (matched) return matched.costCenter;
    const what = tags ? 'these tags' : `"${value}"`;
    const kind = dimension ?? (tags ? 'Tag:<key>' : 'non-tag');
    throw notAvailable(`no mapping matches ${what} (${rows.length} ${kind} mapping${rows.length === 1 ? '' : 's'} tried); the allocation run would send it to the unallocated cost center`);
  };
  const answers = new Map<unknown, string | FormulaError>();
  return (cell) => {
    let answer = answers.get(cell);
    if (answer === undefined) {
      try {
        answer = compute(cell);
      } catch (error) {
        if (!(error instanceof FormulaError)) throw error;
        answer = error;
      }
      if (answers.size >= ANSWERS_KEPT) answers.clear();
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

/** The answer function of these arguments, kept with the Mappings range for the next cell to use. */
function answerOf(mappingsRange: unknown, dimension: unknown, costCentersRange: unknown): Answer {
  const kept = mappingsMemory.recall(mappingsRange, 'mappings_range', (range) => ({ rows: readMappings(range), answers: new Map() }));
  const wanted = dimensionOf(dimension);
  const spelling = isBlank(costCentersRange) ? trimmed : spellingMemory.recall(costCentersRange, 'cost_centers', readSpelling);
  const key = `${wanted ?? ''}\u0000${spelling.id}`;
  let answer = kept.answers.get(key);
  if (!answer) kept.answers.set(key, (answer = answersFor(kept.rows, wanted, spelling.spell)));
  return answer;
}

/** CB.COSTCENTER for one cell: the first mapping that matches (see answersFor). */
export function costCenter(valueOrTags: unknown, mappingsRange: unknown, dimension?: unknown, costCentersRange?: unknown): string {
  const cell = singleCell(valueOrTags, 'value_or_tags');
  return answerOf(mappingsRange, dimension, costCentersRange)(cell);
}

/**
 * CB.COSTCENTER over a range (a whole column of values or Tags cells): one answer per cell, in the
 * range's shape. A cell no mapping matches holds its #N/A, and a cell that cannot be read (an
 * error, an entity) its #VALUE!, as FormulaErrors, rather than failing the whole column.
 */
export function costCenters(valuesOrTags: unknown, mappingsRange: unknown, dimension?: unknown, costCentersRange?: unknown): (string | FormulaError)[][] {
  const range = readRange(valuesOrTags, 'value_or_tags', { unwrapCells: false });
  const answer = answerOf(mappingsRange, dimension, costCentersRange);
  const answers = range.cells.map((cell, index): string | FormulaError => {
    try {
      return answer(plainCell(cell, `value_or_tags: ${cellPosition(range, index)}`));
    } catch (error) {
      if (error instanceof FormulaError) return error;
      throw error;
    }
  });
  return inShapeOf(range, answers);
}
