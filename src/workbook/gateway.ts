/**
 * The workbook gateway: the one interface through which the month-end steps read and write the
 * chargeback workbook. Excel implements it with Office.js; the command line (and the task pane's
 * browser harness) with ExcelJS. Steps written against it run unchanged in both.
 *
 * A step reads what it needs in one batch (`readTables`), computes, and commits everything it
 * changes (tables, Audit rows, sheet protection, a chart) as one unit of work (`commit`): all of
 * it lands, or none of it does.
 */

export type CellValue = string | number | boolean | null;

export interface TableData {
  headers: string[];
  rows: CellValue[][];
  /**
   * Rows typed directly below the table, outside its range (after a blank row, or added by a tool
   * that did not resize the table): Excel does not count them as the table's, so the rules must not
   * silently ignore them either. Worksheet-style row numbers (the header is row 1).
   */
  rowsBelow?: { first: number; last: number };
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

export interface RowsAppend {
  table: string;
  columns: ColumnSpec[];
  rows: CellValue[][];
}

/** Everything one step changes, committed as one unit of work. */
export interface WorkbookChange {
  /** Tables whose content is replaced: in place where the table exists (same sheet, name and id), else created. */
  tables?: TableSpec[];
  /** Rows added to the end of tables (the Audit log), each created with its columns when missing. */
  appends?: RowsAppend[];
  /** Sheets protected (allowing filter) or unprotected, after the content is in. */
  protect?: { sheets: string[]; protect: boolean };
  /** A bar chart drawn once the tables are in; hosts that cannot draw charts (ExcelJS) skip it. */
  chart?: ChartSpec;
}

export interface WorkbookGateway {
  /** Names of the tables the workbook holds (and of sheets that hold data without a table). */
  tableNames(): Promise<string[]>;
  /** A table's headers and rows, or undefined when the workbook has no such table. */
  readTable(name: string): Promise<TableData | undefined>;
  /** Several tables in one batch (Excel: as few requests as their size allows), keyed by the names asked. */
  readTables(names: readonly string[]): Promise<Map<string, TableData | undefined>>;
  /** Commits a step's changes, all of them or none: a failure anywhere leaves the workbook as it was. */
  commit(change: WorkbookChange): Promise<void>;
  /** `commit({ tables })`: replaces each named table's content, all of them or none. */
  writeTables(tables: TableSpec[]): Promise<void>;
  /** `commit({ appends })`: adds rows to the end of a table, creating it with `columns` when missing. */
  appendRows(table: string, columns: ColumnSpec[], rows: CellValue[][]): Promise<void>;
}

/**
 * What every host shares: single reads, and writes and appends as commits. A host implements
 * `tableNames`, `readTables` and `commit`.
 */
export abstract class GatewayBase implements WorkbookGateway {
  abstract tableNames(): Promise<string[]>;
  abstract readTables(names: readonly string[]): Promise<Map<string, TableData | undefined>>;
  abstract commit(change: WorkbookChange): Promise<void>;

  async readTable(name: string): Promise<TableData | undefined> {
    return (await this.readTables([name])).get(name);
  }

  writeTables(tables: TableSpec[]): Promise<void> {
    return tables.length === 0 ? Promise.resolve() : this.commit({ tables });
  }

  appendRows(table: string, columns: ColumnSpec[], rows: CellValue[][]): Promise<void> {
    return rows.length === 0 ? Promise.resolve() : this.commit({ appends: [{ table, columns, rows }] });
  }
}

/**
 * The gateway, reading each table at most once until it is written through it: a step reads all
 * it needs up front (`prefetch`), in one batch, and the functions it calls read from that. Use it
 * only while nothing writes those tables past it.
 */
export interface ReadingOnce extends WorkbookGateway {
  /** Reads the named tables not read yet, in one batch. */
  prefetch(names: readonly string[]): Promise<void>;
}

export function readingOnce(gateway: WorkbookGateway): ReadingOnce {
  if (isReadingOnce(gateway)) return gateway;
  const read = new Map<string, TableData | undefined>();
  const key = (name: string) => name.toLowerCase();
  const forget = (names: string[]) => names.forEach((name) => read.delete(key(name)));
  const prefetch = async (names: readonly string[]) => {
    const wanted = [...new Set(names.filter((name) => !read.has(key(name))))];
    if (wanted.length === 0) return;
    const tables = await gateway.readTables(wanted);
    for (const name of wanted) read.set(key(name), tables.get(name));
  };
  const reads: ReadingOnce = {
    [READING_ONCE]: true,
    prefetch,
    tableNames: () => gateway.tableNames(),
    async readTable(name) {
      await prefetch([name]);
      return read.get(key(name));
    },
    async readTables(names) {
      await prefetch(names);
      return new Map(names.map((name) => [name, read.get(key(name))]));
    },
    async commit(change) {
      forget([...(change.tables ?? []).map((t) => t.name), ...(change.appends ?? []).map((a) => a.table)]);
      await gateway.commit(change);
    },
    writeTables: (tables) => reads.commit({ tables }),
    appendRows: (table, columns, rows) => reads.commit({ appends: [{ table, columns, rows }] }),
  } as ReadingOnce;
  return reads;
}

const READING_ONCE = Symbol('readingOnce');
function isReadingOnce(gateway: WorkbookGateway): gateway is ReadingOnce {
  return (gateway as unknown as Record<symbol, unknown>)[READING_ONCE] === true;
}
