import { DuckDBInstance } from '@duckdb/node-api';
import { sqlString } from '../../bench/generate';

export { sqlString };

/** Runs one SQL statement in a fresh in-memory DuckDB. */
export async function runDuckDb(sql: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(sql);
  connection.closeSync();
  instance.closeSync();
}

/** Writes a CSV file as Parquet with DuckDB (what Azure and AWS exports look like), in the given compression. */
export async function csvToParquet(csvPath: string, parquetPath: string, compression: 'snappy' | 'zstd'): Promise<void> {
  await runDuckDb(
    `COPY (SELECT * REPLACE (CAST(BilledCost AS DECIMAL(38,10)) AS BilledCost, CAST(EffectiveCost AS DECIMAL(38,10)) AS EffectiveCost) FROM read_csv(${sqlString(csvPath)}, all_varchar=true)) TO ${sqlString(parquetPath)} (FORMAT parquet, COMPRESSION ${compression}, ROW_GROUP_SIZE 2)`,
  );
}
