/**
 * How big an .xlsx file is once unpacked, read from its zip directory without unpacking anything:
 * a workbook is refused by size before ExcelJS inflates it whole in memory (a 44 MB rules
 * workbook, or a "zip bomb" of a few KB that unpacks to gigabytes, would exhaust memory first).
 */

export interface XlsxSize {
  /** Sum of the entries' unpacked sizes as the zip directory declares them; Infinity for ZIP64 (no real workbook needs it). */
  unpackedBytes: number;
  entries: number;
  /** Each part's unpacked size, by its path in the package (`xl/worksheets/sheet2.xml`). */
  parts: ReadonlyMap<string, number>;
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;

/** The unpacked size of a zip file; undefined when `bytes` is not a zip file (ExcelJS will say so). */
export function xlsxSize(bytes: Uint8Array): XlsxSize | undefined {
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
  const entries = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const parts = new Map<string, number>();
  if (entries === 0xffff || at === 0xffffffff) return { unpackedBytes: Infinity, entries, parts };
  let unpackedBytes = 0;
  for (let i = 0; i < entries; i++) {
    if (at + 46 > bytes.byteLength || view.getUint32(at, true) !== DIRECTORY_ENTRY) return undefined;
    const declared = view.getUint32(at + 24, true);
    const unpacked = declared === 0xffffffff ? Infinity : declared;
    const nameLength = view.getUint16(at + 28, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    parts.set(name, (parts.get(name) ?? 0) + unpacked);
    unpackedBytes += unpacked;
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return { unpackedBytes, entries, parts };
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
  const mb = (n: number) => (Number.isFinite(n) ? `${Math.round(n / MB).toLocaleString('en-US')} MB` : 'more than 4 GB');
  const what = kind === 'rules' ? 'a rules workbook' : 'a chargeback workbook';
  if (bytes.byteLength > limits.fileBytes) return `the file is ${mb(bytes.byteLength)}, more than the ${mb(limits.fileBytes)} ${what} may be: is it the right file?`;
  const size = xlsxSize(bytes);
  if (!size) return undefined;
  let held = Number.isFinite(size.unpackedBytes) ? 0 : Infinity;
  let rowByRow = 0;
  for (const [part, unpacked] of size.parts) {
    if (limits.streamedBytes > 0 && streamed(part)) rowByRow += unpacked;
    else held += unpacked;
  }
  if (held > limits.unpackedBytes) return `the file unpacks to ${mb(held)}, more than the ${mb(limits.unpackedBytes)} ${what} may (a damaged or malicious file?): it is not opened`;
  if (rowByRow > limits.streamedBytes) return `its cost detail sheets unpack to ${mb(rowByRow)}, more than the ${mb(limits.streamedBytes)} ${what} may (a damaged or malicious file?): it is not opened`;
  return undefined;
}
