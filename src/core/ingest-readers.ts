/**
 * Reading one FOCUS file into the aggregator: CSV (plain or gzip) as a stream of text through
 * papaparse, Parquet through hyparquet (column chunks of the needed columns only). Web-standard
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

export async function ingestCsv(file: CostFile, aggregator: CostAggregator, signal: AbortSignal | undefined, onBytes: (bytes: number) => void): Promise<void> {
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
  let onRow: RowReader | undefined;
  let row = 0;
  let fieldCount = 0;
  await readCsv(text, {
    signal,
    onChunk: () => onBytes(bytes),
    // A required column that is absent is reported by beginFile, before any row is read.
    onHeader: (header) => {
      fieldCount = header.length;
      onRow = aggregator.beginFile(file.name, header.map((c, i) => (i === 0 ? c.replace(/^\uFEFF/, '') : c)));
    },
    onRows: (rows, problems) => {
      const firstRow = row + 1;
      for (const problem of problems) throw new IngestError(file.name, firstRow + problem.index, undefined, `the row is not valid CSV (${problem.message}): the file is damaged or cut off`);
      for (const cells of rows) {
        row++;
        if (row === 1) continue; // the header
        if (cells.length === 1 && cells[0] === '') continue; // a blank line
        if (cells.length !== fieldCount) {
          // A row cut off (a truncated file) or with a stray separator would otherwise be read with its cells shifted or empty.
          throw new IngestError(file.name, row, undefined, `the row has ${cells.length} field${cells.length === 1 ? '' : 's'} but the header has ${fieldCount}: the row is cut off or has a stray separator`);
        }
        onRow!(cells, row);
      }
    },
  });
  if (!onRow) throw new IngestError(file.name, undefined, undefined, 'the file is empty: no FOCUS header row');
}

export async function ingestParquet(file: CostFile, aggregator: CostAggregator, signal: AbortSignal | undefined, onBytes: (bytes: number) => void): Promise<void> {
  const buffer = await file.buffer();
  const metadata = await parquetMetadataAsync(buffer);
  // Only the columns allocation needs are decoded; a required one that is absent is reported by beginFile.
  const schema = parquetSchema(metadata);
  const wanted = schema.children.filter((c) => wantedParquetColumn(c.element.name, aggregator.dimensions));
  const columns = wanted.map((c) => c.element.name);
  if (!parquetRowsOption.value && wanted.every(isFlat)) {
    await ingestParquetColumns(file.name, buffer, metadata, schema, wanted, aggregator, signal, onBytes);
    return;
  }
  const onRow = aggregator.beginFile(file.name, columns);
  let rowStart = 0;
  let row = 1;
  let bytesRead = 0;
  const columnIndex = new Map(columns.map((name, i) => [name, i]));
  for (const group of metadata.row_groups) {
    if (signal?.aborted) throw signal.reason ?? new Error('cancelled');
    const rowEnd = rowStart + Number(group.num_rows);
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
  for (const group of metadata.row_groups) {
    if (signal?.aborted) throw signal.reason ?? new Error('cancelled');
    const rowCount = Number(group.num_rows);
    if (rowCount > 0) {
      const billed = decodeAmountColumn(await sourceOf(group, reader.billed));
      const effective = decodeAmountColumn(await sourceOf(group, reader.effective));
      const keyColumns: KeyColumn[] = [];
      for (const column of reader.keyColumns) keyColumns.push(decodeKeyColumn(await sourceOf(group, column)));
      reader.addRows(keyColumns, billed, effective, rowCount, firstRow);
    }
    firstRow += rowCount;
    bytesRead += compressedBytes(group);
    onBytes(Math.min(buffer.byteLength, bytesRead));
  }
}

function wantedParquetColumn(name: string, dimensions: readonly string[]): boolean {
  const wanted = ['BilledCost', 'EffectiveCost', 'BillingCurrency', 'BillingPeriodStart', 'ChargeCategory', 'CommitmentDiscountStatus'];
  if (wanted.includes(name)) return true;
  if (name === 'Tags') return dimensions.some(isTagDimension);
  return dimensions.some((d) => d.toLowerCase() === name.toLowerCase());
}
