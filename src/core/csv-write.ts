/**
 * Writing CSV for people and ledgers: UTF-8, RFC 4180 (comma-separated, CRLF line ends, a field
 * quoted when it holds a comma, quote, CR or LF, quotes doubled), and safe to open in a
 * spreadsheet: a text cell that begins with `=`, `+`, `-`, `@`, tab or carriage return is
 * prefixed with a single quote so it is shown as text, never run as a formula (CSV injection).
 * Amounts are numbers and stay numbers: `-12.50` is written as is.
 */

import { concatBytes } from './bytes';

/** A decimal amount already formatted as text ("-1234.50"), written unescaped as a number. */
export interface CsvNumber {
  readonly decimal: string;
}

export type CsvCell = string | number | bigint | CsvNumber | null | undefined;

const DECIMAL = /^-?\d+(\.\d+)?$/;
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** Marks a formatted amount as a number. Throws for text that is not a plain decimal. */
export function csvNumber(decimal: string): CsvNumber {
  if (!DECIMAL.test(decimal)) throw new Error(`"${decimal}" is not a plain decimal number`);
  return { decimal };
}

function quoted(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One cell as CSV text. */
export function csvField(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'bigint') return cell.toString();
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) throw new Error(`${cell} cannot be written to CSV`);
    return String(cell);
  }
  if (typeof cell === 'object') return csvNumber(cell.decimal).decimal;
  return quoted(FORMULA_START.test(cell) ? `'${cell}` : cell);
}

/** A whole CSV document: header row, then the rows, each line ending CRLF. */
export function csvText(header: readonly string[], rows: Iterable<readonly CsvCell[]>): string {
  return new TextDecoder().decode(csvBytes(header, rows));
}

/**
 * The document as UTF-8 bytes (no byte-order mark: ledgers' importers read plain UTF-8). The rows
 * may be made as they are written (an iterator): they are encoded a megabyte at a time, so a
 * document of a million lines is never held as text as well as bytes.
 */
export function csvBytes(header: readonly string[], rows: Iterable<readonly CsvCell[]>): Uint8Array {
  return csvRowsBytes(withHeader(header, rows));
}

function* withHeader(header: readonly string[], rows: Iterable<readonly CsvCell[]>): Iterable<readonly CsvCell[]> {
  yield header;
  yield* rows;
}

/** Rows without a header row (a positional file such as Oracle's GlInterface.csv), written as csvBytes writes them. */
export function csvRowsBytes(rows: Iterable<readonly CsvCell[]>): Uint8Array {
  const encoder = new TextEncoder();
  const pieces: Uint8Array[] = [];
  let chunk = '';
  for (const row of rows) {
    chunk += row.map(csvField).join(',') + '\r\n';
    if (chunk.length >= 1 << 20) {
      pieces.push(encoder.encode(chunk));
      chunk = '';
    }
  }
  pieces.push(encoder.encode(chunk));
  return concatBytes(pieces);
}
