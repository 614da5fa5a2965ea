/**
 * A local Databricks SQL warehouse for the tests: an HTTPS server speaking the warehouse's own
 * protocol, Thrift TCLIService (binary protocol, buffered transport, one POST per call), with the
 * TCLIService processor the @databricks/sql package ships. It answers as a warehouse does
 * (Databricks docs, "Databricks SQL Driver for Node.js"; TCLIService.thrift in the package):
 * OpenSession at protocol SPARK_CLI_SERVICE_PROTOCOL_V8 (named parameters), ExecuteStatement
 * (an analysis error in its status, with a SQLSTATE; no direct results, as for a statement that
 * outlasts the direct-results wait), GetOperationStatus (RUNNING at the first poll, then
 * FINISHED), GetResultSetMetadata saying COLUMN_BASED_SET (the driver offers Arrow, but reads
 * whichever form the metadata names), FetchResults in that form (a column per result column, a
 * null bitmap each), CloseOperation, CloseSession; HTTP 401 without the bearer token, 404 on
 * another HTTP path. What runs is the caller's `answer`; the tests parse the statement text the
 * warehouse received with the Spark SQL grammar.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const TCLIService = require('@databricks/sql/thrift/TCLIService');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const T = require('@databricks/sql/thrift/TCLIService_types');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const thrift = require('thrift');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Int64 = require('node-int64');

/** A result as the warehouse holds it: typed columns (Databricks type names) and rows by column name. */
export interface WarehouseResult {
  columns: [name: string, type: keyof typeof TYPE_IDS][];
  rows: Record<string, unknown>[];
}
export type WarehouseAnswer = (statement: string, parameters: Record<string, { type: string; value: string | undefined }>) => Promise<WarehouseResult | { sqlState: string; message: string }>;

const success = () => new T.TStatus({ statusCode: T.TStatusCode.SUCCESS_STATUS });
// a warehouse's handles are UUIDs (the driver prints them as such)
const handle = () => new T.THandleIdentifier({ guid: Buffer.from(randomUUID().replace(/-/g, ''), 'hex'), secret: Buffer.from(randomUUID().replace(/-/g, ''), 'hex') });
const key = (id: { guid: Buffer }) => Buffer.from(id.guid).toString('hex');

const TYPE_IDS = { string: T.TTypeId.STRING_TYPE, bigint: T.TTypeId.BIGINT_TYPE, int: T.TTypeId.INT_TYPE, double: T.TTypeId.DOUBLE_TYPE, timestamp: T.TTypeId.TIMESTAMP_TYPE, decimal: T.TTypeId.DECIMAL_TYPE } as const;

/** One column of a COLUMN_BASED_SET: the values, and a bitmap with bit i set when row i is null. */
function thriftColumn(type: WarehouseResult['columns'][number][1], values: unknown[]) {
  const nulls = Buffer.alloc(Math.ceil(values.length / 8));
  values.forEach((v, i) => {
    if (v === null || v === undefined) nulls[i >> 3] |= 1 << (i & 7);
  });
  // a column-based set carries timestamps and decimals as text, as HiveServer2 does
  if (type === 'string' || type === 'timestamp' || type === 'decimal') return new T.TColumn({ stringVal: new T.TStringColumn({ values: values.map((v) => (v == null ? '' : String(v))), nulls }) });
  if (type === 'bigint') return new T.TColumn({ i64Val: new T.TI64Column({ values: values.map((v) => new Int64(Number(v ?? 0))), nulls }) });
  if (type === 'int') return new T.TColumn({ i32Val: new T.TI32Column({ values: values.map((v) => Number(v ?? 0)), nulls }) });
  return new T.TColumn({ doubleVal: new T.TDoubleColumn({ values: values.map((v) => Number(v ?? 0)), nulls }) });
}

type Handler = Record<string, (request: never) => Promise<unknown>>;

/**
 * The generated processor answers a handler's promise only when the handler takes exactly one
 * argument (`handler.length === 1`, see process_* in thrift/TCLIService.js); any other arity is
 * called Node-callback style, `handler(request, callback)`, and an async handler that ignores the
 * callback never answers: the driver then waits forever for GetOperationStatus. Every call is
 * given the one-argument form here, whatever its own parameter list.
 */
function promising(handler: Handler, received: (call: string) => void): Handler {
  return Object.fromEntries(Object.entries(handler).map(([call, answer]) => [call, (request: never) => (received(call), answer(request))]));
}

export class LocalWarehouse {
  readonly statements: { statement: string; parameters: Record<string, { type: string; value: string | undefined }> }[] = [];
  readonly sessions = { opened: 0, closed: 0, catalog: '', schema: '' };
  /** Refuse the next calls as a warehouse refuses a principal without CAN USE: HTTP 403. */
  forbidden = false;
  private readonly results = new Map<string, WarehouseResult>();
  private readonly running = new Set<string>();
  /** Every TCLIService call received, in order (OpenSession, ExecuteStatement, GetOperationStatus, ...). */
  readonly calls: string[] = [];
  private server!: https.Server;
  port = 0;
  readonly ca: string;
  private readonly key: string;

  constructor(
    private readonly options: { token: string; httpPath: string; answer: WarehouseAnswer },
  ) {
    const dir = mkdtempSync(path.join(tmpdir(), 'chargeback-warehouse-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    this.ca = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
    this.key = readFileSync(path.join(dir, 'key.pem'), 'utf8');
  }

  static async start(options: { token: string; httpPath: string; answer: WarehouseAnswer }): Promise<LocalWarehouse> {
    const warehouse = new LocalWarehouse(options);
    const processor = new TCLIService.Processor(promising(warehouse.handler(), (call) => warehouse.calls.push(call)));
    warehouse.server = https.createServer({ key: warehouse.key, cert: warehouse.ca }, (req, res) => {
      if (req.method !== 'POST' || new URL(req.url ?? '/', 'https://x').pathname !== options.httpPath) {
        res.writeHead(404).end(`no SQL warehouse at ${req.url}`);
        return;
      }
      if (req.headers.authorization !== `Bearer ${options.token}`) {
        res.writeHead(401).end('Credential was not sent or was of an unsupported type for this API.');
        return;
      }
      if (warehouse.forbidden) {
        res.writeHead(403).end('PERMISSION_DENIED: User does not have CAN USE on warehouse');
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        // one whole Thrift message per POST (THttpClient's framing): read it, answer it
        thrift.TBufferedTransport.receiver((input: unknown) => {
          const output = new thrift.TBinaryProtocol(new thrift.TBufferedTransport(undefined, (buffer: Buffer) => res.writeHead(200, { 'content-type': 'application/x-thrift' }).end(buffer)));
          try {
            processor.process(new thrift.TBinaryProtocol(input), output);
          } catch (error) {
            res.writeHead(500).end(String(error));
          }
        })(Buffer.concat(chunks));
      });
    });
    await new Promise<void>((resolve) => warehouse.server.listen(0, '127.0.0.1', resolve));
    warehouse.port = (warehouse.server.address() as AddressInfo).port;
    return warehouse;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** The TCLIService calls a warehouse answers for a driver that runs statements. */
  private handler() {
    return {
      OpenSession: async (req: { configuration?: Record<string, string>; initialNamespace?: { catalogName?: string; schemaName?: string } }) => {
        this.sessions.opened++;
        this.sessions.catalog = req.initialNamespace?.catalogName ?? '';
        this.sessions.schema = req.initialNamespace?.schemaName ?? '';
        return new T.TOpenSessionResp({ status: success(), serverProtocolVersion: T.TProtocolVersion.SPARK_CLI_SERVICE_PROTOCOL_V8, sessionHandle: new T.TSessionHandle({ sessionId: handle() }) });
      },
      CloseSession: async (_req: unknown) => {
        this.sessions.closed++;
        return new T.TCloseSessionResp({ status: success() });
      },
      ExecuteStatement: async (req: { statement: string; parameters?: { name: string; type: string; value?: { stringValue?: string } }[] }) => {
        const parameters = Object.fromEntries((req.parameters ?? []).map((p) => [p.name, { type: p.type, value: p.value?.stringValue }]));
        this.statements.push({ statement: req.statement, parameters });
        const answer = await this.options.answer(req.statement, parameters).catch((error: Error) => ({ sqlState: 'XX000', message: `[INTERNAL_ERROR] ${error.message}` }));
        if ('sqlState' in answer) {
          return new T.TExecuteStatementResp({ status: new T.TStatus({ statusCode: T.TStatusCode.ERROR_STATUS, sqlState: answer.sqlState, errorMessage: answer.message, displayMessage: answer.message }) });
        }
        const operationId = handle();
        this.results.set(key(operationId), answer);
        this.running.add(key(operationId));
        return new T.TExecuteStatementResp({ status: success(), operationHandle: new T.TOperationHandle({ operationId, operationType: T.TOperationType.EXECUTE_STATEMENT, hasResultSet: true }) });
      },
      // a statement is still RUNNING at its first poll, as a warehouse answers while a query runs; FINISHED after
      GetOperationStatus: async (req: { operationHandle: { operationId: { guid: Buffer } } }) => {
        const id = key(req.operationHandle.operationId);
        const state = this.running.delete(id) ? T.TOperationState.RUNNING_STATE : T.TOperationState.FINISHED_STATE;
        return new T.TGetOperationStatusResp({ status: success(), operationState: state, hasResultSet: true });
      },
      GetResultSetMetadata: async (req: { operationHandle: { operationId: { guid: Buffer } } }) => {
        const result = this.results.get(key(req.operationHandle.operationId))!;
        const columns = result.columns.map(
          ([columnName, type], i) => new T.TColumnDesc({ columnName, position: i + 1, typeDesc: new T.TTypeDesc({ types: [new T.TTypeEntry({ primitiveEntry: new T.TPrimitiveTypeEntry({ type: TYPE_IDS[type] }) })] }) }),
        );
        return new T.TGetResultSetMetadataResp({ status: success(), schema: new T.TTableSchema({ columns }), resultFormat: T.TSparkRowSetType.COLUMN_BASED_SET });
      },
      FetchResults: async (req: { operationHandle: { operationId: { guid: Buffer } } }) => {
        const id = key(req.operationHandle.operationId);
        const result = this.results.get(id)!;
        // everything in the first fetch, then an empty one that ends the set
        const rows = result.rows;
        result.rows = [];
        const columns = result.columns.map(([name, type]) => thriftColumn(type, rows.map((r) => r[name])));
        return new T.TFetchResultsResp({ status: success(), hasMoreRows: false, results: new T.TRowSet({ startRowOffset: new Int64(0), rows: [], columns }) });
      },
      CloseOperation: async (req: { operationHandle: { operationId: { guid: Buffer } } }) => {
        this.results.delete(key(req.operationHandle.operationId));
        this.running.delete(key(req.operationHandle.operationId));
        return new T.TCloseOperationResp({ status: success() });
      },
    };
  }
}
