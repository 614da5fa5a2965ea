/// <reference types="office-js" />
/**
 * The workbook gateway over Office.js: the task pane's host inside Excel (desktop and web).
 *
 * Reads: one request to see which tables exist, one for the small tables whole (and the first and
 * last rows of the large ones, to measure them), then the large tables in requests sized from the
 * bytes measured, under Excel on the web's 5 MB limit. Writes: one unit of work per step, in place
 * (office-commit.ts). Every `context.sync()` goes through `sync`, so tests and the benchmark count
 * requests and their bytes.
 */
import { CellValue, GatewayBase, TableData, WorkbookChange } from './gateway';
import { parseWhere } from './layout';
import { commitChange } from './office-commit';
import { isPayloadTooLarge } from './office-errors';
import { DEFAULT_CHUNK_BYTES, rowPayloadBytes } from './write-plan';

export { planWriteRequests } from './office-commit';
export type { WriteRequestPlan } from './office-commit';

/** `Excel.run`, injectable so tests can hand in a mock context. */
export type ExcelRun = <T>(batch: (context: Excel.RequestContext) => Promise<T>) => Promise<T>;

/** What the gateway sent to Excel: every `context.sync()` and the bytes of cell data it carried. */
export interface SyncAccounting {
  syncs: number;
  /** Cell-data bytes (UTF-8 JSON of values and formulas) of each sync, in order. */
  requestBytes: number[];
  largestRequestBytes: number;
  /** Cell data Excel sent back for one sync (reads), at the most: the 5 MB limit applies both ways. */
  largestResponseBytes: number;
}

export function newAccounting(): SyncAccounting {
  return { syncs: 0, requestBytes: [], largestRequestBytes: 0, largestResponseBytes: 0 };
}

export interface OfficeGatewayOptions {
  run?: ExcelRun;
  /** Budget of cell data per request; the default is half of the 5 MB limit. */
  requestBytes?: number;
  accounting?: SyncAccounting;
}

/** Tables that grow with the cost data: read in measured chunks. Every other table is read whole. */
const LARGE_TABLES = new Set(['costs', 'allocation']);
/** Rows below a small table looked at for rows typed outside it. */
const ROWS_BELOW = 100;
/** Room left for rows longer than the ones measured. */
const SAFETY = 1.5;

const isBlank = (row: readonly CellValue[]) => row.every((cell) => cell === null || cell === '');

function plainCell(value: unknown): CellValue {
  if (value === undefined || value === null || value === '') return value === '' ? '' : null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}

const bytesOf = (rows: readonly CellValue[][]) => rows.reduce((a, row) => a + rowPayloadBytes(row), 2);

/** What the first read request asks of a table, or of a sheet without one. */
type Asked =
  | { kind: 'table'; name: string; sheet: Excel.Worksheet; header: Excel.Range; body: Excel.Range; small: boolean; whole: Excel.Range; below?: Excel.Range; probes: Excel.Range[] }
  | { kind: 'sheet'; name: string; sheet: Excel.Worksheet; used: Excel.Range; small: boolean };

/** One table being read: what the first read request learnt, and the rows still to read in chunks. */
interface TableRead {
  name: string;
  headers: string[];
  rows: CellValue[][];
  rowsBelow?: TableData['rowsBelow'];
  /** Worksheet and position of rows still to read. */
  pending?: { sheet: Excel.Worksheet; top: number; left: number; count: number; columns: number; perRow: number };
}

export class OfficeGateway extends GatewayBase {
  readonly accounting: SyncAccounting;
  private readonly run: ExcelRun;
  private readonly budget: number;

  constructor(options: OfficeGatewayOptions = {}) {
    super();
    this.run = options.run ?? ((batch) => Excel.run(batch));
    this.budget = options.requestBytes ?? DEFAULT_CHUNK_BYTES;
    this.accounting = options.accounting ?? newAccounting();
  }

  /** Every sync goes through here, so the accounting sees each request and its cell data. */
  private async sync(context: Excel.RequestContext, bytes = 0): Promise<void> {
    this.accounting.syncs++;
    this.accounting.requestBytes.push(bytes);
    this.accounting.largestRequestBytes = Math.max(this.accounting.largestRequestBytes, bytes);
    await context.sync();
  }

  private received(bytes: number): void {
    this.accounting.largestResponseBytes = Math.max(this.accounting.largestResponseBytes, bytes);
  }

  async tableNames(): Promise<string[]> {
    return this.run(async (context) => {
      const tables = context.workbook.tables.load('items/name');
      const sheets = context.workbook.worksheets.load('items/name');
      await this.sync(context);
      return [...new Set([...tables.items.map((t) => t.name), ...sheets.items.map((s) => s.name)])];
    });
  }

  async readTables(names: readonly string[]): Promise<Map<string, TableData | undefined>> {
    return this.run(async (context) => {
      const tables = context.workbook.tables.load('items/name');
      const sheets = context.workbook.worksheets.load('items/name');
      await this.sync(context);
      const found = names.map((name) => ({
        name,
        table: tables.items.find((t) => t.name.toLowerCase() === name.toLowerCase())?.name,
        sheet: sheets.items.find((s) => s.name.toLowerCase() === name.toLowerCase())?.name,
      }));
      let reads: TableRead[];
      try {
        reads = await this.firstRead(context, found, true);
      } catch {
        // A small table too large for one response, or one at the sheet's edge: read everything in measured chunks.
        reads = await this.firstRead(context, found, false);
      }
      await this.readPending(context, reads);
      const result = new Map<string, TableData | undefined>(names.map((name) => [name, undefined]));
      for (const read of reads) {
        result.set(read.name, { headers: read.headers, rows: read.rows.filter((row) => !isBlank(row)), ...(read.rowsBelow ? { rowsBelow: read.rowsBelow } : {}) });
      }
      return result;
    });
  }

  /** The header of every table asked for, small tables whole, and the first and last rows of the others. */
  private async firstRead(context: Excel.RequestContext, found: { name: string; table?: string; sheet?: string }[], whole: boolean): Promise<TableRead[]> {
    const asked = found.flatMap(({ name, table, sheet }): Asked[] => {
      if (table) {
        const item = context.workbook.tables.getItem(table);
        const small = whole && !LARGE_TABLES.has(table.toLowerCase());
        const body = item.getDataBodyRange().load(small ? 'values,rowCount' : 'rowCount');
        return [
          {
            kind: 'table',
            name,
            sheet: item.worksheet,
            header: item.getHeaderRowRange().load('values,rowIndex,columnIndex,columnCount'),
            body,
            small,
            whole: item.getRange().load('rowCount'),
            below: small ? item.getRange().getRowsBelow(ROWS_BELOW).load('values') : undefined,
            probes: small ? [] : [body.getRow(0).load('values'), body.getLastRow().load('values')],
          },
        ];
      }
      if (!sheet) return [];
      // A sheet of that name without a table: headers in row 1, like the ExcelJS host reads it.
      const worksheet = context.workbook.worksheets.getItem(sheet);
      const used = worksheet.getUsedRangeOrNullObject(true).load(whole ? 'values,rowCount,columnCount' : 'rowCount,columnCount');
      return [{ kind: 'sheet', name, sheet: worksheet, used, small: whole }];
    });
    await this.sync(context);
    let response = 0;
    const reads = asked.flatMap((a): TableRead[] => {
      if (a.kind === 'sheet') {
        const used = a.used;
        if (used.isNullObject || used.rowCount === 0) return [];
        if (a.small) {
          const [header, ...rows] = used.values.map((row) => row.map(plainCell));
          response += bytesOf(used.values as CellValue[][]);
          return [{ name: a.name, headers: header.map((h) => String(h ?? '').trim()), rows }];
        }
        return [{ name: a.name, headers: [], rows: [], pending: { sheet: a.sheet, top: 0, left: 0, count: used.rowCount, columns: used.columnCount, perRow: used.columnCount * 24 } }];
      }
      const { header, body } = a;
      const headers = header.values[0].map((h) => String(h ?? '').trim());
      const read: TableRead = { name: a.name, headers, rows: [] };
      if (a.small) {
        read.rows = body.values.map((row) => row.map(plainCell));
        response += bytesOf(read.rows);
        const below = a.below!.values.map((row) => row.map(plainCell));
        const filled = below.map((row, i) => (isBlank(row) ? -1 : i)).filter((i) => i >= 0);
        // Worksheet-style numbers, the header being row 1.
        if (filled.length > 0) read.rowsBelow = { first: a.whole.rowCount + 1 + filled[0], last: a.whole.rowCount + 1 + filled[filled.length - 1] };
      } else {
        const measured = a.probes.map((p) => bytesOf(p.values.map((row) => row.map(plainCell))));
        response += measured.reduce((x, y) => x + y, 0);
        read.pending = { sheet: a.sheet, top: header.rowIndex + 1, left: header.columnIndex, count: body.rowCount, columns: header.columnCount, perRow: Math.max(...measured) };
      }
      return [read];
    });
    this.received(response);
    return reads;
  }

  /**
   * Reads the rows still pending in requests whose responses stay under the budget, sized from the
   * bytes of the rows measured so far (the longest row seen, with room to spare); a request Excel
   * still finds too large is tried again with half the rows.
   */
  private async readPending(context: Excel.RequestContext, reads: TableRead[]): Promise<void> {
    const queue = reads.filter((r) => r.pending && r.pending.count > 0).map((read) => ({ read, done: 0 }));
    while (queue.length > 0) {
      let room = this.budget;
      const batch: { read: TableRead; start: number; count: number; range: Excel.Range }[] = [];
      for (const item of queue) {
        const pending = item.read.pending!;
        const perRow = Math.max(1, pending.perRow * SAFETY);
        const count = Math.min(pending.count - item.done, Math.max(1, Math.floor(room / perRow)));
        if (batch.length > 0 && count * perRow > room) break;
        batch.push({ read: item.read, start: item.done, count, range: pending.sheet.getRangeByIndexes(pending.top + item.done, pending.left, count, pending.columns).load('values') });
        room -= count * perRow;
        if (room <= 0) break;
      }
      try {
        await this.sync(context);
      } catch (error) {
        const first = batch[0];
        if (!isPayloadTooLarge(error) || first.count === 1) throw error;
        first.read.pending!.perRow *= 2;
        continue;
      }
      let response = 0;
      for (const part of batch) {
        const rows = part.range.values.map((row) => row.map(plainCell));
        const pending = part.read.pending!;
        const bytes = bytesOf(rows);
        response += bytes;
        // A sheet without a table, read in chunks: its first row is the header.
        if (pending.top === 0 && part.start === 0 && part.read.headers.length === 0) {
          const [header, ...rest] = rows;
          part.read.headers = header.map((h) => String(h ?? '').trim());
          part.read.rows.push(...rest);
        } else part.read.rows.push(...rows);
        pending.perRow = Math.max(pending.perRow, ...rows.map(rowPayloadBytes));
        const item = queue.find((q) => q.read === part.read)!;
        item.done += part.count;
        if (item.done >= pending.count) queue.splice(queue.indexOf(item), 1);
      }
      this.received(response);
    }
  }

  async commit(change: WorkbookChange): Promise<void> {
    await this.run((context) => commitChange(context, change, { sync: (c, bytes) => this.sync(c, bytes), budget: this.budget }));
  }

  /**
   * Selects a cell of a table, for the links in the Rules step: `row` is the worksheet-style row of
   * the table (its header is row 1, as rule problems count), `column` a header name.
   */
  async selectCell(name: string, row: number, column?: string): Promise<void> {
    await this.run(async (context) => {
      const table = context.workbook.tables.getItemOrNullObject(name);
      await this.sync(context);
      if (table.isNullObject) return;
      const header = table.getHeaderRowRange().load('values,rowIndex,columnIndex');
      await this.sync(context);
      const headers = header.values[0].map((h) => String(h ?? '').trim().toLowerCase());
      const columnIndex = column ? Math.max(0, headers.indexOf(column.toLowerCase())) : 0;
      const sheet = table.worksheet;
      sheet.activate();
      sheet.getRangeByIndexes(header.rowIndex + Math.max(0, row - 1), header.columnIndex + columnIndex, 1, 1).select();
      await this.sync(context);
    });
  }

  /**
   * Selects what a review check points at, for the links in the Review step: a cell
   * (`Allocation!A17`), else the whole table of that name, else the sheet's first cell.
   */
  async selectRange(where: string): Promise<void> {
    const { sheet: name, cell } = parseWhere(where);
    await this.run(async (context) => {
      const table = cell ? undefined : context.workbook.tables.getItemOrNullObject(name);
      const sheet = context.workbook.worksheets.getItemOrNullObject(name);
      await this.sync(context);
      if (table && !table.isNullObject) {
        table.worksheet.activate();
        table.getRange().select();
      } else if (!sheet.isNullObject) {
        sheet.activate();
        sheet.getRange(cell ?? 'A1').select();
      } else {
        return;
      }
      await this.sync(context);
    });
  }
}

