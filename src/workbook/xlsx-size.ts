/**
 * How big an .xlsx file is once unpacked: a workbook is refused by size before ExcelJS inflates it
 * whole in memory (a 44 MB rules workbook, or a "zip bomb" of a few KB that unpacks to gigabytes,
 * would exhaust memory first). First from its zip directory, without unpacking anything (quick);
 * then by inflating each part and counting what actually comes out, as it streams, stopping at the
 * limit — the sizes the directory declares are the file's word, and a crafted file lies.
 */
import { createInflateRaw } from 'node:zlib';

export interface XlsxSize {
  /** Sum of the entries' unpacked sizes as the zip directory declares them; Infinity for ZIP64 (no real workbook needs it). */
  unpackedBytes: number;
  entries: number;
  /** Each part's unpacked size, by its path in the package (`xl/worksheets/sheet2.xml`). */
  parts: ReadonlyMap<string, number>;
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

/** One part of the package as its zip directory describes it. */
interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated (the only methods an .xlsx uses). */
  method: number;
  compressedBytes: number;
  /** The unpacked size the directory declares (the file's word; Infinity for a ZIP64 size). */
  declaredBytes: number;
  /** Where its local header starts. */
  offset: number;
}

/** The zip directory: its entries, or only their count where the file uses ZIP64 (no real workbook needs it). */
type ZipDirectory = { entries: ZipEntry[] } | { zip64: true; count: number };

/** The zip directory, or undefined when `bytes` is not a zip file a workbook can be. */
function zipDirectory(bytes: Uint8Array): ZipDirectory | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-directory record is the last 22 bytes, unless a zip comment (up to 65,535 bytes) follows it.
  let end = -1;
  for (let at = bytes.byteLength - 22; at >= Math.max(0, bytes.byteLength - 22 - 65_535); at--) {
    if (view.getUint32(at, true) === END_OF_DIRECTORY) {
      end = at;
      break;
    }
  }
  if (end < 0) return undefined;
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  if (count === 0xffff || at === 0xffffffff) return { zip64: true, count };
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.byteLength || view.getUint32(at, true) !== DIRECTORY_ENTRY) return undefined;
    const declared = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    entries.push({
      name: new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength)),
      method: view.getUint16(at + 10, true),
      compressedBytes: view.getUint32(at + 20, true),
      declaredBytes: declared === 0xffffffff ? Infinity : declared,
      offset: view.getUint32(at + 42, true),
    });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return { entries };
}

/** The sizes the zip directory declares, part by part. */
function declaredSize(directory: ZipDirectory): XlsxSize {
  const parts = new Map<string, number>();
  if ('zip64' in directory) return { unpackedBytes: Infinity, entries: directory.count, parts };
  let unpackedBytes = 0;
  for (const entry of directory.entries) {
    parts.set(entry.name, (parts.get(entry.name) ?? 0) + entry.declaredBytes);
    unpackedBytes += entry.declaredBytes;
  }
  return { unpackedBytes, entries: directory.entries.length, parts };
}

/** The bytes a part inflates to, counted as they stream out; stops once past `stopAfter` (then Infinity). */
async function inflatedBytes(bytes: Uint8Array, entry: ZipEntry, stopAfter: number): Promise<number | undefined> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (entry.offset + 30 > bytes.byteLength || view.getUint32(entry.offset, true) !== LOCAL_HEADER) return undefined;
  const start = entry.offset + 30 + view.getUint16(entry.offset + 26, true) + view.getUint16(entry.offset + 28, true);
  const data = bytes.subarray(start, Math.min(bytes.byteLength, start + entry.compressedBytes));
  if (entry.method === 0) return data.byteLength;
  if (entry.method !== 8) return undefined;
  return new Promise((resolve) => {
    const inflate = createInflateRaw({ chunkSize: 256 * 1024 });
    let counted = 0;
    let done = false;
    const finish = (value: number | undefined) => {
      if (done) return;
      done = true;
      inflate.destroy();
      resolve(value);
    };
    inflate.on('data', (chunk: Buffer) => {
      counted += chunk.byteLength;
      if (counted > stopAfter) finish(Infinity);
    });
    inflate.on('end', () => finish(counted));
    inflate.on('error', () => finish(undefined)); // damaged data: ExcelJS will say the file cannot be read
    // Fed in pieces, so a bomb stops after a few pieces rather than after all its input.
    const PIECE = 64 * 1024;
    let at = 0;
    const feed = () => {
      while (!done && at < data.byteLength) {
        const piece = data.subarray(at, at + PIECE);
        at += piece.byteLength;
        if (!inflate.write(piece)) return void inflate.once('drain', feed);
      }
      if (!done) inflate.end();
    };
    feed();
  });
}

/**
 * What each part of the package actually inflates to, counted as it streams. Counting stops once
 * the parts together pass `stopAfter` (the sizes so far already say the file is refused; then
 * `unpackedBytes` is Infinity), so a bomb costs no more than that much inflating and no memory.
 * Undefined when `bytes` is not a zip file.
 */
export async function xlsxInflatedSize(bytes: Uint8Array, stopAfter: number): Promise<XlsxSize | undefined> {
  const directory = zipDirectory(bytes);
  if (!directory || 'zip64' in directory) return directory && declaredSize(directory);
  const { entries } = directory;
  const parts = new Map<string, number>();
  let total = 0;
  for (const entry of entries) {
    const size = (await inflatedBytes(bytes, entry, stopAfter - total)) ?? 0;
    parts.set(entry.name, (parts.get(entry.name) ?? 0) + size);
    total += size;
    if (total > stopAfter) return { unpackedBytes: Infinity, entries: entries.length, parts };
  }
  return { unpackedBytes: total, entries: entries.length, parts };
}

/**
 * Why a workbook is too big to open, from what it actually inflates to (counted as it streams, not
 * what the zip declares); with the sizes counted, for xlsxSizeTooBig once the streamed parts are known.
 */
export async function xlsxInflatesTooBig(bytes: Uint8Array, kind: XlsxKind, limits: XlsxLimits = XLSX_LIMITS[kind]): Promise<{ tooBig?: string; size?: XlsxSize }> {
  if (bytes.byteLength > limits.fileBytes) return { tooBig: `the file is ${mb(bytes.byteLength)}, more than the ${mb(limits.fileBytes)} ${what(kind)} may be: is it the right file?` };
  const most = limits.unpackedBytes + limits.streamedBytes;
  const size = await xlsxInflatedSize(bytes, most);
  // Counting stopped part way: the file is past every limit (how far past, only inflating all of it would tell).
  if (size && size.unpackedBytes === Infinity) return { tooBig: `the file unpacks to more than the ${mb(most)} ${what(kind)} may (a damaged or malicious file?): it is not opened` };
  return { size };
}

/** The unpacked size of a zip file as its directory declares it; undefined when `bytes` is not a zip file (ExcelJS will say so). */
export function xlsxSize(bytes: Uint8Array): XlsxSize | undefined {
  const directory = zipDirectory(bytes);
  return directory && declaredSize(directory);
}

const MB = 1024 * 1024;

export interface XlsxLimits {
  fileBytes: number;
  /** What the parts read whole into memory (everything but the streamed sheets) may unpack to. */
  unpackedBytes: number;
  /** What the sheets read row by row (Costs and Allocation, see xlsx-large-tables.ts) may unpack to, together. */
  streamedBytes: number;
}

export type XlsxKind = 'rules' | 'chargeback';

/**
 * Limits by kind of workbook: a rules workbook is a few small tables; a chargeback workbook holds the
 * Costs and Allocation detail, which is streamed row by row and so is limited apart from the rest. A
 * book at Excel's 1,048,576 rows in both of them unpacks to about 2 GB (`npm run bench:memory` prints
 * each book's unpacked size), and it must reopen: the streamed limit leaves room above that.
 */
export const XLSX_LIMITS: Record<XlsxKind, XlsxLimits> = {
  rules: { fileBytes: 20 * MB, unpackedBytes: 100 * MB, streamedBytes: 0 },
  chargeback: { fileBytes: 400 * MB, unpackedBytes: 1536 * MB, streamedBytes: 3584 * MB },
};

/** A worksheet part: before the workbook's tables are read, any sheet may be one that is streamed. */
export const isWorksheetPart = (part: string) => /^xl\/worksheets\/[^/]+\.xml$/i.test(part);

/**
 * Why a workbook is too big to open, or undefined when it is within the limits of its kind. `streamed`
 * says which parts are read row by row rather than whole: those count against `streamedBytes`.
 */
export function xlsxTooBig(bytes: Uint8Array, kind: XlsxKind, streamed: (part: string) => boolean = () => false, limits: XlsxLimits = XLSX_LIMITS[kind]): string | undefined {
  if (bytes.byteLength > limits.fileBytes) return `the file is ${mb(bytes.byteLength)}, more than the ${mb(limits.fileBytes)} ${what(kind)} may be: is it the right file?`;
  return xlsxSizeTooBig(xlsxSize(bytes), kind, streamed, limits);
}

const mb = (n: number) => (Number.isFinite(n) ? `${Math.round(n / MB).toLocaleString('en-US')} MB` : 'more than 4 GB');
const what = (kind: XlsxKind) => (kind === 'rules' ? 'a rules workbook' : 'a chargeback workbook');

/** Why a workbook of these part sizes is too big to open, or undefined. */
export function xlsxSizeTooBig(size: XlsxSize | undefined, kind: XlsxKind, streamed: (part: string) => boolean, limits: XlsxLimits): string | undefined {
  if (!size) return undefined;
  let held = Number.isFinite(size.unpackedBytes) ? 0 : Infinity;
  let rowByRow = 0;
  for (const [part, unpacked] of size.parts) {
    if (limits.streamedBytes > 0 && streamed(part)) rowByRow += unpacked;
    else held += unpacked;
  }
  if (held > limits.unpackedBytes) return `the file unpacks to ${mb(held)}, more than the ${mb(limits.unpackedBytes)} ${what(kind)} may (a damaged or malicious file?): it is not opened`;
  if (rowByRow > limits.streamedBytes) return `its cost detail sheets unpack to ${mb(rowByRow)}, more than the ${mb(limits.streamedBytes)} ${what(kind)} may (a damaged or malicious file?): it is not opened`;
  return undefined;
}
