/**
 * The harness page: the same App, with an in-memory ExcelJS workbook standing in for Excel, so
 * the task pane can be clicked through in a browser without Office. Tests read the workbook
 * through `window.__harness`.
 */
import { createRoot } from 'react-dom/client';
import type { RuleProblem } from '../core/rules';
import { BlobShare } from '../shares/blob-share';
import { ExcelJsGateway } from '../workbook/exceljs-gateway';
import type { TableData, TableSpec } from '../workbook/gateway';
import { App } from './App';
import type { TaskPaneHost } from './host';
import { ingestInWorker } from './ingest-client';
import { storedReviewerName } from './reviewer';
import { fetchSample } from './sample';

export interface Harness {
  tableNames(): Promise<string[]>;
  readTable(name: string): Promise<TableData | undefined>;
  /** Writes tables as a user editing the workbook would (to give the pane broken rules, say). */
  writeTables(tables: TableSpec[]): Promise<void>;
  /** The cells the rule-problem links selected, in order. */
  selected: Pick<RuleProblem, 'table' | 'row' | 'column'>[];
  /** What the review-check links selected (`Allocation!A17`, `Reconciliation`), in order. */
  selectedRanges: string[];
  /** Types a value into a cell, as a user editing the workbook would (`Costs`, `J2`, 1.23). */
  editCell(sheet: string, address: string, value: string | number): Promise<void>;
  /** The workbook as .xlsx bytes (base64), to open it in Excel or ExcelJS. */
  xlsxBase64(): Promise<string>;
}

declare global {
  interface Window {
    __harness: Harness;
  }
}

const gateway = new ExcelJsGateway();
const selected: Harness['selected'] = [];
const selectedRanges: string[] = [];
const names = new Map<string, string>();
// Like Office without single sign-on: no signed-in name; the reviewer types one, kept for this page.
const reviewer = storedReviewerName({ getItem: (key) => names.get(key) ?? null, setItem: (key, value) => void names.set(key, value) });
const host: TaskPaneHost = {
  gateway,
  get user() {
    return reviewer.remembered() || 'harness user';
  },
  ingest: ingestInWorker,
  loadSample: () => fetchSample(),
  selectCell: async (table, row, column) => {
    selected.push({ table: table as RuleProblem['table'], row, column });
  },
  selectRange: async (where) => {
    selectedRanges.push(where);
  },
  reviewer,
  workbookBytes: () => gateway.toBytes(),
  // Publishing from the harness goes to a Blob container only: SharePoint needs Office to sign in.
  openShare: async (choice) => {
    if (choice.kind !== 'blob') throw new Error('the harness publishes to an Azure Blob container only (SharePoint needs Excel to sign in)');
    return new BlobShare(choice.containerUrl);
  },
  // The harness has no Azure sign-in: it sends this token, which only the tests' local budgets server accepts.
  azureToken: async () => async () => 'harness-token',
};

window.__harness = {
  tableNames: () => gateway.tableNames(),
  readTable: (name) => gateway.readTable(name),
  writeTables: (tables) => gateway.writeTables(tables),
  selected,
  selectedRanges,
  editCell: async (sheet, address, value) => {
    const worksheet = gateway.workbook.getWorksheet(sheet);
    if (!worksheet) throw new Error(`no sheet ${sheet}`);
    worksheet.getCell(address).value = value;
  },
  xlsxBase64: async () => {
    const bytes = await gateway.toBytes();
    let text = '';
    for (const byte of bytes) text += String.fromCharCode(byte);
    return btoa(text);
  },
};

createRoot(document.getElementById('root')!).render(<App host={host} />);
