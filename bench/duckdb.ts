/**
 * Child process: DuckDB reading the same file and computing the same aggregation with one SQL
 * GROUP BY. `--threads 1` for single-threaded, else DuckDB's default. Prints one JSON line like
 * bench/ours.ts.
 */
import { writeFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { centsOf, exactFromText, GroupTotals, groupBySql, groupTotalsDigest, KEY_SEPARATOR } from './groups';
import { loadBenchRules } from './rules';

export async function duckdbGroupTotals(file: string, dimensions: readonly string[], threads?: number): Promise<{ groups: GroupTotals; rows: number }> {
  const instance = await DuckDBInstance.create(':memory:', threads ? { threads: String(threads) } : {});
  const connection = await instance.connect();
  try {
    const format = file.toLowerCase().endsWith('.parquet') ? 'parquet' : 'csv';
    const reader = await connection.runAndReadAll(groupBySql(file, dimensions, format));
    const groups: GroupTotals = new Map();
    let rows = 0;
    const keyCount = 4 + dimensions.length;
    for (const record of reader.getRowObjectsJS()) {
      const key = Array.from({ length: keyCount }, (_, i) => String(record[`k${i}`])).join(KEY_SEPARATOR);
      groups.set(key, `${centsOf(exactFromText(String(record.billed)))}|${centsOf(exactFromText(String(record.effective)))}`);
      rows += Number(record.n);
    }
    return { groups, rows };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function main() {
  const [file, ...rest] = process.argv.slice(2);
  const threads = rest.includes('--threads') ? Number(rest[rest.indexOf('--threads') + 1]) : undefined;
  const { dimensions } = loadBenchRules();
  const started = performance.now();
  const { groups, rows } = await duckdbGroupTotals(file, dimensions, threads);
  const wallMs = performance.now() - started;
  if (rest.includes('--dump')) writeFileSync(rest[rest.indexOf('--dump') + 1], JSON.stringify([...groups]));
  process.stdout.write(
    JSON.stringify({ engine: threads === 1 ? 'duckdb-1' : 'duckdb', wallMs, peakRssMb: process.resourceUsage().maxRSS / 1024, rows, groups: groups.size, digest: groupTotalsDigest(groups) }) + '\n',
  );
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`error: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  });
}
