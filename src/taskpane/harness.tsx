/**
 * The harness page: the same App, with an in-memory ExcelJS workbook standing in for Excel, so
 * the task pane can be clicked through in a browser without Office. Tests read the workbook
 * through `window.__harness`.
 */
import { createRoot } from 'react-dom/client';
import type { RuleProblem } from '../core/rules';
import { BlobShare } from '../shares/blob-share';
import { approveWorkbook } from '../workbook/approval';
import { ExcelJsGateway } from '../workbook/exceljs-gateway';
import type { TableData, TableSpec } from '../workbook/gateway';
import { App } from './App';
import type { TaskPaneHost } from './host';
import { ingestInWorker } from './ingest-client';
import { fetchSample } from './sample';

export interface Harness {
  tableNames(): Promise<string[]>;
  readTable(name: string): Promise<TableData | undefined>;
  /** Writes tables as a user editing the workbook would (to give the pane broken rules, say). */
  writeTables(tables: TableSpec[]): Promise<void>;
  /** The cells the rule-problem links selected, in order. */
  selected: Pick<RuleProblem, 'table' | 'row' | 'column'>[];
  /** The workbook as .xlsx bytes (base64), to open it in Excel or ExcelJS. */
  xlsxBase64(): Promise<string>;
  /** Approves the allocated period as the harness user would; returns the approval status. */
  approve(): Promise<string>;
}

declare global {
  interface Window {
    __harness: Harness;
  }
}

const gateway = new ExcelJsGateway();
const selected: Harness['selected'] = [];
const host: TaskPaneHost = {
  gateway,
  user: 'harness user',
  ingest: ingestInWorker,
  loadSample: () => fetchSample(),
  selectCell: async (table, row, column) => {
    selected.push({ table: table as RuleProblem['table'], row, column });
  },
  workbookBytes: () => gateway.toBytes(),
  // Publishing from the harness goes to a Blob container only: SharePoint needs Office to sign in.
  openShare: async (choice) => {
    if (choice.kind !== 'blob') throw new Error('the harness publishes to an Azure Blob container only (SharePoint needs Excel to sign in)');
    return new BlobShare(choice.containerUrl);
  },
};

window.__harness = {
  tableNames: () => gateway.tableNames(),
  readTable: (name) => gateway.readTable(name),
  writeTables: (tables) => gateway.writeTables(tables),
  selected,
  xlsxBase64: async () => {
    const bytes = await gateway.toBytes();
    let text = '';
    for (const byte of bytes) text += String.fromCharCode(byte);
    return btoa(text);
  },
  approve: async () => (await approveWorkbook(gateway, { user: host.user })).state.status,
};

createRoot(document.getElementById('root')!).render(<App host={host} />);
