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
