/**
 * The workbook gateway over ExcelJS: the command line's host, and the task pane's stand-in for
 * Excel in the browser harness. Works on an in-memory workbook; the caller loads and saves bytes.
 */
import ExcelJS from 'exceljs';
import { CellValue, GatewayBase, RowsAppend, TableData, TableSpec, WorkbookChange } from './gateway';
import JSZip from 'jszip';
import { dropDownList, numberFormat, SHEET_ORDER, VALIDATED_ROWS } from './layout';
import { checkSheetLimits } from './sheet-limits';
import { compactValidations, ignoreNumbersStoredAsText, textColumnRanges } from './xlsx-sheet-checks';
import { addressOf, dropValidations, emptyBlock, findTable, holdsUsersFormulas } from './exceljs-in-place';
import { inPlaceUpdate } from './write-plan';

function plainValue(value: ExcelJS.CellValue): CellValue {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    if ('result' in value) return plainValue(value.result as ExcelJS.CellValue);
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value) return String(value.text);
    if ('error' in value) return String(value.error);
  }
  return String(value);
}

export class ExcelJsGateway extends GatewayBase {
  constructor(readonly workbook: ExcelJS.Workbook = new ExcelJS.Workbook()) {
    super();
  }

  static async fromBytes(bytes: ArrayBuffer | Uint8Array): Promise<ExcelJsGateway> {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as ArrayBuffer);
    return new ExcelJsGateway(repairLoaded(workbook));
  }

  async toBytes(): Promise<Uint8Array> {
    return (await this.package()).generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
  }

  /** The package as ExcelJS writes it, with what ExcelJS cannot write added; a subclass adds its own before zipping it. */
  protected async package(): Promise<JSZip> {
    this.orderSheets();
    // The totals rows carry their results, so nothing needs working out on opening (and an untouched book stays
    // unchanged); a user's own formulas may point at tables just rewritten, and their saved results are stale.
    this.workbook.calcProperties = { ...this.workbook.calcProperties, fullCalcOnLoad: holdsUsersFormulas(this.workbook) };
    const textColumns = new Map<string, string>();
    for (const sheet of this.workbook.worksheets) {
      compactValidations(sheet);
      const ranges = textColumnRanges(sheet);
      if (ranges) textColumns.set(sheet.name, ranges);
    }
    const zip = await JSZip.loadAsync(await this.workbook.xlsx.writeBuffer());
    await ignoreNumbersStoredAsText(zip, textColumns);
    return zip;
  }

  async tableNames(): Promise<string[]> {
    const names = new Set<string>();
    this.workbook.eachSheet((sheet) => {
      for (const table of sheetTables(sheet)) names.add(table.name);
      if (sheet.rowCount > 0) names.add(sheet.name);
    });
    return [...names];
  }

  async readTables(names: readonly string[]): Promise<Map<string, TableData | undefined>> {
    return new Map(names.map((name) => [name, this.read(name)]));
  }

  protected read(name: string): TableData | undefined {
    const located = this.locate(name);
    if (!located) return undefined;
    const { sheet, top, left, width, bottom, end } = located;
    const headers: string[] = [];
    for (let c = 0; c < width; c++) headers.push(String(plainValue(sheet.getCell(top, left + c).value) ?? '').trim());
    const rowAt = (r: number) => Array.from({ length: width }, (_, c) => plainValue(sheet.getCell(r, left + c).value));
    const rows: CellValue[][] = [];
    for (let r = top + 1; r <= bottom; r++) {
      const row = rowAt(r);
      if (row.every((cell) => cell === null || cell === '')) continue;
      rows.push(row);
    }
    // Rows below the table's range (after its totals row) are not the table's: say where they are.
    let first = 0;
    let last = 0;
    for (let r = end + 1; r <= sheet.rowCount; r++) {
      if (rowAt(r).every((cell) => cell === null || cell === '')) continue;
      first ||= r - top + 1;
      last = r - top + 1;
    }
    return { headers, rows, ...(first ? { rowsBelow: { first, last } } : {}) };
  }

  /** Finds a table by its Excel table name, or a sheet of that name with headers in row 1. */
  private locate(name: string) {
    for (const sheet of this.workbook.worksheets) {
      for (const table of sheetTables(sheet)) {
        if (table.name.toLowerCase() !== name.toLowerCase()) continue;
        const range = parseRef(table.tableRef);
        if (!range) break;
        const bottom = range.bottom - (table.totalsRow ? 1 : 0);
        return { sheet, top: range.top, left: range.left, width: range.right - range.left + 1, bottom, end: range.bottom };
      }
    }
    const sheet = this.workbook.worksheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
    if (!sheet || sheet.rowCount === 0) return undefined;
    let width = 0;
    sheet.getRow(1).eachCell({ includeEmpty: false }, (_cell, col) => (width = Math.max(width, col)));
    if (width === 0) return undefined;
    return { sheet, top: 1, left: 1, width, bottom: sheet.rowCount, end: sheet.rowCount };
  }

  /**
   * ExcelJS works in memory: nothing reaches disk until the caller saves, so a failure leaves the
   * file untouched. Everything that could fail is worked out before the first sheet changes.
   */
  async commit(change: WorkbookChange): Promise<void> {
    const appended = (change.appends ?? []).map((append) => this.appendedTable(append));
    checkSheetLimits([...(change.tables ?? []), ...appended]);
    if (change.protect && !change.protect.protect) await this.protect(change.protect.sheets, false);
    for (const spec of [...(change.tables ?? []), ...appended]) this.replaceSheet(spec);
    if (change.protect?.protect) await this.protect(change.protect.sheets, true);
    // ExcelJS cannot draw charts; Excel adds the chart when the task pane allocates.
  }

  /** The table with the rows appended, under the given columns (rows written under other columns keep their values by header). */
  private appendedTable({ table, columns, rows }: RowsAppend): TableSpec {
    const existing = this.read(table);
    const headers = columns.map((c) => c.header);
    const kept = existing ? existing.rows.map((row) => headers.map((h) => row[existing.headers.indexOf(h)] ?? null)) : [];
    return { name: table, columns, rows: [...kept, ...rows] };
  }

  /**
   * Writes a table: where the workbook holds it, in place (same sheet, name and corner; what stands
   * beside it stays), as Excel's host does; otherwise on a sheet of its own (replacing a sheet of
   * that name that holds no such table).
   */
  protected replaceSheet(spec: TableSpec): void {
    const found = findTable(this.workbook, spec.name);
    const minorDigits = spec.minorDigits ?? 2;
    const rows = spec.rows.length > 0 ? spec.rows : [spec.columns.map(() => null)];
    let sheet: ExcelJS.Worksheet;
    let top = 0;
    let left = 0;
    if (found) {
      ({ sheet } = found);
      ({ top, left } = found.place);
      sheet.removeTable(found.name);
      for (const block of inPlaceUpdate(found.place, { width: spec.columns.length, rows: spec.rows.length, totals: spec.totals === true }).clear) emptyBlock(sheet, block);
      dropValidations(sheet, top, left, Math.max(found.place.width, spec.columns.length));
    } else {
      const existing = this.workbook.getWorksheet(spec.name);
      if (existing) this.workbook.removeWorksheet(existing.id);
      sheet = this.workbook.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    }
    sheet.addTable({
      name: found?.name ?? spec.name,
      ref: addressOf(top, left),
      headerRow: true,
      totalsRow: spec.totals === true,
      style: { ...TABLE_STYLE },
      columns: spec.columns.map((column, index) => ({
        name: column.header,
        filterButton: true,
        ...(spec.totals
          ? index === 0
            ? { totalsRowLabel: 'Total' }
            : column.kind === 'money'
              ? // The result beside the formula: programs that do not recalculate (previews, Gnumeric, pandas) show it.
                { totalsRowFunction: 'sum' as const, totalsRowResult: columnTotal(spec.rows, index, minorDigits) }
              : { totalsRowLabel: '' }
          : {}),
      })),
      rows: rows.map((row) => row.map((cell) => (cell === null ? '' : cell))),
    });
    spec.columns.forEach((column, index) => {
      const col = sheet.getColumn(left + index + 1);
      col.width = column.width ?? 16;
      const format = numberFormat(column, minorDigits);
      if (format) col.numFmt = format;
      sheet.getCell(top + 1, left + index + 1).font = { bold: true };
      if (column.choices) {
        // One range, not a validation a cell: ExcelJS would write those back as overlapping ranges.
        const range = `${addressOf(top + 1, left + index)}:${addressOf(top + Math.max(rows.length, VALIDATED_ROWS - 1), left + index)}`;
        (sheet as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(range, {
          type: 'list',
          allowBlank: true,
          formulae: [`"${dropDownList(column)}"`],
          showErrorMessage: column.header === 'Method' || column.header === 'Setting',
          errorTitle: `${column.header}`,
          error: `Choose one of: ${column.choices.join(', ')}`,
        });
      }
    });
  }

  private async protect(names: readonly string[], protect: boolean): Promise<void> {
    for (const name of names) {
      const sheet = this.workbook.getWorksheet(name);
      if (!sheet) continue;
      // Filter stays allowed. Sort does not work on a protected sheet's locked cells in Excel, whatever the option says.
      if (protect) await sheet.protect('', { selectLockedCells: true, selectUnlockedCells: true, sort: true, autoFilter: true });
      else sheet.unprotect();
    }
  }

  /** Statement first, rules and the log last; sheets the product does not know keep their place at the end. */
  private orderSheets(): void {
    const rank = (name: string) => {
      const index = (SHEET_ORDER as readonly string[]).indexOf(name);
      return index < 0 ? SHEET_ORDER.length : index;
    };
    type Ordered = ExcelJS.Worksheet & { orderNo: number };
    const sheets = [...this.workbook.worksheets] as Ordered[];
    sheets.sort((a, b) => rank(a.name) - rank(b.name) || a.orderNo - b.orderNo);
    sheets.forEach((sheet, index) => (sheet.orderNo = index));
  }
}

interface TableModel {
  name: string;
  tableRef?: string;
  totalsRow?: boolean;
  style?: { theme?: string; showRowStripes?: boolean } | null;
}

/** How the product styles its tables. */
export const TABLE_STYLE = { theme: 'TableStyleMedium2', showRowStripes: true } as const;

/**
 * What other programs' saves leave that ExcelJS cannot write back. LibreOffice Calc writes tables
 * without a `tableStyleInfo` (ISO/IEC 29500-1 §18.5.1.5 makes it optional); ExcelJS reads that as
 * a null style and then fails on it when saving. Such a table gets the product's style again.
 */
export function repairLoaded(workbook: ExcelJS.Workbook): ExcelJS.Workbook {
  for (const sheet of workbook.worksheets) for (const table of sheetTables(sheet)) table.style ??= { ...TABLE_STYLE };
  return workbook;
}

/** ExcelJS keeps each table's model (name, range) on `worksheet.tables[name].table`. */
function sheetTables(sheet: ExcelJS.Worksheet): TableModel[] {
  const tables = (sheet as unknown as { tables?: Record<string, { table?: TableModel }> }).tables ?? {};
  return Object.values(tables).flatMap((t) => (t.table ? [t.table] : []));
}

/** A money column's total, added up in minor units: the cached result of its SUBTOTAL, to the cent. */
export function columnTotal(rows: readonly CellValue[][], index: number, minorDigits: number): number {
  const scale = 10 ** minorDigits;
  let minor = 0;
  for (const row of rows) {
    const value = row[index];
    if (typeof value === 'number' && Number.isFinite(value)) minor += Math.round(value * scale);
  }
  return minor / scale;
}

function columnNumber(letters: string): number {
  return letters.split('').reduce((n, ch) => n * 26 + (ch.charCodeAt(0) - 64), 0);
}

function parseRef(ref: string | undefined): { top: number; left: number; bottom: number; right: number } | undefined {
  const match = /^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/.exec(ref ?? '');
  if (!match) return undefined;
  const left = columnNumber(match[1]);
  const top = Number(match[2]);
  return { left, top, right: match[3] ? columnNumber(match[3]) : left, bottom: match[4] ? Number(match[4]) : top };
}
