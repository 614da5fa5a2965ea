/**
 * Excel's limits on what a sheet can hold (Microsoft, "Excel specifications and limits"): 1,048,576
 * rows a sheet and 32,767 characters a cell. A file past them opens "repaired", with rows or text
 * cut off, so a table that would break one is refused before anything is written, with what to do.
 */
import type { TableSpec } from './gateway';

export const EXCEL_MAX_ROWS = 1_048_576;
export const EXCEL_MAX_CELL_CHARS = 32_767;

export class SheetLimitError extends Error {}

/** Refuses tables Excel cannot hold; checks them all before any is written. */
export function checkSheetLimits(tables: readonly TableSpec[]): void {
  for (const table of tables) {
    // the header row and, when asked for, a totals row take rows too
    const rows = table.rows.length + 1 + (table.totals ? 1 : 0);
    if (rows > EXCEL_MAX_ROWS) {
      throw new SheetLimitError(
        `the ${table.name} table would have ${table.rows.length.toLocaleString('en-US')} rows, more than the ${EXCEL_MAX_ROWS.toLocaleString('en-US')} rows an Excel sheet holds: ` +
          `use a coarser grain (fewer rule dimensions, e.g. no ResourceId), or run each provider or billing account separately`,
      );
    }
    for (let r = 0; r < table.rows.length; r++) {
      const row = table.rows[r];
      for (let c = 0; c < row.length; c++) {
        const cell = row[c];
        if (typeof cell === 'string' && cell.length > EXCEL_MAX_CELL_CHARS) {
          throw new SheetLimitError(
            `${table.name} row ${r + 2}, column ${table.columns[c]?.header ?? c + 1}: the text is ${cell.length.toLocaleString('en-US')} characters, more than the ${EXCEL_MAX_CELL_CHARS.toLocaleString('en-US')} an Excel cell holds (it begins ${JSON.stringify(cell.slice(0, 40))}…)`,
          );
        }
      }
    }
  }
}

/** Names for a log line, at most `max` of them: "a, b and 980 more" (a pull of thousands of files stays one readable cell). */
export function namesInBrief(names: readonly string[], max = 20): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
