/**
 * Updating a table where it stands in an ExcelJS workbook, as Excel's host does (office-commit.ts,
 * both following `inPlaceUpdate`): the sheet, everything beside the table (a user's own columns,
 * notes, formulas pointing at the table) and the table's name stay; only the table's cells change.
 */
import ExcelJS from 'exceljs';
import { CellBlock, TablePlace } from './write-plan';
import { columnLetters, columnNumber } from './xlsx-package';

interface TableModel {
  name: string;
  tableRef?: string;
  totalsRow?: boolean;
}

/** The named table on one of the workbook's sheets, and where it stands (0-based). */
export function findTable(workbook: ExcelJS.Workbook, name: string): { sheet: ExcelJS.Worksheet; name: string; place: TablePlace } | undefined {
  for (const sheet of workbook.worksheets) {
    const tables = (sheet as unknown as { tables?: Record<string, { table?: TableModel }> }).tables ?? {};
    for (const entry of Object.values(tables)) {
      const table = entry.table;
      if (!table || table.name.toLowerCase() !== name.toLowerCase()) continue;
      const ref = /^\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)$/.exec(table.tableRef ?? '');
      if (!ref) return undefined;
      const top = Number(ref[2]) - 1;
      const left = columnNumber(ref[1]) - 1;
      const totals = table.totalsRow === true;
      const bodyRows = Number(ref[4]) - 1 - top - (totals ? 1 : 0);
      return { sheet, name: table.name, place: { top, left, width: columnNumber(ref[3]) - left, bodyRows, totals } };
    }
  }
  return undefined;
}

/** Empties a block of cells: values, formulas and formats, as Excel's `Range.clear('All')`. */
export function emptyBlock(sheet: ExcelJS.Worksheet, block: CellBlock): void {
  for (let r = block.top + 1; r <= block.top + block.rows; r++) {
    const row = sheet.getRow(r);
    for (let c = block.left + 1; c <= block.left + block.columns; c++) {
      const cell = row.getCell(c);
      cell.value = null;
      cell.style = {};
    }
  }
}

/** Removes the drop-down lists of the given columns below the header row (so the new table's replace them). */
export function dropValidations(sheet: ExcelJS.Worksheet, top: number, left: number, columns: number): void {
  const holder = sheet as unknown as { dataValidations: { model: Record<string, unknown> } };
  const model = holder.dataValidations.model;
  for (const address of Object.keys(model)) {
    const parts = address.split(':').map((a) => /^([A-Z]+)(\d+)$/.exec(a));
    if (parts.some((p) => !p)) continue;
    const column = columnNumber(parts[0]![1]) - 1;
    const row = Number(parts[parts.length - 1]![2]) - 1;
    if (column >= left && column < left + columns && row > top) delete model[address];
  }
}

/** Whether the sheet holds anything outside the table's block: then it is the user's, and the sheet is updated in place. */
export function holdsCellsOutside(sheet: ExcelJS.Worksheet, place: TablePlace): boolean {
  const bottom = place.top + 1 + Math.max(1, place.bodyRows) + (place.totals ? 1 : 0);
  let outside = false;
  sheet.eachRow({ includeEmpty: false }, (row, r) => {
    if (outside) return;
    row.eachCell({ includeEmpty: false }, (cell, c) => {
      const inside = r - 1 >= place.top && r - 1 < bottom && c - 1 >= place.left && c - 1 < place.left + place.width;
      if (!inside && cell.value !== null && cell.value !== '') outside = true;
    });
  });
  return outside;
}

/** A totals-row formula as this product writes it, with its result. */
const OUR_TOTAL = /^SUBTOTAL\(109,[^[\]]+\[[^\]]+\]\)$/;

/** Whether any sheet holds a formula other than the totals rows' (whose results are written with them). */
export function holdsUsersFormulas(workbook: ExcelJS.Workbook): boolean {
  for (const sheet of workbook.worksheets) {
    let found = false;
    sheet.eachRow({ includeEmpty: false }, (row) => {
      if (found) return;
      row.eachCell({ includeEmpty: false }, (cell) => {
        const value = cell.value as { formula?: string; sharedFormula?: string } | null;
        if (value && typeof value === 'object' && ('formula' in value || 'sharedFormula' in value) && !OUR_TOTAL.test(value.formula ?? '')) found = true;
      });
    });
    if (found) return true;
  }
  return false;
}

export const addressOf = (row: number, column: number) => `${columnLetters(column + 1)}${row + 1}`;
