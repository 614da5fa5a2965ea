// Bundles the command line (and the sample-data and benchmark scripts) into dist/ with esbuild,
// so `npx chargeback` starts fast and without a TypeScript toolchain at run time.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const entries = [
  ['src/cli/main.ts', 'dist/cli.cjs'],
  // the command line's ingest worker threads (src/sources/ingest-workers.ts), beside it
  ['src/sources/ingest-worker.ts', 'dist/ingest-worker.cjs'],
  ['scripts/generate-sample.ts', 'dist/generate-sample.cjs'],
  ['bench/bench.ts', 'dist/bench.cjs'],
  // the benchmark's child processes: one engine each, timed on their own
  ['bench/ours.ts', 'dist/bench-ours.cjs'],
  ['bench/duckdb.ts', 'dist/bench-duckdb.cjs'],
  ['bench/engine.ts', 'dist/bench-engine.cjs'],
  // npm run bench:functions and bench:office-writes
  ['bench/functions.bench.ts', 'dist/functions-bench.cjs'],
  ['scripts/office-write-plan.ts', 'dist/office-write-plan.cjs'],
  // npm run bench:memory
  ['bench/memory.ts', 'dist/bench-memory.cjs'],
];
for (const [entry, outfile] of entries) {
  if (!existsSync(entry)) continue;
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: false,
    // @azure/identity is loaded only when budgets sign in without AZURE_ACCESS_TOKEN;
    // @databricks/sql loads native modules and is loaded only for its source.
    external: ['@duckdb/*', 'azurite', '@azure/identity', '@databricks/sql'],
    // Some dependencies (@azure/storage-common) are ESM that reads import.meta.url; give the CJS bundle one.
    banner: { js: "const __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__import_meta_url' },
    logLevel: 'warning',
  });
}
