/**
 * `--engine duckdb`: the grain query (grain-sql.ts) run by embedded DuckDB over local FOCUS
 * files and folders (CSV, CSV.gz, Parquet), multi-threaded and out of core, for months too large
 * for the in-process reader. Returns what ingestFocus returns, so the pull step takes it unchanged.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { CostFile, IngestError, IngestResult } from '../core/ingest';
import { missingColumnsMessage } from '../core/ingest-error';
import { costLinesFromGrainRows, GrainRow, grainKeys, grainRequiredColumns } from '../core/grain';
import { GRAIN_RESULT, grainSql, grainSqlParameters, SqlColumnKind, sqlString } from '../core/grain-sql';
import { EngineError } from './engine-error';

const ENGINE = 'DuckDB';

export interface DuckDbOptions {
  dimensions: readonly string[];
  /** Dimensions a file may lack (read as empty), as the in-process reader allows: optionalGrainDimensions. */
  optionalDimensions?: readonly string[];
  /** DuckDB's worker threads; its default (one per core) when not given. */
  threads?: number;
}

/**
 * One file's name as DuckDB's reader takes it: DuckDB reads every name as a glob, so each of
 * `[`, `*` and `?` is written as a class of itself (`[[]`, `[*]`, `[?]`) and the name matches that
 * one file only, never another or none (`costs[1].csv`, `a*b.csv`).
 */
export function literalFileName(name: string): string {
  return name.replace(/[[*?]/g, (c) => `[${c}]`);
}

/** The exact list of files as a DuckDB list of string literals. */
const fileList = (files: readonly string[]) => `[${files.map((f) => sqlString(literalFileName(f))).join(', ')}]`;

/** The table function reading files of one format; CSV as text, so amounts and dates are read as written. */
function readerOf(format: 'csv' | 'parquet', files: readonly string[], extra = ''): string {
  const list = fileList(files);
  return format === 'csv'
    ? `read_csv(${list}, header = true, all_varchar = true, union_by_name = true${extra})`
    : `read_parquet(${list}, union_by_name = true${extra})`;
}

/** How DuckDB's column type reads for the grain. */
function kindOf(type: string): SqlColumnKind {
  if (/^(TIMESTAMP|DATE)/.test(type)) return 'timestamp';
  if (/^DECIMAL|INT/.test(type)) return 'decimal';
  if (/^(DOUBLE|FLOAT|REAL)/.test(type)) return 'float';
  return 'text';
}

/**
 * Each file's columns, checked as the in-process reader checks a header (the same missing-column
 * error, naming the file). Returns the column kinds over all files: a float anywhere reads as float.
 */
async function describeFiles(connection: DuckDBConnection, format: 'csv' | 'parquet', files: readonly CostFile[], options: DuckDbOptions) {
  const kinds = new Map<string, SqlColumnKind>();
  const required = grainRequiredColumns(options.dimensions, options.optionalDimensions);
  for (const file of files) {
    const described = await run(connection, `reading the columns of ${file.name}`, `DESCRIBE SELECT * FROM ${readerOf(format, [file.name])}`);
    const columns = described.map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
    const find = (column: string) => columns.find((c) => c.name.trim() === column) ?? columns.find((c) => c.name.trim().toLowerCase() === column.toLowerCase());
    const missing = required.filter((c) => !find(c));
    if (missing.length > 0) {
      throw new IngestError(file.name, 1, undefined, missingColumnsMessage(missing, columns.map((c) => c.name)));
    }
    // the optional keys (CommitmentDiscountStatus, dimensions no rule names, the provider's exchange rate) are read where a file has them
    const optional = grainKeys(options.dimensions, options.optionalDimensions).flatMap((k) => (k.kind === 'column' && !k.required ? [k.column] : []));
    for (const column of [...required, ...optional]) {
      const found = find(column);
      if (!found) continue;
      const kind = kindOf(found.type);
      if (kinds.get(column) !== 'float') kinds.set(column, kind);
    }
  }
  return kinds;
}

async function run(connection: DuckDBConnection, step: string, sql: string, parameters?: Record<string, string>): Promise<Record<string, unknown>[]> {
  try {
    // getRows() gives DuckDB's own values (strings, bigints, null): several times faster than the JS-converting readers
    const reader = await connection.runAndReadAll(sql, parameters && Object.keys(parameters).length > 0 ? parameters : undefined);
    const names = reader.columnNames();
    return reader.getRows().map((row) => Object.fromEntries(names.map((name, i) => [name, row[i]])));
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    const advice = /Conversion Error|Could not convert/i.test(message)
      ? 'A cost column holds text that is not a number: fix the file, or read it without --engine duckdb to see the row'
      : /Malformed JSON|not a JSON object/i.test(message)
        ? 'A Tags cell is not a JSON object: fix the file, or read it without --engine duckdb to see the row'
        : /Out of Memory/i.test(message)
          ? 'Give DuckDB more memory or fewer threads (--threads), or split the folder'
          : undefined;
    throw new EngineError(ENGINE, step, message.split('\n')[0], advice);
  }
}

/**
 * The rows of each Parquet file from its footer (no rows read), by the name given. Counting rows per
 * file in the grain query (GROUPING SETS by file name) kept every raw group once per file: on a
 * month of many partitions that was most of the engine's memory.
 */
async function parquetRowCounts(connection: DuckDBConnection, files: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const row of await run(connection, 'reading the Parquet footers', `SELECT file_name, num_rows FROM parquet_file_metadata(${fileList(files)})`)) {
    counts.set(String(row.file_name), (counts.get(String(row.file_name)) ?? 0) + Number(row.num_rows));
  }
  return counts;
}

/** The first Parquet file with an empty cost (only asked when the grain query counted some). */
async function firstFileWithEmptyCost(connection: DuckDBConnection, files: readonly string[]): Promise<string> {
  const rows = await run(
    connection,
    'finding the rows without a cost',
    `SELECT filename AS file, count(*) AS missing FROM ${readerOf('parquet', files, ', filename = true')} WHERE "BilledCost" IS NULL OR "EffectiveCost" IS NULL GROUP BY filename ORDER BY filename LIMIT 1`,
  );
  return String(rows[0]?.file ?? files[0]);
}

/** Sums every file to allocation grain in DuckDB; files of each format are read by one query. */
export async function ingestWithDuckDb(files: readonly CostFile[], options: DuckDbOptions): Promise<IngestResult> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  // where DuckDB spills when a month does not fit in memory: this run's own folder, removed after
  const spill = mkdtempSync(path.join(tmpdir(), 'chargeback-duckdb-'));
  try {
    const settings: Record<string, string> = { temp_directory: spill };
    if (options.threads) settings.threads = String(options.threads);
    const instance = await DuckDBInstance.create(':memory:', settings);
    const connection = await instance.connect();
    try {
      return await sumFiles(connection, files, options);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  } finally {
    rmSync(spill, { recursive: true, force: true });
  }
}

async function sumFiles(connection: DuckDBConnection, files: readonly CostFile[], options: DuckDbOptions): Promise<IngestResult> {
  const grainRows: GrainRow[] = [];
  const rowsPerFile = new Map<string, number>();
  const parameters = grainSqlParameters(options.dimensions);
  for (const format of ['csv', 'parquet'] as const) {
    const group = files.filter((f) => f.format === format);
    if (group.length === 0) continue;
    // DuckDB is given each file's absolute path, and the names it reports back are read through this map
    const nameOf = new Map(group.map((f) => [path.resolve(f.name), f.name]));
    const names = [...nameOf.keys()];
    const given = (reported: string) => nameOf.get(reported) ?? nameOf.get(path.resolve(reported)) ?? reported;
    const columns = await describeFiles(connection, format, group, options);
    // CSV rows per file by GROUPING SETS when there are several files; Parquet's from the footers; one file's count is the total.
    const single = group.length === 1 ? group[0].name : undefined;
    const perFile = format === 'csv' && !single;
    const from = readerOf(format, names, perFile ? ', filename = true' : '');
    const sql = grainSql('duckdb', options.dimensions, { from, columns, optionalDimensions: options.optionalDimensions, perFile: perFile ? 'filename' : undefined });
    const step = `summing ${single ?? `${group.length} ${format === 'csv' ? 'CSV' : 'Parquet'} files`} to allocation grain`;
    const fileCounts: { file: string; rows: number; missing: number }[] = [];
    let rows = 0;
    let missing = 0;
    for (const row of await run(connection, step, sql, parameters)) {
      if (row[GRAIN_RESULT.isFileCount]) {
        fileCounts.push({ file: given(String(row[GRAIN_RESULT.file])), rows: Number(row[GRAIN_RESULT.rows]), missing: Number(row[GRAIN_RESULT.missing]) });
        continue;
      }
      rows += Number(row[GRAIN_RESULT.rows]);
      missing += Number(row[GRAIN_RESULT.missing]);
      grainRows.push({
        keys: Array.from({ length: options.dimensions.length + 4 }, (_, i) => (row[`k${i}`] === null ? null : String(row[`k${i}`]))),
        billedCost: String(row[GRAIN_RESULT.billed]),
        effectiveCost: String(row[GRAIN_RESULT.effective]),
        sourceRows: Number(row[GRAIN_RESULT.rows]),
      });
    }
    if (single) fileCounts.push({ file: single, rows, missing });
    else if (!perFile) {
      const file = missing > 0 ? given(await firstFileWithEmptyCost(connection, names)) : undefined;
      for (const [name, count] of await parquetRowCounts(connection, names)) fileCounts.push({ file: given(name), rows: count, missing: given(name) === file ? missing : 0 });
    }
    for (const { file, rows, missing } of fileCounts) {
      if (missing > 0) throw new IngestError(file, undefined, 'BilledCost', `${missing} rows have an empty BilledCost or EffectiveCost (a cost must be a number)`);
      rowsPerFile.set(file, rows);
    }
    // Each file read exactly once: the rows summed are the rows the files hold, file by file.
    const counted = group.reduce((a, f) => a + (rowsPerFile.get(f.name) ?? 0), 0);
    if (counted !== rows || [...rowsPerFile.keys()].some((name) => !files.some((f) => f.name === name))) {
      throw new EngineError(ENGINE, step, `the files hold ${counted} rows but ${rows} were summed`, 'Report this: DuckDB read a file twice or not at all');
    }
  }
  const lines = (() => {
    try {
      return costLinesFromGrainRows(options.dimensions, grainRows, ENGINE);
    } catch (error) {
      throw new EngineError(ENGINE, 'reading the grain rows', (error as Error).message.replace(`${ENGINE}: `, ''), 'Check BillingPeriodStart and BillingCurrency in the files');
    }
  })();
  const perFile = files.map((f) => ({ name: f.name, rows: rowsPerFile.get(f.name) ?? 0 }));
  return { lines, rowsRead: perFile.reduce((a, f) => a + f.rows, 0), files: perFile, dimensions: [...options.dimensions] };
}
