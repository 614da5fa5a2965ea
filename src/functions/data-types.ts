/**
 * Excel data types as the CB functions receive them. functions.json declares
 * `allowCustomDataForDataTypeAny` (the metadata generator always sets it), so on Excel with
 * CustomFunctionsRuntime 1.4 a cell holding a data type reaches an `any` parameter as its JSON
 * cell value (`{ type: 'FormattedNumber', basicValue: 12.5, numberFormat: '$0.00' }`) rather than
 * as a number or text (Office docs: "Use data types with custom functions in Excel"; the shapes are
 * Excel.CellValue in the Office.js reference).
 *
 * A value that stands for one number, text or truth value is read as that `basicValue`, as a
 * worksheet formula would read it. An entity, linked entity, image or error has no such value (its
 * `basicValue` is an error such as #VALUE!), so it is refused with what it is and what to give
 * instead: one of its fields.
 */
import { invalidValue } from './errors';

/** Data types whose `basicValue` is the value itself (Excel.CellValueType). */
const PLAIN_KINDS = new Set(['Double', 'FormattedNumber', 'String', 'Boolean', 'Empty', 'NotAvailable', 'Reference']);

/** What each refused kind is called in a message. */
const KIND_WORDS: Record<string, string> = {
  Entity: 'an entity',
  LinkedEntity: 'a linked data type',
  WebImage: 'an image',
  LocalImage: 'an image',
  Function: 'a function',
  Array: 'an array',
};

interface CellValueLike {
  type: string;
  basicValue?: unknown;
  basicType?: string;
  text?: string;
  errorType?: string;
  elements?: unknown[][];
}

function isCellValue(value: unknown): value is CellValueLike {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { type?: unknown }).type === 'string';
}

function isPlain(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isPlainOrBlank(value: unknown): boolean {
  return value === null || value === undefined || isPlain(value);
}

/**
 * One cell as a plain value: a number, text, boolean, or blank (""), unwrapping a data type to its
 * basic value. `where` names the cell in a refusal ("amount", "weights: item 2").
 */
export function plainCell(value: unknown, where: string): unknown {
  if (value === null || value === undefined || isPlain(value) || Array.isArray(value)) return value;
  if (!isCellValue(value)) throw invalidValue(`${where} is a value Excel passed that is not a number, text or TRUE/FALSE`);
  if (value.type === 'Empty') return '';
  // An entity's basicValue is an error too, but it is refused below with what it is.
  if (value.type === 'Error' || (PLAIN_KINDS.has(value.type) && value.basicType === 'Error')) {
    throw invalidValue(`${where} is the error ${String(value.basicValue ?? value.errorType ?? '#VALUE!')}: correct that cell first`);
  }
  if (PLAIN_KINDS.has(value.type) && isPlain(value.basicValue)) return value.basicValue;
  const kind = KIND_WORDS[value.type] ?? `a ${value.type} data type`;
  const shown = typeof value.text === 'string' && value.text.trim() ? ` ("${value.text.trim()}")` : '';
  throw invalidValue(`${where} is ${kind}${shown}, which has no single value to use here: give one of its fields instead, such as =A2.Price`);
}

/**
 * A whole argument with its data types unwrapped: an array data type given as the argument is its
 * elements, a range's cells are unwrapped where they stand (refusals name the row and column).
 */
export function plainArgument(value: unknown, name: string): unknown {
  if (isCellValue(value) && value.type === 'Array' && Array.isArray(value.elements)) return plainArgument(value.elements, name);
  if (!Array.isArray(value)) return plainCell(value, name);
  const rows = value as unknown[];
  // the usual case, a range of plain cells, is returned as it is: a full column is a million cells
  if (rows.every((row) => (Array.isArray(row) ? row.every(isPlainOrBlank) : isPlainOrBlank(row)))) return rows;
  return rows.map((row, r) =>
    Array.isArray(row) ? row.map((cell, c) => plainCell(cell, positionIn(name, rows.length, row.length, r, c))) : plainCell(row, positionIn(name, 1, rows.length, 0, r)),
  );
}

/** Where a cell sits, in the words of inputs.ts's cellPosition: the argument, item N, or row and column. */
function positionIn(name: string, rows: number, columns: number, row: number, column: number): string {
  if (rows === 1 && columns === 1) return name;
  if (rows === 1 || columns === 1) return `${name}: item ${rows === 1 ? column + 1 : row + 1}`;
  return `${name}: row ${row + 1}, column ${column + 1}`;
}
