/**
 * How big an .xlsx file is once unpacked, read from its zip directory without unpacking anything:
 * a workbook is refused by size before ExcelJS inflates it whole in memory (a 44 MB rules
 * workbook, or a "zip bomb" of a few KB that unpacks to gigabytes, would exhaust memory first).
 */

export interface XlsxSize {
  /** Sum of the entries' unpacked sizes as the zip directory declares them; Infinity for ZIP64 (no real workbook needs it). */
  unpackedBytes: number;
  entries: number;
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
  if (entries === 0xffff || at === 0xffffffff) return { unpackedBytes: Infinity, entries };
  let unpackedBytes = 0;
  for (let i = 0; i < entries; i++) {
    if (at + 46 > bytes.byteLength || view.getUint32(at, true) !== DIRECTORY_ENTRY) return undefined;
    const unpacked = view.getUint32(at + 24, true);
    unpackedBytes += unpacked === 0xffffffff ? Infinity : unpacked;
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return { unpackedBytes, entries };
}

const MB = 1024 * 1024;

/** Limits by kind of workbook: a rules workbook is a few small tables; a chargeback workbook holds the Costs and Allocation detail. */
export const XLSX_LIMITS = {
  rules: { fileBytes: 20 * MB, unpackedBytes: 100 * MB },
  chargeback: { fileBytes: 400 * MB, unpackedBytes: 1536 * MB },
} as const;

/** Why a workbook is too big to open, or undefined when it is within the limits of its kind. */
export function xlsxTooBig(bytes: Uint8Array, kind: keyof typeof XLSX_LIMITS): string | undefined {
  const limits = XLSX_LIMITS[kind];
  const mb = (n: number) => `${Math.round(n / MB).toLocaleString('en-US')} MB`;
  const what = kind === 'rules' ? 'a rules workbook' : 'a chargeback workbook';
  if (bytes.byteLength > limits.fileBytes) return `the file is ${mb(bytes.byteLength)}, more than the ${mb(limits.fileBytes)} ${what} may be: is it the right file?`;
  const size = xlsxSize(bytes);
  if (size && size.unpackedBytes > limits.unpackedBytes) {
    return `the file unpacks to ${Number.isFinite(size.unpackedBytes) ? mb(size.unpackedBytes) : 'more than 4 GB'}, more than the ${mb(limits.unpackedBytes)} ${what} may (a damaged or malicious file?): it is not opened`;
  }
  return undefined;
}
