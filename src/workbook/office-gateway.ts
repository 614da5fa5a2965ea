/// <reference types="office-js" />
/**
 * The workbook gateway over Office.js: the task pane's host inside Excel (desktop and web).
 *
 * Writes follow the write plan: values go in requests that stay well under Excel on the web's
 * 5 MB limit, several small tables share a request, and calculation and screen updating are
 * suspended for each bulk request. `writeTables` is all-or-nothing: every table is first
 * written to a staging sheet; only when all of them are complete are the old sheets deleted and
 * the staging sheets renamed into place, in one final request. A failure before that deletes the
 * staging sheets and leaves the workbook as it was.
 */
import { CellValue, ChartSpec, ColumnSpec, TableData, TableSpec, WorkbookGateway } from './gateway';
import { numberFormat, parseWhere } from './layout';
import { DEFAULT_CHUNK_BYTES, planTableWrite, rowPayloadBytes } from './write-plan';

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

/** A piece of one table's rows (header row included as row 0) written in one request. */
interface WritePart {
  table: number;
  start: number;
  count: number;
  bytes: number;
}

export interface WriteRequestPlan {
  /** Requests that carry cell data; each is one `context.sync()`. */
  requests: { parts: WritePart[]; bytes: number }[];
  /** All syncs of the write: the inspection, the data requests, and the swap. */
  syncs: number;
  largestRequestBytes: number;
}

/** The rows a table's sheet holds: the header, then the data (one blank row for an empty table). */
function sheetRows(spec: TableSpec): CellValue[][] {
  const blank = spec.columns.map(() => null);
  return [spec.columns.map((c) => c.header), ...(spec.rows.length > 0 ? spec.rows : [blank])];
}

/** How `writeTables` cuts the tables into requests: chunks of one table, small tables packed together. */
export function planWriteRequests(specs: readonly TableSpec[], budget = DEFAULT_CHUNK_BYTES): WriteRequestPlan {
  const requests: WriteRequestPlan['requests'] = [];
  let current: WriteRequestPlan['requests'][number] = { parts: [], bytes: 0 };
  specs.forEach((spec, table) => {
    for (const chunk of planTableWrite(sheetRows(spec), budget, 0).chunks) {
      if (current.parts.length > 0 && current.bytes + chunk.bytes > budget) {
        requests.push(current);
        current = { parts: [], bytes: 0 };
      }
      current.parts.push({ table, start: chunk.start, count: chunk.count, bytes: chunk.bytes });
      current.bytes += chunk.bytes;
    }
  });
  if (current.parts.length > 0) requests.push(current);
  const swapBytes = specs.reduce((a, spec) => a + swapRequestBytes(spec), 0);
  return {
    requests,
    syncs: requests.length + 2,
    largestRequestBytes: Math.max(swapBytes, ...requests.map((r) => r.bytes)),
  };
}

/** Cell data the swap request carries: the totals row formulas. */
function swapRequestBytes(spec: TableSpec): number {
  return spec.totals ? rowPayloadBytes(totalsRow(spec)) : 0;
}

function totalsRow(spec: TableSpec): CellValue[] {
  return spec.columns.map((column, index) => (index === 0 ? 'Total' : column.kind === 'money' ? `=SUBTOTAL(109,[${column.header}])` : ''));
}

const STAGING_PREFIX = 'CB~';
const stagingName = (name: string) => (STAGING_PREFIX + name).slice(0, 31);
/** Points per character of column width, roughly, in Excel's default font. */
const POINTS_PER_CHARACTER = 7;
/** Rows that get the rule tables' drop-down lists, so rows a user adds get them too. */
const VALIDATED_ROWS = 50;

const isBlank = (row: readonly CellValue[]) => row.every((cell) => cell === null || cell === '');

function plainCell(value: unknown): CellValue {
  if (value === undefined || value === null || value === '') return value === '' ? '' : null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}

export class OfficeGateway implements WorkbookGateway {
  readonly accounting: SyncAccounting;
  private readonly run: ExcelRun;
  private readonly budget: number;

  constructor(options: OfficeGatewayOptions = {}) {
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

  async tableNames(): Promise<string[]> {
    return this.run(async (context) => {
      const tables = context.workbook.tables.load('items/name');
      const sheets = context.workbook.worksheets.load('items/name');
      await this.sync(context);
      return [...new Set([...tables.items.map((t) => t.name), ...sheets.items.map((s) => s.name)])];
    });
  }

  async readTable(name: string): Promise<TableData | undefined> {
    return this.run(async (context) => {
      const table = context.workbook.tables.getItemOrNullObject(name);
      const sheet = context.workbook.worksheets.getItemOrNullObject(name);
      await this.sync(context);
      let header: Excel.Range;
      let worksheet: Excel.Worksheet;
      let body: { rowCount: number } | undefined;
      if (!table.isNullObject) {
        worksheet = table.worksheet;
        header = table.getHeaderRowRange().load('values,rowIndex,columnIndex,columnCount');
        body = table.getDataBodyRange().load('rowCount');
        await this.sync(context);
      } else if (!sheet.isNullObject) {
        // A sheet of that name without a table: headers in row 1, like the ExcelJS host reads it.
        worksheet = sheet;
        const used = sheet.getUsedRangeOrNullObject(true).load('rowCount,columnCount');
        await this.sync(context);
        if (used.isNullObject || used.rowCount === 0) return undefined;
        header = sheet.getRangeByIndexes(0, 0, 1, used.columnCount).load('values,rowIndex,columnIndex,columnCount');
        body = { rowCount: Math.max(0, used.rowCount - 1) };
        await this.sync(context);
      } else {
        return undefined;
      }
      const headers = header.values[0].map((h) => String(h ?? '').trim());
      const rows = await this.readRows(context, worksheet, header.rowIndex + 1, header.columnIndex, body.rowCount, header.columnCount);
      return { headers, rows: rows.filter((row) => !isBlank(row)) };
    });
  }

  /** Reads rows in requests whose responses stay under the budget, sized from what came back so far. */
  private async readRows(context: Excel.RequestContext, sheet: Excel.Worksheet, top: number, left: number, rowCount: number, columnCount: number): Promise<CellValue[][]> {
    const rows: CellValue[][] = [];
    let perRequest = Math.max(1, Math.min(rowCount, Math.floor(this.budget / (columnCount * 24 + 2))));
    for (let start = 0; start < rowCount; ) {
      const count = Math.min(perRequest, rowCount - start);
      const range = sheet.getRangeByIndexes(top + start, left, count, columnCount).load('values');
      await this.sync(context);
      let bytes = 0;
      for (const row of range.values) {
        const cells = row.map(plainCell);
        bytes += rowPayloadBytes(cells);
        rows.push(cells);
      }
      this.accounting.largestResponseBytes = Math.max(this.accounting.largestResponseBytes, bytes);
      start += count;
      const perRow = bytes / Math.max(1, count);
      perRequest = Math.max(1, Math.floor((this.budget * 0.9) / Math.max(perRow, 1)));
    }
    return rows;
  }

  async writeTables(specs: TableSpec[]): Promise<void> {
    if (specs.length === 0) return;
    const plan = planWriteRequests(specs, this.budget);
    await this.run(async (context) => {
      const sheets = context.workbook.worksheets.load('items/name,items/position');
      await this.sync(context);
      const existing = new Map(sheets.items.map((s) => [s.name.toLowerCase(), s]));
      const staged: Excel.Worksheet[] = [];
      try {
        for (const spec of specs) {
          const stale = existing.get(stagingName(spec.name).toLowerCase());
          if (stale) stale.delete();
          staged.push(context.workbook.worksheets.add(stagingName(spec.name)));
        }
        const rows = specs.map(sheetRows);
        for (const request of plan.requests) {
          context.application.suspendApiCalculationUntilNextSync();
          context.application.suspendScreenUpdatingUntilNextSync();
          for (const part of request.parts) {
            const width = specs[part.table].columns.length;
            staged[part.table].getRangeByIndexes(part.start, 0, part.count, width).values = rows[part.table].slice(part.start, part.start + part.count);
          }
          await this.sync(context, request.bytes);
        }
      } catch (error) {
        await this.discard(context, specs);
        throw error;
      }
      // Everything is written: swap the staging sheets in, in one request.
      context.application.suspendApiCalculationUntilNextSync();
      specs.forEach((spec, index) => {
        const old = existing.get(spec.name.toLowerCase());
        if (old) old.delete();
        const sheet = staged[index];
        sheet.name = spec.name;
        if (old) sheet.position = old.position;
        this.formatTable(sheet, spec);
      });
      await this.sync(context, specs.reduce((a, spec) => a + swapRequestBytes(spec), 0));
    });
  }

  /** Deletes the staging sheets of a write that failed part-way. */
  private async discard(context: Excel.RequestContext, specs: readonly TableSpec[]): Promise<void> {
    try {
      for (const spec of specs) context.workbook.worksheets.getItemOrNullObject(stagingName(spec.name)).delete();
      await this.sync(context);
    } catch {
      // The workbook may be unreachable (the reason the write failed); nothing more to undo.
    }
  }

  /** Turns a staged sheet's cells into the named Excel table with its formats, widths and lists. */
  private formatTable(sheet: Excel.Worksheet, spec: TableSpec): void {
    const width = spec.columns.length;
    const dataRows = Math.max(1, spec.rows.length);
    const table = sheet.tables.add(sheet.getRangeByIndexes(0, 0, dataRows + 1, width), true);
    table.name = spec.name;
    table.style = 'TableStyleMedium2';
    sheet.freezePanes.freezeRows(1);
    sheet.getRangeByIndexes(0, 0, 1, width).format.font.bold = true;
    spec.columns.forEach((column, index) => {
      sheet.getRangeByIndexes(0, index, 1, 1).format.columnWidth = (column.width ?? 16) * POINTS_PER_CHARACTER;
      const format = numberFormat(column, spec.minorDigits ?? 2);
      // One format for the whole column: Office.js applies a single value to every cell of the range.
      if (format) (sheet.getRangeByIndexes(1, index, dataRows, 1) as unknown as { numberFormat: string }).numberFormat = format;
      if (column.choices) {
        const validation = sheet.getRangeByIndexes(1, index, Math.max(dataRows, VALIDATED_ROWS), 1).dataValidation;
        validation.rule = { list: { inCellDropDown: true, source: column.choices.join(',') } };
        validation.errorAlert = {
          showAlert: column.header === 'Method' || column.header === 'Setting',
          style: 'Stop',
          title: column.header,
          message: `Choose one of: ${column.choices.join(', ')}`,
        };
      }
    });
    if (spec.totals) {
      table.showTotals = true;
      table.getTotalRowRange().formulas = [totalsRow(spec)];
    }
  }

  async appendRows(name: string, columns: ColumnSpec[], rows: CellValue[][]): Promise<void> {
    if (rows.length === 0) return;
    const headers = columns.map((c) => c.header);
    const appended = await this.run(async (context) => {
      const table = context.workbook.tables.getItemOrNullObject(name);
      await this.sync(context);
      if (table.isNullObject) return false;
      const header = table.getHeaderRowRange().load('values');
      await this.sync(context);
      const present = header.values[0].map((h) => String(h ?? '').trim());
      if (present.length !== headers.length || present.some((h, i) => h !== headers[i])) return false;
      for (const chunk of planTableWrite(rows, this.budget, 0).chunks) {
        table.rows.add(undefined, rows.slice(chunk.start, chunk.start + chunk.count).map((row) => row.map((cell) => cell ?? '')));
        await this.sync(context, chunk.bytes);
      }
      return true;
    });
    if (appended) return;
    // No such table, or its columns changed: rewrite it whole, keeping its rows under the new columns.
    const existing = await this.readTable(name);
    const kept = existing ? existing.rows.map((row) => headers.map((h) => row[existing.headers.indexOf(h)] ?? null)) : [];
    await this.writeTables([{ name, columns, rows: [...kept, ...rows] }]);
  }

  async addBarChart(chart: ChartSpec): Promise<void> {
    if (chart.rowCount === 0) return;
    await this.run(async (context) => {
      const table = context.workbook.tables.getItem(chart.sheet);
      const header = table.getHeaderRowRange().load('values,rowIndex,columnIndex,columnCount');
      await this.sync(context);
      const headers = header.values[0].map((h) => String(h ?? '').trim());
      const sheet = table.worksheet;
      const column = (name: string) => header.columnIndex + Math.max(0, headers.indexOf(name));
      const values = sheet.getRangeByIndexes(header.rowIndex, column(chart.valueColumn), chart.rowCount + 1, 1);
      const categories = sheet.getRangeByIndexes(header.rowIndex + 1, column(chart.categoryColumn), chart.rowCount, 1);
      const drawn = sheet.charts.add('BarClustered' as Excel.ChartType.barClustered, values, 'Columns' as Excel.ChartSeriesBy.columns);
      drawn.series.getItemAt(0).setXAxisValues(categories);
      drawn.title.text = chart.title;
      drawn.legend.visible = false;
      // Beside the statement, below the header, so it covers no figures.
      drawn.setPosition(sheet.getRangeByIndexes(header.rowIndex + 1, header.columnIndex + header.columnCount + 1, 1, 1));
      await this.sync(context);
    });
  }

  async protectSheets(names: string[], protect: boolean): Promise<void> {
    await this.run(async (context) => {
      const sheets = names.map((name) => context.workbook.worksheets.getItemOrNullObject(name));
      for (const sheet of sheets) sheet.load('isNullObject');
      const protections = sheets.map((sheet) => sheet.protection);
      for (const protection of protections) protection.load('protected');
      await this.sync(context);
      sheets.forEach((sheet, index) => {
        if (sheet.isNullObject) return;
        const protection = protections[index];
        if (protect && !protection.protected) protection.protect({ allowSort: true, allowAutoFilter: true });
        if (!protect && protection.protected) protection.unprotect();
      });
      await this.sync(context);
    });
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

