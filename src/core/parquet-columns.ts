/**
 * Column-chunk decoding for ingest, built on hyparquet's own page readers (its public `src/*.js`
 * exports: page headers, decompression, data pages, PLAIN values, type conversion), without the
 * generic row assembly `parquetRead` does. Two shapes come out, both one entry per row:
 *
 * - key columns (strings, timestamps…): a dictionary code per row into a small table of values,
 *   so the aggregator works out each distinct value once per column chunk, not once per row;
 * - amount columns: exact money as integer counts of 10^-10 in a Float64Array (see parseSmall),
 *   DECIMAL values read straight from their unscaled integer bytes (no float rounding, no BigInt
 *   per value); the rare value that does not fit is kept exactly (bigint) or raw (for the error).
 *
 * Only flat columns (a top-level primitive, optional or required) are decoded here; the caller
 * falls back to `parquetRead` for nested ones. Uses no Node built-ins (runs in the task pane's worker).
 */
import { parquetHeader } from 'hyparquet/src/column.js';
import { convert, DEFAULT_PARSERS } from 'hyparquet/src/convert.js';
import { decompressPage, readDataPage, readDataPageV2 } from 'hyparquet/src/datapage.js';
import { readRleBitPackedHybrid } from 'hyparquet/src/encoding.js';
import { readPlain } from 'hyparquet/src/plain.js';
import type { ColumnChunk, Compressors, DecodedArray, SchemaTree } from 'hyparquet';
import { EXACT_DIGITS, ExactAmount, FineAmount, isFineAmount, smallFromNumber, SMALL_DIGITS, SMALL_LIMIT } from './money';

type ColumnDecoder = Parameters<typeof readDataPage>[2];

/** One key column of one row group: row r's value is `values[codes[r]]`, or null when codes[r] is -1. */
export interface KeyColumn {
  codes: Int32Array;
  values: unknown[];
}

/**
 * One amount column of one row group: row r's amount is `small[r]` (a count of 10^-10) unless it is
 * NaN; then it is `exact.get(r)` (an exact amount, 10^-15 units) or else the cell `raw.get(r)` as read.
 */
export interface AmountColumn {
  small: Float64Array;
  exact: Map<number, ExactAmount | FineAmount>;
  raw: Map<number, unknown>;
}

const SAFE = 2 ** 53;

/**
 * An unscaled DECIMAL integer with `scale` decimals, as a count of 10^-10 when it is a whole
 * count under 10^15 in magnitude, else as an exact amount (10^-15 units), or a fine amount when
 * it has digits past the 15th decimal (like parseDecimal).
 */
export function decimalAmount(unscaled: number | bigint, scale: number): number | ExactAmount | FineAmount {
  if (typeof unscaled === 'number') {
    if (scale <= SMALL_DIGITS) {
      // |unscaled| ≤ 2^53 and the product, when under 10^15, is an integer float64 represents exactly.
      const value = unscaled * 10 ** (SMALL_DIGITS - scale);
      if (value < SMALL_LIMIT && value > -SMALL_LIMIT) return value;
    } else if (scale - SMALL_DIGITS <= 22) {
      const divisor = 10 ** (scale - SMALL_DIGITS);
      if (unscaled % divisor === 0) {
        const value = unscaled / divisor;
        if (value < SMALL_LIMIT && value > -SMALL_LIMIT) return value;
      }
    }
    unscaled = BigInt(unscaled);
  }
  if (scale <= EXACT_DIGITS) return unscaled * 10n ** BigInt(EXACT_DIGITS - scale);
  const divisor = 10n ** BigInt(scale - EXACT_DIGITS);
  // Digits past the 15th are kept (a fine amount), for the sum to be rounded once, not each cell.
  return unscaled % divisor === 0n ? unscaled / divisor : { units: unscaled, digits: scale };
}

/**
 * The big-endian two's-complement integer in `bytes` (a DECIMAL stored as FIXED_LEN_BYTE_ARRAY or
 * BYTE_ARRAY): a number when it is under 2^53 in magnitude, else a bigint. No BigInt arithmetic
 * for the usual small values.
 */
export function unscaledFromBytes(bytes: Uint8Array): number | bigint {
  return unscaledFromBytesAt(bytes, 0, bytes.length);
}

/** unscaledFromBytes of bytes[offset, offset + length), without a view of them. */
export function unscaledFromBytesAt(bytes: Uint8Array, offset: number, length: number): number | bigint {
  if (length === 0) return 0;
  const end = offset + length;
  const negative = bytes[offset] >= 0x80;
  const fill = negative ? 0xff : 0;
  // The leading bytes before the last 7 must only carry the sign, and so must the top bit of the
  // first of those 7. The magnitude (for negatives, its complement) is then summed in float64,
  // exact while every partial sum stays under 2^53 (partial sums only grow).
  const start = Math.max(offset, end - 7);
  let i = offset;
  while (i < start && bytes[i] === fill) i++;
  if (i === start && bytes[start] >= 0x80 === negative) {
    let magnitude = 0;
    if (negative) {
      for (let k = start; k < end; k++) magnitude = magnitude * 256 + (255 - bytes[k]);
      if (magnitude < SAFE) return -(magnitude + 1);
    } else {
      for (let k = start; k < end; k++) magnitude = magnitude * 256 + bytes[k];
      if (magnitude < SAFE) return magnitude;
    }
  }
  let big = 0n;
  for (let k = offset; k < end; k++) big = (big << 8n) | BigInt(bytes[k]);
  if (negative) big -= 1n << BigInt(8 * length);
  return big;
}

/** A flat column (a top-level primitive) that decodeKeyColumn / decodeAmountColumn can read. */
export function isFlat(child: SchemaTree): boolean {
  return child.children.length === 0 && child.element.repetition_type !== 'REPEATED';
}

interface PageValues {
  rows: number;
  /** definition level per row; empty or undefined when no value is null */
  definitionLevels: ArrayLike<number> | undefined;
  maxDefinitionLevel: number;
  dictionaryEncoded: boolean;
  /** dictionary indices (dictionaryEncoded) or the raw values, non-null ones only */
  data: DecodedArray;
  /** PLAIN FIXED_LEN_BYTE_ARRAY values left in the page (readChunk's `fixedInPlace`): value i is bytes[offset + i·width, +width) */
  fixed?: { bytes: Uint8Array; offset: number; width: number };
}

/**
 * A V1 data page's definition levels (a flat column: 0 or 1, RLE with a length prefix), as bytes;
 * undefined when the column is required or no value is null.
 */
function readDefinitionLevels(reader: { view: DataView; offset: number }, rows: number, maxDefinitionLevel: number): { definitionLevels: Uint8Array | undefined; nulls: number } {
  if (!maxDefinitionLevel) return { definitionLevels: undefined, nulls: 0 };
  const definitionLevels = new Uint8Array(rows);
  readRleBitPackedHybrid(reader, 1, definitionLevels);
  let nulls = 0;
  for (let i = 0; i < rows; i++) nulls += 1 - definitionLevels[i];
  return { definitionLevels: nulls === 0 ? undefined : definitionLevels, nulls };
}

/**
 * Reads the pages of one flat column chunk, calling `onDictionary` with its raw dictionary and
 * `onPage` with each data page's raw values.
 */
function readChunk(
  bytes: ArrayBuffer,
  decoder: ColumnDecoder,
  rowCount: number,
  onDictionary: (raw: DecodedArray) => void,
  onPage: (page: PageValues) => void,
  fixedInPlace = false,
): void {
  const reader = { view: new DataView(bytes), offset: 0 };
  const maxDefinitionLevel = decoder.element.repetition_type === 'REQUIRED' ? 0 : 1;
  let rows = 0;
  while (rows < rowCount && reader.offset < reader.view.byteLength - 1) {
    const header = parquetHeader(reader);
    const compressed = new Uint8Array(bytes, reader.offset, header.compressed_page_size);
    reader.offset += header.compressed_page_size;
    if (header.type === 'DICTIONARY_PAGE') {
      const diph = header.dictionary_page_header;
      if (!diph) throw new Error('parquet dictionary page header is undefined');
      const page = decompressPage(compressed, Number(header.uncompressed_page_size), decoder.codec, decoder.compressors);
      onDictionary(readPlain({ view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 }, decoder.type, diph.num_values, decoder.element.type_length));
    } else if (header.type === 'DATA_PAGE') {
      const daph = header.data_page_header;
      if (!daph) throw new Error('parquet data page header is undefined');
      const page = decompressPage(compressed, Number(header.uncompressed_page_size), decoder.codec, decoder.compressors);
      const dictionaryEncoded = daph.encoding === 'PLAIN_DICTIONARY' || daph.encoding === 'RLE_DICTIONARY';
      const fixedPlain = fixedInPlace && daph.encoding === 'PLAIN' && decoder.type === 'FIXED_LEN_BYTE_ARRAY' && !!decoder.element.type_length;
      if (dictionaryEncoded || fixedPlain) {
        // Read here rather than by readDataPage: levels and dictionary indices into typed arrays (not one
        // JS array element per row), and PLAIN fixed-width values left in place (no Uint8Array per value).
        const pageReader = { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 };
        const { definitionLevels, nulls } = readDefinitionLevels(pageReader, daph.num_values, maxDefinitionLevel);
        if (fixedPlain) {
          const fixed = { bytes: page, offset: pageReader.offset, width: decoder.element.type_length! };
          onPage({ rows: daph.num_values, definitionLevels, maxDefinitionLevel, dictionaryEncoded: false, data: [], fixed });
        } else {
          const bitWidth = page[pageReader.offset++];
          const indices = new Int32Array(daph.num_values - nulls);
          if (bitWidth) readRleBitPackedHybrid(pageReader, bitWidth, indices, page.byteLength - pageReader.offset);
          onPage({ rows: daph.num_values, definitionLevels, maxDefinitionLevel, dictionaryEncoded: true, data: indices });
        }
        rows += daph.num_values;
        continue;
      }
      const { definitionLevels, dataPage } = readDataPage(page, daph, decoder);
      onPage({ rows: daph.num_values, definitionLevels, maxDefinitionLevel, dictionaryEncoded: daph.encoding.endsWith('_DICTIONARY'), data: dataPage });
      rows += daph.num_values;
    } else if (header.type === 'DATA_PAGE_V2') {
      const daph2 = header.data_page_header_v2;
      if (!daph2) throw new Error('parquet data page header v2 is undefined');
      const { definitionLevels, dataPage } = readDataPageV2(compressed, header, decoder);
      onPage({ rows: daph2.num_rows, definitionLevels, maxDefinitionLevel, dictionaryEncoded: daph2.encoding.endsWith('_DICTIONARY'), data: dataPage });
      rows += daph2.num_rows;
    }
    // index pages and unknown page types carry no rows: skipped
  }
  if (rows !== rowCount) throw new Error(`parquet column ${decoder.pathInSchema.join('.')} has ${rows} rows, expected ${rowCount}`);
}

export interface ChunkSource {
  /** the column's bytes in the file: one column chunk */
  bytes: ArrayBuffer;
  chunk: ColumnChunk;
  schemaPath: SchemaTree[];
  rowCount: number;
  compressors?: Compressors;
}

function decoderOf({ chunk, schemaPath, compressors }: ChunkSource): ColumnDecoder {
  const meta = chunk.meta_data!;
  return {
    pathInSchema: meta.path_in_schema,
    type: meta.type,
    element: schemaPath[schemaPath.length - 1].element,
    schemaPath,
    codec: meta.codec,
    parsers: DEFAULT_PARSERS,
    compressors,
    utf8: true,
  };
}

/** Byte range of a column chunk in the file (as hyparquet plans it). */
export function chunkRange(chunk: ColumnChunk): { start: number; end: number } {
  const meta = chunk.meta_data;
  if (!meta) throw new Error('parquet column metadata is undefined');
  if (chunk.file_path) throw new Error('parquet file_path not supported');
  const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
  return { start, end: start + Number(meta.total_compressed_size) };
}

/** Decodes a key column chunk: values converted as parquetRead would (strings, Dates…), one code per row. */
export function decodeKeyColumn(source: ChunkSource): KeyColumn {
  const decoder = decoderOf(source);
  const codes = new Int32Array(source.rowCount);
  let values: unknown[] = [];
  let dictionary: unknown[] = [];
  let dictionaryShared = false;
  let row = 0;
  readChunk(
    source.bytes,
    decoder,
    source.rowCount,
    (raw) => {
      dictionary = Array.from(convert(raw, decoder) as ArrayLike<unknown>);
      if (values.length === 0) {
        values = dictionary;
        dictionaryShared = true;
      }
    },
    (page) => {
      const { rows, definitionLevels, maxDefinitionLevel, data } = page;
      let offset: number;
      let indices: ArrayLike<number>;
      if (page.dictionaryEncoded) {
        if (!dictionaryShared) {
          // a dictionary that came after plain pages (unusual): append it
          offset = values.length;
          values.push(...dictionary);
        } else offset = 0;
        indices = data as ArrayLike<number>;
      } else {
        if (dictionaryShared) {
          values = values.slice();
          dictionaryShared = false;
        }
        offset = values.length;
        const converted = convert(data, decoder) as ArrayLike<unknown>;
        for (let i = 0; i < converted.length; i++) values.push(converted[i]);
        const identity = new Int32Array(converted.length);
        for (let i = 0; i < identity.length; i++) identity[i] = i;
        indices = identity;
      }
      if (!definitionLevels || definitionLevels.length === 0) {
        if (offset === 0 && indices instanceof Int32Array) codes.set(indices.subarray(0, rows), row);
        else for (let i = 0; i < rows; i++) codes[row + i] = offset + indices[i];
      } else {
        let v = 0;
        for (let i = 0; i < rows; i++) codes[row + i] = definitionLevels[i] === maxDefinitionLevel ? offset + indices[v++] : -1;
      }
      row += rows;
    },
  );
  return { codes, values };
}

/** Decodes an amount column chunk into exact amounts (see AmountColumn). */
export function decodeAmountColumn(source: ChunkSource): AmountColumn {
  const decoder = decoderOf(source);
  const element = decoder.element;
  const decimal = element.converted_type === 'DECIMAL' || element.logical_type?.type === 'DECIMAL';
  const scale = element.scale ?? (element.logical_type?.type === 'DECIMAL' ? element.logical_type.scale : 0) ?? 0;
  const small = new Float64Array(source.rowCount);
  const exact = new Map<number, ExactAmount | FineAmount>();
  const raw = new Map<number, unknown>();
  // per dictionary entry: its small count, or NaN with the amount in dictionaryOther
  let dictionarySmall = new Float64Array(0);
  let dictionaryOther: AmountOfValue[] = [];
  // row r's amount: a small count, or NaN with the value kept in `exact` / `raw`
  const store = (amount: AmountOfValue, r: number) => {
    if (typeof amount === 'number') small[r] = amount;
    else {
      small[r] = NaN;
      if (typeof amount === 'bigint' || isFineAmount(amount)) exact.set(r, amount);
      else raw.set(r, amount.raw);
    }
  };
  let row = 0;
  readChunk(
    source.bytes,
    decoder,
    source.rowCount,
    (rawDictionary) => {
      const values = decimal ? rawDictionary : convert(rawDictionary, decoder);
      dictionarySmall = new Float64Array(values.length);
      dictionaryOther = new Array(values.length);
      for (let i = 0; i < values.length; i++) {
        const amount = amountOfValue(values[i], decimal, scale);
        dictionarySmall[i] = typeof amount === 'number' ? amount : NaN;
        dictionaryOther[i] = amount;
      }
    },
    (page) => {
      const { rows, definitionLevels, maxDefinitionLevel, data, dictionaryEncoded, fixed } = page;
      const hasNulls = !!definitionLevels && definitionLevels.length > 0;
      // a fixed-width page keeps its values in place (no `data`); dictionary codes and DECIMALs are used as read
      const values = fixed || dictionaryEncoded || decimal ? data : convert(data, decoder);
      // a fixed-width page's bytes and value width in locals, read once per page rather than once per row
      const { bytes, width } = fixed ?? { bytes: new Uint8Array(0), width: 0 };
      let at = fixed ? fixed.offset : 0;
      let v = 0;
      for (let i = 0; i < rows; i++) {
        const r = row + i;
        if (hasNulls && definitionLevels![i] !== maxDefinitionLevel) store(NULL_AMOUNT, r);
        else if (fixed) {
          store(decimal ? decimalAmount(unscaledFromBytesAt(bytes, at, width), scale) : amountOfValue(bytes.subarray(at, at + width), false, scale), r);
          at += width;
        } else if (dictionaryEncoded) {
          const code = values[v++] as number;
          const amount = dictionarySmall[code];
          if (amount === amount) small[r] = amount;
          else store(dictionaryOther[code], r);
        } else store(amountOfValue(values[v++], decimal, scale), r);
      }
      row += rows;
    },
    true,
  );
  return { small, exact, raw };
}

/** One value of an amount column: a small count, an exact amount, or the raw value (not a number here). */
type AmountOfValue = number | ExactAmount | FineAmount | { raw: unknown };

/** A null cell: no amount, and null as the value an error reports. */
const NULL_AMOUNT: AmountOfValue = { raw: null };

/** The AmountOfValue of one value as decoded (DECIMAL: its unscaled integer, as bytes or a number). */
function amountOfValue(value: unknown, decimal: boolean, scale: number): AmountOfValue {
  if (decimal) {
    if (value instanceof Uint8Array) return decimalAmount(unscaledFromBytes(value), scale);
    if (typeof value === 'number') return decimalAmount(value, scale);
    if (typeof value === 'bigint') return decimalAmount(value <= BigInt(SAFE) && value >= -BigInt(SAFE) ? Number(value) : value, scale);
    return { raw: value };
  }
  if (typeof value === 'number') {
    const small = smallFromNumber(value);
    if (small !== undefined) return small;
  }
  return { raw: value };
}
