/**
 * A small in-memory Excel behind office-addin-mock objects, for testing the Office.js gateway
 * without Excel. It models what the gateway uses: worksheets, tables, ranges by index, and the
 * batch semantics of Office.js (commands queue up and take effect at `context.sync()`; values
 * loaded become readable after it). It measures each request's cell data independently of the
 * gateway's own accounting, and can fail a chosen sync to test rollback.
 */
import { OfficeMockObject } from 'office-addin-mock';
import { CellValue } from '../../src/workbook/gateway';
import { rowPayloadBytes } from '../../src/workbook/write-plan';

export interface FakeTable {
  name: string;
  sheet: FakeSheet;
  rows: number;
  columns: number;
  showTotals: boolean;
  style?: string;
}

export interface FakeSheet {
  name: string;
  cells: CellValue[][];
  numberFormats: Map<number, string>;
  validations: Map<number, unknown>;
  frozenRows: number;
  protected: boolean;
  protection?: unknown;
  charts: { type: string; title?: string; seriesBy: string }[];
  position: number;
}

type Mock = OfficeMockObject & Record<string, any>;

interface RangeHandle {
  mock: Mock;
  sheet: () => FakeSheet;
  row: number;
  column: number;
  rowCount: number;
  columnCount: number;
  loaded?: unknown;
}

export class FakeExcel {
  readonly sheets: FakeSheet[] = [];
  readonly tables: FakeTable[] = [];
  /** Cell data bytes of each sync, measured here from what the gateway assigned. */
  readonly requests: number[] = [];
  /** Calls of `suspendApiCalculationUntilNextSync` and `suspendScreenUpdatingUntilNextSync` before each sync. */
  readonly suspended: { calculation: boolean; screen: boolean }[] = [];
  selected?: { sheet: string; row: number; column: number };
  /** Every range selected, with its size, in order. */
  readonly selections: { sheet: string; row: number; column: number; rowCount: number; columnCount: number }[] = [];
  /** The sheet last activated. */
  active?: string;
  /** Every protect and unprotect that took effect, in order. */
  readonly protectionCalls: { sheet: string; action: 'protect' | 'unprotect'; options?: unknown }[] = [];
  failAtSync?: number;
  private queue: (() => void)[] = [];
  private ranges: RangeHandle[] = [];
  private handles = new WeakMap<object, RangeHandle>();
  private suspendCalculation = false;
  private suspendScreen = false;
  readonly context: Mock;

  constructor() {
    this.context = new OfficeMockObject({
      workbook: {
        worksheets: this.worksheetCollection(),
        tables: this.tableCollection(() => this.tables),
      },
      application: {
        suspendApiCalculationUntilNextSync: () => (this.suspendCalculation = true),
        suspendScreenUpdatingUntilNextSync: () => (this.suspendScreen = true),
      },
      sync: () => this.sync(),
    }) as Mock;
  }

  /** `Excel.run` for the gateway. */
  run = async <T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T> => batch(this.context as unknown as Excel.RequestContext);

  get syncs(): number {
    return this.requests.length;
  }

  sheet(name: string): FakeSheet | undefined {
    return this.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
  }

  table(name: string): FakeTable | undefined {
    return this.tables.find((t) => t.name.toLowerCase() === name.toLowerCase());
  }

  /** A table's data rows as the user sees them. */
  tableRows(name: string): CellValue[][] {
    const table = this.table(name)!;
    return table.sheet.cells.slice(1, 1 + table.rows).map((row) => Array.from({ length: table.columns }, (_, c) => row?.[c] ?? null));
  }

  /** Puts a table in the workbook directly, as a user would have typed it. */
  addTable(name: string, headers: string[], rows: CellValue[][]): void {
    const sheet = this.newSheet(name);
    sheet.cells = [headers, ...rows].map((r) => [...r]);
    this.tables.push({ name, sheet, rows: rows.length, columns: headers.length, showTotals: false });
  }

  private newSheet(name: string): FakeSheet {
    if (this.sheet(name)) throw new Error(`A sheet named ${name} already exists`);
    const sheet: FakeSheet = { name, cells: [], numberFormats: new Map(), validations: new Map(), frozenRows: 0, protected: false, charts: [], position: this.sheets.length };
    this.sheets.push(sheet);
    return sheet;
  }

  private async sync(): Promise<void> {
    this.suspended.push({ calculation: this.suspendCalculation, screen: this.suspendScreen });
    this.suspendCalculation = this.suspendScreen = false;
    const queue = this.queue;
    const ranges = this.ranges;
    this.queue = [];
    this.ranges = [];
    let bytes = 0;
    if (this.failAtSync === this.requests.length + 1) {
      this.requests.push(0);
      throw new Error('RequestPayloadSizeLimitExceeded (simulated failure)');
    }
    for (const op of queue) {
      const sent = (op as () => unknown)();
      if (typeof sent === 'number') bytes += sent;
    }
    for (const range of ranges) bytes += this.applyRangeWrites(range);
    for (const range of ranges) await this.refreshLoaded(range);
    this.requests.push(bytes);
  }

  // ---- ranges ------------------------------------------------------------------------------

  private range(sheet: () => FakeSheet, row: number, column: number, rowCount: number, columnCount: number): Mock {
    const mock = new OfficeMockObject({
      values: [],
      rowIndex: row,
      columnIndex: column,
      rowCount,
      columnCount,
      format: { font: {}, columnWidth: 0 },
      dataValidation: {},
      select: () =>
        this.queue.push(() => {
          this.selected = { sheet: sheet().name, row, column };
          this.selections.push({ sheet: sheet().name, row, column, rowCount, columnCount });
        }),
    }) as Mock;
    const handle: RangeHandle = { mock, sheet, row, column, rowCount, columnCount };
    this.handles.set(mock, handle);
    const load = mock.load.bind(mock);
    mock.load = (what: string) => {
      handle.loaded = what;
      return load(what);
    };
    this.ranges.push(handle);
    return mock;
  }

  /** Values, formulas, formats and lists the gateway assigned to a range since it was created. */
  private applyRangeWrites(range: RangeHandle): number {
    const { mock } = range;
    const sheet = range.sheet();
    let bytes = 0;
    const write = (rows: unknown) => {
      if (!Array.isArray(rows)) return;
      if (sheet.protected) throw new Error(`AccessDenied: the sheet ${sheet.name} is protected`);
      bytes += 2; // the outer [ ]
      if (rows.length !== range.rowCount || rows.some((r) => !Array.isArray(r) || r.length !== range.columnCount)) {
        throw new Error(`InvalidArgument: ${rows.length} rows do not fit a range of ${range.rowCount}×${range.columnCount}`);
      }
      rows.forEach((row: CellValue[], r) => {
        const target = (sheet.cells[range.row + r] ??= []);
        row.forEach((cell, c) => {
          if (cell !== null) target[range.column + c] = cell;
        });
        bytes += rowPayloadBytes(row);
      });
    };
    if (range.loaded === undefined) {
      write(mock.values);
      write(mock.formulas);
    }
    if (typeof mock.numberFormat === 'string') sheet.numberFormats.set(range.column, mock.numberFormat);
    if (mock.dataValidation?.rule) sheet.validations.set(range.column, mock.dataValidation.rule);
    return bytes;
  }

  private async refreshLoaded(range: RangeHandle): Promise<void> {
    if (range.loaded === undefined) return;
    const sheet = range.sheet();
    const values = Array.from({ length: range.rowCount }, (_, r) => Array.from({ length: range.columnCount }, (_, c) => sheet.cells[range.row + r]?.[range.column + c] ?? ''));
    (range.mock as any).setValue('values', values);
    range.mock.load(range.loaded as string);
    await range.mock.sync();
  }

  // ---- worksheets --------------------------------------------------------------------------

  private worksheetMock(state: () => FakeSheet | undefined, name: string): any {
    const self = this;
    const current = () => {
      const sheet = state();
      if (!sheet) throw new Error(`ItemNotFound: the worksheet ${name} does not exist`);
      return sheet;
    };
    const wrapper: any = {
      isNullObject: false,
      get name() {
        return state()?.name ?? name;
      },
      // Renames and moves queue like any command, so a delete queued before them happens first.
      set name(value: string) {
        self.queue.push(() => (current().name = value));
      },
      get position() {
        return state()?.position ?? 0;
      },
      set position(value: number) {
        self.queue.push(() => void (current().position = value));
      },
      delete: () =>
        this.queue.push(() => {
          const sheet = current();
          this.sheets.splice(this.sheets.indexOf(sheet), 1);
          for (const t of this.tables.filter((t) => t.sheet === sheet)) this.tables.splice(this.tables.indexOf(t), 1);
        }),
      activate: () => this.queue.push(() => void (this.active = current().name)),
      load: () => wrapper,
      getRangeByIndexes: (row: number, column: number, rowCount: number, columnCount: number) => this.range(current, row, column, rowCount, columnCount),
      getRange: (address: string) => {
        const { row, column, rowCount, columnCount } = parseAddress(address);
        return this.range(current, row, column, rowCount, columnCount);
      },
      getUsedRangeOrNullObject: () => {
        const sheet = current();
        const rowCount = sheet.cells.length;
        const columnCount = sheet.cells.reduce((a, r) => Math.max(a, r?.length ?? 0), 0);
        return Object.assign(this.range(current, 0, 0, rowCount, columnCount), { isNullObject: rowCount === 0 });
      },
      freezePanes: { freezeRows: (n: number) => this.queue.push(() => void (current().frozenRows = n)) },
      tables: {
        add: (range: Mock, _hasHeaders: boolean) => {
          const { rowCount, columnCount } = this.handles.get(range)!;
          const table: FakeTable = { name: '', sheet: undefined as unknown as FakeSheet, rows: rowCount - 1, columns: columnCount, showTotals: false };
          const mock: any = this.tableMock(() => table);
          this.queue.push(() => {
            table.sheet = current();
            table.name = mock.name || `Table${this.tables.length + 1}`;
            if (this.tables.some((t) => t.name.toLowerCase() === table.name.toLowerCase())) throw new Error(`InvalidArgument: a table named ${table.name} exists`);
            this.tables.push(table);
          });
          return mock;
        },
      },
      charts: {
        add: (type: string, _source: Mock, seriesBy: string) => {
          const chart = { type, seriesBy, title: undefined as string | undefined };
          this.queue.push(() => current().charts.push(chart));
          return {
            series: { getItemAt: () => ({ setXAxisValues: () => undefined }) },
            title: {
              set text(value: string) {
                chart.title = value;
              },
            },
            legend: {},
            setPosition: () => undefined,
          };
        },
      },
      protection: {
        get protected() {
          return current().protected;
        },
        load: () => undefined,
        protect: (options: unknown) =>
          this.queue.push(() => {
            const sheet = current();
            if (sheet.protected) throw new Error('InvalidOperation: the sheet is protected already');
            sheet.protected = true;
            sheet.protection = options;
            this.protectionCalls.push({ sheet: sheet.name, action: 'protect', options });
          }),
        unprotect: () =>
          this.queue.push(() => {
            const sheet = current();
            sheet.protected = false;
            this.protectionCalls.push({ sheet: sheet.name, action: 'unprotect' });
          }),
      },
    };
    return wrapper;
  }

  private worksheetCollection(): Record<string, unknown> {
    const collection: any = {
      items: [] as unknown[],
      load: () => {
        this.queue.push(() => {
          collection.items = this.sheets.map((s) => this.worksheetMock(() => s, s.name));
        });
        return collection;
      },
      add: (name: string) => {
        let created: FakeSheet | undefined;
        this.queue.push(() => {
          created = this.newSheet(name);
        });
        return this.worksheetMock(() => created, name);
      },
      getItemOrNullObject: (name: string) => {
        const found = this.sheet(name);
        const mock = this.worksheetMock(() => found, name);
        mock.isNullObject = !found;
        if (!found) mock.delete = () => undefined;
        return mock;
      },
    };
    return collection;
  }

  // ---- tables ------------------------------------------------------------------------------

  private tableMock(state: () => FakeTable): any {
    const self = this;
    const table = () => state();
    const headerRow = () => 0;
    return {
      isNullObject: false,
      name: '',
      set style(value: string) {
        table().style = value;
      },
      set showTotals(value: boolean) {
        table().showTotals = value;
      },
      get worksheet() {
        return self.worksheetMock(() => table().sheet, table().sheet?.name ?? '');
      },
      getRange: () => this.range(() => table().sheet, headerRow(), 0, 1 + table().rows + (table().showTotals ? 1 : 0), table().columns),
      getHeaderRowRange: () => this.range(() => table().sheet, headerRow(), 0, 1, table().columns),
      getDataBodyRange: () => this.range(() => table().sheet, 1, 0, table().rows, table().columns),
      getTotalRowRange: () => this.range(() => table().sheet, 1 + table().rows, 0, 1, table().columns),
      rows: {
        add: (_index: unknown, values: CellValue[][]) => {
          this.queue.push(() => {
            const t = table();
            if (t.sheet.protected) throw new Error(`AccessDenied: the sheet ${t.sheet.name} is protected`);
            values.forEach((row, r) => (t.sheet.cells[1 + t.rows + r] = [...row]));
            t.rows += values.length;
            return values.reduce((a, row) => a + rowPayloadBytes(row), 2);
          });
        },
      },
    };
  }

  private tableCollection(tables: () => FakeTable[]): Record<string, unknown> {
    const collection: any = {
      items: [] as unknown[],
      load: () => {
        this.queue.push(() => (collection.items = tables().map((t) => ({ name: t.name }))));
        return collection;
      },
      getItemOrNullObject: (name: string) => {
        const found = this.table(name);
        if (!found) return { isNullObject: true };
        return this.tableMock(() => found);
      },
      getItem: (name: string) => {
        const found = this.table(name);
        if (!found) throw new Error(`ItemNotFound: the table ${name} does not exist`);
        return this.tableMock(() => found);
      },
    };
    return collection;
  }
}

/** `B17` or `A1:C3` as zero-based indexes and a size. */
function parseAddress(address: string): { row: number; column: number; rowCount: number; columnCount: number } {
  const match = /^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/i.exec(address.trim());
  if (!match) throw new Error(`InvalidArgument: ${address} is not a range address`);
  const columnOf = (letters: string) => letters.toUpperCase().split('').reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  const row = Number(match[2]) - 1;
  const column = columnOf(match[1]);
  const bottom = match[4] ? Number(match[4]) - 1 : row;
  const right = match[3] ? columnOf(match[3]) : column;
  return { row, column, rowCount: bottom - row + 1, columnCount: right - column + 1 };
}
