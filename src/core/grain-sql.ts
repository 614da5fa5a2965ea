/**
 * The grain query in SQL, derived from the grain (grain.ts), for each SQL engine: embedded
 * DuckDB over local files, Databricks SQL, and T-SQL (Fabric Warehouse, Lakehouse SQL endpoint,
 * Synapse serverless). The dialects differ only in the few expressions of one small table;
 * the query's shape is written once below. Amounts are summed as DECIMAL(38,24) (never a
 * floating-point accumulator) and returned as text, read exactly by costLinesFromGrainRows, which
 * rounds each line once to 15 decimals, as the in-process reader does.
 */
import { GRAIN_MEASURES, GrainKey, grainKeys } from './grain';
import { EXACT_DIGITS } from './money';

/** How a source stores a column the grain reads. */
export type SqlColumnKind = 'text' | 'timestamp' | 'decimal' | 'float';

/**
 * Exact decimal with room for 14 integer digits (a hundred trillion a cost line) and 24 decimals:
 * cells with more decimals than an exact amount keeps (a double's shortest form can have 20) are
 * summed as they are and each line rounded once, as the in-process reader does, not per cell.
 */
const SUM_DIGITS = 24;
const DECIMAL_TYPE = `DECIMAL(38,${SUM_DIGITS})`;

export interface SqlDialect {
  /** What users call the engine, for errors and docs. */
  label: string;
  ident(column: string): string;
  text(expression: string): string;
  /** `YYYY-MM` of a date written as text: its first seven characters when they look like `2026-10`, else ''. */
  periodOfText(expression: string): string;
  periodOfTimestamp(expression: string): string;
  /** The value of one tag of a JSON object held as text, the key matched trimmed and in lower case (`key` already is). */
  tag(tags: string, key: string): string;
  /** A float as the decimal its shortest text names (what the in-process reader sums), not its binary expansion. */
  floatAsDecimal(expression: string): string;
  sumAsText(expression: string): string;
  /** A named query parameter. */
  param(name: string): string;
}

export const sqlString = (text: string) => `'${text.replace(/'/g, "''")}'`;

const decimal = (expression: string) => `CAST(${expression} AS ${DECIMAL_TYPE})`;

/** The dialect table: everything that differs between the SQL engines. */
export const SQL_DIALECTS = {
  duckdb: {
    label: 'DuckDB',
    ident: (c) => `"${c.replace(/"/g, '""')}"`,
    text: (e) => `CAST(${e} AS VARCHAR)`,
    // local files may write the month's first day as the FOCUS examples do, `4/1/25` (focus.ts billingPeriodOf)
    periodOfText: (e) =>
      `CASE WHEN regexp_matches(trim(${e}), '^(0?[1-9]|1[0-2])/0?1/([0-9]{2}|[0-9]{4})$') ` +
      `THEN CASE WHEN length(split_part(trim(${e}), '/', 3)) = 2 THEN '20' ELSE '' END || split_part(trim(${e}), '/', 3) || '-' || lpad(split_part(trim(${e}), '/', 1), 2, '0') ` +
      `ELSE regexp_extract(trim(${e}), '^[0-9]{4}-[0-9]{2}') END`,
    periodOfTimestamp: (e) => `strftime(${e}, '%Y-%m')`,
    // JSON pointer ('/key', with ~ and / escaped) of the last key equal to `key` ignoring case
    tag: (t, key) =>
      `json_extract_string(${t}, '/' || replace(replace(list_last(list_filter(json_keys(nullif(nullif(nullif(trim(${t}), ''), 'null'), 'NULL')), k -> lower(trim(k)) = ${sqlString(key)})), '~', '~0'), '/', '~1'))`,
    floatAsDecimal: (e) => decimal(`CAST(${e} AS VARCHAR)`),
    sumAsText: (e) => `CAST(sum(${e}) AS VARCHAR)`,
    param: (name) => `$${name}`,
  },
  databricks: {
    label: 'Databricks SQL',
    ident: (c) => `\`${c.replace(/`/g, '``')}\``,
    text: (e) => `CAST(${e} AS STRING)`,
    periodOfText: (e) => `regexp_extract(trim(${e}), '^([0-9]{4}-[0-9]{2})', 1)`,
    periodOfTimestamp: (e) => `date_format(${e}, 'yyyy-MM')`,
    tag: (t, key) => `try_element_at(map_values(map_filter(from_json(${t}, 'map<string,string>'), (k, v) -> lower(trim(k)) = ${sqlString(key)})), -1)`,
    floatAsDecimal: (e) => decimal(`CAST(${e} AS STRING)`),
    sumAsText: (e) => `CAST(sum(${e}) AS STRING)`,
    param: (name) => `:${name}`,
  },
  tsql: {
    label: 'Fabric / Synapse SQL',
    ident: (c) => `[${c.replace(/]/g, ']]')}]`,
    text: (e) => `CAST(${e} AS NVARCHAR(4000))`,
    periodOfText: (e) => `CASE WHEN LTRIM(RTRIM(${e})) LIKE '[0-9][0-9][0-9][0-9]-[0-9][0-9]%' THEN LEFT(LTRIM(RTRIM(${e})), 7) ELSE '' END`,
    periodOfTimestamp: (e) => `CONVERT(CHAR(7), ${e}, 126)`,
    tag: (t, key) => `(SELECT TOP 1 [value] FROM OPENJSON(${t}) WHERE LOWER(TRIM([key])) = ${sqlString(key)})`,
    floatAsDecimal: (e) => decimal(`CONVERT(NVARCHAR(30), ${e}, 3)`),
    sumAsText: (e) => `CAST(SUM(${e}) AS NVARCHAR(60))`,
    param: (name) => `@${name}`,
  },
} satisfies Record<string, SqlDialect>;

export type SqlDialectName = keyof typeof SQL_DIALECTS;

export interface GrainSqlOptions {
  /** The table or table function to read (already quoted as the dialect needs). */
  from: string;
  /** How each column the grain reads is stored; a column not named here is text. A missing optional key reads as ''. */
  columns: ReadonlyMap<string, SqlColumnKind>;
  /** Dimensions the source may lack (read as ''): optionalGrainDimensions. */
  optionalDimensions?: readonly string[];
  /** Keep only one billing period: BillingPeriodStart ≥ param periodStart and < param periodEnd. */
  periodFilter?: boolean;
  /** Also count rows per value of this column (DuckDB's `filename`), with GROUPING SETS. */
  perFile?: string;
}

/** The names of the grain query's result columns: k0…kN (the keys in grainKeys order), then these. */
export const GRAIN_RESULT = { billed: 'billed', effective: 'effective', rows: 'source_rows', missing: 'missing_amounts', file: 'file', isFileCount: 'is_file_count' } as const;

/**
 * The grain query: one row per cost line with exact sums as text, the row count and how many
 * amounts are empty. Three steps, so that the per-value work (the period of a date, a tag looked
 * up in JSON, text casts) is done once per distinct raw value, not once per row: rows are first
 * grouped by the raw key columns (summing), then the keys are worked out, then grouped again.
 */
export function grainSql(dialectName: SqlDialectName, dimensions: readonly string[], options: GrainSqlOptions): string {
  const dialect: SqlDialect = SQL_DIALECTS[dialectName];
  const kind = (column: string) => options.columns.get(column) ?? 'text';
  const keys = grainKeys(dimensions, options.optionalDimensions);
  // the raw columns the keys read, each once: r0, r1, …
  const rawColumns = [...new Set(keys.flatMap((k) => (k.kind === 'column' && !k.required && !options.columns.has(k.column) ? [] : [k.column])))];
  const raw = (column: string) => `r${rawColumns.indexOf(column)}`;
  const keyExpression = (key: GrainKey): string => {
    if (key.kind === 'period') return kind(key.column) === 'text' ? dialect.periodOfText(raw(key.column)) : dialect.periodOfTimestamp(raw(key.column));
    if (key.kind === 'tag') return dialect.tag(raw(key.column), key.tagKey);
    if (!rawColumns.includes(key.column)) return `''`;
    return dialect.text(raw(key.column));
  };
  const amount = (column: string) => {
    const value = dialect.ident(column);
    return kind(column) === 'float' ? dialect.floatAsDecimal(value) : decimal(value);
  };
  const names = keys.map((_, i) => `k${i}`);
  const [billed, effective] = GRAIN_MEASURES.map((m) => m.column);
  const file = options.perFile ? [GRAIN_RESULT.file] : [];
  const rawGroup = [...rawColumns.map(raw), ...file];
  const where = options.periodFilter
    ? ` WHERE ${dialect.ident('BillingPeriodStart')} >= ${dialect.param('periodStart')} AND ${dialect.ident('BillingPeriodStart')} < ${dialect.param('periodEnd')}`
    : '';
  const rawRows =
    `SELECT ${[...rawColumns.map((c) => `${dialect.ident(c)} AS ${raw(c)}`), ...(options.perFile ? [`${dialect.ident(options.perFile)} AS ${GRAIN_RESULT.file}`] : [])].join(', ')}, ` +
    `${amount(billed)} AS a_billed, ${amount(effective)} AS a_effective FROM ${options.from}${where}`;
  const rawSums =
    `SELECT ${rawGroup.join(', ')}, SUM(a_billed) AS s_billed, SUM(a_effective) AS s_effective, COUNT(*) AS s_rows, ` +
    `SUM(CASE WHEN a_billed IS NULL OR a_effective IS NULL THEN 1 ELSE 0 END) AS s_missing FROM (${rawRows}) AS focus_rows GROUP BY ${rawGroup.join(', ')}`;
  const keyed = `SELECT ${keys.map((k, i) => `${keyExpression(k)} AS ${names[i]}`).join(', ')}, ${[...file, 's_billed', 's_effective', 's_rows', 's_missing'].join(', ')} FROM (${rawSums}) AS raw_sums`;
  const outer = [
    ...names,
    `${dialect.sumAsText('s_billed')} AS ${GRAIN_RESULT.billed}`,
    `${dialect.sumAsText('s_effective')} AS ${GRAIN_RESULT.effective}`,
    `SUM(s_rows) AS ${GRAIN_RESULT.rows}`,
    `SUM(s_missing) AS ${GRAIN_RESULT.missing}`,
    ...(options.perFile ? [GRAIN_RESULT.file, `GROUPING(${GRAIN_RESULT.file}) = 0 AS ${GRAIN_RESULT.isFileCount}`] : []),
  ];
  const groupBy = options.perFile ? `GROUPING SETS ((${names.join(', ')}), (${GRAIN_RESULT.file}))` : names.join(', ');
  return `SELECT ${outer.join(', ')} FROM (${keyed}) AS focus GROUP BY ${groupBy}`;
}

/** The result columns of periodsSql. */
export const PERIODS_RESULT = { period: 'BillingPeriod', rows: 'source_rows' } as const;

/**
 * The billing periods a table holds and its rows in each, newest first (`sources test`). Like
 * the grain query, the period of a date is worked out once per distinct raw value.
 */
export function periodsSql(dialectName: SqlDialectName, from: string, periodColumnKind: SqlColumnKind): string {
  const dialect: SqlDialect = SQL_DIALECTS[dialectName];
  const period = periodColumnKind === 'text' ? dialect.periodOfText('r0') : dialect.periodOfTimestamp('r0');
  const raw = `SELECT ${dialect.ident('BillingPeriodStart')} AS r0, COUNT(*) AS n FROM ${from} GROUP BY ${dialect.ident('BillingPeriodStart')}`;
  return (
    `SELECT p AS ${PERIODS_RESULT.period}, SUM(n) AS ${PERIODS_RESULT.rows} FROM (SELECT ${period} AS p, n FROM (${raw}) AS raw_periods) AS periods ` +
    `GROUP BY p ORDER BY p DESC`
  );
}
