/**
 * A local stand-in for the parts of Microsoft Graph the SharePoint share uses, answering as
 * Graph's documentation says they answer: simple upload (PUT …:/content, 4 MB at most),
 * upload sessions (createUploadSession, ranged PUTs answered 202 with nextExpectedRanges, then
 * 201 with the item), children listings, downloads, and `conflictBehavior=fail` as 409.
 */
import http from 'node:http';
import { LocalServer } from './local-server';

export interface GraphRequestLog {
  method: string;
  url: string;
  authorization?: string;
  contentRange?: string;
  bytes: number;
}

export class FakeGraph extends LocalServer {
  readonly files = new Map<string, Buffer>();
  readonly requests: GraphRequestLog[] = [];
  /** Answers a request instead of the stand-in when it returns true: a test's hostile or broken Graph. */
  intercept?: (req: http.IncomingMessage, path: string, res: http.ServerResponse) => boolean;
  /** Makes the n-th upload session PUT (1-based) fail with HTTP 500. */
  failSessionPut?: number;
  /** The signed-in user `GET /v1.0/me` names for the token (Graph's user resource: id, displayName, userPrincipalName, ...). */
  me?: { userPrincipalName: string; displayName: string };
  private sessions = new Map<string, { path: string; total?: number; received: Buffer[]; next: number }>();

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  private webUrl(path: string): string {
    return `https://contoso.sharepoint.com/sites/Finance/Finance%20Share/${path.split('/').map(encodeURIComponent).join('/')}`;
  }

  protected handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      this.requests.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, contentRange: req.headers['content-range'] as string | undefined, bytes: body.length });
      const send = (status: number, json?: unknown) => {
        res.writeHead(status, json === undefined ? {} : { 'Content-Type': 'application/json' });
        res.end(json === undefined ? undefined : JSON.stringify(json));
      };
      const error = (status: number, code: string, message: string) => send(status, { error: { code, message } });
      const url = new URL(req.url!, this.baseUrl);
      const path = decodeURIComponent(url.pathname);
      if (this.intercept?.(req, path, res)) return;

      const upload = /^\/upload\/(\w+)$/.exec(path);
      if (upload) return this.sessionPut(upload[1], req, body, send, error);
      if (req.headers.authorization !== 'Bearer test-token') return error(401, 'InvalidAuthenticationToken', 'Access token is empty.');
      // GET /me answers the token's user, with $select honoured (https://learn.microsoft.com/graph/api/user-get).
      if (req.method === 'GET' && path === '/v1.0/me') {
        if (!this.me) return error(400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
        const user: Record<string, string> = { id: '87d349ed-44d7-43e1-9a83-5f2406dee5bd', mail: this.me.userPrincipalName, ...this.me };
        const select = url.searchParams.get('$select')?.split(',');
        return send(200, { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity', ...(select ? Object.fromEntries(select.map((k) => [k, user[k] ?? null])) : user) });
      }
      if (req.method === 'GET' && path === '/v1.0/sites/contoso.sharepoint.com:/sites/Finance') return send(200, { id: 'site-1' });
      if (req.method === 'GET' && path === '/v1.0/sites/site-1/drives') return send(200, { value: [{ id: 'drive-docs', name: 'Documents' }, { id: 'drive-1', name: 'Finance Share' }] });
      const item = /^\/v1\.0\/drives\/drive-1\/root:\/(.+?):(\/children|\/content|\/createUploadSession)$/.exec(path);
      if (!item) return error(400, 'invalidRequest', `no such endpoint: ${req.method} ${path}`);
      const [, itemPath, action] = item;
      if (action === '/children' && req.method === 'GET') {
        const prefix = itemPath.replace(/\/?$/, '/');
        const under = [...this.files.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
        if (under.length === 0) return error(404, 'itemNotFound', 'The resource could not be found.');
        const names = new Map<string, boolean>();
        for (const rest of under) names.set(rest.split('/')[0], rest.includes('/'));
        return send(200, { value: [...names].map(([name, isFolder]) => (isFolder ? { name, folder: { childCount: 1 } } : { name, file: {} })) });
      }
      if (action === '/content' && req.method === 'GET') {
        const file = this.files.get(itemPath);
        if (!file) return error(404, 'itemNotFound', 'The resource could not be found.');
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
        return res.end(file);
      }
      if (action === '/content' && req.method === 'PUT') {
        if (body.length > 4 * 1024 * 1024) return error(413, 'requestTooLarge', 'Use an upload session for files over 4 MB.');
        if (url.searchParams.get('@microsoft.graph.conflictBehavior') === 'fail' && this.files.has(itemPath)) return error(409, 'nameAlreadyExists', 'The specified item name already exists.');
        this.files.set(itemPath, body);
        return send(201, { name: itemPath.split('/').pop(), size: body.length, webUrl: this.webUrl(itemPath), file: {} });
      }
      if (action === '/createUploadSession' && req.method === 'POST') {
        const behavior = (JSON.parse(body.toString() || '{}') as { item?: Record<string, string> }).item?.['@microsoft.graph.conflictBehavior'];
        if (behavior === 'fail' && this.files.has(itemPath)) return error(409, 'nameAlreadyExists', 'The specified item name already exists.');
        const id = `s${this.sessions.size + 1}`;
        this.sessions.set(id, { path: itemPath, received: [], next: 0 });
        return send(200, { uploadUrl: `${this.baseUrl}upload/${id}`, expirationDateTime: '2030-01-01T00:00:00Z', nextExpectedRanges: ['0-'] });
      }
      return error(405, 'invalidRequest', 'method not allowed');
    });
  }

  private sessionPuts = 0;

  private sessionPut(id: string, req: http.IncomingMessage, body: Buffer, send: (s: number, j?: unknown) => void, error: (s: number, c: string, m: string) => void): void {
    const session = this.sessions.get(id);
    if (!session) return error(404, 'itemNotFound', 'no such upload session');
    if (req.method === 'DELETE') {
      this.sessions.delete(id);
      return send(204);
    }
    if (++this.sessionPuts === this.failSessionPut) return error(500, 'generalException', 'Something went wrong.');
    const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(String(req.headers['content-range']));
    if (!range) return error(400, 'invalidRange', 'Content-Range is required');
    const [start, end, total] = range.slice(1).map(Number);
    if (start !== session.next || end - start + 1 !== body.length) return error(416, 'invalidRange', `expected bytes from ${session.next}`);
    if (end + 1 < total && body.length % (320 * 1024) !== 0) return error(400, 'invalidRange', 'fragments must be a multiple of 320 KiB');
    session.received.push(body);
    session.next = end + 1;
    if (session.next < total) return send(202, { expirationDateTime: '2030-01-01T00:00:00Z', nextExpectedRanges: [`${session.next}-`] });
    this.sessions.delete(id);
    if (this.files.has(session.path)) return error(409, 'nameAlreadyExists', 'The specified item name already exists.');
    this.files.set(session.path, Buffer.concat(session.received));
    return send(201, { name: session.path.split('/').pop(), size: total, webUrl: this.webUrl(session.path), file: {} });
  }
}
