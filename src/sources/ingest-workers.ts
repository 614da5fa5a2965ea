/**
 * Large local FOCUS files read by several worker threads at once (src/core/ingest-split.ts), one
 * part per core by default. `CHARGEBACK_INGEST_WORKERS=1` reads every file with one reader.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FileSplit, SegmentResult } from '../core/ingest-split';

/** The worker's script: beside this bundle (dist/), or the built one when running from source (tests). */
function workerScript(): string | undefined {
  return [path.join(__dirname, 'ingest-worker.cjs'), path.join(__dirname, '..', '..', 'dist', 'ingest-worker.cjs')].find((file) => existsSync(file));
}

/** How many readers a file is split into: CHARGEBACK_INGEST_WORKERS when set, else the number of cores. */
export function ingestWorkerCount(env: NodeJS.ProcessEnv = process.env): number {
  const set = env.CHARGEBACK_INGEST_WORKERS;
  if (set !== undefined && set !== '') {
    const count = Number(set);
    if (!Number.isSafeInteger(count) || count < 1) throw new Error(`CHARGEBACK_INGEST_WORKERS must be a whole number of at least 1, not ${JSON.stringify(set)}`);
    return count;
  }
  return availableParallelism();
}

/** Splits large local files across `readers` worker threads; undefined when there is one reader or no worker script. */
export function workerSplit(readers = ingestWorkerCount(), minBytes?: number): FileSplit | undefined {
  const script = workerScript();
  if (readers < 2 || !script) return undefined;
  return {
    readers,
    minBytes,
    // a worker opens the file by its path: local files only (not Azure blobs)
    accepts: (file) => file.size !== undefined && !/^[a-z][a-z0-9+.-]*:\/\//i.test(file.name) && existsSync(file.name),
    run: (file, job, onProgress, signal) =>
      new Promise<SegmentResult>((resolve, reject) => {
        const worker = new Worker(script, { workerData: { name: file.name, size: file.size, job } });
        const stop = () => void worker.terminate();
        signal.addEventListener('abort', stop, { once: true });
        worker.on('message', (message: { bytes?: number; rows?: number; result?: SegmentResult; failure?: string }) => {
          if (message.bytes !== undefined) onProgress(message.bytes, message.rows ?? 0);
          else {
            if (message.result) resolve(message.result);
            else reject(new Error(message.failure));
            stop();
          }
        });
        worker.on('error', reject);
        worker.on('exit', (code) => {
          signal.removeEventListener('abort', stop);
          reject(new Error(signal.aborted ? 'cancelled' : `an ingest worker stopped (exit code ${code})`));
        });
      }),
  };
}
