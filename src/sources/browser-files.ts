/**
 * FOCUS files the user picked in the task pane (browser `File` objects), read as streams so a
 * large export never sits in memory whole.
 */
import type { AsyncBuffer } from 'hyparquet';
import { CostFile } from '../core/ingest';
import { costFileFormat } from './format';

export class UnsupportedFileError extends Error {}

export function costFileFromBlob(name: string, blob: Blob): CostFile {
  const kind = costFileFormat(name);
  if (!kind) throw new UnsupportedFileError(`${name}: not a FOCUS export (expected .csv, .csv.gz or .parquet)`);
  return {
    name,
    ...kind,
    size: blob.size,
    stream: () => blob.stream() as ReadableStream<Uint8Array>,
    buffer: async (): Promise<AsyncBuffer> => ({
      byteLength: blob.size,
      slice: (start: number, end?: number) => blob.slice(start, end).arrayBuffer(),
    }),
  };
}
