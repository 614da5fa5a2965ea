/**
 * Ingest: FOCUS files (CSV, gzip CSV, Parquet) are read as streams and summed while reading into
 * cost lines at allocation grain (aggregate.ts), so memory grows with the number of distinct cost
 * lines, not with the number of rows. Uses only web-standard APIs, so the task pane's worker runs
 * this same code on a `File`.
 */
import { CostAggregator } from './aggregate';
import type { CostFile } from './cost-file';
import { CostLine } from './costs';
import { IngestError } from './ingest-error';
import { ingestCsv, ingestParquet } from './ingest-readers';
import { FileSplit, ingestSplit } from './ingest-split';
import { parseExact } from './money';

export { CostAggregator } from './aggregate';
export { IngestError } from './ingest-error';
export { parquetRowsOption } from './ingest-readers';
export type { CostFile } from './cost-file';
export type { FileSplit } from './ingest-split';

export interface IngestProgress {
  file: string;
  fileIndex: number;
  fileCount: number;
  rowsRead: number;
  bytesRead: number;
  /** Total bytes of all files, when every size is known. */
  totalBytes?: number;
}

export interface IngestOptions {
  /** Rule dimensions to keep (FOCUS columns, `x_` columns, `Tag:<key>`). */
  dimensions: readonly string[];
  /** Dimensions a file may lack (read as empty): see optionalGrainDimensions. */
  optionalDimensions?: readonly string[];
  onProgress?: (progress: IngestProgress) => void;
  signal?: AbortSignal;
  /** Read large files with several readers at once (ingest-split.ts); without it, one reader. */
  split?: FileSplit;
}

export interface IngestResult {
  lines: CostLine[];
  rowsRead: number;
  files: { name: string; rows: number }[];
  dimensions: string[];
}

/** Reads every file and returns the cost lines at allocation grain. */
export async function ingestFocus(files: readonly CostFile[], options: IngestOptions): Promise<IngestResult> {
  const aggregator = new CostAggregator(options.dimensions, options.optionalDimensions);
  const perFile: { name: string; rows: number }[] = [];
  const totalBytes = files.every((f) => f.size !== undefined) ? files.reduce((a, f) => a + (f.size ?? 0), 0) : undefined;
  let bytesBefore = 0;
  for (const [fileIndex, file] of files.entries()) {
    const before = aggregator.rowsRead;
    let bytesRead = 0;
    // rows summed by a split file's parts, not yet merged into the aggregator's count
    let partRows = 0;
    const report = () =>
      options.onProgress?.({ file: file.name, fileIndex, fileCount: files.length, rowsRead: Math.max(aggregator.rowsRead, before + partRows), bytesRead: bytesBefore + bytesRead, totalBytes });
    const onBytes = (bytes: number) => {
      bytesRead = bytes;
      report();
    };
    const onParts = (bytes: number, rows: number) => {
      partRows = rows;
      onBytes(bytes);
    };
    try {
      const split = options.split !== undefined && (await ingestSplit(file, aggregator, options.split, options.signal, onParts));
      if (split) {
        // read by several readers: the rows are now the aggregator's (the parts' counts included blank lines)
        partRows = 0;
        report();
      } else if (file.format === 'parquet') await ingestParquet(file, aggregator, options.signal, onBytes);
      else await ingestCsv(file, aggregator, options.signal, onBytes);
    } catch (error) {
      if (error instanceof IngestError || options.signal?.aborted) throw error;
      throw new IngestError(file.name, undefined, undefined, `the file could not be read: ${(error as Error).message ?? error}`);
    }
    bytesBefore += file.size ?? bytesRead;
    perFile.push({ name: file.name, rows: aggregator.rowsRead - before });
  }
  return { lines: aggregator.lines(), rowsRead: aggregator.rowsRead, files: perFile, dimensions: [...options.dimensions] };
}

/** Exposed for tests of the exact parser on FOCUS-style text. */
export const parseCost = parseExact;
