/// <reference lib="webworker" />
/**
 * Parses FOCUS data off the UI thread: the task pane stays responsive on exports of millions of
 * rows, and Cancel stops the work at once (the page terminates this worker). It reads picked files,
 * or the newest Cost Management export runs under an Azure Blob URL, and then checks the rows read
 * against the export manifests.
 */
import type { IngestProgress } from '../core/ingest';
import { redactSecrets } from '../shares/share';
import type { IngestRequest, IngestResponse } from './ingest-messages';
import { ingestSource } from './ingest-source';

const post = (message: IngestResponse) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(message);

function sasOf(url: string): string {
  try {
    return new URL(url).search.slice(1);
  } catch {
    return '';
  }
}

self.onmessage = async (event: MessageEvent<IngestRequest>) => {
  const { source, grain } = event.data;
  let last = 0;
  const onProgress = (progress: IngestProgress) => {
    const now = Date.now();
    if (now - last < 100) return; // at most ten updates a second
    last = now;
    post({ type: 'progress', progress });
  };
  try {
    const result = await ingestSource(source, grain, onProgress);
    post({ type: 'done', result });
  } catch (error) {
    // The azure source redacts its own messages; this is the net under anything it did not make.
    const message = error instanceof Error ? error.message : String(error);
    post({ type: 'error', message: source.kind === 'azure' ? redactSecrets(message, [sasOf(source.url)]) : message });
  }
};
