/**
 * A local FinOps hub for tests: answers the Kusto REST API as Azure Data Explorer does
 * (POST /v2/rest/query with a bearer token, a JSON body {db, csl, properties}; the answer a JSON
 * array of v2 frames, as in test/fixtures/kusto). It is as strict as the service where the
 * product could go wrong: every query is parsed and type-checked by the Kusto language service
 * against the hub's schema (a semantic error is a 400 with Kusto's OneApi error body), every
 * declared parameter must be sent, the token must be the one issued. It can be told to throttle
 * (429), to refuse the caller (403), to report an error-level completion row, or to hold a query
 * until the caller gives up (a cancel). For the task pane it answers CORS for one origin (the
 * harness page's), as a cluster does for a web app's origin; other origins get no CORS headers,
 * so the browser refuses the answer.
 */
import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { analyzeKql, HubVersion } from './kusto-language';

export type HubRow = Record<string, string | number | null>;

export interface HubServerOptions {
  token: string;
  version?: HubVersion;
  /** The primary result of a valid query: its columns (name, Kusto type) and rows. */
  answer: (csl: string, parameters: Record<string, string>) => { columns: [string, string][]; rows: HubRow[] };
  /** The one browser origin allowed to call (CORS), such as the harness page's `http://127.0.0.1:PORT`. */
  corsOrigin?: string;
}

export interface ReceivedQuery {
  db: string;
  csl: string;
  parameters: Record<string, string>;
}

const fixture = (name: string) => JSON.parse(readFileSync(path.resolve(__dirname, '../fixtures/kusto', name), 'utf8'));

/** Kusto's error body (OneApi errors), as the service sends with a 4xx. */
const oneApiError = (code: string, message: string, type: string) => ({ error: { code, message, '@type': type, '@message': message, '@permanent': code !== 'TooManyRequests' } });

export class LocalHub {
  readonly received: ReceivedQuery[] = [];
  /** How many of the next queries are throttled (429). */
  throttleNext = 0;
  forbidden = false;
  completionError = false;
  /** The next query is held unanswered until its caller closes the connection (counted in `abandoned`). */
  holdNext = false;
  abandoned = 0;
  private server: Server;

  private constructor(private readonly options: HubServerOptions) {
    this.server = createServer((request, response) => this.handle(request, response).catch((error) => this.send(response, 500, { error: { code: 'Internal', message: String(error) } })));
  }

  static async start(options: HubServerOptions): Promise<LocalHub> {
    const hub = new LocalHub(options);
    await new Promise<void>((resolve) => hub.server.listen(0, '127.0.0.1', resolve));
    return hub;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** CORS headers for an allowed origin; none for any other (the browser then refuses the answer). */
  private cors(request: IncomingMessage): Record<string, string> {
    const origin = request.headers.origin;
    return origin && origin === this.options.corsOrigin ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : {};
  }

  private send(response: ServerResponse, status: number, body: unknown) {
    response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...this.cors(response.req) });
    response.end(JSON.stringify(body));
  }

  private async handle(request: IncomingMessage, response: ServerResponse) {
    // The browser's preflight before a POST with a bearer token and a JSON body.
    if (request.method === 'OPTIONS') {
      const allowed = Object.keys(this.cors(request)).length > 0;
      response.writeHead(allowed ? 204 : 403, allowed ? { ...this.cors(request), 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Allow-Headers': 'authorization, content-type, accept, x-ms-app, x-ms-client-request-id', 'Access-Control-Max-Age': '600' } : {});
      return void response.end();
    }
    // No cloud metadata: the client then assumes the public cloud, as with a proxy.
    if (request.method === 'GET' && request.url?.startsWith('/v1/rest/auth/metadata')) return this.send(response, 404, {});
    if (request.method !== 'POST' || request.url !== '/v2/rest/query') return this.send(response, 404, {});
    if (request.headers.authorization !== `Bearer ${this.options.token}`) return this.send(response, 401, oneApiError('Unauthorized', 'Unauthorized: the token is missing or not valid', 'Kusto.Common.Svc.Exceptions.UnauthorizedOperationException'));
    let body = '';
    for await (const chunk of request) body += chunk;
    const { db, csl, properties } = JSON.parse(body) as { db: string; csl: string; properties?: { Parameters?: Record<string, string> } };
    const parameters = properties?.Parameters ?? {};
    this.received.push({ db, csl, parameters });
    if (this.holdNext) {
      this.holdNext = false;
      await new Promise((resolve) => response.on('close', resolve));
      this.abandoned++;
      return;
    }
    if (this.throttleNext > 0) {
      this.throttleNext--;
      return this.send(response, 429, oneApiError('TooManyRequests', 'The request was denied due to throttling. {"Reason": "Request rate limit of the workload group exceeded"}', 'Kusto.DataNode.Exceptions.ThrottleException'));
    }
    if (this.forbidden) return this.send(response, 403, oneApiError('Forbidden', `Principal 'aaduser=test' is not authorized to read database '${db}'.`, 'Kusto.Data.Exceptions.UnauthorizedDatabaseAccessException'));
    if (db !== 'Hub') return this.send(response, 400, oneApiError('BadRequest_EntityNotFound', `Database '${db}' was not found.`, 'Kusto.Data.Exceptions.EntityNotFoundException'));
    const { errors } = analyzeKql(csl, this.options.version);
    if (errors.length > 0) return this.send(response, 400, oneApiError('General_BadRequest', `Semantic error: ${errors.map((e) => e.message).join('; ')}`, 'Kusto.Data.Exceptions.SemanticException'));
    const declared = /^declare query_parameters\(([^)]*)\);/.exec(csl)?.[1].split(',').map((p) => p.trim().split(':')) ?? [];
    for (const [name, type] of declared) {
      const value = parameters[name];
      if (value === undefined) return this.send(response, 400, oneApiError('General_BadRequest', `Query parameter '${name}' was declared but not provided`, 'Kusto.Data.Exceptions.SemanticException'));
      if (type === 'datetime' && !/^datetime\(\d{4}-\d{2}-\d{2}T[\d:.]+Z\)$/.test(value)) return this.send(response, 400, oneApiError('General_BadRequest', `Query parameter '${name}': '${value}' is not a datetime literal`, 'Kusto.Data.Exceptions.SyntaxException'));
    }
    if (this.completionError) return this.send(response, 200, fixture('v2-error-response-example.json'));
    const { columns, rows } = this.options.answer(csl, parameters);
    const frames = fixture('v2-response-example.json');
    const primary = frames.find((f: { TableKind?: string }) => f.TableKind === 'PrimaryResult');
    primary.TableName = 'PrimaryResult';
    primary.Columns = columns.map(([ColumnName, ColumnType]) => ({ ColumnName, ColumnType }));
    primary.Rows = rows.map((row) => columns.map(([name]) => row[name] ?? null));
    return this.send(response, 200, frames);
  }
}
