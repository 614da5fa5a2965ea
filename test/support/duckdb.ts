import { DuckDBInstance } from '@duckdb/node-api';

/** Writes a CSV file as Parquet with DuckDB (what Azure and AWS exports look like), in the given compression. */
export async function csvToParquet(csvPath: string, parquetPath: string, compression: 'snappy' | 'zstd'): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const quote = (p: string) => `'${p.replace(/'/g, "''")}'`;
  await connection.run(
    `COPY (SELECT * REPLACE (CAST(BilledCost AS DECIMAL(38,10)) AS BilledCost, CAST(EffectiveCost AS DECIMAL(38,10)) AS EffectiveCost) FROM read_csv(${quote(csvPath)}, all_varchar=true)) TO ${quote(parquetPath)} (FORMAT parquet, COMPRESSION ${compression}, ROW_GROUP_SIZE 2)`,
  );
  connection.closeSync();
  instance.closeSync();
}
