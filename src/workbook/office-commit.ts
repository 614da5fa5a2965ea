/// <reference types="office-js" />
/**
 * One step's changes committed to Excel as one unit of work, in place.
 *
 * Tables are updated where they are (same sheet, same table name and id), so formulas, charts and
 * pivots that point at them (`=SUM(Chargeback[Total])`) keep working. The work goes in three kinds
 * of request:
 *   1. look: which tables and sheets exist;
 *   2. stage: each table's new content goes to a hidden staging sheet (text columns formatted as
 *      Text before their values, so Excel keeps "0100" and "2026-10" as typed), in requests under
 *      the 5 MB limit; a hidden backup copy of each table being replaced is made in the first;
 *   3. copy in: one request resizes each table and copies its staged content in, adds the Audit
 *      rows, sets protection, draws the chart and removes the staging sheets.
 * A failure while staging leaves the workbook as it was (the staging sheets are deleted). Excel
 * does not roll back a request that fails part-way, so a failure of the copy-in request is undone
 * from the backups in one more request.
 */
import { CellValue, ChartSpec, RowsAppend, TableSpec, WorkbookChange } from './gateway';
import { dropDownList, numberFormat, VALIDATED_ROWS } from './layout';
import { checkSheetLimits } from './sheet-limits';
import { DEFAULT_CHUNK_BYTES, inPlaceUpdate, planTableWrite, rowPayloadBytes } from './write-plan';

export interface CommitIo {
  sync(context: Excel.RequestContext, bytes?: number): Promise<void>;
  budget: number;
}

export class SheetProtectedError extends Error {}

const STAGING_PREFIX = 'CB~';
const BACKUP_PREFIX = 'CB^';
const stagingName = (name: string) => (STAGING_PREFIX + name).slice(0, 31);
const backupName = (name: string) => (BACKUP_PREFIX + name).slice(0, 31);
/** Points per character of column width, roughly, in Excel's default font. */
const POINTS_PER_CHARACTER = 7;
export const CHART_NAME = 'ChargebackChart';

/** The rows a table's sheet holds: the header, then the data (one blank row for an empty table). */
export function sheetRows(spec: TableSpec): CellValue[][] {
  const blank = spec.columns.map(() => '');
  return [spec.columns.map((c) => c.header), ...(spec.rows.length > 0 ? spec.rows.map((row) => row.map((cell) => cell ?? '')) : [blank])];
}

/** A piece of one table's rows (header row included as row 0) staged in one request. */
interface WritePart {
  table: number;
  start: number;
  count: number;
  bytes: number;
}

export interface WriteRequestPlan {
  /** Requests that carry cell data; each is one `context.sync()`. */
  requests: { parts: WritePart[]; bytes: number }[];
  /** All syncs of the write: the look, the staging requests, and the copy-in. */
  syncs: number;
  largestRequestBytes: number;
}

/** How the staging cuts the tables into requests: chunks of one table, small tables packed together. */
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
  const finalBytes = specs.reduce((a, spec) => a + (spec.totals ? rowPayloadBytes(totalsRow(spec)) : 0), 0);
  return { requests, syncs: Math.max(1, requests.length) + 2, largestRequestBytes: Math.max(finalBytes, ...requests.map((r) => r.bytes)) };
}

function totalsRow(spec: TableSpec): CellValue[] {
  return spec.columns.map((column, index) => (index === 0 ? 'Total' : column.kind === 'money' ? `=SUBTOTAL(109,[${column.header}])` : ''));
}

/** What the look and the staging learnt of a table being replaced or appended to. */
interface Existing {
  name: string;
  table: Excel.Table;
  sheet: Excel.Worksheet;
  header: Excel.Range;
  body: Excel.Range;
  showTotals: boolean;
  protection: Excel.WorksheetProtection;
}

export async function commitChange(context: Excel.RequestContext, change: WorkbookChange, io: CommitIo): Promise<void> {
  const specs = change.tables ?? [];
  const appends = (change.appends ?? []).filter((a) => a.rows.length > 0);
  // What Excel cannot hold is refused before the first request.
  checkSheetLimits([...specs, ...appends.map((a) => ({ name: a.table, columns: a.columns, rows: a.rows }))]);
  // 1. Look.
  const tables = context.workbook.tables.load('items/name,items/showTotals');
  const sheets = context.workbook.worksheets.load('items/name');
  await io.sync(context);
  const tableNamed = (name: string) => tables.items.find((t) => t.name.toLowerCase() === name.toLowerCase());
  const sheetNamed = (name: string) => sheets.items.find((s) => s.name.toLowerCase() === name.toLowerCase());
  const existing = new Map<string, Existing>();
  /** Asks, in the next request, what a table being replaced or appended to looks like now. */
  const learn = (name: string) => {
    const item = tableNamed(name);
    if (!item || existing.has(name)) return;
    const table = context.workbook.tables.getItem(item.name);
    const sheet = table.worksheet;
    existing.set(name, {
      name: item.name,
      table,
      sheet,
      header: table.getHeaderRowRange().load('values,rowIndex,columnIndex,columnCount'),
      body: table.getDataBodyRange().load('rowCount'),
      showTotals: item.showTotals,
      protection: sheet.protection.load('protected'),
    });
  };
  specs.forEach((spec) => learn(spec.name));
  const chart = change.chart ? chartBefore(change.chart, existing.get(change.chart.sheet)) : undefined;
  const protections = (change.protect?.sheets ?? []).filter((name) => sheetNamed(name)).map((name) => ({ name, protection: context.workbook.worksheets.getItem(name).protection.load('protected') }));

  // 2. Stage (the first staging request also carries what the look asked for, and the backups).
  const staged: Excel.Worksheet[] = [];
  const backedUp: string[] = [];
  const plan = planWriteRequests(specs, io.budget);
  const rows = specs.map(sheetRows);
  try {
    for (const spec of specs) {
      for (const name of [stagingName(spec.name), backupName(spec.name)]) if (sheetNamed(name)) context.workbook.worksheets.getItem(name).delete();
      const sheet = context.workbook.worksheets.add(stagingName(spec.name));
      sheet.visibility = 'Hidden' as Excel.SheetVisibility.hidden;
      // Formats before values, in the same request: a Text cell keeps what is written as text.
      spec.columns.forEach((column, index) => {
        const format = numberFormat(column, spec.minorDigits ?? 2);
        if (format) sheet.getRangeByIndexes(1, index, rows[specs.indexOf(spec)].length - 1, 1).numberFormat = format as unknown as string[][]; // one value sets every cell of the range
      });
      staged.push(sheet);
      const old = existing.get(spec.name);
      if (old) {
        const backup = context.workbook.worksheets.add(backupName(spec.name));
        backup.visibility = 'Hidden' as Excel.SheetVisibility.hidden;
        backup.getRange('A1').copyFrom(old.table.getRange(), 'All' as Excel.RangeCopyType.all);
        backedUp.push(spec.name);
      }
    }
    // Appending alone needs no staging request: the copy-in learns the table and checks its columns.
    const requests = plan.requests.length > 0 ? plan.requests : change.protect?.protect ? [{ parts: [], bytes: 0 }] : [];
    for (const request of requests) {
      context.application.suspendApiCalculationUntilNextSync();
      context.application.suspendScreenUpdatingUntilNextSync();
      for (const part of request.parts) {
        const width = specs[part.table].columns.length;
        staged[part.table].getRangeByIndexes(part.start, 0, part.count, width).values = rows[part.table].slice(part.start, part.start + part.count);
      }
      await io.sync(context, request.bytes);
    }
    for (const [name, old] of existing) {
      const written = specs.some((s) => s.name === name) || appends.some((a) => a.table === name);
      const unprotected = change.protect && !change.protect.protect && change.protect.sheets.some((s) => s.toLowerCase() === name.toLowerCase());
      if (written && old.protection.protected && !unprotected) throw new SheetProtectedError(`the ${name} sheet is protected (the period is approved): reopen the period before changing it`);
    }
  } catch (error) {
    await removeSheets(context, io, specs.flatMap((s) => [stagingName(s.name), backupName(s.name)]));
    throw error;
  }

  // 3. Copy in, in one request.
  const created: string[] = [];
  try {
    context.application.suspendApiCalculationUntilNextSync();
    context.application.suspendScreenUpdatingUntilNextSync();
    if (change.protect && !change.protect.protect) for (const { protection } of protections) protection.unprotect();
    specs.forEach((spec, index) => {
      const old = existing.get(spec.name);
      if (!old && !sheetNamed(spec.name)) created.push(spec.name);
      copyIn(context, spec, staged[index], old, sheetNamed(spec.name));
    });
    for (const append of appends) {
      if (!tableNamed(append.table)) {
        created.push(append.table);
        copyIn(context, { name: append.table, columns: append.columns, rows: append.rows }, undefined, undefined, sheetNamed(append.table), append.rows);
        continue;
      }
      // Its size and columns as they are just before the rows go in (for the check after, and an undo).
      learn(append.table);
      existing.get(append.table)!.table.rows.add(undefined, append.rows.map((row) => row.map((cell) => cell ?? '')));
    }
    if (change.protect?.protect) for (const { protection } of protections) if (!protection.protected) protection.protect({ allowAutoFilter: true, allowSort: true });
    if (change.chart) drawChart(context, change.chart, chart);
    // Last, the staging sheets, then the backups: once one of them is gone, everything else is in.
    for (const spec of specs) context.workbook.worksheets.getItem(stagingName(spec.name)).delete();
    for (const name of backedUp) context.workbook.worksheets.getItem(backupName(name)).delete();
    await io.sync(context, specs.reduce((a, spec) => a + (spec.totals ? rowPayloadBytes(totalsRow(spec)) : 0), 0) + appends.reduce((a, x) => a + x.rows.reduce((b, r) => b + rowPayloadBytes(r), 2), 0));
    // Rows appended under other headers would be filed in the wrong columns: undo and say so.
    for (const append of appends) checkAppendColumns(append, existing.get(append.table));
  } catch (error) {
    const outcome = await undo(context, io, { specs, appends, existing, created, backedUp, protections: change.protect ? protections : [], chart: change.chart && chart }, error as Error);
    if (outcome === 'undone') throw error;
  }
}

function checkAppendColumns(append: RowsAppend, old: Existing | undefined): void {
  if (!old) return;
  const present = old.header.values[0].map((h) => String(h ?? '').trim());
  const expected = append.columns.map((c) => c.header);
  const missing = expected.filter((h) => !present.includes(h));
  if (missing.length === 0 && present.some((h, i) => h !== expected[i])) throw new Error(`the ${append.table} table's columns were moved: put them back in the order ${expected.join(', ')}`);
  if (missing.length > 0) throw new Error(`the ${append.table} table lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: restore ${missing.length > 1 ? 'them' : 'it'} (its columns are ${append.columns.map((c) => c.header).join(', ')})`);
}

/** Puts a staged table's content into place: the existing table resized, or a new table on its sheet. */
function copyIn(context: Excel.RequestContext, spec: TableSpec, staging: Excel.Worksheet | undefined, old: Existing | undefined, sheetItem: Excel.Worksheet | undefined, directRows?: CellValue[][]): void {
  const width = spec.columns.length;
  const dataRows = Math.max(1, spec.rows.length);
  let sheet: Excel.Worksheet;
  let table: Excel.Table;
  let top = 0;
  let left = 0;
  if (old) {
    sheet = old.sheet;
    table = old.table;
    top = old.header.rowIndex;
    left = old.header.columnIndex;
    if (old.showTotals) table.showTotals = false;
    table.resize(sheet.getRangeByIndexes(top, left, 1 + dataRows, width));
    // What the old table covered and the new one does not: emptied (the plan both hosts follow).
    const place = { top, left, width: old.header.columnCount, bodyRows: old.body.rowCount, totals: old.showTotals };
    for (const block of inPlaceUpdate(place, { width, rows: spec.rows.length, totals: spec.totals === true }).clear) {
      sheet.getRangeByIndexes(block.top, block.left, block.rows, block.columns).clear('All' as Excel.ClearApplyTo.all);
    }
  } else {
    sheet = sheetItem ? context.workbook.worksheets.getItem(sheetItem.name) : context.workbook.worksheets.add(spec.name);
    if (sheetItem) sheet.getRange().clear('All' as Excel.ClearApplyTo.all);
    table = sheet.tables.add(sheet.getRangeByIndexes(0, 0, 1 + dataRows, width), true);
    table.name = spec.name;
    table.style = 'TableStyleMedium2';
    sheet.freezePanes.freezeRows(1);
    sheet.getRangeByIndexes(0, 0, 1, width).format.font.bold = true;
  }
  const target = sheet.getRangeByIndexes(top, left, 1 + dataRows, width);
  if (staging) target.copyFrom(staging.getRangeByIndexes(0, 0, 1 + dataRows, width), 'All' as Excel.RangeCopyType.all);
  else {
    // A small table created by an append: formats, then values, in this request.
    spec.columns.forEach((column, index) => {
      const format = numberFormat(column, spec.minorDigits ?? 2);
      if (format) sheet.getRangeByIndexes(top + 1, left + index, dataRows, 1).numberFormat = format as unknown as string[][]; // one value sets every cell of the range
    });
    target.values = sheetRows({ ...spec, rows: directRows ?? spec.rows });
  }
  spec.columns.forEach((column, index) => {
    sheet.getRangeByIndexes(top, left + index, 1, 1).format.columnWidth = (column.width ?? 16) * POINTS_PER_CHARACTER;
    if (column.choices) {
      const validation = sheet.getRangeByIndexes(top + 1, left + index, Math.max(dataRows, VALIDATED_ROWS), 1).dataValidation;
      validation.rule = { list: { inCellDropDown: true, source: dropDownList(column) } };
      validation.errorAlert = { showAlert: column.header === 'Method' || column.header === 'Setting', style: 'Stop', title: column.header, message: `Choose one of: ${column.choices.join(', ')}` };
    }
  });
  if (spec.totals) {
    table.showTotals = true;
    table.getTotalRowRange().formulas = [totalsRow(spec)];
  }
}

/** The statement's chart, as it was before the change (to put back in an undo). */
interface ChartBefore {
  spec: ChartSpec;
  statement: Existing;
  chart: Excel.Chart & { isNullObject: boolean };
  title: Excel.ChartTitle;
}

function chartBefore(spec: ChartSpec, statement: Existing | undefined): ChartBefore | undefined {
  if (!statement) return undefined;
  const chart = statement.sheet.charts.getItemOrNullObject(CHART_NAME) as ChartBefore['chart'];
  return { spec, statement, chart, title: chart.title.load('text') };
}

/**
 * Points the statement's chart at its Total and CostCenter columns (drawing it the first time),
 * so it follows the statement as it grows, shrinks or gains a pool column.
 */
function drawChart(context: Excel.RequestContext, chart: ChartSpec, before: ChartBefore | undefined): void {
  if (chart.rowCount === 0) return;
  const table = context.workbook.tables.getItem(chart.sheet);
  const values = table.columns.getItem(chart.valueColumn).getRange();
  const categories = table.columns.getItem(chart.categoryColumn).getDataBodyRange();
  let drawn: Excel.Chart;
  if (before && !before.chart.isNullObject) {
    drawn = before.chart;
    drawn.setData(values, 'Columns' as Excel.ChartSeriesBy.columns);
  } else {
    const sheet = table.worksheet;
    drawn = sheet.charts.add('BarClustered' as Excel.ChartType.barClustered, values, 'Columns' as Excel.ChartSeriesBy.columns);
    drawn.name = CHART_NAME;
    drawn.legend.visible = false;
    // Beside the statement, below the header, so it covers no figures.
    drawn.setPosition(table.getHeaderRowRange().getLastCell().getOffsetRange(1, 2));
  }
  drawn.series.getItemAt(0).setXAxisValues(categories);
  drawn.title.text = chart.title;
}

/** Deletes the given sheets where they exist (staging and backups of a write that failed). */
async function removeSheets(context: Excel.RequestContext, io: CommitIo, names: readonly string[]): Promise<void> {
  try {
    for (const name of names) context.workbook.worksheets.getItemOrNullObject(name).delete();
    await io.sync(context);
  } catch {
    // The workbook may be unreachable (the reason the write failed); nothing more to undo.
  }
}

interface UndoPlan {
  specs: TableSpec[];
  appends: RowsAppend[];
  existing: Map<string, Existing>;
  created: string[];
  backedUp: string[];
  protections: { name: string; protection: Excel.WorksheetProtection }[];
  /** The statement's chart before, where the change pointed it elsewhere. */
  chart?: ChartBefore;
}

/**
 * Puts back what a copy-in request that failed part-way may have changed, from the backups. Where
 * the request got as far as removing the staging sheets, everything else was in: the change is
 * finished instead.
 */
async function undo(context: Excel.RequestContext, io: CommitIo, plan: UndoPlan, cause: Error): Promise<'undone' | 'finished'> {
  const scratch = plan.specs.map((s) => stagingName(s.name)).concat(plan.backedUp.map(backupName));
  try {
    const sheets = context.workbook.worksheets.load('items/name');
    await io.sync(context);
    const present = new Set(sheets.items.map((s) => s.name));
    if (scratch.some((name) => !present.has(name))) {
      for (const name of scratch) if (present.has(name)) context.workbook.worksheets.getItem(name).delete();
      await io.sync(context);
      return 'finished';
    }
  } catch (undoError) {
    throw new Error(`Excel stopped part-way through the change (${cause.message}) and putting the workbook back failed too (${(undoError as Error).message}): close the workbook without saving and open it again`);
  }
  try {
    // Where protection stands now (the failed request may have changed it part-way).
    // A sheet whose state before was never learnt: the request failed before it reached its protection.
    const now = plan.protections.flatMap(({ name, protection }) => {
      const before = loaded(() => protection.protected);
      return before === undefined ? [] : [{ name, before, now: context.workbook.worksheets.getItem(name).protection.load('protected') }];
    });
    await io.sync(context);
    for (const { now: state } of now) if (state.protected) state.unprotect();
    for (const name of plan.backedUp) {
      const old = plan.existing.get(name)!;
      const rows = 1 + Math.max(1, old.body.rowCount);
      const table = context.workbook.tables.getItem(old.name);
      table.showTotals = false;
      table.resize(old.sheet.getRangeByIndexes(old.header.rowIndex, old.header.columnIndex, rows, old.header.columnCount));
      const total = rows + (old.showTotals ? 1 : 0);
      const backup = context.workbook.worksheets.getItem(backupName(name)).getRangeByIndexes(0, 0, total, old.header.columnCount);
      old.sheet.getRangeByIndexes(old.header.rowIndex, old.header.columnIndex, total, old.header.columnCount).copyFrom(backup, 'All' as Excel.RangeCopyType.all);
      if (old.showTotals) table.showTotals = true;
    }
    for (const append of plan.appends) {
      const old = plan.existing.get(append.table);
      // Not learnt: the request failed before the rows went in.
      const rowCount = old && loaded(() => old.body.rowCount);
      if (!old || rowCount === undefined || plan.backedUp.includes(append.table)) continue;
      const rows = 1 + Math.max(1, rowCount);
      context.workbook.tables.getItem(old.name).resize(old.sheet.getRangeByIndexes(old.header.rowIndex, old.header.columnIndex, rows, old.header.columnCount));
      old.sheet.getRangeByIndexes(old.header.rowIndex + rows, old.header.columnIndex, append.rows.length, old.header.columnCount).clear('All' as Excel.ClearApplyTo.all);
    }
    const chart = plan.chart;
    if (chart && !chart.chart.isNullObject) {
      // Back to the restored statement's column and the old title.
      chart.chart.setData(context.workbook.tables.getItem(chart.statement.name).columns.getItem(chart.spec.valueColumn).getRange(), 'Columns' as Excel.ChartSeriesBy.columns);
      chart.chart.title.text = chart.title.text;
    } else if (chart) {
      chart.statement.sheet.charts.getItemOrNullObject(CHART_NAME).delete();
    }
    for (const name of plan.created) context.workbook.worksheets.getItemOrNullObject(name).delete();
    for (const spec of plan.specs) for (const name of [stagingName(spec.name), backupName(spec.name)]) context.workbook.worksheets.getItemOrNullObject(name).delete();
    for (const { name, before } of now) if (before) context.workbook.worksheets.getItem(name).protection.protect({ allowAutoFilter: true, allowSort: true });
    await io.sync(context);
    return 'undone';
  } catch (undoError) {
    throw new Error(`Excel stopped part-way through the change (${cause.message}) and putting the workbook back failed too (${(undoError as Error).message}): close the workbook without saving and open it again`);
  }
}

/** A loaded property, or undefined where the request that would have loaded it did not get that far. */
function loaded<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
