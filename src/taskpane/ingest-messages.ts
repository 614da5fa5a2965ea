/** The messages between the task pane and its ingest worker. */
import type { IngestProgress, IngestResult } from '../core/ingest';
import type { CostGrain } from '../workbook/steps';

/**
 * What to read: files the user picked, or a Cost Management export folder in Azure Blob Storage
 * (a container or folder URL with a SAS; the worker reads it and keeps the SAS to itself).
 */
export type IngestSource = { kind: 'files'; files: File[] } | { kind: 'azure'; url: string; /** `YYYY-MM`: read only this billing period's newest run. */ period?: string };

export interface IngestRequest {
  source: IngestSource;
  /** The same grain the command line reads with: required and optional dimensions. */
  grain: CostGrain;
}

export type IngestResponse =
  | { type: 'progress'; progress: IngestProgress }
  | { type: 'done'; result: IngestResult }
  | { type: 'error'; message: string };
