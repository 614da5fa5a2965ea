/**
 * What the task pane needs from where it runs, injected as props (the host is Excel through
 * Office.js, or the browser harness with an in-memory ExcelJS workbook). The components never
 * touch Office.js themselves, so the same App renders and is tested without Excel.
 */
import type { IngestProgress, IngestResult } from '../core/ingest';
import type { RuleTables } from '../core/rules';
import type { WorkbookGateway } from '../workbook/gateway';
import type { CostGrain } from '../workbook/steps';
import type { Share } from '../shares/share';
import type { ShareChoice } from './shares';
import type { IngestSource } from './ingest-messages';
import type { SignedInUser } from './identity';
import type { LoadedPaneConfig } from './pane-config';
import type { DocumentSettings } from './document-settings';

export interface IngestJob {
  result: Promise<IngestResult>;
  /** Stops parsing at once; `result` rejects with an IngestCancelled. */
  cancel(): void;
}

export class IngestCancelled extends Error {
  constructor() {
    super('cancelled: nothing was written to the workbook');
    this.name = 'IngestCancelled';
  }
}

export interface SampleData {
  files: File[];
  rules: RuleTables;
}

export interface TaskPaneHost {
  gateway: WorkbookGateway;
  /** Parses FOCUS files, or the export runs under an Azure Blob URL, off the UI thread, reporting progress. */
  ingest(source: IngestSource, grain: CostGrain, onProgress: (progress: IngestProgress) => void): IngestJob;
  /** The bundled sample: FOCUS files and its rules. */
  loadSample(): Promise<SampleData>;
  /** Selects a cell of a table in the workbook, for the links beside rule problems. */
  selectCell(table: string, row: number, column?: string): Promise<void>;
  /** The workbook as .xlsx bytes, for the published copy (Office hands it over in slices). */
  workbookBytes?(): Promise<Uint8Array>;
  /** Opens the share the Publish step writes to (signing in where needed). */
  openShare?(choice: ShareChoice): Promise<Share>;
  /** Selects what a review check points at: `Sheet!A17`, or a table or sheet by name. */
  selectRange(where: string): Promise<void>;
  /**
   * Calls `listener` each time the pane is shown again. In Excel's shared runtime the page lives on
   * while the pane is closed, so what it showed (the review, the lock) may be stale by then.
   * Returns a function that stops listening.
   */
  onShown?(listener: () => void): () => void;
  /** Who is at the keyboard: the signed-in user where the identity provider says, else the name typed last time here. */
  reviewer: ReviewerName;
  /** The admin's chargeback.config.json beside the pane (client id, tenant, default share). */
  loadConfig?(): Promise<LoadedPaneConfig>;
  /** Signs in to Azure Resource Manager at `endpoint` for the Budgets step, with the app registration `clientId` at `authority`: a token source. */
  azureToken?(endpoint: string, clientId: string, authority?: string): Promise<() => Promise<string>>;
  /** Signs in to a FinOps hub's cluster (`https://CLUSTER/.default`) for the Data step, at `authority` (the admin's tenant): a token source. */
  hubToken?(clusterUrl: string, clientId: string | undefined, authority?: string): Promise<() => Promise<string>>;
  /** The first wait before retrying a throttled hub query, in ms (doubled each time; 2 s unless said). */
  hubFirstRetryMs?: number;
  /** Choices kept in the workbook itself (Office's document settings): the hub's cluster URL. */
  documentSettings?: DocumentSettings;
}

export interface ReviewerName {
  /**
   * The signed-in user, from the identity provider; undefined where none can be asked (no client id
   * configured, an Excel without nested app authentication). Rejects when the provider fails.
   */
  signedIn(): Promise<SignedInUser | undefined>;
  /** The name typed last time on this computer ('' if none). */
  remembered(): string;
  remember(name: string): void;
}
