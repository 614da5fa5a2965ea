/**
 * A worker thread of the command line's ingest: reads one part of a local FOCUS file (ingest-split.ts)
 * and posts back its group sums. Started by ingest-workers.ts, one per part.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readSegment, SegmentJob } from '../core/ingest-split';
import { costFileFromPath } from './node-files';

const { name, size, job } = workerData as { name: string; size: number; job: SegmentJob };
const port = parentPort!;
readSegment(costFileFromPath(name, size), job, (bytes, rows) => port.postMessage({ bytes, rows }))
  .then((result) => port.postMessage({ result }))
  .catch((error: unknown) => port.postMessage({ failure: (error as Error)?.message ?? String(error) }));
