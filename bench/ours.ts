/**
 * Child process: our ingest (the task pane's parser code) + allocation on one FOCUS file, timed.
 * Prints one JSON line: wall time, peak RSS, rows, groups, the per-group digest and the allocated
 * total. `--dump FILE` also writes every group's totals, for a group-by-group comparison.
 */
import { writeFileSync } from 'node:fs';
import { allocate } from '../src/core/allocate';
import { CostAggregator, CostFile, ingestFocus } from '../src/core/ingest';
import { formatMinor } from '../src/core/money';
import { costFilesAt } from '../src/sources/node-files';
import { workerSplit } from '../src/sources/ingest-workers';
import { groupTotalsDigest, oursGroupTotals } from './groups';

export { oursGroupTotals };
import { loadBenchRules } from './rules';

/** Where the time summing batches goes (patched in once, for the run in progress). */
const summing: { counts?: { aggregateMs: number } } = {};
{
  const proto = CostAggregator.prototype as unknown as { beginColumnarFile: (...args: unknown[]) => { addRows: (...args: unknown[]) => void } };
  const begin = proto.beginColumnarFile;
  proto.beginColumnarFile = function (this: unknown, ...args: unknown[]) {
    const reader = begin.apply(this, args);
    const addRows = reader.addRows;
    reader.addRows = (...rows: unknown[]) => {
      const started = performance.now();
      addRows(...rows);
      if (summing.counts) summing.counts.aggregateMs += performance.now() - started;
    };
    return reader;
  };
}

/**
 * The phases of one run, measured around the ingest without changing it: bytes the ingest takes
 * from the file (the stream for CSV, the slices for Parquet), and the time spent summing batches
 * into cost lines (the aggregator's columnar `addRows`, which both CSV and Parquet feed).
 */
function measured(files: CostFile[]) {
  const counts = { bytesTouched: 0, aggregateMs: 0 };
  summing.counts = counts;
  const counted = files.map((file) => ({
    ...file,
    stream: () =>
      file.stream().pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            counts.bytesTouched += chunk.byteLength;
            controller.enqueue(chunk);
          },
        }),
      ),
    buffer: async () => {
      const buffer = await file.buffer();
      return {
        byteLength: buffer.byteLength,
        slice: (start: number, end?: number) => {
          counts.bytesTouched += (end ?? buffer.byteLength) - start;
          return buffer.slice(start, end);
        },
      };
    },
  }));
  return { counted, counts };
}

/** `workers`: split each file across that many worker threads (src/sources/ingest-workers.ts); 1 reads it whole. */
export async function runOurs(file: string, workers = 1) {
  const { rules, dimensions } = loadBenchRules();
  // Split files are read in the workers: the phases measured here then cover the main thread only.
  const { counted, counts } = workers > 1 ? { counted: await costFilesAt(file), counts: { bytesTouched: 0, aggregateMs: 0 } } : measured(await costFilesAt(file));
  const started = performance.now();
  const ingest = await ingestFocus(counted, { dimensions, split: workerSplit(workers, 0) });
  const ingested = performance.now();
  const result = allocate(ingest.lines, rules);
  const finished = performance.now();
  return { ingest, result, dimensions, ingestMs: ingested - started, allocateMs: finished - ingested, wallMs: finished - started, ...counts };
}

/**
 * The floor: the file's bytes streamed as the ingest streams them (CSV) or read whole (Parquet), and
 * every byte looked at once with the cheapest test the CSV reader makes. No reader can be faster
 * than reading its input once; the ratio to this is how far from the memory bandwidth we are.
 */
async function floor(file: string) {
  const [costFile] = await costFilesAt(file);
  const started = performance.now();
  let bytes = 0;
  let breaks = 0;
  const touch = (chunk: Uint8Array) => {
    bytes += chunk.length;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (c < 45 && c === 10) breaks++;
    }
  };
  if (costFile.format === 'csv') {
    const reader = costFile.stream().getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      touch(value);
    }
  } else {
    const buffer = await costFile.buffer();
    for (let at = 0; at < buffer.byteLength; at += 1 << 24) touch(new Uint8Array(await buffer.slice(at, Math.min(buffer.byteLength, at + (1 << 24)))));
  }
  const wallMs = performance.now() - started;
  return { engine: 'floor', wallMs, peakRssMb: process.resourceUsage().maxRSS / 1024, rows: breaks, groups: 0, digest: '', bytesTouched: bytes };
}

async function main() {
  const [file, ...rest] = process.argv.slice(2);
  if (rest.includes('--floor')) return void process.stdout.write(JSON.stringify(await floor(file)) + '\n');
  const workers = rest.includes('--workers') ? Number(rest[rest.indexOf('--workers') + 1]) : 1;
  const { ingest, result, dimensions, ingestMs, allocateMs, wallMs, bytesTouched, aggregateMs } = await runOurs(file, workers);
  const groups = oursGroupTotals(ingest.lines, dimensions);
  if (rest.includes('--dump')) writeFileSync(rest[rest.indexOf('--dump') + 1], JSON.stringify([...groups]));
  process.stdout.write(
    JSON.stringify({
      engine: 'ours',
      wallMs,
      ingestMs,
      allocateMs,
      aggregateMs,
      bytesTouched,
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
