/**
 * A server's answer is input we did not write: every HTTP client of the product (the budgets API,
 * the pane's Kusto queries, Microsoft Graph) checks it here, the same way.
 *
 * - A bearer token goes only to the configured endpoint's origin, over https (plain http only to
 *   this machine, for emulators and tests); a `nextLink` to another origin is refused.
 * - A redirect is never followed on a write, and never taken for success.
 * - Paging by `nextLink` stops at a page limit and when a link comes round again.
 * - A body is read with a size limit, counted as it streams; malformed JSON is an error that names
 *   the request, never "unexpected".
 * - A server's own error text is shown only after secrets are redacted from it, and shortened.
 * Browser-safe (fetch, URL, TextDecoder): the task pane uses it too.
 */
import { redactSecrets } from './share';

/** The most an answer may be unless a client says otherwise: a budget listing or an error is far smaller. */
export const ANSWER_BYTE_LIMIT = 16 * 1024 * 1024;
/** The most pages one listing may take (Resource Manager and Graph pages hold 100 or more entries each). */
export const PAGE_LIMIT = 1000;
/** How much of a server's error text is shown. */
const SERVER_TEXT_CHARS = 300;

/** An answer that cannot be trusted: the message says which request and why. */
export class UntrustedAnswerError extends Error {
  constructor(
    message: string,
    readonly request: string,
  ) {
    super(message);
    this.name = 'UntrustedAnswerError';
  }
}

/** `GET https://host/path`, without the query (where a SAS or a signature may be), for messages. */
export function describeRequest(method: string, url: string | URL): string {
  try {
    const parsed = new URL(String(url));
    return `${method} ${parsed.origin}${parsed.pathname}`;
  } catch {
    return `${method} ${redactSecrets(String(url))}`;
  }
}

/** localhost, 127.0.0.0/8 or ::1. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * The endpoint a bearer token may be sent to, checked: a URL, https (or http on this machine), no
 * user name or password in it. `what` names it in the error (`the budgets endpoint`).
 */
export function trustedEndpoint(endpoint: string, what: string, carries = 'a sign-in token is'): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UntrustedAnswerError(`${what} ${redactSecrets(endpoint)} is not a URL`, endpoint);
  }
  if (url.username || url.password) throw new UntrustedAnswerError(`${what} ${redactSecrets(endpoint)} carries a user name or password: sign in instead`, url.origin);
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return url;
  throw new UntrustedAnswerError(`${what} ${redactSecrets(endpoint)} is refused: ${carries} sent only over https (plain http only to this machine)`, url.origin);
}

/**
 * A link a server gave (`nextLink`, `@odata.nextLink`), to be followed with the same token: only to
 * the endpoint's origin. `request` names the request that gave it.
 */
export function checkedLink(link: unknown, endpoint: URL, request: string): URL {
  if (typeof link !== 'string') throw new UntrustedAnswerError(`the answer to ${request} has a next-page link that is not text`, request);
  let url: URL;
  try {
    url = new URL(link, endpoint);
  } catch {
    throw new UntrustedAnswerError(`the answer to ${request} has a next-page link that is not a URL`, request);
  }
  if (url.origin !== endpoint.origin || url.username || url.password) {
    throw new UntrustedAnswerError(`the answer to ${request} sends the next page to ${describeRequest('GET', url).slice(4)}, not to ${endpoint.origin}: not followed (the sign-in token goes only to ${endpoint.origin})`, request);
  }
  return url;
}

/** Follows `nextLink`s: each checked, at most `limit` pages, and never the same link twice. */
export class PageWalk {
  private readonly seen = new Set<string>();
  private pages = 0;
  constructor(
    private readonly endpoint: URL,
    private readonly request: string,
    private readonly limit = PAGE_LIMIT,
  ) {}

  /** The next page's URL, or undefined when the answer has none; throws on a loop, too many pages or a foreign link. */
  next(link: unknown, current: string): string | undefined {
    this.seen.add(current);
    if (++this.pages >= this.limit && link) throw new UntrustedAnswerError(`${this.request} is still paging after ${this.limit.toLocaleString('en-US')} pages: stopped (the service's answer is not usable)`, this.request);
    if (link === undefined || link === null || link === '') return undefined;
    const url = checkedLink(link, this.endpoint, this.request).href;
    if (this.seen.has(url)) throw new UntrustedAnswerError(`${this.request}: page ${this.pages + 1} links back to a page already read: stopped (the listing would never end)`, this.request);
    return url;
  }
}

/**
 * A redirect answered to a request: an error, so a write is never reported as done when the server
 * only pointed elsewhere. Call with `redirect: 'manual'` fetches (a browser reports them as `opaqueredirect`).
 */
export function refuseRedirect(response: Response, request: string, isWrite: boolean): void {
  if (response.type !== 'opaqueredirect' && (response.status < 300 || response.status > 399)) return;
  const to = response.headers.get('location');
  throw new UntrustedAnswerError(
    `${request} was answered with a redirect (${response.status || 'opaque'}${to ? ` to ${describeRequest('', to).trim()}` : ''}), which is not followed${isWrite ? ': nothing is reported as written' : ''}`,
    request,
  );
}

export interface ReadOptions {
  /** The most bytes the body may have (default 16 MB). */
  limit?: number;
  /** Bytes received so far, as the body streams in. */
  onReceived?: (bytes: number) => void;
}

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB`;

/** The body as text, refused as soon as more than the limit has arrived (whatever Content-Length claims). */
export async function readAnswerText(response: Response, request: string, options: ReadOptions = {}): Promise<string> {
  const limit = options.limit ?? ANSWER_BYTE_LIMIT;
  const tooBig = () => new UntrustedAnswerError(`the answer to ${request} is larger than ${mb(limit)}: refused (not what this service sends)`, request);
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw tooBig();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooBig();
    }
    options.onReceived?.(bytes);
    parts.push(decoder.decode(value, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join('');
}

/** The body parsed as JSON (undefined when empty); malformed JSON is an error naming the request. */
export async function readAnswerJson(response: Response, request: string, options: ReadOptions = {}): Promise<unknown> {
  const text = await readAnswerText(response, request, options);
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new UntrustedAnswerError(`the answer to ${request} is not valid JSON (${response.headers.get('content-type') || 'no content type'}, ${text.length.toLocaleString('en-US')} characters): ${serverText(text.slice(0, 80))}`, request);
  }
}

/** True for a JSON object (not null, not an array). */
export const isJsonObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A server's own text for a message: secrets redacted, control characters removed, shortened. */
export function serverText(text: string, secrets: readonly string[] = []): string {
  // eslint-disable-next-line no-control-regex
  const clean = redactSecrets(text, secrets).replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]+/g, ' ').trim();
  return clean.length > SERVER_TEXT_CHARS ? `${clean.slice(0, SERVER_TEXT_CHARS)}…` : clean;
}
