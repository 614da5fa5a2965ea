/**
 * What the command line's workbook file tells Excel about its sheets beyond ExcelJS's model: the
 * drop-down lists as whole, non-overlapping ranges, and Excel's error checks that a text column
 * would set off on every row.
 */
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { columnLetters, columnNumber, workbookParts } from './xlsx-package';
import { TEXT_FORMAT } from './layout';

/** Excel's last row. */
const LAST_ROW = 1_048_576;

type Validations = Record<string, ExcelJS.DataValidation | undefined>;

/**
 * ExcelJS reads a validation over `A2:A50` as one entry a cell, and on saving joins them again,
 * sorting the cells as text (`A10` before `A2`), so it writes `A10:A50` and `A2:A50`: overlapping
 * ranges, which ISO/IEC 29500 does not allow and Excel repairs on opening. Here each column's runs
 * of cells with the same validation become one range entry (`A2:A50`), which ExcelJS writes as is.
 */
export function compactValidations(sheet: ExcelJS.Worksheet): void {
  const model = (sheet as unknown as { dataValidations: { model: Validations } }).dataValidations.model;
  const cells: { column: number; row: number; key: string; validation: ExcelJS.DataValidation }[] = [];
  const ranges: Validations = {};
  for (const [address, validation] of Object.entries(model)) {
    if (!validation) continue;
    const cell = /^([A-Z]+)(\d+)$/.exec(address);
    if (!cell) {
      ranges[address] = validation;
      continue;
    }
    cells.push({ column: columnNumber(cell[1]), row: Number(cell[2]), key: JSON.stringify(validation), validation });
  }
  cells.sort((a, b) => a.column - b.column || a.row - b.row);
  for (let i = 0; i < cells.length; ) {
    let j = i + 1;
    while (j < cells.length && cells[j].column === cells[i].column && cells[j].row === cells[j - 1].row + 1 && cells[j].key === cells[i].key) j++;
    const letters = columnLetters(cells[i].column);
    ranges[j - i === 1 ? `${letters}${cells[i].row}` : `${letters}${cells[i].row}:${letters}${cells[j - 1].row}`] = cells[i].validation;
    i = j;
  }
  (sheet as unknown as { dataValidations: { model: Validations } }).dataValidations.model = ranges;
}

/**
 * The columns of a sheet that hold text (Excel's Text format, `@`), as a range list below the
 * header: codes such as `0100` or `2026-10` are text on purpose, so Excel's "number stored as text"
 * check is turned off there.
 */
export function textColumnRanges(sheet: ExcelJS.Worksheet): string | undefined {
  const ranges: string[] = [];
  const count = sheet.columnCount;
  for (let c = 1; c <= count; c++) {
    if (sheet.getColumn(c).numFmt !== TEXT_FORMAT) continue;
    const letters = columnLetters(c);
    ranges.push(`${letters}2:${letters}${LAST_ROW}`);
  }
  return ranges.length > 0 ? ranges.join(' ') : undefined;
}

/** Elements that follow `ignoredErrors` in a worksheet (ISO/IEC 29500-1 §18.3.1.99, CT_Worksheet's sequence). */
const AFTER_IGNORED_ERRORS = /<(?:\w+:)?(?:smartTags|drawing|legacyDrawing|legacyDrawingHF|drawingHF|picture|oleObjects|controls|webPublishItems|tableParts|extLst)\b/;

/** Adds `<ignoredErrors>` (number stored as text) to each named sheet's part, in its place in the sequence. */
export async function ignoreNumbersStoredAsText(zip: JSZip, sqrefBySheet: ReadonlyMap<string, string>): Promise<void> {
  if (sqrefBySheet.size === 0) return;
  for (const part of await workbookParts(zip)) {
    const sqref = sqrefBySheet.get(part.sheet);
    if (!sqref) continue;
    const xml = await zip.file(part.path)!.async('string');
    if (/<(?:\w+:)?ignoredErrors\b/.test(xml)) continue;
    const element = `<ignoredErrors><ignoredError sqref="${sqref}" numberStoredAsText="1"/></ignoredErrors>`;
    const after = AFTER_IGNORED_ERRORS.exec(xml);
    const at = after ? after.index : xml.lastIndexOf('</');
    zip.file(part.path, xml.slice(0, at) + element + xml.slice(at));
  }
}
