/** Starts the ingest worker on picked files or an Azure export URL; both hosts (Excel and the harness) use it. */
import type { IngestProgress, IngestResult } from '../core/ingest';
import type { CostGrain } from '../workbook/steps';
import { IngestCancelled, IngestJob } from './host';
import type { IngestRequest, IngestResponse, IngestSource } from './ingest-messages';

export function ingestInWorker(source: IngestSource, grain: CostGrain, onProgress: (progress: IngestProgress) => void): IngestJob {
  const worker = new Worker(new URL('./ingest.worker.ts', import.meta.url));
  let settle: { resolve: (r: IngestResult) => void; reject: (e: Error) => void } | undefined;
  const result = new Promise<IngestResult>((resolve, reject) => (settle = { resolve, reject }));
  worker.onmessage = (event: MessageEvent<IngestResponse>) => {
    const message = event.data;
    if (message.type === 'progress') onProgress(message.progress);
    else {
      worker.terminate();
      if (message.type === 'done') settle?.resolve(message.result);
      else settle?.reject(new Error(message.message));
    }
  };
  worker.onerror = (event) => {
    worker.terminate();
    settle?.reject(new Error(`the file reader stopped: ${event.message}`));
  };
  const request: IngestRequest = { source, grain };
  worker.postMessage(request);
  return {
    result,
    cancel: () => {
      worker.terminate();
      settle?.reject(new IngestCancelled());
    },
  };
}
