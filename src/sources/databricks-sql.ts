/**
 * A Databricks SQL warehouse as a source: the grain query (grain-sql.ts, Databricks dialect) runs
 * over a FOCUS table in Unity Catalog and only cost lines come back. Client: @databricks/sql (the
 * Thrift TCLIService protocol over HTTPS); sign-in: a personal access token (DATABRICKS_TOKEN) or
 * a Microsoft Entra token from an @azure/identity credential (DefaultAzureCredential: `az login`,
 * a managed identity, a service principal's environment variables).
 */
import type { TokenCredential } from '@azure/identity';
import type { DBSQLClient } from '@databricks/sql';
import { costLinesFromGrainRows, GrainRow, grainRequiredColumns } from '../core/grain';
import { GRAIN_RESULT, grainPeriodParameters, grainSql, grainSqlParameters, SqlColumnKind } from '../core/grain-sql';
import { IngestResult } from '../core/ingest';
import { missingColumnsMessage } from '../core/ingest-error';
import { EngineError } from './engine-error';

export const DATABRICKS_ENGINE = 'Databricks SQL';

/** The Entra ID application of Azure Databricks: a token for it signs in to any Azure Databricks workspace. */
export const AZURE_DATABRICKS_SCOPE = '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default';

export interface DatabricksLocation {
  /** The workspace host (`adb-1234567890123456.7.azuredatabricks.net`), with a port when not 443. */
  host: string;
  port?: number;
  /** The warehouse's HTTP path (`/sql/1.0/warehouses/abc123`). */
  httpPath: string;
  catalog: string;
  schema: string;
  table: string;
}

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;

/**
 * `databricks://HOST/HTTP_PATH?catalog=C&schema=S&table=T`: undefined when the source is not
 * Databricks; an error naming what is missing or wrong when it is, but malformed.
 */
export function databricksLocationOf(source: string): DatabricksLocation | undefined {
  if (!/^databricks:\/\//i.test(source.trim())) return undefined;
  const url = new URL(source.trim().replace(/^databricks:/i, 'https:'));
  const query = (name: string) => url.searchParams.get(name) ?? '';
  const location = { host: url.hostname, port: url.port ? Number(url.port) : undefined, httpPath: decodeURIComponent(url.pathname), catalog: query('catalog'), schema: query('schema'), table: query('table') };
  const problems = [
    ...(location.httpPath.length <= 1 ? ["the warehouse's HTTP path (/sql/1.0/warehouses/ID, from the warehouse's Connection details)"] : []),
    ...(['catalog', 'schema', 'table'] as const).filter((p) => !NAME.test(location[p])).map((p) => `${p}=NAME`),
  ];
  if (problems.length > 0) throw new Error(`${source}: a Databricks source needs ${problems.join(', ')} (databricks://HOST/HTTP_PATH?catalog=C&schema=S&table=T)`);
  return location;
}

/** The table's three-part name, each part quoted. */
export const databricksTable = (l: DatabricksLocation) => [l.catalog, l.schema, l.table].map((p) => `\`${p}\``).join('.');

export interface DatabricksOptions {
  /** A personal access token; when absent, an Entra token from `credential`. */
  token?: string;
  credential?: TokenCredential;
  /** Extra @databricks/sql connection options (a private CA for a test server). */
  connection?: { customCaCert?: string | Buffer };
}

type Row = Record<string, unknown>;

/** How a column reads for the grain, by its TCLIService type name (`TIMESTAMP_TYPE`, `DECIMAL_TYPE`, …). */
function kindOf(type: string): SqlColumnKind {
  if (/^(TIMESTAMP|DATE)/.test(type)) return 'timestamp';
  if (/^(DECIMAL|INT|BIGINT|SMALLINT|TINYINT)/.test(type)) return 'decimal';
  if (/^(DOUBLE|FLOAT)/.test(type)) return 'float';
  return 'text';
}

/** One session on a warehouse: describes the table, runs the grain query, names every failure. */
export class DatabricksWarehouse {
  private client: DBSQLClient | undefined;
  private session: Awaited<ReturnType<DBSQLClient['openSession']>> | undefined;

  constructor(
    readonly location: DatabricksLocation,
    private readonly options: DatabricksOptions,
  ) {}

  get where(): string {
    return `${this.location.host}${this.location.httpPath}, table ${this.location.catalog}.${this.location.schema}.${this.location.table}`;
  }

  private async connect() {
    if (this.session) return this.session;
    const { DBSQLClient } = await import('@databricks/sql');
    // the driver logs to the console at info level; the command line's stdout is for --json, and failures come back as errors
    const client = new DBSQLClient({ logger: { log: () => undefined } });
    this.client = client;
    const { token, credential } = this.options;
    const auth = token
      ? { authType: 'access-token' as const, token }
      : {
          authType: 'external-token' as const,
          getToken: async () => {
            if (!credential) throw new Error('no sign-in: set DATABRICKS_TOKEN, or sign in with az login');
            const entra = await credential.getToken(AZURE_DATABRICKS_SCOPE);
            if (!entra) throw new Error('no Microsoft Entra token for Azure Databricks');
            return entra.token;
          },
        };
    try {
      await client.connect({ host: this.location.host, port: this.location.port, path: this.location.httpPath, telemetryEnabled: false, ...auth, ...this.options.connection });
      this.session = await client.openSession({ initialCatalog: this.location.catalog, initialSchema: this.location.schema });
    } catch (error) {
      throw this.failure('connecting', error);
    }
    return this.session;
  }

  async close(): Promise<void> {
    await this.session?.close().catch(() => undefined);
    await this.client?.close().catch(() => undefined);
  }

  /** Runs one statement (named parameters sent beside the text) and returns its rows. */
  async query(step: string, sql: string, namedParameters: Record<string, string | Date> = {}): Promise<Row[]> {
    const session = await this.connect();
    try {
      const operation = await session.executeStatement(sql, { namedParameters });
      try {
        return (await operation.fetchAll()) as Row[];
      } finally {
        await operation.close().catch(() => undefined);
      }
    } catch (error) {
      throw this.failure(step, error);
    }
  }

  /** The table's columns and their type names, from the metadata of a query that returns no rows. */
  async describe(): Promise<Map<string, string>> {
    const step = 'reading the columns of the table';
    const session = await this.connect();
    try {
      const operation = await session.executeStatement(`SELECT * FROM ${databricksTable(this.location)} LIMIT 0`);
      try {
        const schema = await operation.getSchema();
        const { TTypeId } = await import('@databricks/sql/thrift/TCLIService_types');
        return new Map((schema?.columns ?? []).map((c) => [c.columnName, TTypeId[c.typeDesc.types[0]?.primitiveEntry?.type ?? TTypeId.STRING_TYPE] ?? 'STRING_TYPE']));
      } finally {
        await operation.close().catch(() => undefined);
      }
    } catch (error) {
      throw this.failure(step, error);
    }
  }

  private failure(step: string, error: unknown): EngineError {
    const problem = String((error as Error)?.message ?? error).replace(/\s+/g, ' ').trim();
    const status = (error as { statusCode?: number }).statusCode ?? (error as { response?: { status?: number } }).response?.status;
    const table = `${this.location.catalog}.${this.location.schema}.${this.location.table}`;
    if (status === 401 || /credential|az login|AuthenticationError|no sign-in|Invalid access token/i.test(`${(error as Error)?.name} ${problem}`)) {
      return new EngineError(DATABRICKS_ENGINE, step === 'connecting' ? 'signing in' : step, problem, 'Set DATABRICKS_TOKEN to a personal access token, or sign in with az login as a user of the workspace');
    }
    if (status === 403 || /PERMISSION_DENIED|INSUFFICIENT_PERMISSIONS|does not have (USE|SELECT|CAN USE)/i.test(problem)) {
      return new EngineError(DATABRICKS_ENGINE, step, `no permission on ${table} or the warehouse: ${problem}`, `Ask the workspace admin for CAN USE on the SQL warehouse and USE CATALOG ${this.location.catalog}, USE SCHEMA ${this.location.schema}, SELECT on ${table}`);
    }
    if (/TABLE_OR_VIEW_NOT_FOUND|SCHEMA_NOT_FOUND|CATALOG_NOT_FOUND/i.test(problem)) {
      return new EngineError(DATABRICKS_ENGINE, step, problem, 'Check catalog=, schema= and table= in the source (Catalog Explorer shows them)');
    }
    if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|certificate/i.test(`${(error as { code?: string }).code ?? ''} ${problem}`)) {
      return new EngineError(DATABRICKS_ENGINE, step, `cannot reach ${this.location.host}: ${problem}`, "Check the host and HTTP path (the warehouse's Connection details) and your network");
    }
    return new EngineError(DATABRICKS_ENGINE, step, problem);
  }
}

/** The grain rows of one period from the warehouse's FOCUS table, as cost lines. */
export async function ingestFromDatabricks(warehouse: DatabricksWarehouse, dimensions: readonly string[], period: string, optionalDimensions: readonly string[] = []): Promise<IngestResult> {
  const described = await warehouse.describe();
  const find = (column: string) => [...described.keys()].find((c) => c === column) ?? [...described.keys()].find((c) => c.toLowerCase() === column.toLowerCase());
  const required = grainRequiredColumns(dimensions, optionalDimensions);
  const missing = required.filter((c) => !find(c));
  if (missing.length > 0) throw new EngineError(DATABRICKS_ENGINE, 'reading the columns of the table', `${warehouse.where}: ${missingColumnsMessage(missing, [...described.keys()])}`, 'Point table= at a FOCUS table');
  const columns = new Map<string, SqlColumnKind>();
  for (const column of [...required, 'CommitmentDiscountStatus', ...optionalDimensions]) {
    const found = find(column);
    if (found) columns.set(column, kindOf(described.get(found)!));
  }
  const step = `summing ${period} to allocation grain`;
  const sql = grainSql('databricks', dimensions, { from: databricksTable(warehouse.location), columns, optionalDimensions, periodFilter: true });
  // tag keys are bound as parameters too: Spark reads a backslash in a string literal as an escape
  const rows = await warehouse.query(step, sql, { ...grainPeriodParameters(period, columns.get('BillingPeriodStart') ?? 'text'), ...grainSqlParameters(dimensions) });
  const missingAmounts = rows.reduce((a, r) => a + Number(r[GRAIN_RESULT.missing] ?? 0), 0);
  if (missingAmounts > 0) throw new EngineError(DATABRICKS_ENGINE, step, `${missingAmounts} FOCUS rows of ${period} have no BilledCost or EffectiveCost`, 'Fix the table, or ask its owner why the costs are empty');
  const grainRows: GrainRow[] = rows.map((r) => ({
    keys: Array.from({ length: dimensions.length + 4 }, (_, i) => (r[`k${i}`] === null || r[`k${i}`] === undefined ? null : String(r[`k${i}`]))),
    billedCost: String(r[GRAIN_RESULT.billed]),
    effectiveCost: String(r[GRAIN_RESULT.effective]),
    sourceRows: Number(r[GRAIN_RESULT.rows]),
  }));
  let lines;
  try {
    lines = costLinesFromGrainRows(dimensions, grainRows, warehouse.where);
  } catch (error) {
    throw new EngineError(DATABRICKS_ENGINE, 'reading the grain rows', (error as Error).message);
  }
  const rowsRead = grainRows.reduce((a, r) => a + r.sourceRows, 0);
  return { lines, rowsRead, files: [{ name: `databricks://${warehouse.where}`, rows: rowsRead }], dimensions: [...dimensions] };
}
