/**
 * The allocation grain, defined once: which FOCUS values make a cost line (its keys), what is
 * summed (its measures), how a tag is looked up, what counts as empty. The in-process aggregator
 * (aggregate.ts) and every engine's query (grain-sql.ts, grain-kql.ts) are derived from this, and
 * an engine's answer (grain rows) becomes cost lines here, so `pullCosts` takes them unchanged.
 */
import { CostLine } from './costs';
import { cellText, isTagDimension, REQUIRED_COLUMNS, tagKey, tagKeyOf } from './focus';
import { amountDigitsProblem, ExactAmount, parseExact } from './money';
import { isBillingPeriod } from './period';
import { PROVIDER_RATE_COLUMNS } from './conversion';

/**
 * Dimensions a source may lack, read as '' there: the provider's exchange rate columns (Azure's),
 * kept in the grain when Settings ExchangeRates is Provider; where they are empty, the Rates table serves.
 */
const isOptionalColumn = (dimension: string) => PROVIDER_RATE_COLUMNS.some((c) => c.toLowerCase() === dimension.toLowerCase());

/** One value of a cost line's key, and the FOCUS column it is read from. */
export type GrainKey =
  /** `YYYY-MM` of BillingPeriodStart, in UTC. */
  | { kind: 'period'; name: 'BillingPeriod'; column: 'BillingPeriodStart' }
  /** A column's text; `required` columns must exist, `CommitmentDiscountStatus` may be absent (read as ''). */
  | { kind: 'column'; name: string; column: string; required: boolean; notEmpty?: boolean }
  /**
   * The value of one tag of the `Tags` JSON object (focus.ts tagValue): the key spelled as the rule
   * names it (`ruleKey`) wins, else the keys equal to `tagKey` trimmed and ignoring case give their one
   * value, or AMBIGUOUS_TAG when they differ.
   */
  | { kind: 'tag'; name: string; column: 'Tags'; ruleKey: string; tagKey: string };

/** The two cost figures summed exactly on every cost line. */
export const GRAIN_MEASURES = [
  { column: 'BilledCost', field: 'billedCost' },
  { column: 'EffectiveCost', field: 'effectiveCost' },
] as const satisfies readonly { column: (typeof REQUIRED_COLUMNS)[number]; field: keyof CostLine }[];

/** The folded key a `Tag:<key>` dimension looks up when its own spelling is not there: trimmed and in lower case (focus.ts `tagKey`). */
export function grainTagKey(dimension: string): string {
  return tagKey(tagKeyOf(dimension));
}

/**
 * Whether two rule dimensions read the same value of a cost line: `Tag: Team` and `tag:team` the
 * same tag (grainTagKey), `subaccountname` and `SubAccountName` the same column.
 */
export function sameDimension(a: string, b: string): boolean {
  if (isTagDimension(a) !== isTagDimension(b)) return false;
  return isTagDimension(a) ? grainTagKey(a) === grainTagKey(b) : a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * The keys of a cost line, in the order of a group key: the four fixed ones, then the column
 * dimensions, then the tag dimensions (each in the order the rules name them). `optional`: the
 * dimensions a source may lack, read as empty (optionalGrainDimensions: the default ones no rule names).
 */
export function grainKeys(dimensions: readonly string[], optional: readonly string[] = []): GrainKey[] {
  const isOptional = new Set(optional.map((d) => d.toLowerCase()));
  const columns = dimensions.filter((d) => !isTagDimension(d));
  const tags = dimensions.filter(isTagDimension);
  return [
    { kind: 'period', name: 'BillingPeriod', column: 'BillingPeriodStart' },
    { kind: 'column', name: 'BillingCurrency', column: 'BillingCurrency', required: true, notEmpty: true },
    { kind: 'column', name: 'ChargeCategory', column: 'ChargeCategory', required: true },
    { kind: 'column', name: 'CommitmentDiscountStatus', column: 'CommitmentDiscountStatus', required: false },
    ...columns.map((d): GrainKey => ({ kind: 'column', name: d, column: d, required: !isOptionalColumn(d) && !isOptional.has(d.toLowerCase()) })),
    ...tags.map((d): GrainKey => ({ kind: 'tag', name: d, column: 'Tags', ruleKey: tagKeyOf(d), tagKey: grainTagKey(d) })),
  ];
}

/** The FOCUS columns a source must have for this grain (the measures and every required key). */
export function grainRequiredColumns(dimensions: readonly string[], optional: readonly string[] = []): string[] {
  const columns = new Set<string>(REQUIRED_COLUMNS);
  for (const key of grainKeys(dimensions, optional)) if (key.kind !== 'column' || key.required) columns.add(key.column);
  return [...columns];
}

/** A cost line from its key values (in grainKeys order) and its sums. */
export function costLineOf(keys: readonly GrainKey[], values: readonly string[], billedCost: ExactAmount, effectiveCost: ExactAmount, sourceRows: number): CostLine {
  const dimensions: Record<string, string> = {};
  for (let i = 4; i < keys.length; i++) dimensions[keys[i].name] = values[i];
  return { billingPeriod: values[0], currency: values[1], chargeCategory: values[2], commitmentDiscountStatus: values[3], dimensions, billedCost, effectiveCost, sourceRows };
}

/** One row an engine returns: the key values as text (null for empty), the exact sums as decimal text, the row count. */
export interface GrainRow {
  keys: readonly (string | null)[];
  billedCost: string;
  effectiveCost: string;
  sourceRows: number;
}

/**
 * A grain row from one result record of an engine's grain query: key values in `k0`…`kN` (null or
 * absent for empty), the sums and the row count under the given result column names.
 */
export function grainRowOfRecord(record: Record<string, unknown>, keyCount: number, names: { billed: string; effective: string; rows: string }): GrainRow {
  return {
    keys: Array.from({ length: keyCount }, (_, i) => (record[`k${i}`] === null || record[`k${i}`] === undefined ? null : String(record[`k${i}`]))),
    billedCost: String(record[names.billed]),
    effectiveCost: String(record[names.effective]),
    sourceRows: Number(record[names.rows]),
  };
}

/** Where a grain row came from, for errors: the engine and the query step. */
export class GrainRowError extends Error {}

/**
 * Cost lines from an engine's grain rows. Rows with the same key (an engine may return a group
 * once per file or partition) are added together; amounts are read exactly from their text.
 */
export function costLinesFromGrainRows(dimensions: readonly string[], rows: Iterable<GrainRow>, where: string): CostLine[] {
  const keys = grainKeys(dimensions);
  const lines = new Map<string, CostLine>();
  let index = 0;
  for (const row of rows) {
    index++;
    if (row.keys.length !== keys.length) throw new GrainRowError(`${where}: grain row ${index} has ${row.keys.length} key values, expected ${keys.length}`);
    const values = row.keys.map(cellText);
    if (!isBillingPeriod(values[0])) throw new GrainRowError(`${where}: BillingPeriodStart is not a date on ${row.sourceRows} FOCUS row${row.sourceRows === 1 ? '' : 's'} (read as ${JSON.stringify(row.keys[0])})`);
    if (values[1] === '') throw new GrainRowError(`${where}: ${row.sourceRows} FOCUS rows of ${values[0]} have an empty BillingCurrency`);
    const amount = (text: string, column: string) => {
      const exact = parseExact(String(text ?? ''));
      if (exact === undefined) throw new GrainRowError(`${where}: grain row ${index} has ${column} ${JSON.stringify(text)}, not a decimal number`);
      const problem = amountDigitsProblem(exact);
      if (problem) throw new GrainRowError(`${where}: grain row ${index} (${row.sourceRows} FOCUS rows of ${values[0]}) has ${column} ${problem}`);
      return exact;
    };
    const billed = amount(row.billedCost, 'BilledCost');
    const effective = amount(row.effectiveCost, 'EffectiveCost');
    const id = values.join('\u001f');
    const line = lines.get(id);
    if (line) {
      line.billedCost += billed;
      line.effectiveCost += effective;
      line.sourceRows += row.sourceRows;
    } else lines.set(id, costLineOf(keys, values, billed, effective, row.sourceRows));
  }
  // the aggregator's order: by the key values joined, so both paths give the same Costs table
  return [...lines.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, line]) => line);
}

/** The first and the day after the last day of a billing period, as ISO dates (a query's period filter). */
export function periodBounds(period: string): { start: string; end: string } {
  const [year, month] = period.split('-').map(Number);
  const next = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
  return { start: `${period}-01T00:00:00Z`, end: `${next}-01T00:00:00Z` };
}
