/**
 * The harness page: the same App, with an in-memory workbook standing in for Excel, so the task
 * pane can be clicked through in a browser without Office. Tests read the workbook through
 * `window.__harness`. Two stand-ins: ExcelJS (the command line's host), and, with `?host=office`,
 * the real Office.js gateway over the strict in-memory Excel the gateway's tests use
 * (test/workbook/fake-excel.ts), so the pane's code runs through the gateway Excel runs it through.
 */
import { createRoot } from 'react-dom/client';
import type { RuleProblem } from '../core/rules';
import { BlobShare } from '../shares/blob-share';
import { ExcelJsGateway } from '../workbook/exceljs-gateway';
import type { TableData, TableSpec, WorkbookGateway } from '../workbook/gateway';
import { OfficeGateway } from '../workbook/office-gateway';
import { reopenWorkbook } from '../workbook/approval';
import { FakeExcel } from '../../test/workbook/fake-excel';
import { FakeDocumentSettings } from '../../test/workbook/fake-document-settings';
import { officeDocumentSettings } from './document-settings';
import { App } from './App';
import type { TaskPaneHost } from './host';
import { ingestInWorker } from './ingest-client';
import { signedInUser, TokenClient } from './identity';
import { loadPaneConfig } from './pane-config';
import { REVIEWER_KEY, storedReviewerName } from './reviewer';
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
  /** Which stand-in for Excel the page runs on. */
  host: 'exceljs' | 'office';
  /** With the Office.js gateway: the requests (syncs) it has made so far. */
  syncs(): number;
  /** The pane is closed and opened again, as Excel's shared runtime does (the page lives on). */
  showAgain(): void;
  /** Someone else reopens the period (another pane, or the command line on the same file). */
  reopenElsewhere(by: string, why: string): Promise<void>;
  /** Each sign-in to Azure Resource Manager the Budgets step asked for: where, with which app registration. */
  azureSignIns: { endpoint: string; clientId: string; authority?: string }[];
}

declare global {
  interface Window {
    __harness: Harness;
  }
}

const officeHost = new URLSearchParams(window.location.search).get('host') === 'office';
const excelJs = new ExcelJsGateway();
const fakeExcel = officeHost ? new FakeExcel() : undefined;
const office = fakeExcel ? new OfficeGateway({ run: fakeExcel.run }) : undefined;
const gateway: WorkbookGateway = office ?? excelJs;

/** The workbook as .xlsx: ExcelJS's own, or the Office workbook's tables copied into one. */
async function workbookBytes(): Promise<Uint8Array> {
  if (!office) return excelJs.toBytes();
  const names = (await office.tableNames()).filter((name) => !name.startsWith('CB'));
  const tables = await office.readTables(names);
  const copy = new ExcelJsGateway();
  await copy.writeTables(
    [...tables.entries()].flatMap(([name, table]) => (table ? [{ name, columns: table.headers.map((header) => ({ header })), rows: table.rows }] : [])),
  );
  return copy.toBytes();
}
const shownListeners = new Set<() => void>();
const selected: Harness['selected'] = [];
const selectedRanges: string[] = [];
const names = new Map<string, string>();
const azureSignIns: Harness['azureSignIns'] = [];
/**
 * Who is signed in, as `?identity=` says: absent, nobody (as in Excel without an app registration)
 * and the name "harness user" typed before on this computer; `none`, nobody and no name yet;
 * `fail`, the identity provider refuses (as Entra ID does with no session); an address, the
 * identity provider names that user. The last two go through the pane's real signedInUser.
 */
const identity = new URLSearchParams(window.location.search).get('identity');
if (identity === null) names.set(REVIEWER_KEY, 'harness user');
const identityProvider: TokenClient = {
  acquireTokenSilent: async () => {
    if (identity === 'fail') throw new Error('AADSTS50058: a silent sign-in request was sent but no user is signed in');
    return { account: { username: identity ?? '', name: identity?.split('@')[0].replace(/^./, (c) => c.toUpperCase()) } };
  },
};
const reviewer = storedReviewerName(
  { getItem: (key) => names.get(key) ?? null, setItem: (key, value) => void names.set(key, value) },
  async () => (identity === null || identity === 'none' ? undefined : signedInUser(identityProvider)),
);
const host: TaskPaneHost = {
  gateway,
  // chargeback.config.json beside the page, as in Excel (the tests serve one, or none).
  loadConfig: (() => {
    const loaded = loadPaneConfig(window.location.href);
    return () => loaded;
  })(),
  ingest: ingestInWorker,
  loadSample: () => fetchSample(),
  selectCell: async (table, row, column) => {
    selected.push({ table: table as RuleProblem['table'], row, column });
    await office?.selectCell(table, row, column);
  },
  selectRange: async (where) => {
    selectedRanges.push(where);
    await office?.selectRange(where);
  },
  reviewer,
  workbookBytes,
  onShown: (listener) => {
    shownListeners.add(listener);
    return () => void shownListeners.delete(listener);
  },
  // Publishing from the harness goes to a Blob container only: SharePoint needs Office to sign in.
  openShare: async (choice) => {
    if (choice.kind !== 'blob') throw new Error('the harness publishes to an Azure Blob container only (SharePoint needs Excel to sign in)');
    return new BlobShare(choice.containerUrl);
  },
  // The harness has no Azure sign-in: it records what was asked for and sends this token, which only
  // the tests' local budgets server accepts.
  azureToken: async (endpoint, clientId, authority) => {
    azureSignIns.push({ endpoint, clientId, authority });
    return async () => 'harness-token';
  },
  // Likewise for a FinOps hub: the tests' local hub takes this token. Its retries wait 50 ms, not seconds.
  hubToken: async () => async () => 'harness-token',
  hubFirstRetryMs: 50,
  // Office's document settings, kept in sessionStorage: it outlives a reload, as a workbook outlives its pane.
  documentSettings: officeDocumentSettings(new FakeDocumentSettings(window.sessionStorage)),
};

window.__harness = {
  tableNames: () => gateway.tableNames(),
  readTable: (name) => gateway.readTable(name),
  writeTables: (tables) => gateway.writeTables(tables),
  selected,
  selectedRanges,
  editCell: async (sheet, address, value) => {
    if (fakeExcel) return fakeExcel.typeInto(sheet, address, value);
    const worksheet = excelJs.workbook.getWorksheet(sheet);
    if (!worksheet) throw new Error(`no sheet ${sheet}`);
    worksheet.getCell(address).value = value;
  },
  host: office ? 'office' : 'exceljs',
  syncs: () => office?.accounting.syncs ?? 0,
  showAgain: () => shownListeners.forEach((listener) => listener()),
  reopenElsewhere: async (by, why) => void (await reopenWorkbook(gateway, { user: by }, why)),
  azureSignIns,
  xlsxBase64: async () => {
    const bytes = await workbookBytes();
    let text = '';
    for (const byte of bytes) text += String.fromCharCode(byte);
    return btoa(text);
  },
};

createRoot(document.getElementById('root')!).render(<App host={host} />);
