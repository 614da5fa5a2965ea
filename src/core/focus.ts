/**
 * FOCUS (FinOps Open Cost and Usage Specification) columns, named exactly as the specification
 * and the FinOps toolkit name them. Versions 1.0 to 1.3 share every column used here.
 */
import { jsonDepthProblem } from './json-depth';

/** Columns every cost file must have: the two cost figures, the currency and the billing period. */
export const REQUIRED_COLUMNS = ['BilledCost', 'EffectiveCost', 'BillingCurrency', 'BillingPeriodStart', 'ChargeCategory'] as const;

/** Columns a rule may name as its `Dimension` (besides `x_*` columns and `Tag:<key>`). */
export const DIMENSION_COLUMNS = [
  'ProviderName',
  'InvoiceIssuerName',
  'SubAccountId',
  'SubAccountName',
  'ServiceName',
  'ServiceCategory',
  'RegionId',
  'ResourceId',
  'ResourceName',
  'ResourceType',
  'ChargeCategory',
  'ChargeClass',
  'CommitmentDiscountId',
  'CommitmentDiscountStatus',
] as const;

/** Always kept in the `Costs` table so a reviewer can see where money came from. */
export const DEFAULT_GRAIN_DIMENSIONS = ['ProviderName', 'SubAccountName', 'ServiceCategory', 'ServiceName'] as const;

/**
 * The default grain dimensions no rule names: kept when a file has them, left empty when it does
 * not (the FOCUS specification's own examples lack some), since nothing is allocated by them.
 */
export function optionalGrainDimensions(ruleDimensions: readonly string[]): string[] {
  return DEFAULT_GRAIN_DIMENSIONS.filter((d) => !ruleDimensions.some((r) => r.toLowerCase() === d.toLowerCase()));
}

export type CostMetric = 'EffectiveCost' | 'BilledCost';

const TAG_PREFIX = /^tag:/i;

export function isTagDimension(dimension: string): boolean {
  return TAG_PREFIX.test(dimension);
}

export function tagKeyOf(dimension: string): string {
  return dimension.replace(TAG_PREFIX, '');
}

/** A rule dimension must be a FOCUS column, an `x_` provider column or `Tag:<key>`. */
export function isValidDimension(dimension: string): boolean {
  if (isTagDimension(dimension)) return tagKeyOf(dimension).length > 0;
  if (/^x_\w+$/.test(dimension)) return true;
  return (DIMENSION_COLUMNS as readonly string[]).includes(dimension);
}

const ISO_DATE = /^(\d{4})-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)?$/;
/** The month's first day as the specification's own example files write it: `4/1/25`, `4/1/2025` (month/1/year). */
const FIRST_OF_MONTH_US = /^(\d{1,2})\/0?1\/(\d{2}|\d{4})$/;

/** Days in a month of the proleptic Gregorian calendar (Date.UTC would read years 0–99 as 1900–1999). */
const daysIn = (year: number, month: number) => (month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31);

/**
 * `2026-10-01T00:00:00Z` (or a Date) → `2026-10`, the billing period as finance names it; undefined
 * for a date that does not exist (`2025-13-01`, `2026-02-30`, hour 25). A billing period starts on
 * a month's first day, so `M/1/YY` is read too (the FOCUS examples write it so); any other
 * slashed date is ambiguous (day or month first?) and is not read.
 */
export function billingPeriodOf(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString().slice(0, 7);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const iso = ISO_DATE.exec(text);
  if (iso) {
    const [year, month, day, hour, minute, second] = iso.slice(1, 7).map((part) => (part === undefined ? undefined : Number(part)));
    if (month! < 1 || month! > 12) return undefined;
    if (day !== undefined && (day < 1 || day > daysIn(year!, month!))) return undefined;
    if ((hour ?? 0) > 23 || (minute ?? 0) > 59 || (second ?? 0) > 59) return undefined;
    return `${iso[1]}-${iso[2]}`;
  }
  const us = FIRST_OF_MONTH_US.exec(text);
  if (us) {
    const month = Number(us[1]);
    if (month < 1 || month > 12) return undefined;
    const year = us[2].length === 2 ? `20${us[2]}` : us[2];
    return `${year}-${String(month).padStart(2, '0')}`;
  }
  return undefined;
}

/** Cell texts that mean "no value": FOCUS files from some providers write the literal `null` for an empty cell. */
export const EMPTY_TEXTS = ['null', 'NULL'] as const;

/** A cell as text: null, undefined and the EMPTY_TEXTS are ''. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  const text = String(value);
  return text === EMPTY_TEXTS[0] || text === EMPTY_TEXTS[1] ? '' : text;
}

/**
 * One `Tags` object as a rule reads it. `byKey`: each value under its key as written (a key written
 * twice keeps its last value, as every JSON reader does). `byFoldedKey`: the values under the key
 * trimmed and in lower case (see tagKey; the real FOCUS sample data has keys such as `" org"`), one
 * value, or AMBIGUOUS_TAG when keys spelled differently hold different values. Own keys only: both
 * have no prototype, so `Tag:constructor` finds nothing unless the tags have such a key.
 */
export interface TagValues {
  readonly byKey: Record<string, string>;
  readonly byFoldedKey: Record<string, string>;
}

/**
 * The value of a tag that one Tags object holds under several spellings (`"Team"` and `"team"`)
 * with different values, none spelled as the rule names it: no rule can tell which was meant, so a
 * cost line with it is left unallocated and the Review lists it. Printable, as it is written to the
 * Costs table; every engine's query returns this same text (grain-sql.ts, grain-kql.ts).
 */
export const AMBIGUOUS_TAG = '(ambiguous tag)';

/** A row without tags (an empty `Tags` cell). */
export const NO_TAGS: TagValues = Object.freeze({ byKey: Object.freeze(Object.create(null)), byFoldedKey: Object.freeze(Object.create(null)) });

/**
 * The whitespace JavaScript's trim() removes (tagKey, billingPeriodOf), as a regular expression
 * class that RE2 (DuckDB, KQL) and Java (Spark) read alike: the queries trim as the reader does.
 */
export const TRIMMED_SPACE_CLASS = '[\\x{0009}-\\x{000D}\\x{0020}\\x{00A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}]';

/** The normalized key a Tags object's key is compared by when the rule's spelling is not there. */
export function tagKey(key: string): string {
  return key.trim().toLowerCase();
}

/** The FOCUS `Tags` value as a JSON object: values as text, by key as written and by folded key (see TagValues). */
export function tagsFromObject(tags: Record<string, unknown>): TagValues {
  const byKey: Record<string, string> = Object.create(null);
  const byFoldedKey: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(tags)) {
    const text = cellText(value);
    byKey[key] = text;
    const folded = tagKey(key);
    const earlier = byFoldedKey[folded];
    byFoldedKey[folded] = earlier === undefined || earlier === text ? text : AMBIGUOUS_TAG;
  }
  return { byKey, byFoldedKey };
}

/**
 * The value of tag `ruleKey` (as the rule spells it, `Tag:Team` → `Team`), '' when the tags lack
 * it. A key spelled exactly so wins; otherwise the keys equal to it trimmed and ignoring case give
 * their one value, or AMBIGUOUS_TAG when they hold different values.
 */
export function tagValue(tags: TagValues, ruleKey: string): string {
  return tags.byKey[ruleKey] ?? tags.byFoldedKey[tagKey(ruleKey)] ?? '';
}

/** Whether a tag of `ruleKey` is there at all (exactly or regardless of case). */
export function hasTag(tags: TagValues, ruleKey: string): boolean {
  return ruleKey in tags.byKey || tagKey(ruleKey) in tags.byFoldedKey;
}

/** What to tell the user about an ambiguous tag. */
export function ambiguousTagProblem(key: string): string {
  return `Tags holds the key "${key}" more than once, spelled differently (letter case or spaces) and with different values, and none spelled exactly "${key}"; the allocation leaves such a line unallocated and the Review lists it`;
}

/** Reads a `Tags` cell; returns a reason instead of tags when the text is not a JSON object. */
export function parseTags(raw: string): TagValues | { problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { problem: 'not valid JSON' };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { problem: 'not a JSON object of key/value pairs' };
  const tooDeep = jsonDepthProblem(json);
  if (tooDeep) return { problem: tooDeep };
  return tagsFromObject(json as Record<string, unknown>);
}
