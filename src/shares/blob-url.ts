/**
 * Azure Blob Storage URLs with a SAS token, as users paste them: a container URL, or a folder
 * inside one (`https://acct.blob.core.windows.net/finance/chargeback?sv=...&sig=...`). The SAS is
 * kept apart from the place so that only the place is ever shown or logged. Used by the blob share
 * and by the cost export source.
 */
import { AnonymousCredential, BlobClient, ContainerClient, StorageRetryOptions } from '@azure/storage-blob';
import { redactSecrets, ShareError } from './share';
import { concatBytes } from '../core/bytes';

export interface BlobPlace {
  /** The container client, SAS included. */
  container: ContainerClient;
  /** Folder inside the container, '' or ending in '/'. */
  prefix: string;
  /** The URL without its query: safe to show and log. */
  display: string;
  /** The SAS query (without '?'), to redact from any message. */
  sas: string;
}

export function isUrl(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

const LOCAL_HOST = /^(localhost|\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:]+\])$/i;

/** Splits a container or folder URL with a SAS into the container and the folder. */
export function parseBlobUrl(url: string, retryOptions?: StorageRetryOptions): BlobPlace {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ShareError(`${redactSecrets(url)} is not a URL`);
  }
  const segments = parsed.pathname.split('/').filter((s) => s !== '').map(decodeURIComponent);
  // Azurite and other emulators use path-style URLs: http://127.0.0.1:10000/<account>/<container>
  const accountInPath = LOCAL_HOST.test(parsed.hostname) ? 1 : 0;
  const containerAt = accountInPath;
  if (segments.length <= containerAt) throw new ShareError(`${parsed.origin}${parsed.pathname}: the URL names no container (expected https://<account>.blob.core.windows.net/<container>[/<folder>]?<SAS>)`);
  const sas = parsed.search.replace(/^\?/, '');
  const base = `${parsed.origin}/${segments.slice(0, containerAt + 1).map(encodeURIComponent).join('/')}`;
  const folder = segments.slice(containerAt + 1).join('/');
  return {
    container: new ContainerClient(sas ? `${base}?${sas}` : base, new AnonymousCredential(), retryOptions ? { retryOptions } : undefined),
    prefix: folder ? `${folder}/` : '',
    display: `${parsed.origin}/${segments.map(encodeURIComponent).join('/')}`,
    sas,
  };
}

/** The URL of a blob without its SAS. */
export function blobDisplayUrl(blob: BlobClient): string {
  return blob.url.split('?')[0];
}

/** Reads a blob (or a range of it) into memory, in Node (a stream) and in the browser (a Blob) alike. */
export async function downloadBytes(blob: BlobClient, offset = 0, count?: number, signal?: AbortSignal): Promise<Uint8Array> {
  const response = await blob.download(offset, count, { abortSignal: signal });
  if (response.readableStreamBody) {
    const chunks: Uint8Array[] = [];
    for await (const chunk of response.readableStreamBody as AsyncIterable<Uint8Array | string>) chunks.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk);
    return concatBytes(chunks);
  }
  const body = await response.blobBody;
  return new Uint8Array(await body!.arrayBuffer());
}
