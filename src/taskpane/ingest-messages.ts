/** The messages between the task pane and its ingest worker. */
import type { IngestProgress, IngestResult } from '../core/ingest';

export interface IngestRequest {
  files: File[];
  dimensions: string[];
}

export type IngestResponse =
  | { type: 'progress'; progress: IngestProgress }
  | { type: 'done'; result: IngestResult }
  | { type: 'error'; message: string };
