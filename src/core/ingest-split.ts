/**
 * One file read by several readers at once (worker threads on the command line), each summing its
 * own part into group sums that are added up exactly afterwards (bigint, digits past the 15th
 * decimal kept until the whole is rounded), so the result is the one a single reader gives.
 *
 * - Parquet is split by row groups.
 * - CSV is split at guessed record starts: a byte offset, moved to just after the next line break.
 *   Whether that line break ended a record or sat inside a quoted field cannot be told without
 *   reading from the start, so the guess is checked afterwards: the part before it is read from a
 *   true record start (the first part from the header) and must end outside quotes. If it ends
 *   inside a quoted field, the guess was wrong: that part is read again together with the next one,
 *   whose own reading (started inside the field) is thrown away. Rows are numbered by adding up the
 *   records of the parts before, so errors name the same row a single reader names.
 */
import { parquetMetadataAsync } from 'hyparquet';
import type { AsyncBuffer } from 'hyparquet';
import { CostAggregator, PartialGroup } from './aggregate';
import type { CostFile } from './cost-file';
import { CsvEndedInQuotes, readCsv } from './csv';
import { IngestError } from './ingest-error';
import { ingestCsv, ingestParquet } from './ingest-readers';

/** One reader's part of a file: CSV bytes [start, end) after the header, or Parquet row groups [start, end). */
export interface SegmentJob {
  format: 'csv' | 'parquet';
  start: number;
  end: number;
  /** CSV: the header line as in the file (BOM and line break included), read before the part */
  header?: Uint8Array;
  /** CSV: the part ends at a guessed record start (not the end of the file) */
  guessedEnd?: boolean;
  dimensions: readonly string[];
  optionalDimensions?: readonly string[];
}

export interface SegmentResult {
  groups: PartialGroup[];
  /** CSV: the part's records (blank lines included), to number the next part's rows */
  records: number;
  rowsRead: number;
  /** bad input in the part, its row counted from the part's start (the header being row 1) */
  error?: { row?: number; column?: string; reason: string };
  /** the part ended inside a quoted field: its guessed end was no record boundary */
  endedInQuotes?: boolean;
}

/** Progress of one part: bytes read, and rows summed so far. */
export type SegmentProgress = (bytes: number, rows: number) => void;

/** Runs one part somewhere (a worker) and hands back its result; stops when `signal` aborts. */
export type SegmentRunner = (file: CostFile, job: SegmentJob, onProgress: SegmentProgress, signal: AbortSignal) => Promise<SegmentResult>;

export interface FileSplit {
  /** how many parts a file is cut into (the command line: the number of cores) */
  readers: number;
  run: SegmentRunner;
  /** files smaller than this are read whole by one reader: starting workers costs more than it saves */
  minBytes?: number;
  /** whether `run` can read this file (a worker reads local paths, for example) */
  accepts?: (file: CostFile) => boolean;
  /** CSV: where to guess the parts start (byte offsets); by default evenly spaced. For tests. */
  guesses?: (size: number, headerEnd: number, readers: number) => number[];
}

/** Below this a file is read whole by default. */
export const SPLIT_MIN_BYTES = 64 * 1024 * 1024;

const CHUNK = 1 << 20;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/** What one reader does with its part (a worker's whole job). */
export async function readSegment(file: CostFile, job: SegmentJob, onProgress: SegmentProgress, signal?: AbortSignal): Promise<SegmentResult> {
  const aggregator = new CostAggregator(job.dimensions, job.optionalDimensions);
  let records = 0;
  try {
    if (job.format === 'csv') {
      const stream = partStream(await file.buffer(), job.header!, job.start, job.end);
      // rows as scanned (summing waits for a batch of 32,768, which a part may not fill before its end)
      const onBytes = (bytes: number, scanned: number) => onProgress(bytes, Math.max(aggregator.rowsRead, scanned - 1));
      records = (await ingestCsv(file, aggregator, signal, onBytes, { stream, guessedEnd: job.guessedEnd })) - 1;
    } else await ingestParquet(file, aggregator, signal, (bytes) => onProgress(bytes, aggregator.rowsRead), { rowGroups: { start: job.start, end: job.end } });
  } catch (error) {
    if (error instanceof CsvEndedInQuotes) return { groups: [], records: 0, rowsRead: 0, endedInQuotes: true };
    if (error instanceof IngestError) return { groups: [], records: 0, rowsRead: 0, error: { row: error.row, column: error.column, reason: error.reason } };
    throw error;
  }
  return { groups: aggregator.partialSums(), records, rowsRead: aggregator.rowsRead };
}

/** The header's bytes, then bytes [start, end) of the file, in 1 MB slices as they are read. */
function partStream(buffer: AsyncBuffer, header: Uint8Array, start: number, end: number): ReadableStream<Uint8Array> {
  let at = start;
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(header.slice());
      } else if (at >= end) controller.close();
      else {
        const to = Math.min(end, at + CHUNK);
        controller.enqueue(new Uint8Array(await buffer.slice(at, to)));
        at = to;
      }
    },
  });
}

/** Where a CSV file's parts start (the first right after the header); undefined when it is not to be split. */
async function planCsv(buffer: AsyncBuffer, split: FileSplit): Promise<{ header: Uint8Array; starts: number[] } | undefined> {
  const size = buffer.byteLength;
  const head = new Uint8Array(await buffer.slice(0, Math.min(size, CHUNK)));
  const headerEnd = head.indexOf(LF) + 1;
  // A header with a quote could hold a line break: rare enough to read such a file whole.
  if (headerEnd <= 0 || head.subarray(0, headerEnd).includes(QUOTE)) return undefined;
  // the line ending is the first line break's, as the reader tells it
  const crlf = headerEnd >= 2 && head[headerEnd - 2] === CR;
  const guesses = split.guesses?.(size, headerEnd, split.readers) ?? Array.from({ length: split.readers - 1 }, (_, k) => headerEnd + Math.floor(((size - headerEnd) * (k + 1)) / split.readers));
  const starts = [headerEnd];
  for (const guess of guesses.map(Math.floor)) {
    if (guess <= starts[starts.length - 1]) continue;
    // from the byte before the guess, so a CRLF cut between its two bytes is seen whole
    const from = guess - 1;
    const window = new Uint8Array(await buffer.slice(from, Math.min(size, from + CHUNK)));
    let i = 1;
    while (i < window.length && !(window[i] === LF && (!crlf || window[i - 1] === CR))) i++;
    const start = from + i + 1;
    if (i < window.length && start > starts[starts.length - 1] && start < size) starts.push(start);
  }
  return starts.length < 2 ? undefined : { header: head.slice(0, headerEnd), starts };
}

/**
 * Reads one file split across readers into the aggregator. Returns false (having read nothing)
 * when the file is to be read whole: small, gzip, one row group, or a reader that cannot take it.
 * `onProgress` has the bytes read and rows summed in all parts so far (the aggregator's count
 * moves only as parts are merged).
 */
export async function ingestSplit(file: CostFile, aggregator: CostAggregator, split: FileSplit, signal: AbortSignal | undefined, onProgress: SegmentProgress): Promise<boolean> {
  if (split.readers < 2 || file.gzip || file.size === undefined || file.size < (split.minBytes ?? SPLIT_MIN_BYTES) || (split.accepts && !split.accepts(file))) return false;
  const buffer = await file.buffer();
  const base = { dimensions: aggregator.dimensions, optionalDimensions: aggregator.optional };
  let jobs: SegmentJob[];
  if (file.format === 'csv') {
    const plan = await planCsv(buffer, split);
    if (!plan) return false;
    // The header is checked once, here: a missing column is reported before any part is read.
    await readCsv(partStream(buffer, plan.header, 0, 0), {
      file: file.name,
      onHeader: (header) => (aggregator.beginColumnarFile(file.name, header), { keys: [], amounts: [] }),
      onBatch: () => undefined,
    });
    const { header, starts } = plan;
    jobs = starts.map((start, i) => ({ format: 'csv', start, end: starts[i + 1] ?? buffer.byteLength, header, guessedEnd: i + 1 < starts.length, ...base }));
  } else {
    const groups = (await parquetMetadataAsync(buffer)).row_groups.length;
    const parts = Math.min(split.readers, groups);
    if (parts < 2) return false;
    jobs = Array.from({ length: parts }, (_, i) => ({ format: 'parquet', start: Math.floor((i * groups) / parts), end: Math.floor(((i + 1) * groups) / parts), ...base }));
  }

  const controller = new AbortController();
  const stop = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', stop);
  const bytes = jobs.map(() => 0);
  const rows = jobs.map(() => 0);
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const run = (job: SegmentJob, slot: number) => {
    const progress = (n: number, r: number) => {
      bytes[slot] = n;
      rows[slot] = r;
      onProgress(sum(bytes), sum(rows));
    };
    const result = split.run(file, job, progress, controller.signal);
    result.catch(() => undefined); // a part whose result is not waited for (thrown away, or after an error) fails quietly
    return result;
  };
  const running = jobs.map(run);
  try {
    let recordsBefore = 0;
    for (let i = 0; i < jobs.length; i++) {
      let job = jobs[i];
      let result = await running[i];
      while (result.endedInQuotes && i + 1 < jobs.length) {
        bytes[i] = rows[i] = 0; // read again, with the next part, in the next one's place
        i++;
        job = { ...job, end: jobs[i].end, guessedEnd: i + 1 < jobs.length };
        result = await run(job, i);
      }
      if (result.error) {
        const { row, column, reason } = result.error;
        throw new IngestError(file.name, row === undefined ? undefined : row + recordsBefore, column, reason);
      }
      aggregator.mergePartialSums(result.groups, result.rowsRead);
      recordsBefore += result.records;
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    controller.abort();
  }
  return true;
}
