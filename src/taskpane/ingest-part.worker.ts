/// <reference lib="webworker" />
/** One part of a large picked file (ingest-parts.ts): read and summed here, the sums posted back. */
import { readSegment } from '../core/ingest-split';
import { costFileFromBlob } from '../sources/browser-files';
import type { PartRequest, PartResponse } from './ingest-parts';

const post = (message: PartResponse) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(message);

self.onmessage = async (event: MessageEvent<PartRequest>) => {
  const { name, blob, job } = event.data;
  try {
    post({ type: 'done', result: await readSegment(costFileFromBlob(name, blob), job, (bytes, rows) => post({ type: 'bytes', bytes, rows })) });
  } catch (error) {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};
