/**
 * One meaning of a FOCUS row on every engine (issue 26): fuzzed FOCUS files through the default
 * reader and `--engine duckdb` give identical cost lines to the last decimal, or both refuse; and
 * the grain query a warehouse runs (the T-SQL and Databricks stand-ins answer it in DuckDB's
 * dialect over a table of the same rows, the period and tag keys bound as parameters) gives the
 * period's lines the default reader gives. The T-SQL, Spark SQL and KQL texts for the same
 * dimensions parse with their grammars (no such engine runs offline).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { SparkSQL } from 'dt-sql-parser';
import fc from 'fast-check';
import { Parser } from 'node-sql-parser';
import { CostLine } from '../../src/core/costs';
import { billingPeriodOf } from '../../src/core/focus';
import { costLinesFromGrainRows, grainRowOfRecord } from '../../src/core/grain';
import { grainKql } from '../../src/core/grain-kql';
import { GRAIN_RESULT, grainPeriodParameters, grainSql, grainSqlParameters, SqlColumnKind } from '../../src/core/grain-sql';
import { ingestFocus, IngestResult } from '../../src/core/ingest';
import { ingestWithDuckDb } from '../../src/sources/duckdb-engine';
import { costFilesAt } from '../../src/sources/node-files';
import { sqlString } from '../support/duckdb';
import { memoryFile, tempDir } from '../support/files';
import { analyzeKql } from '../support/kusto-language';

jest.setTimeout(600_000);

const HEADER = ['BillingPeriodStart', 'BillingCurrency', 'ChargeCategory', 'BilledCost', 'EffectiveCost', 'SubAccountName', 'Tags'];

/** One CSV cell, quoted when it must be (RFC 4180). */
const csvCell = (value: string) => (/[",\n\r]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value);
const csvText = (rows: string[][]) => [HEADER, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';

const validDates = ['2026-10-01T00:00:00Z', '2026-10-01', '2026-10', ' 2026-10-15T10:30:00+02:00', '2026-10-01 00:00:00', '10/1/26', '2026-09-01T00:00:00Z', '2024-02-29'];
const impossibleDates = ['2026-13-01', '2026-02-30', '2026-10-xx', '2026-10-32', '2026-10-01T25:00:00Z', '2026-00-01', 'October', ''];
const tagKeys = ['Team', 'team', 'TEAM', ' team', '\tteam', 'team ', 'env', 'Env', 'a/b~c', 'dept\\team', 'dept\\'];
const tagValues = ['"search"', '"payments"', '""', 'null', '"null"', '1', '1.0', '"1"', '1.50', '-0', '1e2', 'true', '"Search"', '"é ü"'];
const amounts = ['1', '0.01', '0.005', '-5', '-0.004', '3.333333333333333333', '1234567.891', '0', '2.50', '-12.000000000000001'];

/** A Tags cell: a JSON object written by hand (so a key may be repeated and numbers keep their text), or an edge. */
const tagsCell = fc.oneof(
  { weight: 8, arbitrary: fc.array(fc.tuple(fc.constantFrom(...tagKeys), fc.constantFrom(...tagValues)), { maxLength: 4 }).map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(', ')}}`) },
  { weight: 1, arbitrary: fc.constantFrom('', 'null', '{}') },
  { weight: 1, arbitrary: fc.constantFrom('{"team": bad}', '["team"]') },
);

const row = (dates: readonly string[]) =>
  fc.tuple(fc.constantFrom(...dates), fc.constantFrom('USD', 'EUR'), fc.constantFrom('Usage', 'Credit', 'Purchase'), fc.constantFrom(...amounts), fc.constantFrom(...amounts), fc.constantFrom('alpha', '', 'null', 'Beta '), tagsCell);

/** File names DuckDB would read as globs, in sets where one name's pattern matches another file. */
const fileNameSets = [['costs.csv'], ['costs[1].csv', 'costs1.csv'], ['a*.csv', 'ab.csv'], ['q?.csv', 'qx.csv'], ['[x].csv', 'x.csv'], ['month [2026-10] *.csv']];

const monthFile = fc.record({
  names: fc.constantFrom(...fileNameSets),
  // mostly valid dates; now and then one that does not exist
  files: fc.array(fc.array(fc.oneof({ weight: 9, arbitrary: row(validDates) }, { weight: 1, arbitrary: row(impossibleDates) }), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 2 }),
  // now and then the month as Parquet (the text columns as written, amounts as DECIMAL(38,10)), as exports arrive
  parquet: fc.constantFrom(false, false, false, true),
  dimensions: fc.constantFrom(['SubAccountName', 'Tag:Team'], ['Tag:team'], ['Tag:TEAM', 'Tag:env'], ['Tag:dept\\team', 'Tag:a/b~c'], ['Tag:dept\\']),
});

/** Each cost line as one line of text a person can read: its keys, exact sums and row count. */
const described = (lines: readonly CostLine[]) =>
  lines.map((l) => [l.billingPeriod, l.currency, l.chargeCategory, l.commitmentDiscountStatus, ...Object.entries(l.dimensions).map(([k, v]) => `${k}=${v}`), l.billedCost, l.effectiveCost, l.sourceRows].join(' | '));

type Outcome = { lines: string[]; rowsRead: number; files: IngestResult['files'] } | { refused: string };
const outcome = (read: Promise<IngestResult>): Promise<Outcome> =>
  read.then(
    (r) => ({ lines: described(r.lines), rowsRead: r.rowsRead, files: r.files }),
    (error: Error) => ({ refused: error.message }),
  );

/** The warehouse's grain query over the rows as a table of text columns (a Lakehouse copy), for one period, answered in DuckDB's dialect. */
async function warehouseLines(db: DuckDBConnection, files: readonly string[], dimensions: readonly string[], period: string): Promise<string[]> {
  const list = `[${files.map((f) => sqlString(f.replace(/[[*?]/g, (c) => `[${c}]`))).join(', ')}]`;
  const parquet = files[0].endsWith('.parquet');
  await db.run(`CREATE OR REPLACE TABLE focus_costs AS SELECT * FROM ${parquet ? `read_parquet(${list}, union_by_name = true)` : `read_csv(${list}, header = true, all_varchar = true, union_by_name = true)`}`);
  const columns = new Map<string, SqlColumnKind>(parquet ? [['BilledCost', 'decimal'], ['EffectiveCost', 'decimal']] : []);
  const sql = grainSql('duckdb', dimensions, { from: 'focus_costs', columns, periodFilter: true });
  const reader = await db.runAndReadAll(sql, { ...(grainPeriodParameters(period, 'text') as { period: string }), ...grainSqlParameters(dimensions) });
  const names = reader.columnNames();
  const rows = reader.getRows().map((r) => grainRowOfRecord(Object.fromEntries(names.map((n, i) => [n, typeof r[i] === 'bigint' ? Number(r[i]) : r[i]])), dimensions.length + 4, GRAIN_RESULT));
  return described(costLinesFromGrainRows(dimensions, rows, 'warehouse'));
}

const tsqlErrors = (sql: string) => {
  try {
    new Parser().astify(sql, { database: 'TransactSQL' });
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
};

describe('every engine gives the default reader’s cost lines, or the same refusal (differential, fuzzed FOCUS files)', () => {
  const dir = tempDir('chargeback-engines-');
  let instance: DuckDBInstance;
  let db: DuckDBConnection;
  let run = 0;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    db = await instance.connect();
  });
  afterAll(() => {
    db.closeSync();
    instance.closeSync();
  });

  it('the default reader, --engine duckdb and the warehouses’ grain query agree on every fuzzed month', async () => {
    const counts = { same: 0, refusedByBoth: 0 };
    await fc.assert(
      fc.asyncProperty(monthFile, async ({ names, files, parquet, dimensions }) => {
        const folder = path.join(dir, `run-${run++}`);
        mkdirSync(folder);
        const written = files.slice(0, names.length).map((rows, i) => {
          const file = path.join(parquet ? dir : folder, parquet ? `run-${run}-${i}.csv` : names[i]);
          writeFileSync(file, csvText(rows));
          return file;
        });
        // amounts are all numbers here, so every file converts; a date or a Tags cell stays text, as written
        if (parquet) {
          for (const [i, file] of written.entries()) {
            const target = path.join(folder, names[i].replace(/\.csv$/, '.parquet'));
            await db.run(`COPY (SELECT * REPLACE (CAST(BilledCost AS DECIMAL(38,10)) AS BilledCost, CAST(EffectiveCost AS DECIMAL(38,10)) AS EffectiveCost) FROM read_csv(${sqlString(file)}, header = true, all_varchar = true)) TO ${sqlString(target)} (FORMAT parquet)`);
          }
        }
        const costFiles = await costFilesAt(folder);
        const inProcess = await outcome(ingestFocus(costFiles, { dimensions }));
        const duckdb = await outcome(ingestWithDuckDb(costFiles, { dimensions, threads: 1 }));
        // The warehouses read one period: their oracle is the default reader over that period's rows and every row whose date is not a date.
        const warehouse = await warehouseLines(db, parquet ? names.slice(0, written.length).map((n) => path.join(folder, n.replace(/\.csv$/, '.parquet'))) : written, dimensions, '2026-10').catch((error: Error) => ({ refused: error.message }));
        // (as CSV: the Parquet copies keep 10 decimals of each amount)
        if (!parquet) {
          const periodRows = files.slice(0, names.length).flatMap((rows) => rows.filter((r) => [undefined, '2026-10'].includes(billingPeriodOf(r[0]))));
          const ofPeriod = await outcome(ingestFocus([memoryFile('period.csv', csvText(periodRows))], { dimensions }));
          expect('refused' in warehouse ? { refused: expect.any(String) } : warehouse).toEqual('refused' in ofPeriod ? { refused: expect.any(String) } : ofPeriod.lines);
        }
        if ('refused' in inProcess) {
          expect(duckdb).toEqual({ refused: expect.any(String) });
          counts.refusedByBoth++;
          return;
        }
        expect(duckdb).toEqual(inProcess);
        expect(warehouse).toEqual(inProcess.lines.filter((l) => l.startsWith('2026-10 ')));
        counts.same++;
      }),
      { numRuns: Number(process.env.ENGINES_FUZZ_RUNS ?? 40), seed: Number(process.env.ENGINES_FUZZ_SEED ?? 26), endOnFailure: true },
    );
    // the fuzz reached both outcomes and the warehouse comparison
    expect(counts.same).toBeGreaterThan(10);
    expect(counts.refusedByBoth).toBeGreaterThan(5);
  });

  it.each([['SubAccountName', 'Tag:Team'], ['Tag:TEAM', 'Tag:env'], ['Tag:dept\\team', 'Tag:a/b~c'], ['Tag:dept\\'], ["Tag:it's", 'Tag:部門']])(
    'the T-SQL, Spark SQL and KQL texts for %s parse with their grammars, with no tag key in the text',
    (...dimensions) => {
      const tsql = grainSql('tsql', dimensions, { from: '[dbo].[focus_costs]', columns: new Map(), periodFilter: true });
      const spark = grainSql('databricks', dimensions, { from: '`finops`.`focus`.`costs`', columns: new Map(), periodFilter: true });
      expect(tsqlErrors(tsql)).toEqual([]);
      expect(new SparkSQL().validate(spark).map((e) => e.message)).toEqual([]);
      expect(analyzeKql(grainKql('Costs_v1_2', dimensions, '2026-10').text).errors).toEqual([]);
      for (const dimension of dimensions.filter((d) => d.startsWith('Tag:'))) {
        const key = dimension.slice(4);
        for (const text of [tsql, spark]) expect(text).not.toContain(key);
      }
    },
  );
});
