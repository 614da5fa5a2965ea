/**
 * Child process: our ingest (the task pane's parser code) + allocation on one FOCUS file, timed.
 * Prints one JSON line: wall time, peak RSS, rows, groups, the per-group digest and the allocated
 * total. `--dump FILE` also writes every group's totals, for a group-by-group comparison.
 */
import { writeFileSync } from 'node:fs';
import { allocate } from '../src/core/allocate';
import { ingestFocus } from '../src/core/ingest';
import { formatMinor } from '../src/core/money';
import { costFilesAt } from '../src/sources/node-files';
import { groupTotalsDigest, oursGroupTotals } from './groups';

export { oursGroupTotals };
import { loadBenchRules } from './rules';

export async function runOurs(file: string) {
  const { rules, dimensions } = loadBenchRules();
  const started = performance.now();
  const ingest = await ingestFocus(await costFilesAt(file), { dimensions });
  const ingested = performance.now();
  const result = allocate(ingest.lines, rules);
  const finished = performance.now();
  return { ingest, result, dimensions, ingestMs: ingested - started, allocateMs: finished - ingested, wallMs: finished - started };
}

async function main() {
  const [file, ...rest] = process.argv.slice(2);
  const { ingest, result, dimensions, ingestMs, allocateMs, wallMs } = await runOurs(file);
  const groups = oursGroupTotals(ingest.lines, dimensions);
  if (rest.includes('--dump')) writeFileSync(rest[rest.indexOf('--dump') + 1], JSON.stringify([...groups]));
  process.stdout.write(
    JSON.stringify({
      engine: 'ours',
      wallMs,
      ingestMs,
      allocateMs,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      rows: ingest.rowsRead,
      groups: groups.size,
      digest: groupTotalsDigest(groups),
      allocated: formatMinor(result.allocatedTotal, result.minorDigits),
    }) + '\n',
  );
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`error: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  });
}
