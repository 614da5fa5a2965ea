/**
 * An in-memory Excel for testing the Office.js gateway without Excel, as strict as Excel documents
 * itself. It models the Office.js batch model and what the gateway uses of the object model, and
 * each behaviour cites the documentation it follows:
 *
 * - Batches: commands queue on proxy objects and run, in order, at `context.sync()`; a property is
 *   readable only after it was loaded and synced, else PropertyNotLoaded.
 *   https://learn.microsoft.com/office/dev/add-ins/develop/application-specific-api-model
 * - Request limits: Excel on the web refuses a request or response over 5 MB
 *   (RequestPayloadSizeLimitExceeded). https://learn.microsoft.com/office/dev/add-ins/concepts/resource-limits-and-performance-optimization
 * - A failed request: the commands before the failing one have run; nothing is rolled back
 *   (`failAt` can fail any request, whole or part-way). https://learn.microsoft.com/office/dev/add-ins/testing/application-specific-api-error-handling
 * - Values are parsed as if typed, unless the cell's number format is Text ("@"): "=…", "+…", "-…"
 *   and "@…" become formulas, "0100" and "1E5" numbers, "TRUE" a boolean, "2026-10" and "12/31" dates;
 *   `null` leaves a cell unchanged. https://learn.microsoft.com/office/dev/add-ins/excel/excel-add-ins-ranges-set-get-values
 *   and https://learn.microsoft.com/javascript/api/excel/excel.range#excel-excel-range-values-member
 * - Numbers keep 15 significant digits. https://support.microsoft.com/office/excel-specifications-and-limits-1672b34d-7043-467e-8e27-269d656771c3
 * - Deleting a sheet or table turns formulas that point at it into #REF!.
 *   https://support.microsoft.com/office/how-to-correct-a-ref-error-822c8e46-e610-4d2b-a8f2-1a3b5d5c9c70
 * - Table headers are unique text: a duplicate (ignoring case) is renamed "Name2".
 *   https://support.microsoft.com/office/overview-of-excel-tables-7ab0bb7d-3a9e-4b56-a3c9-6c94334e492c
 * - A protected sheet refuses edits to locked cells (all cells are locked by default), and sorting a
 *   range with locked cells, whatever `allowSort` says. https://support.microsoft.com/office/protect-a-worksheet-3179efdb-1285-4d49-a9c3-f4ca36276de6
 */
import { CellValue } from '../../src/workbook/gateway';
import { rowPayloadBytes } from '../../src/workbook/write-plan';

export const LIMIT_BYTES = 5 * 1024 * 1024;

interface Cell {
  value: CellValue;
  formula?: string;
  format?: string;
  unlocked?: boolean;
}

export interface FakeSheet {
  id: number;
  name: string;
  cells: (Cell | undefined)[][];
  frozenRows: number;
  protected: boolean;
  protection?: unknown;
  visibility: string;
  charts: FakeChart[];
  widths: Map<number, number>;
  validations: Map<number, unknown>;
}

export interface FakeChart {
  name: string;
  type: string;
  title?: string;
  /** Addresses of the series' values and categories. */
  values?: string;
  categories?: string;
}

export interface FakeTable {
  id: number;
  name: string;
  sheet: FakeSheet;
  /** Zero-based position of the header row and first column. */
  row: number;
  column: number;
  /** Data rows and columns. */
  rows: number;
  columns: number;
  showTotals: boolean;
  style?: string;
}

interface Area {
  sheet: FakeSheet;
  row: number;
  column: number;
  rowCount: number;
  columnCount: number;
}

type Op = () => number | void;

const DAY_MS = 86_400_000;
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
const NUMBER = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?%?$/;

/** What Excel stores when `input` is written to a cell of number format `format` (see the header). */
export function typedInExcel(input: string | number | boolean, format = 'General'): Pick<Cell, 'value' | 'formula'> {
  if (typeof input === 'number') return { value: Number.isFinite(input) ? Number(input.toPrecision(15)) : '#NUM!' };
  if (typeof input === 'boolean' || format === '@') return { value: input };
  const text = input;
  if (text === '') return { value: '' };
  if (text.startsWith("'")) return { value: text.slice(1) };
  const trimmed = text.trim();
  if (NUMBER.test(trimmed) && /\d/.test(trimmed)) {
    const percent = trimmed.endsWith('%');
    const number = Number(trimmed.replace(/[,%]/g, ''));
    if (Number.isFinite(number)) return { value: Number((percent ? number / 100 : number).toPrecision(15)) };
  }
  if (/^[=+\-@]/.test(text)) return { formula: text.startsWith('=') ? text : `=${text.replace(/^@/, '')}`, value: '#NAME?' };
  if (/^(true|false)$/i.test(trimmed)) return { value: trimmed.toLowerCase() === 'true' };
  const serial = dateSerial(trimmed);
  if (serial !== undefined) return { value: serial };
  return { value: text };
}

/** "2026-10", "2026-10-31", "12/31", "12/31/2026": Excel's date parsing (en-US), as a serial number. */
function dateSerial(text: string): number | undefined {
  let match = /^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$/.exec(text);
  if (match) return serialOf(Number(match[1]), Number(match[2]), match[3] ? Number(match[3]) : 1);
  match = /^(\d{1,2})\/(\d{1,2})(?:\/(\d{2,4}))?$/.exec(text);
  if (match) return serialOf(match[3] ? Number(match[3].length === 2 ? `20${match[3]}` : match[3]) : new Date().getUTCFullYear(), Number(match[1]), Number(match[2]));
  return undefined;
}

function serialOf(year: number, month: number, day: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  return (Date.UTC(year, month - 1, day) - EXCEL_EPOCH) / DAY_MS;
}

/**
 * An Office.js error as Excel raises it (OfficeExtension.Error): the reason is in `code`, one of
 * Excel.ErrorCodes / OfficeExtension.ErrorCodes, which is not localized; `message` is a localized
 * summary "not intended for end users" that code must not match on.
 * https://learn.microsoft.com/office/dev/add-ins/testing/application-specific-api-error-handling
 * The fake's messages add detail for whoever reads a failing test, and never repeat the code.
 */
export class RichApiError extends Error {
  readonly code: string;
  readonly debugInfo: { code: string; message: string };
  constructor(code: string, message: string) {
    super(message);
    this.name = 'RichApi.Error';
    this.code = code;
    this.debugInfo = { code, message };
  }
}

class PropertyNotLoaded extends RichApiError {
  constructor(property: string) {
    super('PropertyNotLoaded', `The property '${property}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`);
  }
}

/** A proxy object: loads snapshot properties at sync; reading one not loaded throws, as Office.js does. */
abstract class Proxy {
  protected snapshot = new Map<string, unknown>();
  constructor(protected readonly excel: FakeExcel) {}
  protected abstract current(property: string): unknown;
  load(what?: string | string[]): this {
    const names = (Array.isArray(what) ? what : (what ?? '').split(',')).map((s) => s.trim()).filter(Boolean);
    this.excel.queue(() => {
      let bytes = 0;
      for (const name of names) {
        const value = this.current(name);
        this.snapshot.set(name, value);
        if (name === 'values' || name === 'formulas') bytes += valuesBytes(value as CellValue[][]);
      }
      this.excel.responseBytes += bytes;
    });
    return this;
  }
  protected loaded(property: string): any {
    if (!this.snapshot.has(property)) throw new PropertyNotLoaded(property);
    return this.snapshot.get(property);
  }
}

function valuesBytes(rows: CellValue[][]): number {
  return rows.reduce((a, row) => a + rowPayloadBytes(row), 2);
}

// ---- ranges ------------------------------------------------------------------------------------

class FakeRange extends Proxy {
  readonly format: { font: { bold?: boolean }; columnWidth?: number };
  readonly dataValidation: { rule?: unknown; errorAlert?: unknown };
  readonly sort: { apply: (fields: { key: number; ascending?: boolean }[]) => void };

  constructor(excel: FakeExcel, readonly area: () => Area) {
    super(excel);
    const range = this;
    this.format = {
      font: {
        set bold(value: boolean) {
          excel.queue(() => void (excel.writable(range.area()), value));
        },
      },
      set columnWidth(points: number) {
        excel.queue(() => {
          const a = range.area();
          for (let c = 0; c < a.columnCount; c++) a.sheet.widths.set(a.column + c, points);
        });
      },
    };
    this.dataValidation = {
      set rule(rule: unknown) {
        excel.queue(() => {
          const a = range.area();
          excel.writable(a);
          for (let c = 0; c < a.columnCount; c++) a.sheet.validations.set(a.column + c, rule);
        });
      },
      set errorAlert(_alert: unknown) {
        excel.queue(() => undefined);
      },
    };
    this.sort = { apply: (fields) => excel.queue(() => excel.sortArea(range.area(), fields)) };
  }

  protected current(property: string): unknown {
    const a = this.area();
    switch (property) {
      case 'values':
        return this.excel.valuesOf(a);
      case 'formulas':
        return this.excel.cellsOf(a).map((row) => row.map((cell) => cell?.formula ?? cell?.value ?? ''));
      case 'numberFormat':
        return this.excel.cellsOf(a).map((row) => row.map((cell) => cell?.format ?? 'General'));
      case 'rowIndex':
        return a.row;
      case 'columnIndex':
        return a.column;
      case 'rowCount':
        return a.rowCount;
      case 'columnCount':
        return a.columnCount;
      case 'address':
        return `${a.sheet.name}!${addressOf(a)}`;
      default:
        throw new RichApiError('InvalidArgument', `the fake does not model Range.${property}`);
    }
  }

  get values(): CellValue[][] {
    return this.loaded('values');
  }
  set values(rows: CellValue[][]) {
    this.excel.queueWrite(rows, () => this.excel.writeValues(this.area(), rows, false));
  }
  get formulas(): CellValue[][] {
    return this.loaded('formulas');
  }
  set formulas(rows: CellValue[][]) {
    this.excel.queueWrite(rows, () => this.excel.writeValues(this.area(), rows, true));
  }
  get numberFormat(): string[][] {
    return this.loaded('numberFormat');
  }
  set numberFormat(format: unknown) {
    this.excel.queue(() => {
      const a = this.area();
      this.excel.writable(a);
      this.excel.forEachCell(a, (cell, r, c) => (cell.format = Array.isArray(format) ? format[r][c] : (format as string)));
    });
  }
  get rowIndex(): number {
    return this.loaded('rowIndex');
  }
  get columnIndex(): number {
    return this.loaded('columnIndex');
  }
  get rowCount(): number {
    return this.loaded('rowCount');
  }
  get columnCount(): number {
    return this.loaded('columnCount');
  }
  get address(): string {
    return this.loaded('address');
  }

  private derived(area: (a: Area) => Area): FakeRange {
    return new FakeRange(this.excel, () => {
      const result = area(this.area());
      if (result.row < 0 || result.column < 0 || result.row + result.rowCount > 1_048_576 || result.rowCount < 1) throw new RichApiError('InvalidArgument', 'the range is outside the sheet');
      return result;
    });
  }
  getRow(index: number): FakeRange {
    return this.derived((a) => {
      if (index >= a.rowCount) throw new RichApiError('InvalidArgument', `row ${index} is outside a range of ${a.rowCount} rows`);
      return { ...a, row: a.row + index, rowCount: 1 };
    });
  }
  getLastRow(): FakeRange {
    return this.derived((a) => ({ ...a, row: a.row + a.rowCount - 1, rowCount: 1 }));
  }
  getRowsBelow(count = 1): FakeRange {
    return this.derived((a) => ({ ...a, row: a.row + a.rowCount, rowCount: count }));
  }
  getCell(row: number, column: number): FakeRange {
    return this.derived((a) => ({ ...a, row: a.row + row, column: a.column + column, rowCount: 1, columnCount: 1 }));
  }
  getLastCell(): FakeRange {
    return this.derived((a) => ({ ...a, row: a.row + a.rowCount - 1, column: a.column + a.columnCount - 1, rowCount: 1, columnCount: 1 }));
  }
  getOffsetRange(rowOffset: number, columnOffset: number): FakeRange {
    return this.derived((a) => ({ ...a, row: a.row + rowOffset, column: a.column + columnOffset }));
  }
  getResizedRange(deltaRows: number, deltaColumns: number): FakeRange {
    return this.derived((a) => ({ ...a, rowCount: a.rowCount + deltaRows, columnCount: a.columnCount + deltaColumns }));
  }
  copyFrom(source: FakeRange, copyType: string = 'All'): void {
    this.excel.queue(() => this.excel.copyArea(source.area(), this.area(), copyType));
  }
  clear(applyTo: string = 'All'): void {
    this.excel.queue(() => {
      const a = this.area();
      this.excel.writable(a);
      // Only cells that hold something need clearing (a whole sheet is 17 billion cells).
      a.sheet.cells.forEach((row, r) =>
        row?.forEach((cell, c) => {
          if (!cell || r < a.row || r >= a.row + a.rowCount || c < a.column || c >= a.column + a.columnCount) return;
          if (applyTo !== 'Formats') Object.assign(cell, { value: '', formula: undefined });
          if (applyTo !== 'Contents') cell.format = undefined;
        }),
      );
    });
  }
  select(): void {
    this.excel.queue(() => {
      const a = this.area();
      this.excel.selections.push({ sheet: a.sheet.name, row: a.row, column: a.column, rowCount: a.rowCount, columnCount: a.columnCount });
      this.excel.selected = { sheet: a.sheet.name, row: a.row, column: a.column };
    });
  }
}

function columnLetters(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

function addressOf(a: Pick<Area, 'row' | 'column' | 'rowCount' | 'columnCount'>): string {
  const first = `${columnLetters(a.column)}${a.row + 1}`;
  return a.rowCount === 1 && a.columnCount === 1 ? first : `${first}:${columnLetters(a.column + a.columnCount - 1)}${a.row + a.rowCount}`;
}

/** `B17` or `A1:C3` as zero-based indexes and a size. */
export function parseAddress(address: string): { row: number; column: number; rowCount: number; columnCount: number } {
  const match = /^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/i.exec(address.trim());
  if (!match) throw new RichApiError('InvalidArgument', `${address} is not a range address`);
  const columnOf = (letters: string) => letters.toUpperCase().split('').reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  const row = Number(match[2]) - 1;
  const column = columnOf(match[1]);
  const bottom = match[4] ? Number(match[4]) - 1 : row;
  const right = match[3] ? columnOf(match[3]) : column;
  return { row, column, rowCount: bottom - row + 1, columnCount: right - column + 1 };
}

// ---- tables ------------------------------------------------------------------------------------

class FakeTableProxy extends Proxy {
  readonly rows: { add: (index: unknown, values: CellValue[][]) => void };
  readonly columns: { load: (what: string) => unknown; items: { name: string }[]; getItem: (name: string) => { getRange: () => FakeRange; getDataBodyRange: () => FakeRange } };

  constructor(excel: FakeExcel, readonly table: () => FakeTable) {
    super(excel);
    this.rows = {
      add: (_index, values) => excel.queueWrite(values, () => excel.addTableRows(this.table(), values)),
    };
    const column = (name: string, body: boolean) =>
      new FakeRange(excel, () => {
        const t = this.table();
        const index = excel.headersOf(t).findIndex((h) => h.toLowerCase() === name.toLowerCase());
        if (index < 0) throw new RichApiError('ItemNotFound', `the table ${t.name} has no column ${name}`);
        return { sheet: t.sheet, row: body ? t.row + 1 : t.row, column: t.column + index, rowCount: (body ? 0 : 1) + Math.max(1, t.rows) + (!body && t.showTotals ? 1 : 0), columnCount: 1 };
      });
    const columns = {
      items: [] as { name: string }[],
      load: (_what: string) => excel.queue(() => void (columns.items = excel.headersOf(this.table()).map((name) => ({ name })))),
      getItem: (name: string) => ({ getRange: () => column(name, false), getDataBodyRange: () => column(name, true) }),
    };
    this.columns = columns;
  }
  protected current(property: string): unknown {
    const t = this.table();
    if (property === 'name') return t.name;
    if (property === 'showTotals') return t.showTotals;
    if (property === 'id') return String(t.id);
    throw new RichApiError('InvalidArgument', `the fake does not model Table.${property}`);
  }
  get name(): string {
    return this.loaded('name');
  }
  set name(value: string) {
    this.excel.queue(() => this.excel.renameTable(this.table(), value));
  }
  get showTotals(): boolean {
    return this.loaded('showTotals');
  }
  set showTotals(value: boolean) {
    this.excel.queue(() => this.excel.setTotals(this.table(), value));
  }
  set style(value: string) {
    this.excel.queue(() => void (this.table().style = value));
  }
  get worksheet(): FakeWorksheet {
    return new FakeWorksheet(this.excel, () => this.table().sheet);
  }
  private area(part: 'all' | 'header' | 'body' | 'totals'): FakeRange {
    return new FakeRange(this.excel, () => {
      const t = this.table();
      const base = { sheet: t.sheet, column: t.column, columnCount: t.columns };
      if (part === 'header') return { ...base, row: t.row, rowCount: 1 };
      if (part === 'body') return { ...base, row: t.row + 1, rowCount: Math.max(1, t.rows) };
      if (part === 'totals') {
        if (!t.showTotals) throw new RichApiError('InvalidOperation', `the table ${t.name} has no totals row`);
        return { ...base, row: t.row + 1 + Math.max(1, t.rows), rowCount: 1 };
      }
      return { ...base, row: t.row, rowCount: 1 + Math.max(1, t.rows) + (t.showTotals ? 1 : 0) };
    });
  }
  getRange(): FakeRange {
    return this.area('all');
  }
  getHeaderRowRange(): FakeRange {
    return this.area('header');
  }
  getDataBodyRange(): FakeRange {
    return this.area('body');
  }
  getTotalRowRange(): FakeRange {
    return this.area('totals');
  }
  resize(range: FakeRange): void {
    this.excel.queue(() => this.excel.resizeTable(this.table(), range.area()));
  }
  delete(): void {
    this.excel.queue(() => this.excel.deleteTable(this.table()));
  }
}

// ---- worksheets --------------------------------------------------------------------------------

class FakeWorksheet extends Proxy {
  readonly protection: Proxy & { protected: boolean; protect: (options?: unknown) => void; unprotect: () => void };
  readonly freezePanes: { freezeRows: (count: number) => void };
  readonly tables: { add: (range: FakeRange, hasHeaders: boolean) => FakeTableProxy };
  readonly charts: FakeCharts;

  constructor(excel: FakeExcel, readonly sheet: () => FakeSheet) {
    super(excel);
    const owner = this;
    class Protection extends Proxy {
      protected current(property: string): unknown {
        if (property === 'protected') return owner.sheet().protected;
        throw new RichApiError('InvalidArgument', `the fake does not model WorksheetProtection.${property}`);
      }
      get protected(): boolean {
        return this.loaded('protected');
      }
      protect(options?: unknown): void {
        excel.queue(() => {
          const s = owner.sheet();
          if (s.protected) throw new RichApiError('InvalidOperation', `the sheet ${s.name} is protected already`);
          Object.assign(s, { protected: true, protection: options });
          excel.protectionCalls.push({ sheet: s.name, action: 'protect', options });
        });
      }
      unprotect(): void {
        excel.queue(() => {
          const s = owner.sheet();
          s.protected = false;
          excel.protectionCalls.push({ sheet: s.name, action: 'unprotect' });
        });
      }
    }
    this.protection = new Protection(excel) as FakeWorksheet['protection'];
    this.freezePanes = { freezeRows: (count) => excel.queue(() => void (this.sheet().frozenRows = count)) };
    this.tables = { add: (range, _hasHeaders) => excel.addTable(range) };
    this.charts = new FakeCharts(excel, () => this.sheet());
  }
  protected current(property: string): unknown {
    const s = this.sheet();
    if (property === 'name') return s.name;
    if (property === 'position') return this.excel.sheets.indexOf(s);
    if (property === 'visibility') return s.visibility;
    if (property === 'id') return String(s.id);
    throw new RichApiError('InvalidArgument', `the fake does not model Worksheet.${property}`);
  }
  get name(): string {
    return this.loaded('name');
  }
  set name(value: string) {
    this.excel.queue(() => this.excel.renameSheet(this.sheet(), value));
  }
  get position(): number {
    return this.loaded('position');
  }
  set position(value: number) {
    this.excel.queue(() => {
      const s = this.sheet();
      this.excel.sheets.splice(this.excel.sheets.indexOf(s), 1);
      this.excel.sheets.splice(Math.min(value, this.excel.sheets.length), 0, s);
    });
  }
  get visibility(): string {
    return this.loaded('visibility');
  }
  set visibility(value: string) {
    this.excel.queue(() => void (this.sheet().visibility = value));
  }
  delete(): void {
    this.excel.queue(() => this.excel.deleteSheet(this.sheet()));
  }
  activate(): void {
    this.excel.queue(() => void (this.excel.active = this.sheet().name));
  }
  getRangeByIndexes(row: number, column: number, rowCount: number, columnCount: number): FakeRange {
    return new FakeRange(this.excel, () => ({ sheet: this.sheet(), row, column, rowCount, columnCount }));
  }
  getRange(address?: string): FakeRange {
    const a = address === undefined ? { row: 0, column: 0, rowCount: 1_048_576, columnCount: 16_384 } : parseAddress(address);
    return new FakeRange(this.excel, () => ({ sheet: this.sheet(), ...a }));
  }
  getUsedRangeOrNullObject(_valuesOnly?: boolean): FakeRange & { isNullObject: boolean } {
    const range = new FakeRange(this.excel, () => {
      const s = this.sheet();
      const rowCount = s.cells.length;
      const columnCount = s.cells.reduce((a, r) => Math.max(a, r?.length ?? 0), 0);
      return { sheet: s, row: 0, column: 0, rowCount: Math.max(1, rowCount), columnCount: Math.max(1, columnCount) };
    }) as FakeRange & { isNullObject: boolean };
    range.isNullObject = false;
    this.excel.queue(() => void (range.isNullObject = this.sheet().cells.length === 0));
    return range;
  }
}

/** A chart's proxy: name, title and data, set in the batch and loaded like any property. */
class FakeChartProxy extends Proxy {
  readonly title: Proxy & { text: string };
  readonly legend = { visible: true };
  readonly series: { getItemAt: (index: number) => { setXAxisValues: (range: FakeRange) => void } };
  constructor(excel: FakeExcel, readonly chart: () => FakeChart) {
    super(excel);
    const owner = this;
    class Title extends Proxy {
      protected current(property: string): unknown {
        if (property === 'text') return owner.chart().title ?? '';
        throw new RichApiError('InvalidArgument', `the fake does not model ChartTitle.${property}`);
      }
      get text(): string {
        return this.loaded('text');
      }
      set text(value: string) {
        excel.queue(() => void (owner.chart().title = value));
      }
    }
    this.title = new Title(excel) as FakeChartProxy['title'];
    this.series = { getItemAt: () => ({ setXAxisValues: (range) => excel.queue(() => void (this.chart().categories = addressOf(range.area()))) }) };
  }
  protected current(property: string): unknown {
    if (property === 'name') return this.chart().name;
    throw new RichApiError('InvalidArgument', `the fake does not model Chart.${property}`);
  }
  get name(): string {
    return this.loaded('name');
  }
  set name(value: string) {
    this.excel.queue(() => void (this.chart().name = value));
  }
  setData(range: FakeRange, _seriesBy?: string): void {
    this.excel.queue(() => void (this.chart().values = addressOf(range.area())));
  }
  setPosition(): void {
    this.excel.queue(() => undefined);
  }
  delete(): void {
    this.excel.queue(() => {
      const chart = this.chart();
      for (const sheet of this.excel.sheets) if (sheet.charts.includes(chart)) sheet.charts.splice(sheet.charts.indexOf(chart), 1);
    });
  }
}

class FakeCharts {
  items: FakeChartProxy[] = [];
  constructor(
    private readonly excel: FakeExcel,
    private readonly sheet: () => FakeSheet,
  ) {}
  load(_what?: string): this {
    this.excel.queue(() => {
      this.items = this.sheet().charts.map((chart) => new FakeChartProxy(this.excel, () => chart).load('name'));
    });
    return this;
  }
  private named(name: string): FakeChart {
    const chart = this.sheet().charts.find((c) => c.name === name);
    if (!chart) throw new RichApiError('ItemNotFound', `no chart named ${name}`);
    return chart;
  }
  getItem(name: string): FakeChartProxy {
    return new FakeChartProxy(this.excel, () => this.named(name));
  }
  getItemOrNullObject(name: string): FakeChartProxy & { isNullObject: boolean } {
    return this.excel.nullable(new FakeChartProxy(this.excel, () => this.named(name)), () => this.sheet().charts.find((c) => c.name === name));
  }
  add(type: string, source: FakeRange, _seriesBy: string): FakeChartProxy {
    const chart: FakeChart = { name: '', type };
    this.excel.queue(() => {
      const sheet = this.sheet();
      this.excel.writable({ sheet, row: 0, column: 0, rowCount: 0, columnCount: 0 });
      chart.name = `Chart ${sheet.charts.length + 1}`;
      chart.values = addressOf(source.area());
      sheet.charts.push(chart);
    });
    return new FakeChartProxy(this.excel, () => chart);
  }
}

// ---- the workbook ------------------------------------------------------------------------------

export interface FailAt {
  /** The request (1-based count of syncs) that fails. */
  request: number;
  /** Commands of that request that run before it fails (0: refused whole). */
  afterCommands?: number;
}

export class FakeExcel {
  readonly sheets: FakeSheet[] = [];
  readonly tables: FakeTable[] = [];
  /** Cell-data bytes each request carried to Excel, in order (one entry per sync). */
  readonly requests: number[] = [];
  /** Cell-data bytes each response carried back. */
  readonly responses: number[] = [];
  /** Whether calculation and screen updating were suspended for each request. */
  readonly suspended: { calculation: boolean; screen: boolean }[] = [];
  readonly selections: { sheet: string; row: number; column: number; rowCount: number; columnCount: number }[] = [];
  selected?: { sheet: string; row: number; column: number };
  active?: string;
  readonly protectionCalls: { sheet: string; action: 'protect' | 'unprotect'; options?: unknown }[] = [];
  /** Fail one request, whole or part-way. */
  failAt?: FailAt;
  limitBytes = LIMIT_BYTES;
  responseBytes = 0;
  private pending: Op[] = [];
  /** The request being run: commands queued while it runs (a collection's item loads) join it. */
  private running?: Op[];
  private pendingBytes = 0;
  private nextId = 1;
  private suspendCalculation = false;
  private suspendScreen = false;
  readonly context: any;

  constructor() {
    const excel = this;
    const worksheets = {
      items: [] as FakeWorksheet[],
      load(_what?: string) {
        excel.queue(() => {
          worksheets.items = excel.sheets.map((s) => {
            const sheet = new FakeWorksheet(excel, () => excel.live(s));
            sheet.load('name,position,visibility');
            return sheet;
          });
        });
        // The loads queued above run in the same request, right after this one.
        return worksheets;
      },
      add: (name: string) => {
        let created: FakeSheet | undefined;
        excel.queue(() => void (created = excel.newSheet(name)));
        return new FakeWorksheet(excel, () => {
          if (!created) throw new RichApiError('InvalidOperation', 'the sheet was not added');
          return excel.live(created);
        });
      },
      getItem: (name: string) => new FakeWorksheet(excel, () => excel.sheetNamed(name)),
      getItemOrNullObject: (name: string) => excel.nullable(new FakeWorksheet(excel, () => excel.sheetNamed(name)), () => excel.sheet(name)),
    };
    const tables = {
      items: [] as FakeTableProxy[],
      load(_what?: string) {
        excel.queue(() => {
          tables.items = excel.tables.map((t) => {
            const table = new FakeTableProxy(excel, () => excel.liveTable(t));
            table.load('name,showTotals');
            return table;
          });
        });
        return tables;
      },
      getItem: (name: string) => new FakeTableProxy(excel, () => excel.tableNamed(name)),
      getItemOrNullObject: (name: string) => excel.nullable(new FakeTableProxy(excel, () => excel.tableNamed(name)), () => excel.table(name)),
    };
    this.context = {
      workbook: { worksheets, tables },
      application: {
        suspendApiCalculationUntilNextSync: () => (this.suspendCalculation = true),
        suspendScreenUpdatingUntilNextSync: () => (this.suspendScreen = true),
      },
      sync: () => this.sync(),
    };
  }

  /** `Excel.run` for the gateway. */
  run = async <T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T> => batch(this.context as Excel.RequestContext);

  get syncs(): number {
    return this.requests.length;
  }

  // ---- the batch ----

  queue(op: Op): void {
    (this.running ?? this.pending).push(op);
  }

  queueWrite(rows: unknown, op: Op): void {
    if (Array.isArray(rows)) this.pendingBytes += valuesBytes(rows as CellValue[][]);
    this.queue(op);
  }

  private async sync(): Promise<void> {
    const ops = this.pending;
    const bytes = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    this.suspended.push({ calculation: this.suspendCalculation, screen: this.suspendScreen });
    this.suspendCalculation = this.suspendScreen = false;
    this.requests.push(bytes);
    this.responseBytes = 0;
    const request = this.requests.length;
    if (bytes > this.limitBytes) throw new RichApiError('RequestPayloadSizeLimitExceeded', `the request carries ${bytes} bytes, over Excel's limit of ${this.limitBytes}`);
    const failAt = this.failAt?.request === request ? (this.failAt.afterCommands ?? 0) : -1;
    // Each command runs in order; one that fails stops the request, and what ran before it stays done.
    this.running = ops;
    try {
      for (let index = 0; index < ops.length; index++) {
        if (index === failAt) throw new RichApiError('GeneralException', `request ${request} failed at command ${index + 1} of ${ops.length} (simulated)`);
        ops[index]();
      }
    } finally {
      this.running = undefined;
    }
    this.responses.push(this.responseBytes);
    if (this.responseBytes > this.limitBytes) throw new RichApiError('ResponsePayloadSizeLimitExceeded', `the response carries ${this.responseBytes} bytes, over Excel's limit of ${this.limitBytes}`);
  }

  /**
   * A *OrNullObject result: `isNullObject` is known after the next sync; commands on a null object do
   * nothing. https://learn.microsoft.com/office/dev/add-ins/develop/application-specific-api-model#ornullobject-methods-and-properties
   */
  nullable<T extends object>(proxy: T, found: () => unknown): T & { isNullObject: boolean } {
    const result = proxy as T & { isNullObject: boolean; delete?: () => void };
    result.isNullObject = false;
    this.queue(() => void (result.isNullObject = !found()));
    if (result.delete) {
      const remove = result.delete.bind(result);
      result.delete = () => this.queue(() => void (found() && remove()));
    }
    return result;
  }

  // ---- the model ----

  live(sheet: FakeSheet): FakeSheet {
    if (!this.sheets.includes(sheet)) throw new RichApiError('ItemNotFound', `the worksheet ${sheet.name} no longer exists`);
    return sheet;
  }

  liveTable(table: FakeTable): FakeTable {
    if (!this.tables.includes(table)) throw new RichApiError('ItemNotFound', `the table ${table.name} no longer exists`);
    return table;
  }

  sheet(name: string): FakeSheet | undefined {
    return this.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
  }

  table(name: string): FakeTable | undefined {
    return this.tables.find((t) => t.name.toLowerCase() === name.toLowerCase());
  }

  sheetNamed(name: string): FakeSheet {
    const sheet = this.sheet(name);
    if (!sheet) throw new RichApiError('ItemNotFound', `the worksheet ${name} does not exist`);
    return sheet;
  }

  tableNamed(name: string): FakeTable {
    const table = this.table(name);
    if (!table) throw new RichApiError('ItemNotFound', `the table ${name} does not exist`);
    return table;
  }

  newSheet(name: string): FakeSheet {
    if (name.length > 31 || /[\\/?*[\]:]/.test(name) || name.trim() === '') throw new RichApiError('InvalidArgument', `${name} is not a valid sheet name`);
    if (this.sheet(name)) throw new RichApiError('ItemAlreadyExists', `a sheet named ${name} already exists`);
    const sheet: FakeSheet = { id: this.nextId++, name, cells: [], frozenRows: 0, protected: false, visibility: 'Visible', charts: [], widths: new Map(), validations: new Map() };
    this.sheets.push(sheet);
    return sheet;
  }

  renameSheet(sheet: FakeSheet, name: string): void {
    const clash = this.sheet(name);
    if (clash && clash !== sheet) throw new RichApiError('ItemAlreadyExists', `a sheet named ${name} already exists`);
    const old = sheet.name;
    sheet.name = name;
    // Formulas follow a renamed sheet.
    this.rewriteFormulas((formula) => formula.split(`${old}!`).join(`${name}!`));
  }

  deleteSheet(sheet: FakeSheet): void {
    this.live(sheet);
    for (const table of this.tables.filter((t) => t.sheet === sheet)) this.deleteTable(table);
    this.sheets.splice(this.sheets.indexOf(sheet), 1);
    this.breakReferences(new RegExp(`('?)${escape(sheet.name)}\\1!\\$?[A-Z]+\\$?\\d+(?::\\$?[A-Z]+\\$?\\d+)?`, 'gi'));
  }

  deleteTable(table: FakeTable): void {
    this.liveTable(table);
    this.tables.splice(this.tables.indexOf(table), 1);
    this.breakReferences(new RegExp(`\\b${escape(table.name)}\\[[^\\]]*\\]`, 'gi'));
  }

  private breakReferences(reference: RegExp): void {
    this.rewriteFormulas((formula) => formula.replace(reference, '#REF!'));
  }

  private rewriteFormulas(rewrite: (formula: string) => string): void {
    for (const sheet of this.sheets) for (const row of sheet.cells) for (const cell of row ?? []) if (cell?.formula) cell.formula = rewrite(cell.formula);
  }

  renameTable(table: FakeTable, name: string): void {
    if (!/^[A-Za-z_\\][A-Za-z0-9_.]*$/.test(name)) throw new RichApiError('InvalidArgument', `${name} is not a valid table name`);
    const clash = this.table(name);
    if (clash && clash !== table) throw new RichApiError('ItemAlreadyExists', `a table named ${name} already exists`);
    table.name = name;
  }

  addTable(rangeProxy: FakeRange): FakeTableProxy {
    let created: FakeTable | undefined;
    this.queue(() => {
      const a = rangeProxy.area();
      this.writable(a);
      if (this.tables.some((t) => t.sheet === a.sheet && overlaps(t, a))) throw new RichApiError('InvalidOperation', 'a table cannot overlap another table');
      created = { id: this.nextId++, name: `Table${this.nextId}`, sheet: a.sheet, row: a.row, column: a.column, rows: a.rowCount - 1, columns: a.columnCount, showTotals: false };
      this.tables.push(created);
      this.normalizeHeaders(created);
    });
    return new FakeTableProxy(this, () => {
      if (!created) throw new RichApiError('InvalidOperation', 'the table was not added');
      return this.liveTable(created);
    });
  }

  resizeTable(table: FakeTable, a: Area): void {
    // The header row stays where it is, and the new range overlaps the old: Table.resize's rules.
    if (a.sheet !== table.sheet || a.row !== table.row || a.column !== table.column) throw new RichApiError('InvalidArgument', 'the table must keep its header row and first column');
    this.writable(a);
    const totals = table.showTotals;
    if (totals) this.setTotals(table, false);
    table.rows = a.rowCount - 1;
    table.columns = a.columnCount;
    this.normalizeHeaders(table);
    if (totals) this.setTotals(table, true);
  }

  setTotals(table: FakeTable, show: boolean): void {
    if (table.showTotals === show) return;
    const row = table.row + 1 + Math.max(1, table.rows);
    this.writable({ sheet: table.sheet, row, column: table.column, rowCount: 1, columnCount: table.columns });
    if (!show) for (let c = 0; c < table.columns; c++) this.cellAt(table.sheet, row, table.column + c, true)!.value = '';
    table.showTotals = show;
  }

  addTableRows(table: FakeTable, values: CellValue[][]): void {
    const t = this.liveTable(table);
    if (values.some((row) => row.length !== t.columns)) throw new RichApiError('InvalidArgument', `rows of ${values[0]?.length} values do not fit the ${t.columns} columns of ${t.name}`);
    // A table that shows one blank row holds no data yet: the first added row takes its place.
    const empty = t.rows === 1 && this.valuesOf({ sheet: t.sheet, row: t.row + 1, column: t.column, rowCount: 1, columnCount: t.columns })[0].every((v) => v === '');
    const first = empty ? t.row + 1 : t.row + 1 + t.rows;
    const area = { sheet: t.sheet, row: first, column: t.column, rowCount: values.length, columnCount: t.columns };
    this.writable(area);
    const totals = t.showTotals;
    if (totals) this.setTotals(t, false);
    // New rows take the formats of the row above, as a table grows.
    const above = first - 1;
    this.forEachCell(area, (cell, _r, c) => (cell.format ??= this.cellAt(t.sheet, above, t.column + c)?.format));
    this.writeValues(area, values, false);
    t.rows = first - t.row - 1 + values.length;
    if (totals) this.setTotals(t, true);
  }

  headersOf(table: FakeTable): string[] {
    return this.valuesOf({ sheet: table.sheet, row: table.row, column: table.column, rowCount: 1, columnCount: table.columns })[0].map((v) => String(v ?? ''));
  }

  /** Table headers are unique text: blanks become "ColumnN", duplicates (ignoring case) "Name2". */
  private normalizeHeaders(table: FakeTable): void {
    const seen = new Set<string>();
    for (let c = 0; c < table.columns; c++) {
      const cell = this.cellAt(table.sheet, table.row, table.column + c, true)!;
      let name = String(cell.value ?? '').trim() || `Column${c + 1}`;
      for (let n = 2; seen.has(name.toLowerCase()); n++) name = `${String(cell.value).trim()}${n}`;
      seen.add(name.toLowerCase());
      Object.assign(cell, { value: name, formula: undefined });
    }
  }

  cellAt(sheet: FakeSheet, row: number, column: number, create = false): Cell | undefined {
    if (!create) return sheet.cells[row]?.[column];
    const cells = (sheet.cells[row] ??= []);
    return (cells[column] ??= { value: '' });
  }

  cellsOf(a: Area): (Cell | undefined)[][] {
    return Array.from({ length: a.rowCount }, (_, r) => Array.from({ length: a.columnCount }, (_, c) => this.cellAt(a.sheet, a.row + r, a.column + c)));
  }

  forEachCell(a: Area, visit: (cell: Cell, r: number, c: number) => void): void {
    for (let r = 0; r < a.rowCount; r++) for (let c = 0; c < a.columnCount; c++) visit(this.cellAt(a.sheet, a.row + r, a.column + c, true)!, r, c);
  }

  valuesOf(a: Area): CellValue[][] {
    return this.cellsOf(a).map((row) => row.map((cell) => (cell?.formula ? this.evaluate(cell.formula) : (cell?.value ?? ''))));
  }

  /** Formulas the fake works out: `=SUM(Table[Column])`; anything else shows its stored value. */
  private evaluate(formula: string): CellValue {
    if (formula.includes('#REF!')) return '#REF!';
    const match = /^=SUM\(([A-Za-z_][\w.]*)\[([^\]]+)\]\)$/i.exec(formula);
    if (!match) return '#NAME?';
    const table = this.table(match[1]);
    const column = table ? this.headersOf(table).findIndex((h) => h.toLowerCase() === match[2].toLowerCase()) : -1;
    if (!table || column < 0) return '#REF!';
    const body = this.valuesOf({ sheet: table.sheet, row: table.row + 1, column: table.column + column, rowCount: table.rows, columnCount: 1 });
    return Number(body.reduce((a, [v]) => a + (typeof v === 'number' ? v : 0), 0).toPrecision(15));
  }

  /** Refuses a change to locked cells of a protected sheet (all cells are locked unless unlocked). */
  writable(a: Area): void {
    if (!a.sheet.protected) return;
    const locked = a.rowCount === 0 || a.rowCount * a.columnCount > 1_000_000 || this.cellsOf(a).some((row) => row.some((cell) => !cell?.unlocked));
    if (locked) throw new RichApiError('AccessDenied', `the cell or chart you're trying to change is on the protected sheet ${a.sheet.name}`);
  }

  writeValues(a: Area, rows: CellValue[][], asFormulas: boolean): void {
    if (!Array.isArray(rows) || rows.length !== a.rowCount || rows.some((r) => !Array.isArray(r) || r.length !== a.columnCount)) {
      throw new RichApiError('InvalidArgument', `the values given (${rows?.length} rows) do not match the size of the range (${a.rowCount}×${a.columnCount})`);
    }
    this.writable(a);
    rows.forEach((row, r) =>
      row.forEach((input, c) => {
        if (input === null || input === undefined) return; // null leaves the cell as it is
        if (typeof input === 'string' && input.length > 32_767) throw new RichApiError('InvalidArgument', 'a cell holds 32,767 characters at most');
        const cell = this.cellAt(a.sheet, a.row + r, a.column + c, true)!;
        const typed = asFormulas && typeof input === 'string' && input.startsWith('=') ? { formula: input, value: '' } : typedInExcel(input, cell.format);
        cell.value = typed.value;
        cell.formula = typed.formula;
      }),
    );
    for (const table of this.tables.filter((t) => t.sheet === a.sheet && a.row <= t.row && t.row < a.row + a.rowCount)) this.normalizeHeaders(table);
  }

  copyArea(source: Area, target: Area, copyType: string): void {
    const destination = { ...target, rowCount: source.rowCount, columnCount: source.columnCount };
    this.writable(destination);
    const copied = this.cellsOf(source).map((row) => row.map((cell) => ({ ...(cell ?? { value: '' }) })));
    this.forEachCell(destination, (cell, r, c) => {
      const from = copied[r][c];
      if (copyType !== 'Formats') Object.assign(cell, { value: from.value, formula: from.formula });
      if (copyType !== 'Values' && copyType !== 'Formulas') cell.format = from.format;
    });
    for (const table of this.tables.filter((t) => t.sheet === destination.sheet && destination.row <= t.row && t.row < destination.row + destination.rowCount)) this.normalizeHeaders(table);
  }

  sortArea(a: Area, fields: { key: number; ascending?: boolean }[]): void {
    // Sorting moves locked cells: a protected sheet refuses it, whatever allowSort says.
    this.writable(a);
    const rows = this.cellsOf(a).map((row) => row.map((cell) => ({ ...(cell ?? { value: '' }) })));
    const { key, ascending = true } = fields[0];
    rows.sort((x, y) => (String(x[key].value) < String(y[key].value) ? -1 : String(x[key].value) > String(y[key].value) ? 1 : 0) * (ascending ? 1 : -1));
    this.forEachCell(a, (cell, r, c) => Object.assign(cell, rows[r][c]));
  }

  // ---- what tests use ----

  /** Everything a user could see of the workbook, to compare before and after a failed step. */
  snapshot(): unknown {
    return {
      sheets: this.sheets.map((s) => ({
        name: s.name,
        visibility: s.visibility,
        protected: s.protected,
        charts: s.charts.map((c) => ({ ...c })),
        cells: trimmed(s.cells.map((row) => trimmed((row ?? []).map((cell) => (cell && (cell.value !== '' || cell.formula || cell.format) ? { ...cell } : null)), (c) => c === null)), (r) => r.length === 0),
      })),
      tables: this.tables.map((t) => ({ ...t, sheet: t.sheet.name })),
    };
  }

  /** A copy of the workbook, to run the same step on the same content several times. */
  clone(): FakeExcel {
    const copy = new FakeExcel();
    const sheets = new Map<FakeSheet, FakeSheet>();
    for (const sheet of this.sheets) {
      const twin: FakeSheet = {
        ...sheet,
        cells: sheet.cells.map((row) => (row ? row.map((cell) => (cell ? { ...cell } : undefined)) : row)),
        charts: sheet.charts.map((c) => ({ ...c })),
        widths: new Map(sheet.widths),
        validations: new Map(sheet.validations),
      };
      sheets.set(sheet, twin);
      copy.sheets.push(twin);
    }
    for (const table of this.tables) copy.tables.push({ ...table, sheet: sheets.get(table.sheet)! });
    copy.nextId = this.nextId;
    return copy;
  }

  /** A table's data rows as the user sees them. */
  tableRows(name: string): CellValue[][] {
    const table = this.tableNamed(name);
    const rows = this.valuesOf({ sheet: table.sheet, row: table.row + 1, column: table.column, rowCount: table.rows, columnCount: table.columns });
    return table.rows === 1 && rows[0].every((v) => v === '') ? [] : rows;
  }

  /** A table's headers. */
  tableHeaders(name: string): string[] {
    return this.headersOf(this.tableNamed(name));
  }

  /** Puts a table in the workbook directly, as a user would have typed it (values parsed as typed). */
  addUserTable(name: string, headers: string[], rows: CellValue[][], at = { sheet: name, row: 0, column: 0 }): FakeTable {
    if (this.table(name)) throw new RichApiError('ItemAlreadyExists', `a table named ${name} already exists`);
    const sheet = this.sheet(at.sheet) ?? this.newSheet(at.sheet);
    const area = { sheet, row: at.row, column: at.column, rowCount: rows.length + 1, columnCount: headers.length };
    this.writeValues(area, [headers, ...rows.map((r) => r.map((v) => v ?? ''))], false);
    const table: FakeTable = { id: this.nextId++, name, sheet, row: at.row, column: at.column, rows: Math.max(1, rows.length), columns: headers.length, showTotals: false };
    this.tables.push(table);
    return table;
  }

  /** Types into a cell as a user would: "=…" is a formula, "0100" a number, unless the cell is formatted as Text. */
  typeInto(sheet: string, address: string, input: string | number): void {
    const a = parseAddress(address);
    const target = this.sheetNamed(sheet);
    this.writable({ sheet: target, ...a });
    // Typing in the row just below a table extends the table, and the new row takes the formats of
    // the row above ("Include new rows and columns in table", on by default).
    // https://support.microsoft.com/office/resize-a-table-by-adding-or-removing-rows-and-columns-e65ae4bb-e44b-43f4-ad8b-7d68784f1165
    const grown = this.tables.find((t) => t.sheet === target && !t.showTotals && a.row === t.row + 1 + t.rows && a.column >= t.column && a.column < t.column + t.columns);
    if (grown) {
      grown.rows += 1;
      for (let c = 0; c < grown.columns; c++) this.cellAt(target, a.row, grown.column + c, true)!.format ??= this.cellAt(target, a.row - 1, grown.column + c)?.format;
    }
    const cell = this.cellAt(target, a.row, a.column, true)!;
    const typed = typeof input === 'string' && input.startsWith('=') ? { formula: input, value: '' as CellValue } : typedInExcel(input, cell.format);
    Object.assign(cell, typed);
  }

  /** What a cell shows (a formula's result), and its formula and format. */
  cell(sheet: string, address: string): { value: CellValue; formula?: string; format?: string } {
    const a = parseAddress(address);
    const target = this.sheetNamed(sheet);
    const cell = this.cellAt(target, a.row, a.column);
    return { value: this.valuesOf({ sheet: target, ...a, rowCount: 1, columnCount: 1 })[0][0], formula: cell?.formula, format: cell?.format };
  }

  /** The user sorts a range by its first column (Data → Sort). */
  userSort(sheet: string, address: string): void {
    this.sortArea({ sheet: this.sheetNamed(sheet), ...parseAddress(address) }, [{ key: 0 }]);
  }

  /** The number format of a table's data column (the format of its first data cell). */
  columnFormat(table: string, header: string): string | undefined {
    const t = this.tableNamed(table);
    const column = this.headersOf(t).indexOf(header);
    return this.cellAt(t.sheet, t.row + 1, t.column + column)?.format;
  }
}

/** The list without its trailing empty entries: an emptied cell looks like one never written. */
function trimmed<T>(items: T[], empty: (item: T) => boolean): T[] {
  let end = items.length;
  while (end > 0 && empty(items[end - 1])) end--;
  return items.slice(0, end);
}

function overlaps(t: FakeTable, a: Area): boolean {
  const bottom = t.row + 1 + Math.max(1, t.rows) + (t.showTotals ? 1 : 0);
  return a.row < bottom && t.row < a.row + a.rowCount && a.column < t.column + t.columns && t.column < a.column + a.columnCount;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
