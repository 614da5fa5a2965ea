/**
 * The workbook gateway: the one interface through which the month-end steps read and write the
 * chargeback workbook. Excel implements it with Office.js; the command line (and the task pane's
 * browser harness) with ExcelJS. Steps written against it run unchanged in both.
 */

export type CellValue = string | number | boolean | null;

export interface TableData {
  headers: string[];
  rows: CellValue[][];
}

export type ColumnKind = 'text' | 'money' | 'exact' | 'integer' | 'percent' | 'date';

export interface ColumnSpec {
  header: string;
  kind?: ColumnKind;
  /** Approximate width in characters. */
  width?: number;
  /** Values a user may pick from (data validation list), for rule tables. */
  choices?: readonly string[];
}

/** A sheet holding one Excel table of the same name (header row 1, frozen, with filters). */
export interface TableSpec {
  name: string;
  columns: ColumnSpec[];
  rows: CellValue[][];
  /** Show a totals row that sums the money columns. */
  totals?: boolean;
  /** Minor-unit decimals for money columns (2 for USD, 0 for JPY). */
  minorDigits?: number;
}

export interface ChartSpec {
  sheet: string;
  title: string;
  /** Column of the table holding the category labels, and the one holding the values. */
  categoryColumn: string;
  valueColumn: string;
  /** Data rows to chart (the statement's rows, not its totals row). */
  rowCount: number;
}

export interface WorkbookGateway {
  /** Names of the tables the workbook holds. */
  tableNames(): Promise<string[]>;
  /** A table's headers and rows, or undefined when the workbook has no such table. */
  readTable(name: string): Promise<TableData | undefined>;
  /**
   * Replaces each named table (and its sheet) with the given content, all of them or none: a
   * failure part-way leaves the workbook as it was.
   */
  writeTables(tables: TableSpec[]): Promise<void>;
  /** Adds rows to the end of a table, creating it with `columns` when missing. */
  appendRows(table: string, columns: ColumnSpec[], rows: CellValue[][]): Promise<void>;
  /** Draws a bar chart; hosts that cannot draw charts (ExcelJS) do nothing. */
  addBarChart?(chart: ChartSpec): Promise<void>;
  /** Protects sheets against edits while still allowing sort and filter; unprotects with `false`. */
  protectSheets?(sheets: string[], protect: boolean): Promise<void>;
}

/** Rows of a table as objects keyed by header. */
export function rowsAsRecords(table: TableData | undefined): Record<string, CellValue>[] {
  if (!table) return [];
  return table.rows.map((row) => Object.fromEntries(table.headers.map((h, i) => [h, row[i] ?? null])));
}

/**
 * The gateway, reading each table at most once until it is written through it: for a step that
 * reads the same tables twice (the review, then the approval digest), so Excel is asked once for
 * a large Costs table. Use it only while nothing writes those tables past it.
 */
export function readingOnce(gateway: WorkbookGateway): WorkbookGateway {
  const read = new Map<string, TableData | undefined>();
  const forget = (names: string[]) => {
    const written = new Set(names.map((n) => n.toLowerCase()));
    for (const name of [...read.keys()]) if (written.has(name.toLowerCase())) read.delete(name);
  };
  return {
    tableNames: () => gateway.tableNames(),
    async readTable(name) {
      if (read.has(name)) return read.get(name);
      const table = await gateway.readTable(name);
      read.set(name, table);
      return table;
    },
    async writeTables(tables) {
      forget(tables.map((t) => t.name));
      await gateway.writeTables(tables);
    },
    async appendRows(table, columns, rows) {
      forget([table]);
      await gateway.appendRows(table, columns, rows);
    },
    addBarChart: gateway.addBarChart && ((chart) => gateway.addBarChart!(chart)),
    protectSheets: gateway.protectSheets && ((sheets, protect) => gateway.protectSheets!(sheets, protect)),
  };
}
