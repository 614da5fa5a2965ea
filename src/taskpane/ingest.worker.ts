/// <reference lib="webworker" />
/**
 * Parses the picked FOCUS files off the UI thread: the task pane stays responsive on exports of
 * millions of rows, and Cancel stops the work at once (the page terminates this worker).
 */
import { ingestFocus, IngestProgress } from '../core/ingest';
import { costFileFromBlob } from '../sources/browser-files';
import type { IngestRequest, IngestResponse } from './ingest-messages';

const post = (message: IngestResponse) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(message);

self.onmessage = async (event: MessageEvent<IngestRequest>) => {
  const { files, dimensions } = event.data;
  let last = 0;
  const onProgress = (progress: IngestProgress) => {
    const now = Date.now();
    if (now - last < 100) return; // at most ten updates a second
    last = now;
    post({ type: 'progress', progress });
  };
  try {
    const result = await ingestFocus(
      files.map((file) => costFileFromBlob(file.name, file)),
      { dimensions, onProgress },
    );
    post({ type: 'done', result });
  } catch (error) {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};
