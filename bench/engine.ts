/**
 * Child process: `--engine duckdb`, the grain query generated from the grain definition
 * (src/core/grain-sql.ts) run by embedded DuckDB at default threads, on one FOCUS file. Prints
 * one JSON line like bench/duckdb.ts, plus the size of what the engine hands back (grain rows
 * and their bytes as JSON text) against the raw rows it read.
 */
import { writeFileSync } from 'node:fs';
import { ingestWithDuckDb } from '../src/sources/duckdb-engine';
import { costFilesAt } from '../src/sources/node-files';
import { groupTotalsDigest, oursGroupTotals } from './groups';
import { loadBenchRules } from './rules';

async function main() {
  const [file, ...rest] = process.argv.slice(2);
  const { dimensions } = loadBenchRules();
  const files = await costFilesAt(file);
  // DuckDB's module is loaded before the clock, as bench/duckdb.ts loads it
  await import('@duckdb/node-api');
  const started = performance.now();
  const ingest = await ingestWithDuckDb(files, { dimensions });
  const wallMs = performance.now() - started;
  const groups = oursGroupTotals(ingest.lines, dimensions);
  if (rest.includes('--dump')) writeFileSync(rest[rest.indexOf('--dump') + 1], JSON.stringify([...groups]));
  const grainBytes = Buffer.byteLength(JSON.stringify(ingest.lines, (_, v) => (typeof v === 'bigint' ? v.toString() : v)));
  process.stdout.write(
    JSON.stringify({ engine: 'engine-duckdb', wallMs, peakRssMb: process.resourceUsage().maxRSS / 1024, rows: ingest.rowsRead, groups: groups.size, digest: groupTotalsDigest(groups), grainBytes }) + '\n',
  );
}

main().catch((error) => {
  process.stderr.write(`error: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
