/**
 * Reading one FOCUS file into the aggregator: CSV (plain or gzip) as a stream of bytes through
 * csv.ts, Parquet through hyparquet (column chunks of the needed columns only). Web-standard
 * APIs only (streams, DecompressionStream), so the task pane's worker runs the same code.
 */
import { parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import type { AsyncBuffer, FileMetaData, RowGroup, SchemaTree } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { CostAggregator, RowReader } from './aggregate';
import { readCsv } from './csv';
import { isTagDimension } from './focus';
import { IngestError } from './ingest-error';
import type { CostFile } from './cost-file';
import { ChunkSource, chunkRange, decodeAmountColumn, decodeKeyColumn, isFlat, KeyColumn } from './parquet-columns';

/** A part of a file to read instead of the whole (parallel reading, ingest-split.ts). */
export interface FilePart {
  /** CSV: the header's bytes, then the part's; `guessedEnd` when the part ends at a guessed record start */
  stream?: ReadableStream<Uint8Array>;
  guessedEnd?: boolean;
  /** Parquet: row groups [start, end) */
  rowGroups?: { start: number; end: number };
}

/** Reads a CSV file (or a part of it) into the aggregator; returns how many records it had, the header included. */
export async function ingestCsv(file: CostFile, aggregator: CostAggregator, signal: AbortSignal | undefined, onBytes: (bytes: number, records: number) => void, part: FilePart = {}): Promise<number> {
  let bytes = 0;
  const counted = (part.stream ?? file.stream()).pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytes += chunk.byteLength;
        controller.enqueue(chunk);
      },
    }),
  );
  const decompressed = file.gzip ? counted.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>) : counted;
  // Read as Parquet is: the key columns as codes into their distinct values, the amounts as exact counts, batch by batch.
  let reader: ReturnType<CostAggregator['beginColumnarFile']> | undefined;
  const { records } = await readCsv(decompressed, {
    file: file.name,
    signal,
    guessedEnd: part.guessedEnd,
    onChunk: (records) => onBytes(bytes, records),
    // A required column that is absent is reported by beginColumnarFile, before any row is read.
    onHeader: (header) => {
      reader = aggregator.beginColumnarFile(file.name, header);
      return { keys: reader.keyColumns, amounts: [reader.billed, reader.effective] };
    },
    onBatch: (batch) => reader!.addRows(batch.keys, batch.amounts[0], batch.amounts[1], batch.rowCount, batch.firstRow),
  });
  if (!reader) throw new IngestError(file.name, undefined, undefined, 'the file is empty: no FOCUS header row');
  return records;
}

export async function ingestParquet(file: CostFile, aggregator: CostAggregator, signal: AbortSignal | undefined, onBytes: (bytes: number) => void, part: FilePart = {}): Promise<void> {
  const buffer = await file.buffer();
  const metadata = await parquetMetadataAsync(buffer);
  // Only the columns allocation needs are decoded; a required one that is absent is reported by beginFile.
  const schema = parquetSchema(metadata);
  const wanted = schema.children.filter((c) => wantedParquetColumn(c.element.name, aggregator.dimensions));
  const columns = wanted.map((c) => c.element.name);
  if (!parquetRowsOption.value && wanted.every(isFlat)) {
    await ingestParquetColumns(file.name, buffer, metadata, schema, wanted, aggregator, signal, onBytes, part.rowGroups);
    return;
  }
  const onRow = aggregator.beginFile(file.name, columns);
  let rowStart = 0;
  let row = 1;
  let bytesRead = 0;
  const columnIndex = new Map(columns.map((name, i) => [name, i]));
  const { start, end } = part.rowGroups ?? { start: 0, end: metadata.row_groups.length };
  for (const [index, group] of metadata.row_groups.entries()) {
    if (signal?.aborted) throw signal.reason ?? new Error('cancelled');
    const rowEnd = rowStart + Number(group.num_rows);
    if (index < start || index >= end) {
      // another reader's row groups (a split file): counted for the row numbers, not read
      row += rowEnd - rowStart;
      rowStart = rowEnd;
      continue;
    }
    // Column by column (no row objects): each row's cells are read from the decoded column chunks in place.
    const chunks: { data: ArrayLike<unknown>; rowStart: number; rowEnd: number }[][] = columns.map(() => []);
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
    bytesRead += compressedBytes(group);
    onBytes(Math.min(buffer.byteLength, bytesRead));
  }
}

/** A row group's size in the file (all its column chunks, compressed): what progress counts as read. */
function compressedBytes(group: RowGroup): number {
  return group.columns.reduce((a, c) => a + Number(c.meta_data?.total_compressed_size ?? 0), 0);
}

/** For tests: read Parquet through parquetRead row assembly (the general path) even when the fast one applies. */
export const parquetRowsOption = { value: false };

/**
 * Parquet whose needed columns are all flat: each row group's column chunks are decoded by
 * parquet-columns.ts (dictionary codes and exact amounts) and summed in batches, one column chunk
 * in memory at a time per column.
 */
async function ingestParquetColumns(
  name: string,
  buffer: AsyncBuffer,
  metadata: FileMetaData,
  schema: SchemaTree,
  wanted: SchemaTree[],
  aggregator: CostAggregator,
  signal: AbortSignal | undefined,
  onBytes: (bytes: number) => void,
  rowGroups = { start: 0, end: metadata.row_groups.length },
): Promise<void> {
  const reader = aggregator.beginColumnarFile(name, wanted.map((c) => c.element.name));
  // `column` is an index into the header given to beginColumnarFile, so wanted[column] is its schema node
  const sourceOf = async (group: RowGroup, column: number): Promise<ChunkSource> => {
    const columnName = wanted[column].element.name;
    const chunk = group.columns.find((c) => c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === columnName);
    if (!chunk) throw new Error(`parquet column ${columnName} not found in a row group`);
    const { start, end } = chunkRange(chunk);
    const bytes = await buffer.slice(start, end);
    return { bytes, chunk, schemaPath: [schema, wanted[column]], rowCount: Number(group.num_rows), compressors };
  };
  let firstRow = 2; // the first data row, counting a header as row 1 as CSV does
  let bytesRead = 0;
  for (const [index, group] of metadata.row_groups.entries()) {
    if (signal?.aborted) throw signal.reason ?? new Error('cancelled');
    const rowCount = Number(group.num_rows);
    // another reader's row groups (a split file) count for the row numbers only
    if (rowCount > 0 && index >= rowGroups.start && index < rowGroups.end) {
      const billed = decodeAmountColumn(await sourceOf(group, reader.billed));
      const effective = decodeAmountColumn(await sourceOf(group, reader.effective));
      const keyColumns: KeyColumn[] = [];
      for (const column of reader.keyColumns) keyColumns.push(decodeKeyColumn(await sourceOf(group, column)));
      reader.addRows(keyColumns, billed, effective, rowCount, firstRow);
    }
    firstRow += rowCount;
    if (index >= rowGroups.start && index < rowGroups.end) bytesRead += compressedBytes(group);
    onBytes(Math.min(buffer.byteLength, bytesRead));
  }
}

function wantedParquetColumn(name: string, dimensions: readonly string[]): boolean {
  const wanted = ['BilledCost', 'EffectiveCost', 'BillingCurrency', 'BillingPeriodStart', 'ChargeCategory', 'CommitmentDiscountStatus'];
  if (wanted.includes(name)) return true;
  if (name === 'Tags') return dimensions.some(isTagDimension);
  return dimensions.some((d) => d.toLowerCase() === name.toLowerCase());
}
