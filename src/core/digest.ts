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

/** A canonical text form of table rows, so the same content always gives the same digest. */
export function canonicalRows(name: string, headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return JSON.stringify([name, headers, rows.map(canonicalRow)]);
}

const canonicalRow = (row: readonly unknown[]) => row.map((cell) => (cell === undefined || cell === '' ? null : cell));

/**
 * `sha256Hex(canonicalRows(...))`, hashed a row at a time: the same digest without the table's text
 * (hundreds of MB for half a million cost lines) ever being in memory whole. JSON.stringify of an
 * array is its elements' JSON joined by commas, so the pieces add up to the same text.
 */
export function tableDigest(name: string, headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
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
