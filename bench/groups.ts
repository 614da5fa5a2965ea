/**
 * Per-group totals, rounded to the cent, in one canonical form for both engines, so that ours and
 * DuckDB can be compared group by group and by one digest.
 */
import { createHash } from 'node:crypto';
import { CostLine } from '../src/core/costs';
import { isTagDimension, tagKeyOf } from '../src/core/focus';
import { ExactAmount, formatMinor, parseExact, roundToMinor } from '../src/core/money';
import { sqlString } from './generate';

/** group key (fields joined by U+001F) → "billed|effective" in cents. */
export type GroupTotals = Map<string, string>;

export const KEY_SEPARATOR = '\u001f';

export function centsOf(amount: ExactAmount): string {
  return formatMinor(roundToMinor(amount, 2), 2);
}

/** Cost lines (ours, or --engine duckdb's) as group totals. */
export function oursGroupTotals(lines: readonly CostLine[], dimensions: readonly string[]): GroupTotals {
  const groups: GroupTotals = new Map();
  for (const line of lines) {
    const key = [line.billingPeriod, line.currency, line.chargeCategory, line.commitmentDiscountStatus, ...dimensions.map((d) => line.dimensions[d] ?? '')].join(KEY_SEPARATOR);
    groups.set(key, `${centsOf(line.billedCost)}|${centsOf(line.effectiveCost)}`);
  }
  return groups;
}

export function groupTotalsDigest(groups: GroupTotals): string {
  const hash = createHash('sha256');
  for (const key of [...groups.keys()].sort()) hash.update(key + '=' + groups.get(key) + '\n');
  return hash.digest('hex');
}

/** The groups whose totals differ between ours and DuckDB: how many, and the first `limit` as readable lines. */
export function groupDifferences(ours: GroupTotals, duckdb: GroupTotals, limit = Infinity): { differing: number; examples: string[] } {
  const examples: string[] = [];
  let differing = 0;
  for (const key of new Set([...ours.keys(), ...duckdb.keys()])) {
    if (ours.get(key) === duckdb.get(key)) continue;
    differing++;
    if (examples.length < limit) examples.push(`${key.split(KEY_SEPARATOR).join(' | ')}: ours ${ours.get(key) ?? '(none)'}, duckdb ${duckdb.get(key) ?? '(none)'}`);
  }
  return { differing, examples };
}

/** Totals over all groups, exact, as text. */
export function exactFromText(text: string): ExactAmount {
  const value = parseExact(text);
  if (value === undefined) throw new Error(`not a decimal: ${text}`);
  return value;
}

/**
 * The allocation grain as one SQL GROUP BY: billing period, currency, charge category,
 * commitment status and every rule dimension (tags through json_extract_string). Empty and the
 * literal `null` read as '' on both sides.
 */
export function groupBySql(source: string, dimensions: readonly string[], format: 'csv' | 'parquet'): string {
  const text = (expression: string) => `coalesce(nullif(nullif(CAST(${expression} AS VARCHAR), 'null'), 'NULL'), '')`;
  const ident = (column: string) => `"${column.replace(/"/g, '""')}"`;
  const keys = [
    format === 'csv' ? `substr(BillingPeriodStart, 1, 7)` : `strftime(BillingPeriodStart, '%Y-%m')`,
    text('BillingCurrency'),
    text('ChargeCategory'),
    text('CommitmentDiscountStatus'),
    ...dimensions.map((d) => (isTagDimension(d) ? text(`json_extract_string(Tags, ${sqlString('$.' + tagKeyOf(d).toLowerCase())})`) : text(ident(d)))),
  ];
  const from =
    format === 'csv'
      ? `read_csv(${sqlString(source)}, header = true, all_varchar = true)`
      : `read_parquet(${sqlString(source)})`;
  const money = (column: string) => (format === 'csv' ? `CAST(${column} AS DECIMAL(38,10))` : column);
  return (
    `SELECT ${keys.map((k, i) => `${k} AS k${i}`).join(', ')}, ` +
    `CAST(sum(${money('BilledCost')}) AS VARCHAR) AS billed, CAST(sum(${money('EffectiveCost')}) AS VARCHAR) AS effective, count(*) AS n ` +
    `FROM ${from} GROUP BY ALL`
  );
}
