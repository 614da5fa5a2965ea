/**
 * Streaming CSV read at the byte level: record and field boundaries are found in the file's UTF-8
 * bytes (RFC 4180 quotes, doubled quotes, line breaks inside quotes, CRLF or LF, a BOM), and only
 * the columns the caller asks for are decoded. Every other field is stepped over without making a
 * string: a FOCUS row has ~60 fields of which allocation reads ~11, and making those strings was
 * most of the time of a general parser (papaparse, which this reader is tested against on fuzzed
 * text: test/core/csv.property.test.ts).
 *
 * Key columns come out as codes into a small table of distinct values per batch (as Parquet
 * dictionary codes do), so equal bytes are decoded once; amount columns come out as exact counts
 * of 10^-10 read straight from the digits (see parseSmall). Only web-standard APIs: the task
 * pane's Web Worker runs this same code. Memory is one chunk of the file plus one batch.
 */
import { IngestError } from './ingest-error';
import { smallFromBytes } from './money';
import type { AmountColumn, KeyColumn } from './parquet-columns';

/** Longest record read (in bytes): far above any real FOCUS row, far below what exhausts memory. */
export const MAX_LINE_CHARS = 16 * 1024 * 1024;

/** Rows summed per batch: large enough that per-batch work (each distinct value once) is small. */
const BATCH_ROWS = 32_768;
/** A column's table of distinct values starts again after a batch once it holds this many (a column of ids). */
const MAX_DISTINCT = 65_536;

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Which columns of the header are read, by their index in it. */
export interface CsvColumns {
  keys: readonly number[];
  amounts: readonly number[];
}

/** Rows firstRow, firstRow + 1, … (file rows, the header being row 1): one key column and one amount column per requested column. */
export interface CsvBatch {
  rowCount: number;
  firstRow: number;
  keys: KeyColumn[];
  amounts: AmountColumn[];
}

export interface CsvReadOptions {
  /** Shown in errors. */
  file: string;
  /** Given the header (BOM removed); says which columns to read. Throwing stops the read. */
  onHeader: (header: string[]) => CsvColumns;
  /** Each batch of rows; throwing stops the read with that error. */
  onBatch: (batch: CsvBatch) => void;
  /** After each chunk of bytes, with the records read so far (the header and blank lines included). */
  onChunk?: (records: number) => void;
  signal?: AbortSignal;
  /**
   * The bytes end where a record was guessed to start (a part of a file split for parallel reading):
   * a quoted field still open at the end means the guess fell inside it, and CsvEndedInQuotes is
   * thrown instead of the damaged-file error.
   */
  guessedEnd?: boolean;
}

/** A part of a split file ended inside a quoted field: its end was not a record boundary (see guessedEnd). */
export class CsvEndedInQuotes extends Error {
  constructor() {
    super('the part of the file ends inside a quoted field');
  }
}

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** The distinct values of one key column, found by their bytes (FNV-1a hash, open addressing). */
class ValueTable {
  values: string[] = [];
  private slots = new Int32Array(1024); // code + 1; 0 is empty
  private hashes: number[] = [];
  private starts: number[] = [];
  private pool = new Uint8Array(4096);
  private used = 0;

  clear(): void {
    this.values = [];
    this.slots = new Int32Array(1024);
    this.hashes = [];
    this.starts = [];
    this.used = 0;
  }

  /** The code of the field bytes[start, end) (quoted with doubled quotes inside when `escaped`). */
  codeOf(bytes: Uint8Array, start: number, end: number, escaped: boolean): number {
    let h = escaped ? 0x01000193 : 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
    const mask = this.slots.length - 1;
    const length = end - start;
    let slot = (h ^ (h >>> 15)) & mask;
    for (;;) {
      const entry = this.slots[slot];
      if (entry === 0) break;
      const code = entry - 1;
      if (this.hashes[code] === h) {
        const at = this.starts[code];
        if (this.starts[code + 1] - at === length) {
          let i = 0;
          while (i < length && this.pool[at + i] === bytes[start + i]) i++;
          if (i === length) return code;
        }
      }
      slot = (slot + 1) & mask;
    }
    const code = this.values.length;
    this.values.push(fieldText(bytes, start, end, escaped));
    this.hashes.push(h);
    if (this.used + length > this.pool.length) {
      const pool = new Uint8Array(Math.max(this.pool.length * 2, this.used + length));
      pool.set(this.pool.subarray(0, this.used));
      this.pool = pool;
    }
    this.pool.set(bytes.subarray(start, end), this.used);
    this.starts[code] = this.used;
    this.used += length;
    this.starts[code + 1] = this.used;
    this.slots[slot] = code + 1;
    if ((code + 1) * 2 > this.slots.length) this.rehash();
    return code;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    for (let code = 0; code < this.values.length; code++) {
      const h = this.hashes[code];
      let slot = (h ^ (h >>> 15)) & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = code + 1;
    }
  }
}

/** The text of a field: UTF-8 bytes, doubled quotes made single when it was quoted with some inside. */
function fieldText(bytes: Uint8Array, start: number, end: number, escaped: boolean): string {
  const text = start === end ? '' : decoder.decode(bytes.subarray(start, end));
  return escaped ? text.replace(/""/g, '"') : text;
}

/** Papaparse lets white space stand between a closing quote and the separator or line break. */
const isSpace = (c: number) => c === 32 || c === 9 || c === 11 || c === 12 || c === CR || c === LF;

/** Reads CSV bytes; resolves when the last row has been handed over, with the header and how many records (header and blank lines included) there were. */
export async function readCsv(stream: ReadableStream<Uint8Array>, options: CsvReadOptions): Promise<{ header?: string[]; records: number }> {
  const reader = new CsvReader(options);
  const input = stream.getReader();
  try {
    for (;;) {
      if (options.signal?.aborted) throw options.signal.reason ?? new Error('cancelled');
      const { value, done } = await input.read();
      if (done) break;
      reader.push(value);
      options.onChunk?.(reader.records);
    }
    reader.end();
    options.onChunk?.(reader.records); // the last rows are counted now
  } catch (error) {
    void input.cancel().catch(() => undefined);
    throw error;
  } finally {
    input.releaseLock();
  }
  return { header: reader.header, records: reader.records };
}

/** What a record scan ended on. */
const INCOMPLETE = -1;

class CsvReader {
  header?: string[];
  private pending = new Uint8Array(0);
  /** The line ending, from the first line break in the file (as papaparse is told): 2 for CRLF, 1 for LF, 0 not yet known. */
  private newline = 0;
  private started = false;
  private row = 0;
  get records(): number {
    return this.row;
  }
  /** per header column: 0 not read, else k + 1 for key column k (columns asked for twice share one) */
  private keyRoles = new Int32Array(0);
  /** per header column: 0 not read, else a + 1 for amount column a */
  private amountRoles = new Int32Array(0);
  private tables: ValueTable[] = [];
  private batch?: CsvBatch;
  private n = 0;

  constructor(private readonly options: CsvReadOptions) {}

  push(chunk: Uint8Array): void {
    let bytes = chunk;
    if (this.pending.length > 0) {
      bytes = new Uint8Array(this.pending.length + chunk.length);
      bytes.set(this.pending);
      bytes.set(chunk, this.pending.length);
    }
    if (!this.started) {
      if (bytes.length < 3 && bytes[0] === 0xef) return void (this.pending = bytes.slice());
      this.started = true;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    }
    if (this.newline === 0) {
      const lf = bytes.indexOf(LF);
      if (lf < 0) return this.keep(bytes, 0);
      this.newline = lf > 0 && bytes[lf - 1] === CR ? 2 : 1;
    }
    this.keep(bytes, this.scan(bytes, false));
  }

  end(): void {
    if (this.newline === 0) this.newline = 1;
    if (this.pending.length > 0) this.scan(this.pending, true);
    this.pending = new Uint8Array(0);
    this.flush();
  }

  private keep(bytes: Uint8Array, from: number): void {
    if (bytes.length - from > MAX_LINE_CHARS) {
      throw new IngestError(this.options.file, undefined, undefined, `a line is longer than ${MAX_LINE_CHARS / 1024 / 1024} MB with no line break: this is not a FOCUS CSV file, or it is damaged`);
    }
    this.pending = bytes.slice(from);
  }

  /** Reads every whole record of bytes; returns where the first incomplete one starts (bytes.length when none). */
  private scan(bytes: Uint8Array, eof: boolean): number {
    let p = 0;
    const length = bytes.length;
    while (p < length) {
      const next = this.record(bytes, p, eof);
      if (next === INCOMPLETE) return p;
      p = next;
    }
    return length;
  }

  private problem(row: number, message: string): never {
    throw new IngestError(this.options.file, row, undefined, `the row is not valid CSV (${message}): the file is damaged or cut off`);
  }

  /** Reads the record at `start`: returns where the next one starts, or INCOMPLETE when it runs past the bytes (and not at the end). */
  private record(bytes: Uint8Array, start: number, eof: boolean): number {
    const length = bytes.length;
    const crlf = this.newline === 2;
    const { keyRoles, amountRoles } = this;
    const columns = keyRoles.length;
    const row = this.row + 1;
    const header: string[] | undefined = row === 1 ? [] : undefined;
    const r = this.n;
    let p = start;
    let field = 0;
    let blank = false;
    for (;;) {
      let from: number;
      let to: number;
      let escaped = false;
      let next: number;
      let last = false;
      if (bytes[p] === QUOTE) {
        let q = p + 1;
        for (;;) {
          q = bytes.indexOf(QUOTE, q);
          if (q < 0) {
            if (!eof) return INCOMPLETE;
            if (this.options.guessedEnd) throw new CsvEndedInQuotes();
            return this.problem(row, 'quoted field unterminated');
          }
          if (q + 1 < length && bytes[q + 1] === QUOTE) {
            escaped = true;
            q += 2;
            continue;
          }
          break;
        }
        from = p + 1;
        to = q;
        let a = q + 1;
        // white space, but not the line break, may stand after the closing quote
        while (a < length && isSpace(bytes[a]) && !(crlf ? bytes[a] === CR && bytes[a + 1] === LF : bytes[a] === LF)) a++;
        if (a >= length) {
          if (!eof) return INCOMPLETE;
          // papaparse refuses white space after the closing quote at the very end of the file (no line break after it)
          if (a > q + 1) return this.problem(row, 'trailing quote on quoted field is malformed');
          next = length;
          last = true;
        } else if (bytes[a] === COMMA) next = a + 1;
        else if (bytes[a] === LF || bytes[a] === CR) {
          next = a + (crlf ? 2 : 1);
          last = true;
        } else return this.problem(row, 'trailing quote on quoted field is malformed');
      } else {
        let a = p;
        while (a < length) {
          const c = bytes[a];
          // one comparison for most bytes: the separator and line feed are below 45, letters and digits above
          if (c < 45 && (c === COMMA || (c === LF && (!crlf || bytes[a - 1] === CR)))) break;
          a++;
        }
        from = p;
        if (a >= length) {
          if (!eof) return INCOMPLETE;
          to = length;
          next = length;
          last = true;
        } else if (bytes[a] === COMMA) {
          to = a;
          next = a + 1;
        } else {
          to = crlf ? a - 1 : a;
          next = a + 1;
          last = true;
        }
      }
      if (field === 0 && last) blank = to === from;
      if (header) header.push(fieldText(bytes, from, to, escaped));
      else if (field < columns && !blank) {
        const key = keyRoles[field];
        if (key > 0) this.read[key - 1].codes[r] = this.tables[key - 1].codeOf(bytes, from, to, escaped);
        const role = amountRoles[field];
        if (role > 0) {
          const amount = this.batch!.amounts[role - 1];
          const small = escaped ? NaN : smallFromBytes(bytes, from, to);
          amount.small[r] = small;
          if (small !== small) amount.raw.set(r, fieldText(bytes, from, to, escaped));
        }
      }
      field++;
      p = next;
      if (last) break;
    }
    this.row = row;
    if (header) this.begin(header);
    else this.endRecord(row, field, blank);
    return p;
  }

  private endRecord(row: number, fields: number, blank: boolean): void {
    if (blank) {
      // a blank line: the rows after it are numbered past it, so the batch ends here
      this.flush();
      return;
    }
    if (fields !== this.keyRoles.length) {
      throw new IngestError(this.options.file, row, undefined, `the row has ${fields} field${fields === 1 ? '' : 's'} but the header has ${this.keyRoles.length}: the row is cut off or has a stray separator`);
    }
    if (++this.n === BATCH_ROWS) this.flush();
  }

  /** The header is read whole (every field as text); then only the requested columns are. */
  private begin(header: string[]): void {
    header[0] = header[0].replace(/^\uFEFF/, '');
    this.header = header;
    const { keys, amounts } = this.options.onHeader(header);
    this.keyRoles = new Int32Array(header.length);
    this.amountRoles = new Int32Array(header.length);
    // one table and one code array per distinct column; a column asked for twice shares them
    const slotOf = new Map<number, number>();
    for (const column of keys) if (!slotOf.has(column)) slotOf.set(column, slotOf.size);
    for (const [column, slot] of slotOf) this.keyRoles[column] = slot + 1;
    amounts.forEach((column, a) => (this.amountRoles[column] = a + 1));
    this.tables = [...slotOf.keys()].map(() => new ValueTable());
    const read = this.tables.map((table) => ({ codes: new Int32Array(BATCH_ROWS), values: table.values }));
    this.batch = {
      rowCount: 0,
      firstRow: this.row + 1,
      keys: keys.map((column) => read[slotOf.get(column)!]),
      amounts: amounts.map(() => ({ small: new Float64Array(BATCH_ROWS), exact: new Map(), raw: new Map() })),
    };
    this.read = read;
  }

  /** The key columns as read (one per distinct column); batch.keys refers to them. */
  private read: KeyColumn[] = [];

  /** Hands the rows read so far over, and starts a new batch after the current row. */
  private flush(): void {
    const batch = this.batch;
    if (!batch) return;
    if (this.n > 0) {
      batch.rowCount = this.n;
      this.options.onBatch(batch);
      for (const table of this.tables) if (table.values.length > MAX_DISTINCT) table.clear();
      this.n = 0;
    }
    for (const amount of batch.amounts) amount.raw.clear();
    batch.firstRow = this.row + 1;
    for (let k = 0; k < this.read.length; k++) this.read[k].values = this.tables[k].values;
  }
}
