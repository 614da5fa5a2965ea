/**
 * Large picked files read by several Web Workers at once (src/core/ingest-split.ts): the ingest
 * worker starts one part worker per core for each CSV or Parquet file of 16 MB and more, as the
 * command line does with worker threads. Cancel terminates the ingest worker, and with it these.
 */
import type { CostFile } from '../core/ingest';
import type { FileSplit, SegmentJob, SegmentResult } from '../core/ingest-split';

/** Smaller files are read whole: starting workers costs more than it saves. */
const PANE_SPLIT_MIN_BYTES = 16 * 1024 * 1024;

export interface PartRequest {
  name: string;
  blob: Blob;
  job: SegmentJob;
}

export type PartResponse = { type: 'bytes'; bytes: number; rows: number } | { type: 'done'; result: SegmentResult } | { type: 'error'; message: string };

/** Splits the given picked files (each CostFile with the Blob it reads) across Web Workers; undefined on one core. */
export function webWorkerSplit(blobs: ReadonlyMap<CostFile, Blob>, readers = globalThis.navigator?.hardwareConcurrency ?? 1): FileSplit | undefined {
  if (readers < 2 || typeof Worker === 'undefined') return undefined;
  return {
    readers,
    minBytes: PANE_SPLIT_MIN_BYTES,
    accepts: (file) => blobs.has(file),
    run: (file, job, onProgress, signal) =>
      new Promise<SegmentResult>((resolve, reject) => {
        const worker = new Worker(new URL('./ingest-part.worker.ts', import.meta.url));
        const finish = () => {
          signal.removeEventListener('abort', cancel);
          worker.terminate();
        };
        const cancel = () => {
          finish();
          reject(new Error('cancelled'));
        };
        signal.addEventListener('abort', cancel);
        worker.onmessage = (event: MessageEvent<PartResponse>) => {
          const message = event.data;
          if (message.type === 'bytes') return onProgress(message.bytes, message.rows);
          finish();
          if (message.type === 'done') resolve(message.result);
          else reject(new Error(message.message));
        };
        worker.onerror = (event) => {
          finish();
          reject(new Error(event.message || 'a part of the file could not be read'));
        };
        worker.postMessage({ name: file.name, blob: blobs.get(file)!, job } satisfies PartRequest);
      }),
  };
}
