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

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

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
 * Tag values by key, the key trimmed and in lower case (the real FOCUS sample data has keys such as
 * `" org"`, and tag keys are matched regardless of case). Own keys only: the object has no
 * prototype, so `Tag:constructor` finds nothing unless the tags have such a key.
 */
export type TagValues = Record<string, string>;

/**
 * The value of a key that one Tags object holds twice, spelled differently (`"Org"` and `" org"`),
 * with different values: a rule reading it cannot tell which was meant, so reading it is an error.
 * The same value under both spellings is simply that value.
 */
export const AMBIGUOUS_TAG = '\u0000ambiguous tag';

/** The normalized key a rule's `Tag:<key>` (or a Tags object's key) is matched by. */
export function tagKey(key: string): string {
  return key.trim().toLowerCase();
}

/** The FOCUS `Tags` value as a JSON object: keys normalized (see TagValues), values as text. */
export function tagsFromObject(tags: Record<string, unknown>): TagValues {
  const result: TagValues = Object.create(null);
  for (const [key, value] of Object.entries(tags)) {
    const normalized = tagKey(key);
    const text = cellText(value);
    const earlier = result[normalized];
    result[normalized] = earlier === undefined || earlier === text ? text : AMBIGUOUS_TAG;
  }
  return result;
}

/** The value of tag `key` (normalized, see tagKey), '' when the tags lack it; AMBIGUOUS_TAG when spelled twice with different values. */
export function tagValue(tags: TagValues, key: string): string {
  return tags[key] ?? '';
}

/** What to tell the user when a rule reads an ambiguous tag. */
export function ambiguousTagProblem(key: string): string {
  return `Tags holds the key "${key}" more than once, spelled differently (letter case or spaces) and with different values; keep one of them`;
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
