/**
 * A FOCUS file as the ingest reads it, wherever it lives. Its own module so that the ingest and its
 * readers both use it without importing each other.
 */
import type { AsyncBuffer } from 'hyparquet';

/** One FOCUS file, wherever it lives (disk, browser File, Azure blob). */
export interface CostFile {
  /** Shown in errors and progress: a path, file name or blob name. */
  name: string;
  format: 'csv' | 'parquet';
  /** gzip-compressed CSV (`.csv.gz`) */
  gzip?: boolean;
  /** Size in bytes when known, for progress. */
  size?: number;
  /** The file's bytes as a stream (CSV). */
  stream(): ReadableStream<Uint8Array>;
  /** Random access to the bytes (Parquet). */
  buffer(): Promise<AsyncBuffer>;
}
