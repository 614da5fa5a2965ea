/**
 * Streaming CSV (RFC 4180: quoted fields, doubled quotes, newlines inside quotes, CRLF or LF),
 * fed from a web stream of text so the very same code runs in Node (the command line) and in the
 * browser (the task pane's Web Worker). Only one chunk of text is in memory at a time.
 *
 * Written for FOCUS exports, which are wide (60+ columns) and long (millions of rows) while
 * allocation needs about ten columns: after the header, only the columns the caller selects are
 * cut out of the text; the others are skipped without making strings. That, and no per-row
 * empty-line test, is what makes it several times faster than a general-purpose parser here.
 */

export interface CsvReadOptions {
  /** Called with each batch of parsed rows (cells as text); throwing stops the read with that error. */
  onRows: (rows: string[][]) => void;
  /**
   * Called with the header row; returns the column indexes to read from then on (the other cells
   * of each row are left undefined). Without it, every cell is read.
   */
  selectColumns?: (header: readonly string[]) => readonly number[] | undefined;
  /** Called after each chunk of text. */
  onChunk?: () => void;
  signal?: AbortSignal;
}

const QUOTE = 34; // "
const LF = 10;
const CR = 13;
const DELIMITERS = [',', '\t', ';', '|'];

/** The delimiter of a header line: the most frequent of , tab ; | outside quotes (comma when none). */
function detectDelimiter(text: string): number {
  let end = text.indexOf('\n');
  if (end < 0) end = text.length;
  let best = ',';
  let bestCount = 0;
  for (const delimiter of DELIMITERS) {
    let count = 0;
    let quoted = false;
    for (let i = 0; i < end; i++) {
      const c = text[i];
      if (c === '"') quoted = !quoted;
      else if (!quoted && c === delimiter) count++;
    }
    if (count > bestCount) {
      best = delimiter;
      bestCount = count;
    }
  }
  return best.charCodeAt(0);
}

/** Incremental tokenizer: text in, complete rows out; a partial last row waits for the next chunk. */
export class CsvRows {
  private pending = '';
  private delimiter = -1;
  /** Which columns to cut out (after the header); undefined = all. */
  private wanted: boolean[] | undefined;
  private headerSeen = false;

  constructor(private readonly selectColumns?: CsvReadOptions['selectColumns']) {}

  /** Parses what `text` completes; returns the complete rows. With `final`, the rest is the last row. */
  push(text: string, final = false): string[][] {
    const buffer = this.pending + text;
    const rows: string[][] = [];
    if (buffer.length === 0) return rows;
    if (this.delimiter < 0) this.delimiter = detectDelimiter(buffer);
    const delimiter = this.delimiter;
    const length = buffer.length;
    let rowStart = 0;
    for (;;) {
      // one row, from rowStart
      const cells: string[] = [];
      let column = 0;
      let position = rowStart;
      let complete = false;
      let blank = true;
      const wanted = this.wanted;
      for (;;) {
        // one field, from position
        let value: string | undefined;
        let end: number; // index of the delimiter, newline or end of text after the field
        if (position < length && buffer.charCodeAt(position) === QUOTE) {
          let close = position + 1;
          let escaped = false;
          for (;;) {
            close = buffer.indexOf('"', close);
            if (close < 0 || close + 1 >= length) break;
            if (buffer.charCodeAt(close + 1) !== QUOTE) break;
            escaped = true;
            close += 2;
          }
          if (close < 0 || (close + 1 >= length && !final)) {
            if (!final) break; // the quoted field continues in the next chunk
            close = length; // unterminated quote at the end of the file: take the rest
          }
          end = close + 1;
          while (end < length) {
            const c = buffer.charCodeAt(end);
            if (c === delimiter || c === LF || c === CR) break;
            end++;
          }
          if (end >= length && !final) break; // the row continues in the next chunk
          if (!wanted || wanted[column]) {
            value = buffer.slice(position + 1, Math.min(close, length));
            if (escaped) value = value.replace(/""/g, '"');
            if (end > close + 1) value += buffer.slice(close + 1, end);
          }
          blank = false;
        } else {
          end = position;
          while (end < length) {
            const c = buffer.charCodeAt(end);
            if (c === delimiter || c === LF || c === CR) break;
            end++;
          }
          if (end >= length && !final) break; // the row continues in the next chunk
          if (!wanted || wanted[column]) value = buffer.slice(position, end);
          if (blank && end > position && buffer.slice(position, end).trim() !== '') blank = false;
        }
        if (value !== undefined) cells[column] = value;
        column++;
        if (end >= length) {
          position = length;
          complete = true;
          break;
        }
        const c = buffer.charCodeAt(end);
        if (c === delimiter) {
          position = end + 1;
          continue;
        }
        // end of line: CRLF, LF or a lone CR
        position = c === CR && end + 1 < length && buffer.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
        if (c === CR && end + 1 >= length && !final) break; // a CR at the end of a chunk may be half a CRLF
        complete = true;
        break;
      }
      if (!complete) break;
      rowStart = position;
      if (!blank) {
        if (!this.headerSeen) {
          this.headerSeen = true;
          const selected = this.selectColumns?.(cells);
          if (selected) {
            this.wanted = [];
            for (const index of selected) if (index >= 0) this.wanted[index] = true;
          }
        }
        rows.push(cells);
      }
      if (rowStart >= length) break;
    }
    this.pending = rowStart < length ? buffer.slice(rowStart) : '';
    return rows;
  }
}

/** Reads CSV text from a stream of string chunks; resolves when the last row has been handed over. */
export async function readCsv(text: ReadableStream<string>, options: CsvReadOptions): Promise<void> {
  const rows = new CsvRows(options.selectColumns);
  const reader = text.getReader();
  let failed = false;
  try {
    for (;;) {
      if (options.signal?.aborted) throw options.signal.reason ?? new Error('cancelled');
      const { value, done } = await reader.read();
      const batch = rows.push(done ? '' : value, done);
      if (batch.length > 0) options.onRows(batch);
      if (done) break;
      options.onChunk?.();
    }
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    reader.releaseLock();
    if (failed) void text.cancel().catch(() => undefined);
  }
}
