/**
 * How a table write is cut into Office.js requests. Excel on the web refuses a request over
 * 5 MB (RequestPayloadSizeLimitExceeded), so rows go in chunks whose JSON stays well under it,
 * with as few `context.sync()` calls as that allows. The Office.js gateway follows this plan and
 * the benchmark reports it.
 */
import { CellValue } from './gateway';

/** Excel on the web's limit for one request. */
export const REQUEST_LIMIT_BYTES = 5 * 1024 * 1024;
/** What one chunk of values may take: half the limit leaves room for Office.js's own envelope and escaping. */
export const DEFAULT_CHUNK_BYTES = Math.floor(REQUEST_LIMIT_BYTES / 2);

export interface WriteChunk {
  /** First data row of the chunk (0-based, in the table's rows). */
  start: number;
  count: number;
  /** Estimated request payload of the chunk's values, in bytes (UTF-8 JSON). */
  bytes: number;
}

export interface WritePlan {
  chunks: WriteChunk[];
  /** `context.sync()` calls the write takes: one per chunk, plus setup and finish. */
  syncs: number;
  largestRequestBytes: number;
}

const encoder = new TextEncoder();

/** Bytes a row adds to a `range.values` request: its JSON, as UTF-8. */
export function rowPayloadBytes(row: readonly CellValue[]): number {
  let bytes = 2; // [ ]
  for (const cell of row) {
    if (cell === null) bytes += 3; // ""
    else if (typeof cell === 'number' || typeof cell === 'boolean') bytes += String(cell).length;
    else bytes += encoder.encode(JSON.stringify(cell)).length;
    bytes += 1; // comma
  }
  return bytes;
}

/** Chunks rows so that no chunk's payload exceeds `chunkBytes`. */
export function planTableWrite(rows: readonly (readonly CellValue[])[], chunkBytes = DEFAULT_CHUNK_BYTES, setupSyncs = 2): WritePlan {
  const chunks: WriteChunk[] = [];
  let start = 0;
  let bytes = 2;
  for (let i = 0; i < rows.length; i++) {
    const size = rowPayloadBytes(rows[i]);
    if (i > start && bytes + size > chunkBytes) {
      chunks.push({ start, count: i - start, bytes });
      start = i;
      bytes = 2;
    }
    bytes += size;
  }
  if (rows.length > start) chunks.push({ start, count: rows.length - start, bytes });
  return { chunks, syncs: chunks.length + setupSyncs, largestRequestBytes: chunks.reduce((a, c) => Math.max(a, c.bytes), 0) };
}

// ---- Updating a table in place (both hosts) --------------------------------------------------

/** Where a table stands on its sheet (0-based row and column of its header's first cell). */
export interface TablePlace {
  top: number;
  left: number;
  width: number;
  /** Data rows (an empty table still covers one). */
  bodyRows: number;
  totals: boolean;
}

/** A block of cells, 0-based. */
export interface CellBlock {
  top: number;
  left: number;
  rows: number;
  columns: number;
}

/**
 * How a table is updated where it stands, so that everything beside it (a user's columns, notes and
 * formulas pointing at it) stays: the new table takes the old one's top-left corner, and what the
 * old one covered and the new one does not is emptied, so no stale figure stays beside it.
 */
export function inPlaceUpdate(old: TablePlace, next: { width: number; rows: number; totals: boolean }): { table: CellBlock; clear: CellBlock[] } {
  const oldRows = 1 + Math.max(1, old.bodyRows) + (old.totals ? 1 : 0);
  const newRows = 1 + Math.max(1, next.rows) + (next.totals ? 1 : 0);
  const clear: CellBlock[] = [];
  if (oldRows > newRows) clear.push({ top: old.top + newRows, left: old.left, rows: oldRows - newRows, columns: Math.max(next.width, old.width) });
  if (old.width > next.width) clear.push({ top: old.top, left: old.left + next.width, rows: newRows, columns: old.width - next.width });
  return { table: { top: old.top, left: old.left, rows: newRows, columns: next.width }, clear };
}
