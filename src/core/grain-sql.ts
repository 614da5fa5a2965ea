/**
 * The grain query in SQL, derived from the grain (grain.ts), for each SQL engine: embedded
 * DuckDB over local files, Databricks SQL, and T-SQL (Fabric Warehouse, Lakehouse SQL endpoint,
 * Synapse serverless). The dialects differ only in the few expressions of one small table;
 * the query's shape is written once below. Amounts are summed as DECIMAL(38,24) (never a
 * floating-point accumulator) and returned as text, read exactly by costLinesFromGrainRows, which
 * rounds each line once to 15 decimals, as the in-process reader does.
 */
import { AMBIGUOUS_TAG, TRIMMED_SPACE_CLASS } from './focus';
import { GRAIN_MEASURES, GrainKey, grainKeys, periodBounds } from './grain';
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
  /**
   * `YYYY-MM` of a date written as text, for the dates focus.ts billingPeriodOf reads; any other
   * text comes back as `not a date: TEXT`, which costLinesFromGrainRows refuses (never a period).
   */
  periodOfText(expression: string): string;
  periodOfTimestamp(expression: string): string;
  /**
   * The value of one tag of a JSON object held as text, as focus.ts tagValue reads it: the key
   * spelled `exactKey` wins, else the one value of the keys equal to `foldedKey` trimmed and in lower
   * case, else AMBIGUOUS_TAG when they differ. Both keys are query parameters (`param`).
   */
  tag(tags: string, exactKey: string, foldedKey: string): string;
  /** A float as the decimal its shortest text names (what the in-process reader sums), not its binary expansion. */
  floatAsDecimal(expression: string): string;
  sumAsText(expression: string): string;
  /** A named query parameter. */
  param(name: string): string;
}

export const sqlString = (text: string) => `'${text.replace(/'/g, "''")}'`;

const jsTrimPattern = `^${TRIMMED_SPACE_CLASS}+|${TRIMMED_SPACE_CLASS}+$`;
/** The dates billingPeriodOf reads as ISO 8601 (the day's existence is checked apart): month 01–12, hour ≤ 23, minute and second ≤ 59. */
const ISO_PERIOD = '^[0-9]{4}-(0[1-9]|1[0-2])(-[0-9]{2}([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?)?$';
const US_FIRST_OF_MONTH = '^(0?[1-9]|1[0-2])/0?1/([0-9]{2}|[0-9]{4})$';
const NOT_A_DATE = 'not a date: ';

/** DuckDB: `expression` with its value named `name` in it, worked out once (a one-element list's lambda). */
const duckDbLet = (name: string, value: string, expression: string) => `list_transform([${value}], ${name} -> ${expression})[1]`;

/** DuckDB: a JSON value as focus.ts cellText reads it once parsed by JSON.parse ('' for null and `null`; a number as JavaScript writes it). */
function duckDbTagText(value: string): string {
  const text = `json_extract_string(x, '$')`;
  // yyjson writes a number's shortest digits as JavaScript does, but `1.0` for 1 and `1e21` for 1e+21
  const number = `regexp_replace(regexp_replace(regexp_replace(CAST(to_json(CAST(${text} AS DOUBLE)) AS VARCHAR), '[.]0$', ''), 'e([0-9])', 'e+\\1'), '^-0$', '0')`;
  return duckDbLet(
    'x',
    value,
    `CASE WHEN json_type(x) = 'NULL' THEN '' WHEN json_type(x) = 'VARCHAR' THEN CASE WHEN ${text} IN ('null', 'NULL') THEN '' ELSE ${text} END ` +
      `WHEN json_type(x) IN ('DOUBLE', 'BIGINT', 'UBIGINT', 'HUGEINT') THEN ${number} ELSE CAST(x AS VARCHAR) END`,
  );
}

const decimal = (expression: string) => `CAST(${expression} AS ${DECIMAL_TYPE})`;

/** The whitespace JavaScript's trim() removes, beyond the space. */
const TSQL_SPACE_CODES = [9, 10, 11, 12, 13, 0xa0, 0x1680, ...Array.from({ length: 11 }, (_, i) => 0x2000 + i), 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff];
/**
 * T-SQL's trim as JavaScript's: that whitespace made spaces (TRANSLATE), then spaces trimmed
 * (whitespace inside the text becomes a space too; TRIM(chars FROM …) is not in every T-SQL grammar).
 */
const tsqlTrim = (e: string) => `LTRIM(RTRIM(TRANSLATE(${e}, ${TSQL_SPACE_CODES.map((c) => `NCHAR(${c})`).join(' + ')}, N'${' '.repeat(TSQL_SPACE_CODES.length)}')))`;

/** The dialect table: everything that differs between the SQL engines. */
export const SQL_DIALECTS = {
  duckdb: {
    label: 'DuckDB',
    ident: (c) => `"${c.replace(/"/g, '""')}"`,
    text: (e) => `CAST(${e} AS VARCHAR)`,
    // local files may write the month's first day as the FOCUS examples do, `4/1/25` (focus.ts billingPeriodOf)
    periodOfText: (e) => {
      const t = `regexp_replace(${e}, '${jsTrimPattern}', '', 'g')`;
      return (
        `CASE WHEN regexp_full_match(${t}, '${ISO_PERIOD}') AND (length(${t}) = 7 OR try_cast(substr(${t}, 1, 10) AS DATE) IS NOT NULL) THEN substr(${t}, 1, 7) ` +
        `WHEN regexp_full_match(${t}, '${US_FIRST_OF_MONTH}') ` +
        `THEN CASE WHEN length(split_part(${t}, '/', 3)) = 2 THEN '20' ELSE '' END || split_part(${t}, '/', 3) || '-' || lpad(split_part(${t}, '/', 1), 2, '0') ` +
        `ELSE '${NOT_A_DATE}' || ${e} END`
      );
    },
    periodOfTimestamp: (e) => `strftime(${e}, '%Y-%m')`,
    // Per distinct Tags text: its keys and values in order (a key written twice counts by its last value, as JSON.parse reads it).
    // Per distinct Tags text: its keys and values in order (a key written twice counts by its last value, as JSON.parse reads it).
    tag: (t, exactKey, foldedKey) => {
      const object = `CASE WHEN nullif(nullif(nullif(${t}, ''), 'null'), 'NULL') IS NULL THEN NULL WHEN json_type(${t}) = 'OBJECT' THEN ${t} ELSE error('Tags is not a JSON object (Malformed JSON)') END`;
      const indexes = `range(1, len(tags.k) + 1)`;
      const isLast = `list_last(list_filter(${indexes}, j -> tags.k[j] = tags.k[i])) = i`;
      const exact = `list_transform(list_filter(${indexes}, i -> tags.k[i] = ${exactKey}), i -> ${duckDbTagText('tags.v[i]')})`;
      const folded = `list_distinct(list_transform(list_filter(${indexes}, i -> lower(regexp_replace(tags.k[i], '${jsTrimPattern}', '', 'g')) = ${foldedKey} AND ${isLast}), i -> ${duckDbTagText('tags.v[i]')}))`;
      const pick = `CASE WHEN len(found.exact) > 0 THEN list_last(found.exact) WHEN len(found.folded) = 0 THEN NULL WHEN len(found.folded) = 1 THEN found.folded[1] ELSE ${sqlString(AMBIGUOUS_TAG)} END`;
      return duckDbLet(
        'tags',
        duckDbLet('o', object, `{'k': coalesce(json_keys(o), []), 'v': coalesce(json_extract(o, '$.*'), [])}`),
        duckDbLet('found', `{'exact': ${exact}, 'folded': ${folded}}`, pick),
      );
    },
    floatAsDecimal: (e) => decimal(`CAST(${e} AS VARCHAR)`),
    sumAsText: (e) => `CAST(sum(${e}) AS VARCHAR)`,
    param: (name) => `$${name}`,
  },
  databricks: {
    label: 'Databricks SQL',
    ident: (c) => `\`${c.replace(/`/g, '``')}\``,
    text: (e) => `CAST(${e} AS STRING)`,
    // Spark string literals take backslash escapes: the patterns' backslashes are doubled
    periodOfText: (e) => {
      const t = `regexp_replace(${e}, '${jsTrimPattern.replace(/\\/g, '\\\\')}', '')`;
      return `CASE WHEN ${t} RLIKE '${ISO_PERIOD}' AND (length(${t}) = 7 OR try_cast(substr(${t}, 1, 10) AS DATE) IS NOT NULL) THEN substr(${t}, 1, 7) ELSE concat('${NOT_A_DATE}', ${e}) END`;
    },
    periodOfTimestamp: (e) => `date_format(${e}, 'yyyy-MM')`,
    tag: (t, exactKey, foldedKey) => {
      const tags = `from_json(${t}, 'map<string,string>')`;
      const text = (v: string) => `CASE WHEN ${v} IS NULL OR ${v} IN ('null', 'NULL') THEN '' ELSE ${v} END`;
      const folded = `array_distinct(transform(map_values(map_filter(${tags}, (k, v) -> lower(regexp_replace(k, '${jsTrimPattern.replace(/\\/g, '\\\\')}', '')) = ${foldedKey})), v -> ${text('v')}))`;
      return `CASE WHEN map_contains_key(${tags}, ${exactKey}) THEN ${text(`element_at(${tags}, ${exactKey})`)} WHEN size(${folded}) = 0 THEN NULL WHEN size(${folded}) = 1 THEN element_at(${folded}, 1) ELSE ${sqlString(AMBIGUOUS_TAG)} END`;
    },
    floatAsDecimal: (e) => decimal(`CAST(${e} AS STRING)`),
    sumAsText: (e) => `CAST(sum(${e}) AS STRING)`,
    param: (name) => `:${name}`,
  },
  tsql: {
    label: 'Fabric / Synapse SQL',
    ident: (c) => `[${c.replace(/]/g, ']]')}]`,
    text: (e) => `CAST(${e} AS NVARCHAR(4000))`,
    // T-SQL has no regular expressions: the date's day is checked, its time is not (docs/sources.md)
    periodOfText: (e) => {
      const t = tsqlTrim(e);
      return (
        `CASE WHEN ${t} LIKE '[0-9][0-9][0-9][0-9]-[01][0-9]' AND TRY_CONVERT(DATE, ${t} + '-01', 23) IS NOT NULL THEN ${t} ` +
        `WHEN ${t} LIKE '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]%' AND TRY_CONVERT(DATE, LEFT(${t}, 10), 23) IS NOT NULL AND (LEN(${t}) = 10 OR SUBSTRING(${t}, 11, 1) IN ('T', ' ')) THEN LEFT(${t}, 7) ` +
        `ELSE N'${NOT_A_DATE}' + ${e} END`
      );
    },
    periodOfTimestamp: (e) => `CONVERT(CHAR(7), ${e}, 126)`,
    // keys compared as bytes (a case-insensitive collation or trailing spaces must not make two spellings one); Unicode parameters
    tag: (t, exactKey, foldedKey) => {
      const bytes = (x: string) => `CAST(${x} AS VARBINARY(8000))`;
      const text = `CASE WHEN [type] = 0 OR [value] IN (N'null', N'NULL') THEN N'' ELSE [value] END`;
      return (
        `(SELECT CASE WHEN SUM(exact) > 0 THEN MAX(CASE WHEN exact = 1 THEN tag_value END) WHEN COUNT(DISTINCT ${bytes('tag_value')}) = 0 THEN NULL ` +
        `WHEN COUNT(DISTINCT ${bytes('tag_value')}) = 1 THEN MAX(tag_value) ELSE ${'N' + sqlString(AMBIGUOUS_TAG)} END ` +
        `FROM (SELECT CASE WHEN ${bytes('[key]')} = ${bytes(exactKey)} THEN 1 ELSE 0 END AS exact, ${text} AS tag_value, [key] AS tag_key FROM OPENJSON(${t})) AS tags ` +
        `WHERE exact = 1 OR LOWER(${tsqlTrim('tag_key')}) = ${foldedKey})`
      );
    },
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
  /**
   * Keep only one billing period. A date column: BillingPeriodStart ≥ param periodStart and < param
   * periodEnd (grainPeriodParameters). Dates as text: the period worked out from the text equals param
   * period, so text a date filter would misread (` 2026-10-15`, `10/1/26`) is read, and text that is
   * not a date is kept, to be refused, as the default reader refuses it.
   */
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
  const tagKeys = keys.filter((k) => k.kind === 'tag');
  // the raw columns the keys read, each once: r0, r1, …
  const rawColumns = [...new Set(keys.flatMap((k) => (k.kind === 'column' && !k.required && !options.columns.has(k.column) ? [] : [k.column])))];
  const raw = (column: string) => `r${rawColumns.indexOf(column)}`;
  const keyExpression = (key: GrainKey): string => {
    if (key.kind === 'period') return kind(key.column) === 'text' ? dialect.periodOfText(raw(key.column)) : dialect.periodOfTimestamp(raw(key.column));
    if (key.kind === 'tag') {
      const i = tagKeys.indexOf(key);
      return dialect.tag(raw(key.column), dialect.param(`tagKey${i}`), dialect.param(`tagFolded${i}`));
    }
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
  const textPeriod = options.periodFilter && kind('BillingPeriodStart') === 'text';
  const where = options.periodFilter && !textPeriod
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
  const periodWhere = textPeriod ? ` WHERE k0 = ${dialect.param('period')} OR k0 IS NULL OR k0 LIKE '${NOT_A_DATE}%'` : '';
  return `SELECT ${outer.join(', ')} FROM (${keyed}) AS focus${periodWhere} GROUP BY ${groupBy}`;
}

/** The period parameters of a grain query with periodFilter: its bounds for a date column, the period itself for dates as text. */
export function grainPeriodParameters(period: string, periodColumnKind: SqlColumnKind): { periodStart: Date; periodEnd: Date } | { period: string } {
  if (periodColumnKind === 'text') return { period };
  const { start, end } = periodBounds(period);
  return { periodStart: new Date(start), periodEnd: new Date(end) };
}

/**
 * The grain query's tag parameters, by name: `tagKeyN`, the key as the rules spell it, and
 * `tagFoldedN`, trimmed and in lower case (never pasted into the query text).
 */
export function grainSqlParameters(dimensions: readonly string[]): Record<string, string> {
  const parameters: Record<string, string> = {};
  grainKeys(dimensions).forEach((key) => {
    if (key.kind !== 'tag') return;
    const i = Object.keys(parameters).length / 2;
    parameters[`tagKey${i}`] = key.ruleKey;
    parameters[`tagFolded${i}`] = key.tagKey;
  });
  return parameters;
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
