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
  return JSON.stringify([name, headers, rows.map((row) => row.map((cell) => (cell === undefined || cell === '' ? null : cell)))]);
}
