/**
 * A SharePoint document library or OneDrive folder as the finance share, through Microsoft Graph
 * (the task pane's share; it signs in with nested app authentication, see src/taskpane/auth.ts).
 * Files up to 4 MB go up in one `PUT …:/content`; larger ones through an upload session in
 * ranged PUTs. Both ask Graph to fail rather than replace (`conflictBehavior=fail`), so a
 * published version is never overwritten.
 *
 * Graph endpoints used (v1.0): GET /sites/{host}:/{path}, GET /sites/{id}/drives, GET /me/drive,
 * GET /drives/{id}/root:/{path}:/children, GET …:/content, PUT …:/content,
 * POST …:/createUploadSession, PUT {uploadUrl} with Content-Range, DELETE /drives/{id}/root:/{path}:.
 */
import { Client, Context, HTTPMessageHandler, Middleware, RedirectHandler, ResponseType, RetryHandler } from '@microsoft/microsoft-graph-client';
import { FolderListing } from '../core/publication';
import { CreateFileOptions, redactSecrets, Share, ShareConflictError, ShareError, statusOf } from './share';
import { describeRequest, isJsonObject, PageWalk, readAnswerJson, readAnswerText, refuseRedirect, serverText, trustedEndpoint, UntrustedAnswerError } from './untrusted-http';

/** What the task pane's settings hold for a SharePoint / OneDrive share. */
export interface GraphShareSettings {
  /** The app registration's client id (used by sign-in, not here). */
  clientId?: string;
  /** `https://contoso.sharepoint.com/sites/Finance`; empty for the signed-in user's OneDrive. */
  siteUrl?: string;
  /** Document library name (default `Documents`). */
  library?: string;
  /** Folder inside the library, e.g. `Chargeback`. */
  folder: string;
}

export interface GraphShareOptions {
  /** Files above this size go through an upload session (Graph's limit for a simple upload is 4 MB). */
  largeFileBytes?: number;
  /** Upload session chunk size: a multiple of 320 KiB, as Graph requires. */
  chunkBytes?: number;
  /** For the upload session's PUTs, which go to a pre-authorized URL without the Graph client. */
  fetch?: typeof fetch;
}

const SIMPLE_UPLOAD_LIMIT = 4 * 1024 * 1024;
const CHUNK_UNIT = 320 * 1024;

interface DriveItem {
  name: string;
  webUrl?: string;
  folder?: object;
  file?: object;
}

function encodePath(path: string): string {
  return path.split('/').filter((p) => p !== '').map(encodeURIComponent).join('/');
}

/** The URL of a Graph client's request, whichever form the SDK passes it in. */
const requestUrl = (context: Context) => (typeof context.request === 'string' ? context.request : (context.request as Request).url);

/**
 * Puts the signed-in user's token on requests to the Graph base URL's origin, and refuses any
 * other (a nextLink or redirect to another host would otherwise carry it). Upload session URLs are
 * called without it, outside the client.
 */
class BearerToken implements Middleware {
  private next?: Middleware;
  constructor(
    private readonly getAccessToken: () => Promise<string>,
    private readonly origin: URL,
  ) {}
  async execute(context: Context): Promise<void> {
    const url = new URL(requestUrl(context), this.origin);
    if (url.origin !== this.origin.origin) {
      throw new UntrustedAnswerError(`a request to ${describeRequest('', url).trim()} is not sent: the sign-in token goes only to ${this.origin.origin}`, describeRequest(context.options?.method ?? 'GET', url));
    }
    const value = `Bearer ${await this.getAccessToken()}`;
    context.options = context.options ?? {};
    const headers = context.options.headers;
    if (headers instanceof Headers) headers.set('Authorization', value);
    else context.options.headers = { ...(headers as Record<string, string> | undefined), Authorization: value };
    await this.next!.execute(context);
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

/**
 * Sits under the redirect handler: a write (PUT, POST, PATCH, DELETE) answered with a redirect is an
 * error, so a file is never reported as created at an address the server only pointed to. Reads
 * follow redirects (Graph answers a file download with 302 to a pre-authorized URL).
 */
class NoRedirectOnWrite implements Middleware {
  private next?: Middleware;
  async execute(context: Context): Promise<void> {
    await this.next!.execute(context);
    const method = (context.options?.method ?? 'GET').toUpperCase();
    if (context.response && method !== 'GET' && method !== 'HEAD') refuseRedirect(context.response, describeRequest(method, requestUrl(context)), true);
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

/** The Graph origin each client was made for, to check the links its answers give. */
const clientOrigins = new WeakMap<Client, URL>();

/** A Graph client that signs requests with `getAccessToken` (nested app authentication in Excel). */
export function graphClient(getAccessToken: () => Promise<string>, baseUrl = 'https://graph.microsoft.com/'): Client {
  const origin = trustedEndpoint(baseUrl, 'the Microsoft Graph address');
  const client = Client.initWithMiddleware({
    baseUrl,
    defaultVersion: 'v1.0',
    middleware: chain([new BearerToken(getAccessToken, origin), new RetryHandler(), new RedirectHandler(), new NoRedirectOnWrite(), new HTTPMessageHandler()]),
  });
  clientOrigins.set(client, origin);
  return client;
}

function chain(middleware: Middleware[]): Middleware[] {
  middleware.forEach((m, i) => middleware[i + 1] && m.setNext?.(middleware[i + 1]));
  return middleware;
}

/** The drive id for the settings: the named library of the site, or the user's OneDrive. */
export async function resolveDrive(client: Client, settings: Pick<GraphShareSettings, 'siteUrl' | 'library'>): Promise<string> {
  if (!settings.siteUrl) return ((await client.api('/me/drive').select('id').get()) as { id: string }).id;
  const site = new URL(settings.siteUrl);
  const siteId = ((await client.api(`/sites/${site.hostname}:/${encodePath(decodeURIComponent(site.pathname))}`).select('id').get()) as { id: string }).id;
  const drives = ((await client.api(`/sites/${siteId}/drives`).select('id,name').get()) as { value: { id: string; name: string }[] }).value;
  const wanted = (settings.library || 'Documents').toLowerCase();
  const drive = drives.find((d) => d.name.toLowerCase() === wanted);
  if (!drive) throw new ShareError(`${settings.siteUrl} has no document library "${settings.library}"; it has ${drives.map((d) => d.name).join(', ')}`);
  return drive.id;
}

export class GraphShare implements Share {
  readonly location: string;
  private readonly fetcher: typeof fetch;

  constructor(
    private readonly client: Client,
    private readonly driveId: string,
    private readonly folder: string,
    private readonly options: GraphShareOptions & { displayName?: string } = {},
  ) {
    this.location = `${options.displayName ?? `drive ${driveId}`}/${encodePath(folder)}`.replace(/\/$/, '');
    this.fetcher = options.fetch ?? ((...args) => fetch(...args));
  }

  private item(path: string): string {
    return `/drives/${this.driveId}/root:/${encodePath(`${this.folder}/${path}`)}:`;
  }

  private failure(what: string, error: unknown): ShareError {
    return new ShareError(redactSecrets(`${this.location}/${what}: ${(error as Error).message ?? String(error)}`));
  }

  async listFolder(folder: string): Promise<FolderListing | undefined> {
    const files: string[] = [];
    const folders: string[] = [];
    const first = `${this.item(folder)}/children`;
    const walk = new PageWalk(clientOrigins.get(this.client) ?? new URL('https://graph.microsoft.com/'), describeRequest('GET', `${this.location}/${folder}`));
    try {
      let page: unknown = await this.client.api(first).select('name,folder,file').get();
      let current = first;
      for (;;) {
        if (!isJsonObject(page) || !Array.isArray(page.value)) throw new UntrustedAnswerError(`the listing of ${folder} is not a list of files`, first);
        for (const item of page.value as unknown[]) {
          if (!isJsonObject(item) || typeof item.name !== 'string' || item.name === '') throw new UntrustedAnswerError(`the listing of ${folder} has an entry without a name`, first);
          (item.folder ? folders : files).push(item.name);
        }
        const next = walk.next(page['@odata.nextLink'], current);
        if (!next) break;
        current = next;
        page = await this.client.api(next).get();
      }
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw this.failure(`${folder} cannot be listed`, error);
    }
    return { files: files.sort(), folders: folders.sort() };
  }

  async readFile(path: string): Promise<Uint8Array | undefined> {
    try {
      const body = (await this.client.api(`${this.item(path)}/content`).responseType(ResponseType.ARRAYBUFFER).get()) as ArrayBuffer;
      return new Uint8Array(body);
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw this.failure(`${path} cannot be read`, error);
    }
  }

  async createFile(path: string, bytes: Uint8Array, options: CreateFileOptions = {}): Promise<{ link: string }> {
    const item = bytes.byteLength > (this.options.largeFileBytes ?? SIMPLE_UPLOAD_LIMIT) ? await this.uploadInSession(path, bytes, options) : await this.uploadSmall(path, bytes, options);
    options.onProgress?.(bytes.byteLength);
    return { link: item.webUrl ?? `${this.location}/${path}` };
  }

  async removeFile(path: string): Promise<void> {
    try {
      await this.client.api(this.item(path)).delete();
    } catch (error) {
      if (statusOf(error) === 404) return;
      throw this.failure(`${path} cannot be removed`, error);
    }
  }

  private async uploadSmall(path: string, bytes: Uint8Array, options: CreateFileOptions): Promise<DriveItem> {
    try {
      return (await this.client
        .api(`${this.item(path)}/content`)
        .query({ '@microsoft.graph.conflictBehavior': 'fail' })
        .header('Content-Type', options.contentType ?? 'application/octet-stream')
        .put(bytes)) as DriveItem;
    } catch (error) {
      if (statusOf(error) === 409) throw new ShareConflictError(path, this.location);
      throw this.failure(`${path} cannot be written`, error);
    }
  }

  private async uploadInSession(path: string, bytes: Uint8Array, options: CreateFileOptions): Promise<DriveItem> {
    let uploadUrl: string;
    try {
      ({ uploadUrl } = (await this.client.api(`${this.item(path)}/createUploadSession`).post({ item: { '@microsoft.graph.conflictBehavior': 'fail' } })) as { uploadUrl: string });
    } catch (error) {
      if (statusOf(error) === 409) throw new ShareConflictError(path, this.location);
      throw this.failure(`${path}: the upload session cannot be started`, error);
    }
    const chunk = Math.max(CHUNK_UNIT, Math.floor((this.options.chunkBytes ?? 10 * CHUNK_UNIT) / CHUNK_UNIT) * CHUNK_UNIT);
    const total = bytes.byteLength;
    let start = 0;
    try {
      // The upload URL comes from Graph's answer: only over https (http on this machine), and no redirect.
      trustedEndpoint(String(uploadUrl), 'the upload session address', 'the chargeback files are');
    } catch (error) {
      throw this.failure(`${path} cannot be written`, error);
    }
    try {
      const request = describeRequest('PUT', uploadUrl);
      for (;;) {
        const end = Math.min(start + chunk, total);
        // The upload URL is pre-authorized: it is sent without the Graph bearer token, as Graph asks.
        const response = await this.fetcher(uploadUrl, {
          method: 'PUT',
          headers: { 'Content-Range': `bytes ${start}-${end - 1}/${total}`, 'Content-Length': String(end - start) },
          body: bytes.slice(start, end),
          redirect: 'manual',
          signal: options.signal,
        });
        refuseRedirect(response, request, true);
        if (response.status === 200 || response.status === 201) {
          const item = await readAnswerJson(response, request);
          if (!isJsonObject(item)) throw new UntrustedAnswerError(`the answer to ${request} is not a file`, request);
          return item as unknown as DriveItem;
        }
        if (response.status === 409) throw new ShareConflictError(path, this.location);
        if (response.status !== 202) throw new Error(`the upload was refused (HTTP ${response.status}: ${serverText(await readAnswerText(response, request, { limit: 64 * 1024 }).catch(() => ''))})`);
        const ranges = ((await readAnswerJson(response, request)) as { nextExpectedRanges?: unknown } | undefined)?.nextExpectedRanges;
        const next = Array.isArray(ranges) && typeof ranges[0] === 'string' ? Number(ranges[0].split('-')[0]) : end;
        // A server that asks for bytes already sent, or past the end, would loop or lose data.
        if (!Number.isSafeInteger(next) || next <= start || next > total) throw new UntrustedAnswerError(`${request} asked next for bytes from ${Array.isArray(ranges) ? String(ranges[0]) : next}, after sending ${start}-${end - 1} of ${total}: the upload is stopped`, request);
        start = next;
        options.onProgress?.(start);
      }
    } catch (error) {
      // Cancel the session so no half file is left for Graph to keep.
      await this.fetcher(uploadUrl, { method: 'DELETE' }).catch(() => undefined);
      if (error instanceof ShareConflictError) throw error;
      throw this.failure(`${path} cannot be written`, error);
    }
  }
}
