import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';

/**
 * SHA-256 through Web Crypto, present both in Node 20 and in the browser, so digests of
 * chargeback content and of the audit chain are computed by the same code in every host.
 */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest('SHA-256', bytes as unknown as ArrayBuffer);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A canonical text form of table rows, so the same content always gives the same digest: the JSON
 * of `[name, headers, rows]`, an empty cell as null, text as text, and a number as the number its
 * first 15 significant digits give (see `signedNumber`).
 */
export function canonicalRows(name: string, headers: readonly string[], rows: readonly (readonly unknown[])[], form: DigestForm = 'signed'): string {
  return JSON.stringify([name, headers, rows.map(canonicalRowOf(form))]);
}

/**
 * `signed`: what finance signs, in a form any spreadsheet program's save keeps. `full-precision`:
 * every binary digit of each double, the form approvals used before (they still verify in it).
 */
export type DigestForm = 'signed' | 'full-precision';

/**
 * A number as far as a spreadsheet keeps it: Excel shows and types 15 significant digits, and
 * LibreOffice and Gnumeric save no more, so `189.79166666666666` (an exact share of 2,277.50 in
 * twelve) is signed as `189.791666666667`. Money is in minor units and exact amounts are kept as
 * text beside their numbers, so this drops nothing finance signs.
 */
export function signedNumber(value: number): number {
  if (!Number.isFinite(value)) return value;
  const signed = Number(value.toPrecision(15));
  return signed === 0 ? 0 : signed;
}

const canonicalRowOf = (form: DigestForm) => (row: readonly unknown[]) =>
  row.map((cell) => (cell === undefined || cell === '' ? null : form === 'signed' && typeof cell === 'number' ? signedNumber(cell) : cell));

/**
 * `sha256Hex(canonicalRows(...))`, hashed a row at a time: the same digest without the table's text
 * (hundreds of MB for half a million cost lines) ever being in memory whole. JSON.stringify of an
 * array is its elements' JSON joined by commas, so the pieces add up to the same text.
 */
export function tableDigest(name: string, headers: readonly string[], rows: readonly (readonly unknown[])[], form: DigestForm = 'signed'): string {
  const canonicalRow = canonicalRowOf(form);
  const hash = sha256.create();
  let pending = `[${JSON.stringify(name)},${JSON.stringify(headers)},[`;
  rows.forEach((row, index) => {
    pending += (index === 0 ? '' : ',') + JSON.stringify(canonicalRow(row));
    if (pending.length > 1 << 16) {
      hash.update(utf8ToBytes(pending));
      pending = '';
    }
  });
  hash.update(utf8ToBytes(pending + ']]'));
  return bytesToHex(hash.digest());
}
