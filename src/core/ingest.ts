/**
 * Ingest: FOCUS files (CSV, gzip CSV, Parquet) are read as streams and summed while reading into
 * cost lines at allocation grain, so memory grows with the number of distinct cost lines, not
 * with the number of rows. Uses only web-standard APIs (streams, DecompressionStream), so the
 * task pane's worker runs this same code on a `File`.
 */
import { parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import type { AsyncBuffer } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { CostLine } from './costs';
import { readCsv } from './csv';
import { REQUIRED_COLUMNS, billingPeriodOf, cellText, isTagDimension, parseTags, tagKeyOf, tagsFromObject } from './focus';
import { ExactAmount, parseExact, parseSmall, SMALL_TO_EXACT, smallFromNumber, toExact } from './money';

/** One FOCUS file, wherever it lives (disk, browser File, Azure blob). */
export interface CostFile {
  /** Shown in errors and progress: a path, file name or blob name. */
  name: string;
  format: 'csv' | 'parquet';
  /** gzip-compressed CSV (`.csv.gz`) */
  gzip?: boolean;
  /** Size in bytes when known, for progress. */
  size?: number;
  /** The file's bytes as a stream (CSV). */
  stream(): ReadableStream<Uint8Array>;
  /** Random access to the bytes (Parquet). */
  buffer(): Promise<AsyncBuffer>;
}

export interface IngestProgress {
  file: string;
  fileIndex: number;
  fileCount: number;
  rowsRead: number;
  bytesRead: number;
  /** Total bytes of all files, when every size is known. */
  totalBytes?: number;
}

export interface IngestOptions {
  /** Rule dimensions to keep (FOCUS columns, `x_` columns, `Tag:<key>`). */
  dimensions: readonly string[];
  onProgress?: (progress: IngestProgress) => void;
  signal?: AbortSignal;
}

export interface IngestResult {
  lines: CostLine[];
  rowsRead: number;
  files: { name: string; rows: number }[];
  dimensions: string[];
}

/** Bad input, with the file, row and column to look at. Nothing has been written when it is thrown. */
export class IngestError extends Error {
  constructor(
    readonly file: string,
    readonly row: number | undefined,
    readonly column: string | undefined,
    readonly reason: string,
  ) {
    super(`${file}${row ? `, row ${row}` : ''}${column ? `, column ${column}` : ''}: ${reason}`);
    this.name = 'IngestError';
  }
}

const SEPARATOR = '\u001f';

interface Group {
  line: CostLine;
  /**
   * Amounts not yet in `line`, as integer counts of 10^-10 (see parseSmall): plain float64
   * additions, exact while under SMALL_PENDING_LIMIT, moved into the bigint totals when the
   * next addition could pass it and when the lines are read.
   */
  billedSmall: number;
  effectiveSmall: number;
}

/** |pending| ≤ 2^52 and |amount| < 10^15 < 2^50, so every pending sum is exact (< 2^53). */
const SMALL_PENDING_LIMIT = 2 ** 52;

/** An amount of one cell: a small integer count of 10^-10 when it fits, else exact. */
type CellAmount = number | bigint;

/**
 * A copy of a string that does not keep the text it was cut from alive: strings cut out of a
 * chunk of CSV text by slice() refer to the whole chunk, so keeping one would keep the chunk.
 */
function detach(text: string): string {
  return text.length < 13 ? text : (' ' + text).slice(1);
}

/** The cells of one row, as read from the file. */
export type RowReader = (cells: ArrayLike<unknown>, row: number) => void;

/** Sums FOCUS rows into cost lines. One per ingest; fed file by file. */
export class CostAggregator {
  private groups = new Map<string, Group>();
  private tagCache = new Map<string, Record<string, string>>();
  private periodCache = new Map<string, string>();
  private datePeriodCache = new Map<number, string>();
  rowsRead = 0;

  constructor(readonly dimensions: readonly string[]) {}

  /** Prepares for one file's header; returns the function that takes each of its rows (and lists the columns it reads). */
  beginFile(file: string, header: readonly string[]): RowReader & { columns: number[] } {
    const index = (column: string) => header.findIndex((h) => h.trim() === column);
    const missing = REQUIRED_COLUMNS.filter((c) => index(c) < 0);
    const plainDimensions = this.dimensions.filter((d) => !isTagDimension(d));
    for (const dimension of plainDimensions) {
      if (index(dimension) < 0 && !header.some((h) => h.trim().toLowerCase() === dimension.toLowerCase())) missing.push(dimension as never);
    }
    const tagDimensions = this.dimensions.filter(isTagDimension);
    if (tagDimensions.length > 0 && index('Tags') < 0) missing.push('Tags' as never);
    if (missing.length > 0) {
      throw new IngestError(file, 1, undefined, `missing FOCUS column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (found: ${header.join(', ')})`);
    }
    const billed = index('BilledCost');
    const effective = index('EffectiveCost');
    const currency = index('BillingCurrency');
    const period = index('BillingPeriodStart');
    const category = index('ChargeCategory');
    const status = index('CommitmentDiscountStatus');
    const tags = index('Tags');
    const dimensionIndex = plainDimensions.map((d) => {
      const exact = index(d);
      return exact >= 0 ? exact : header.findIndex((h) => h.trim().toLowerCase() === d.toLowerCase());
    });
    const tagKeys = tagDimensions.map((d) => tagKeyOf(d).toLowerCase());
    const keyParts: string[] = new Array(4 + plainDimensions.length + tagDimensions.length);
    const columns = [billed, effective, currency, period, category, status, tags, ...dimensionIndex].filter((i) => i >= 0);

    const onRow: RowReader = (cells, row) => {
      this.rowsRead++;
      const billingPeriod = this.periodOf(cells[period], file, row);
      const billingCurrency = cellText(cells[currency]);
      if (billingCurrency === '') throw new IngestError(file, row, 'BillingCurrency', 'BillingCurrency is empty');
      const billedCost = this.amountOf(cells[billed], file, row, 'BilledCost');
      const effectiveCost = this.amountOf(cells[effective], file, row, 'EffectiveCost');
      keyParts[0] = billingPeriod;
      keyParts[1] = billingCurrency;
      keyParts[2] = cellText(cells[category]);
      keyParts[3] = status < 0 ? '' : cellText(cells[status]);
      let k = 4;
      for (const i of dimensionIndex) keyParts[k++] = cellText(cells[i]);
      if (tagKeys.length > 0) {
        const rowTags = this.tagsOf(cells[tags], file, row);
        for (const key of tagKeys) keyParts[k++] = rowTags[key] ?? '';
      }
      const key = keyParts.join(SEPARATOR);
      let group = this.groups.get(key);
      if (!group) {
        // The values are taken from the key (a new string), not from the row's cells (cut from the file's text).
        const values = key.split(SEPARATOR);
        const dimensions: Record<string, string> = {};
        plainDimensions.forEach((d, i) => (dimensions[d] = values[4 + i]));
        tagDimensions.forEach((d, i) => (dimensions[d] = values[4 + plainDimensions.length + i]));
        group = {
          line: { billingPeriod: values[0], currency: values[1], chargeCategory: values[2], commitmentDiscountStatus: values[3], dimensions, billedCost: 0n, effectiveCost: 0n, sourceRows: 0 },
          billedSmall: 0,
          effectiveSmall: 0,
        };
        this.groups.set(key, group);
      }
      group.line.sourceRows++;
      if (typeof billedCost === 'number') {
        const sum = group.billedSmall + billedCost;
        if (sum > SMALL_PENDING_LIMIT || sum < -SMALL_PENDING_LIMIT) {
          group.line.billedCost += BigInt(group.billedSmall) * SMALL_TO_EXACT;
          group.billedSmall = billedCost;
        } else group.billedSmall = sum;
      } else group.line.billedCost += billedCost;
      if (typeof effectiveCost === 'number') {
        const sum = group.effectiveSmall + effectiveCost;
        if (sum > SMALL_PENDING_LIMIT || sum < -SMALL_PENDING_LIMIT) {
          group.line.effectiveCost += BigInt(group.effectiveSmall) * SMALL_TO_EXACT;
          group.effectiveSmall = effectiveCost;
        } else group.effectiveSmall = sum;
      } else group.line.effectiveCost += effectiveCost;
    };
    return Object.assign(onRow, { columns });
  }

  /** The cost lines so far, in a stable order (by their grain values), whatever the row order was. */
  lines(): CostLine[] {
    for (const group of this.groups.values()) {
      group.line.billedCost += BigInt(group.billedSmall) * SMALL_TO_EXACT;
      group.line.effectiveCost += BigInt(group.effectiveSmall) * SMALL_TO_EXACT;
      group.billedSmall = 0;
      group.effectiveSmall = 0;
    }
    return [...this.groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g.line);
  }

  private amountOf(value: unknown, file: string, row: number, column: string): CellAmount {
    const small = typeof value === 'string' ? parseSmall(value) : typeof value === 'number' ? smallFromNumber(value) : undefined;
    if (small !== undefined) return small;
    const amount: ExactAmount | undefined = toExact(value);
    if (amount === undefined) {
      throw new IngestError(file, row, column, `${JSON.stringify(cellText(value))} is not a number`);
    }
    return amount;
  }

  private periodOf(value: unknown, file: string, row: number): string {
    if (value instanceof Date) {
      const time = value.getTime();
      let period = this.datePeriodCache.get(time);
      if (period === undefined) {
        period = billingPeriodOf(value);
        if (!period) throw new IngestError(file, row, 'BillingPeriodStart', `${JSON.stringify(cellText(value))} is not a date`);
        this.datePeriodCache.set(time, period);
      }
      return period;
    }
    const raw = cellText(value);
    let period = this.periodCache.get(raw);
    if (period === undefined) {
      period = billingPeriodOf(value);
      if (!period) throw new IngestError(file, row, 'BillingPeriodStart', `${JSON.stringify(raw)} is not a date`);
      if (this.periodCache.size > 10_000) this.periodCache.clear();
      this.periodCache.set(detach(raw), period);
    }
    return period;
  }

  private tagsOf(value: unknown, file: string, row: number): Record<string, string> {
    if (value && typeof value === 'object') return tagsFromObject(value as Record<string, unknown>);
    const raw = cellText(value);
    if (raw === '') return {};
    let parsed = this.tagCache.get(raw);
    if (parsed) return parsed;
    const read = parseTags(raw);
    if ('problem' in read) {
      throw new IngestError(file, row, 'Tags', `Tags is ${read.problem}: ${raw.length > 80 ? raw.slice(0, 80) + '…' : raw}`);
    }
    parsed = read as Record<string, string>;
    if (this.tagCache.size > 200_000) this.tagCache.clear();
    this.tagCache.set(detach(raw), parsed);
    return parsed;
  }
}

/** Reads every file and returns the cost lines at allocation grain. */
export async function ingestFocus(files: readonly CostFile[], options: IngestOptions): Promise<IngestResult> {
  const aggregator = new CostAggregator(options.dimensions);
  const perFile: { name: string; rows: number }[] = [];
  const totalBytes = files.every((f) => f.size !== undefined) ? files.reduce((a, f) => a + (f.size ?? 0), 0) : undefined;
  let bytesBefore = 0;
  for (const [fileIndex, file] of files.entries()) {
    const before = aggregator.rowsRead;
    let bytesRead = 0;
    const report = () =>
      options.onProgress?.({ file: file.name, fileIndex, fileCount: files.length, rowsRead: aggregator.rowsRead, bytesRead: bytesBefore + bytesRead, totalBytes });
    try {
      if (file.format === 'parquet') {
        await ingestParquet(file, aggregator, options.signal, (bytes) => {
          bytesRead = bytes;
          report();
        });
      } else {
        await ingestCsv(file, aggregator, options.signal, (bytes) => {
          bytesRead = bytes;
          report();
        });
      }
    } catch (error) {
      if (error instanceof IngestError || options.signal?.aborted) throw error;
      throw new IngestError(file.name, undefined, undefined, `the file could not be read: ${(error as Error).message ?? error}`);
    }
    bytesBefore += file.size ?? bytesRead;
    perFile.push({ name: file.name, rows: aggregator.rowsRead - before });
  }
  return { lines: aggregator.lines(), rowsRead: aggregator.rowsRead, files: perFile, dimensions: [...options.dimensions] };
}

async function ingestCsv(file: CostFile, aggregator: CostAggregator, signal: AbortSignal | undefined, onBytes: (bytes: number) => void): Promise<void> {
  let bytes = 0;
  const counted = file.stream().pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytes += chunk.byteLength;
        controller.enqueue(chunk);
      },
    }),
  );
  const decompressed = file.gzip ? counted.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>) : counted;
  const text = decompressed.pipeThrough(new TextDecoderStream('utf-8') as unknown as TransformStream<Uint8Array, string>);
  let onRow: (RowReader & { columns: number[] }) | undefined;
  let row = 0;
  await readCsv(text, {
    signal,
    onChunk: () => onBytes(bytes),
    // A required column that is absent is reported by beginFile, before any row is read.
    onHeader: (header) => {
      onRow = aggregator.beginFile(file.name, header.map((c, i) => (i === 0 ? c.replace(/^\uFEFF/, '') : c)));
    },
    onRows: (rows) => {
      for (const cells of rows) {
        row++;
        if (row === 1) continue; // the header
        onRow!(cells, row);
      }
    },
  });
  if (!onRow) throw new IngestError(file.name, undefined, undefined, 'the file is empty: no FOCUS header row');
}

async function ingestParquet(file: CostFile, aggregator: CostAggregator, signal: AbortSignal | undefined, onBytes: (bytes: number) => void): Promise<void> {
  const buffer = await file.buffer();
  const metadata = await parquetMetadataAsync(buffer);
  // Only the columns allocation needs are decoded; a required one that is absent is reported by beginFile.
  const topLevel = parquetSchema(metadata).children.map((c) => c.element.name);
  const columns = topLevel.filter((name) => wantedParquetColumn(name, aggregator.dimensions));
  const onRow = aggregator.beginFile(file.name, columns);
  let rowStart = 0;
  let row = 1;
  let bytesRead = 0;
  for (const group of metadata.row_groups) {
    if (signal?.aborted) throw signal.reason ?? new Error('cancelled');
    const rowEnd = rowStart + Number(group.num_rows);
    // Column by column (no row objects): each row's cells are read from the decoded column chunks in place.
    const chunks: { data: ArrayLike<unknown>; rowStart: number; rowEnd: number }[][] = columns.map(() => []);
    const columnIndex = new Map(columns.map((name, i) => [name, i]));
    await parquetRead({
      file: buffer,
      metadata,
      columns,
      rowStart,
      rowEnd,
      compressors,
      onChunk: ({ columnName, columnData, rowStart: start, rowEnd: end }) => {
        chunks[columnIndex.get(columnName)!].push({ data: columnData, rowStart: start, rowEnd: end });
      },
    });
    const cursors = chunks.map((list) => list.sort((a, b) => a.rowStart - b.rowStart)).map(() => 0);
    const cells: unknown[] = new Array(columns.length);
    for (let r = rowStart; r < rowEnd; r++) {
      for (let c = 0; c < columns.length; c++) {
        const list = chunks[c];
        let k = cursors[c];
        while (k < list.length && r >= list[k].rowEnd) k++;
        cursors[c] = k;
        const chunk = list[k];
        cells[c] = chunk && r >= chunk.rowStart ? chunk.data[r - chunk.rowStart] : undefined;
      }
      onRow(cells, ++row);
    }
    rowStart = rowEnd;
    bytesRead += group.columns.reduce((a, c) => a + Number(c.meta_data?.total_compressed_size ?? 0), 0);
    onBytes(Math.min(buffer.byteLength, bytesRead));
  }
}

function wantedParquetColumn(name: string, dimensions: readonly string[]): boolean {
  const wanted = ['BilledCost', 'EffectiveCost', 'BillingCurrency', 'BillingPeriodStart', 'ChargeCategory', 'CommitmentDiscountStatus'];
  if (wanted.includes(name)) return true;
  if (name === 'Tags') return dimensions.some(isTagDimension);
  return dimensions.some((d) => d.toLowerCase() === name.toLowerCase());
}

/** Exposed for tests of the exact parser on FOCUS-style text. */
export const parseCost = parseExact;
