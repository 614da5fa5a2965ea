/**
 * A T-SQL warehouse as a source: Microsoft Fabric Warehouse, a Fabric Lakehouse's SQL analytics
 * endpoint, or Azure Synapse serverless SQL. The grain query (grain-sql.ts, T-SQL dialect) runs
 * there over one table or view of FOCUS rows, and only cost lines come back. Client: mssql over
 * TDS (tedious); sign-in: an Entra access token for Azure SQL from an @azure/identity credential
 * (DefaultAzureCredential on the command line), sent in LOGIN7's FEDAUTH extension.
 */
import type { TokenCredential } from '@azure/identity';
import type { ConnectionPool } from 'mssql';
import { costLinesFromGrainRows, grainKeys, grainRequiredColumns, grainRowOfRecord } from '../core/grain';
import { GRAIN_RESULT, grainPeriodParameters, grainSql, grainSqlParameters, PERIODS_RESULT, periodsSql, SQL_DIALECTS, SqlColumnKind } from '../core/grain-sql';
import { IngestResult } from '../core/ingest';
import { missingColumnsMessage } from '../core/ingest-error';
import { EngineError } from './engine-error';

export const WAREHOUSE_ENGINE = SQL_DIALECTS.tsql.label;
/** The Entra scope of Azure SQL, Fabric's and Synapse's SQL endpoints included. */
export const SQL_TOKEN_SCOPE = 'https://database.windows.net/.default';

export interface WarehouseLocation {
  /** `xxxx.datawarehouse.fabric.microsoft.com`, `WORKSPACE-ondemand.sql.azuresynapse.net`. */
  server: string;
  port: number;
  /** The warehouse, the lakehouse or the serverless database. */
  database: string;
  schema: string;
  table: string;
  /** Always on, except for a server on this machine (a local emulator, the tests) that says `encrypt=false`. */
  encrypt: boolean;
}

const isLocal = (host: string) => /^(localhost|127\.0\.0\.1|\[::1\])$/i.test(host);
const unbracket = (part: string) => (/^\[.*\]$/.test(part) ? part.slice(1, -1).replace(/\]\]/g, ']') : part);

/**
 * `fabric://SERVER[:PORT]/DATABASE?table=[SCHEMA.]TABLE`; undefined when the source is not a
 * warehouse. Throws, saying what is wrong, for a `fabric://` address that cannot be used.
 */
export function warehouseLocationOf(source: string): WarehouseLocation | undefined {
  if (!/^fabric:\/\//i.test(source.trim())) return undefined;
  let url: URL;
  try {
    url = new URL(source.trim());
  } catch {
    throw new Error('not a warehouse address (expected fabric://SERVER/DATABASE?table=SCHEMA.TABLE)');
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!url.hostname || !database || database.includes('/')) throw new Error('name the server and the database: fabric://SERVER/DATABASE?table=SCHEMA.TABLE');
  const table = url.searchParams.get('table')?.trim();
  if (!table) throw new Error('name the table or view of FOCUS rows: ?table=SCHEMA.TABLE (for example ?table=dbo.focus_costs)');
  const parts = table.match(/\[(?:[^\]]|\]\])+\]|[^.]+/g) ?? [];
  if (parts.length > 2 || parts.join('.') !== table) throw new Error(`table ${table}: give SCHEMA.TABLE or TABLE (the schema defaults to dbo)`);
  const schema = parts.length === 2 ? unbracket(parts[0]) : 'dbo';
  const name = unbracket(parts[parts.length - 1]);
  const encrypt = url.searchParams.get('encrypt')?.toLowerCase() !== 'false';
  if (!encrypt && !isLocal(url.hostname)) throw new Error('encryption can be turned off only for a server on this machine');
  for (const key of url.searchParams.keys()) if (key !== 'table' && key !== 'encrypt') throw new Error(`unknown setting ${key} (expected table, and encrypt=false only for a server on this machine)`);
  return { server: url.hostname.replace(/^\[|\]$/g, ''), port: url.port ? Number(url.port) : 1433, database, schema, table: name, encrypt };
}

export interface WarehouseOptions {
  credential: TokenCredential;
  /** Told to the user as it happens: throttling and retries. */
  onNotice?: (message: string) => void;
  /** Attempts when the warehouse throttles, and the first wait (doubled each time). */
  attempts?: number;
  firstRetryMs?: number;
  /** Certificate authorities (PEM) to trust instead of the system's: a private CA. The command line trusts NODE_EXTRA_CA_CERTS as Node does. */
  trustedCertificates?: string;
}

type Row = Record<string, unknown>;

/**
 * The errors Azure SQL engines throttle with: 40501 the service is busy, 49918–49920 not enough
 * resources, 10928/10929 resource limits (Fabric and Synapse serverless answer with these too).
 */
const THROTTLED = new Set([40501, 49918, 49919, 49920, 10928, 10929]);
/** Permission denied on an object, a schema or a database. */
const NO_PERMISSION = new Set([229, 230, 262, 297, 300, 916]);

/** How a column's SQL type reads for the grain. */
export function kindOfSqlType(declaration: string): SqlColumnKind {
  if (/^(datetime2?|date|datetimeoffset|smalldatetime)$/i.test(declaration)) return 'timestamp';
  if (/^(decimal|numeric|money|smallmoney|bigint|int|smallint|tinyint)$/i.test(declaration)) return 'decimal';
  if (/^(float|real)$/i.test(declaration)) return 'float';
  return 'text';
}

/** One signed-in connection to a warehouse: runs parameterised queries, retries when throttled, names every failure. */
export class SqlWarehouse {
  private pool: ConnectionPool | undefined;
  private mssql: typeof import('mssql') | undefined;
  private columns: Promise<Map<string, { name: string; kind: SqlColumnKind }>> | undefined;

  constructor(
    readonly location: WarehouseLocation,
    private readonly options: WarehouseOptions,
  ) {}

  /** `[schema].[table]`, quoted as T-SQL quotes identifiers (never pasted as given). */
  get from(): string {
    const { ident } = SQL_DIALECTS.tsql;
    return `${ident(this.location.schema)}.${ident(this.location.table)}`;
  }

  get name(): string {
    return `${this.location.server}/${this.location.database} ${this.location.schema}.${this.location.table}`;
  }

  private async connect(): Promise<{ pool: ConnectionPool; mssql: typeof import('mssql') }> {
    if (this.pool && this.mssql) return { pool: this.pool, mssql: this.mssql };
    let token: string;
    try {
      const issued = await this.options.credential.getToken(SQL_TOKEN_SCOPE);
      if (!issued) throw new Error('no token was issued');
      token = issued.token;
    } catch (error) {
      throw new EngineError(WAREHOUSE_ENGINE, 'signing in', oneLine(error), 'Sign in with az login (or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET for a service principal)');
    }
    const mssqlModule = await import('mssql');
    const mssql = ((mssqlModule as { default?: typeof import('mssql') }).default ?? mssqlModule) as typeof import('mssql');
    const pool = new mssql.ConnectionPool({
      server: this.location.server,
      port: this.location.port,
      database: this.location.database,
      authentication: { type: 'azure-active-directory-access-token', options: { token } },
      // the server's certificate is always checked (never trustServerCertificate)
      options: {
        encrypt: this.location.encrypt,
        trustServerCertificate: false,
        appName: 'chargeback-for-excel',
        ...(this.options.trustedCertificates ? { cryptoCredentialsDetails: { ca: this.options.trustedCertificates } } : {}),
      },
      pool: { min: 0, max: 1 },
      // a month can take minutes to sum on a small capacity
      requestTimeout: 30 * 60_000,
      connectionTimeout: 30_000,
      validateConnection: 'socket',
    });
    try {
      await pool.connect();
    } catch (error) {
      throw this.failure('connecting', error, 1);
    }
    this.pool = pool;
    this.mssql = mssql;
    return { pool, mssql };
  }

  async close(): Promise<void> {
    await this.pool?.close().catch(() => undefined);
    this.pool = undefined;
  }

  /**
   * Runs one statement through sp_executesql with typed parameters (never pasted into its text),
   * retrying with backoff while the warehouse throttles, and saying so.
   */
  async query(step: string, text: string, parameters: Record<string, Date | string> = {}): Promise<{ rows: Row[]; columns: Record<string, { type?: { declaration?: string } }> }> {
    const { pool, mssql } = await this.connect();
    const attempts = this.options.attempts ?? 5;
    let wait = this.options.firstRetryMs ?? 2000;
    for (let attempt = 1; ; attempt++) {
      try {
        const request = pool.request();
        for (const [name, value] of Object.entries(parameters)) {
          if (value instanceof Date) request.input(name, mssql.DateTime2(7), value);
          else request.input(name, mssql.NVarChar(4000), value);
        }
        const result = await request.query(text);
        const recordset = result.recordset ?? [];
        return { rows: [...recordset] as Row[], columns: (recordset as unknown as { columns?: Record<string, { type?: { declaration?: string } }> }).columns ?? {} };
      } catch (error) {
        if (THROTTLED.has(errorNumber(error) ?? 0) && attempt < attempts) {
          this.options.onNotice?.(`${WAREHOUSE_ENGINE} throttled the query (${step}); retrying in ${(wait / 1000).toFixed(wait < 1000 ? 1 : 0)} s (attempt ${attempt + 1} of ${attempts})`);
          await new Promise((resolve) => setTimeout(resolve, wait));
          wait *= 2;
          continue;
        }
        throw this.failure(step, error, attempt);
      }
    }
  }

  /** The table's columns and how each reads for the grain, from the table's own metadata (no rows read). */
  describe(): Promise<Map<string, { name: string; kind: SqlColumnKind }>> {
    this.columns ??= this.query(`reading the columns of ${this.location.schema}.${this.location.table}`, `SELECT TOP 0 * FROM ${this.from}`).then(({ columns }) =>
      new Map(Object.entries(columns).map(([name, column]) => [name.toLowerCase(), { name, kind: kindOfSqlType(column.type?.declaration ?? '') }])),
    );
    // a failure is not kept: the next call asks again
    this.columns.catch(() => (this.columns = undefined));
    return this.columns;
  }

  private failure(step: string, error: unknown, attempt: number): EngineError {
    const number = errorNumber(error);
    const problem = oneLine(error);
    const { server, database, schema, table } = this.location;
    if (number !== undefined && THROTTLED.has(number)) {
      return new EngineError(WAREHOUSE_ENGINE, step, `throttled ${attempt} times: ${problem}`, 'Try again later, or when the Fabric capacity (or the Synapse workspace) is less busy; ask its admin for a larger capacity if this repeats');
    }
    if (number === 4060 || /Cannot open database/i.test(problem)) {
      return new EngineError(WAREHOUSE_ENGINE, step, `no database ${database} on ${server} that you can open: ${problem}`, 'Check the database name in the source (the warehouse or lakehouse name, or the serverless database), and that you have access to it');
    }
    if (number === 18456 || /Login failed/i.test(problem)) {
      return new EngineError(WAREHOUSE_ENGINE, 'signing in', `${server} refused the sign-in: ${problem}`, `Sign in (az login) as a user or service principal that can connect to ${database}: in Fabric at least Read on the warehouse or lakehouse (or a workspace role); in Synapse a login or an Entra user in the database`);
    }
    if (number === 208 || /Invalid object name/i.test(problem)) {
      return new EngineError(WAREHOUSE_ENGINE, step, `no table or view ${schema}.${table} in ${database}: ${problem}`, 'Check ?table=SCHEMA.TABLE in the source; a table you have no permission on is not shown either');
    }
    if ((number !== undefined && NO_PERMISSION.has(number)) || /permission was denied/i.test(problem)) {
      return new EngineError(WAREHOUSE_ENGINE, step, `no permission to read ${schema}.${table} in ${database}: ${problem}`, `Ask the warehouse admin for read access: in Fabric the ReadData permission (Read all data using SQL) on the item, or GRANT SELECT ON ${schema}.${table} TO [YOU@DOMAIN]`);
    }
    if (/certificate|CERT_|self.signed|Hostname\/IP does not match/i.test(problem)) {
      return new EngineError(WAREHOUSE_ENGINE, step, `the certificate of ${server} is not trusted: ${problem}`, 'Check the server name (it must be the one the certificate names); behind a TLS-inspecting proxy, trust its certificate authority with NODE_EXTRA_CA_CERTS');
    }
    const code = `${(error as { code?: string }).code ?? ''} ${((error as { originalError?: { code?: string } }).originalError?.code) ?? ''}`;
    if (/ESOCKET|ETIMEOUT|ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(`${code} ${problem}`)) {
      return new EngineError(WAREHOUSE_ENGINE, step, `cannot reach ${server}:${this.location.port}: ${problem}`, 'Check the server name (the SQL connection string of the warehouse or SQL endpoint) and your network; port 1433 must be open');
    }
    return new EngineError(WAREHOUSE_ENGINE, step, problem);
  }
}

/** The server's error number: mssql's RequestError carries it, or the tedious error under it. */
function errorNumber(error: unknown): number | undefined {
  const e = error as { number?: number; originalError?: { number?: number; info?: { number?: number } } };
  return e?.number ?? e?.originalError?.number ?? e?.originalError?.info?.number;
}

/** The error's message on one line, without a closing full stop (EngineError adds its own). */
const oneLine = (error: unknown) => ((error as Error)?.message ?? String(error)).replace(/\s+/g, ' ').trim().replace(/\.$/, '');

/** The grain rows of one period from the warehouse, as cost lines. */
export async function ingestFromWarehouse(warehouse: SqlWarehouse, dimensions: readonly string[], period: string, optionalDimensions: readonly string[] = []): Promise<IngestResult> {
  const described = await warehouse.describe();
  const required = grainRequiredColumns(dimensions, optionalDimensions);
  const missing = required.filter((c) => !described.has(c.toLowerCase()));
  if (missing.length > 0) {
    throw new EngineError(WAREHOUSE_ENGINE, `reading the columns of ${warehouse.location.schema}.${warehouse.location.table}`, missingColumnsMessage(missing, [...described.values()].map((c) => c.name)), 'Name a table or view of FOCUS rows (FOCUS 1.0 or later column names)');
  }
  // the optional keys (CommitmentDiscountStatus, dimensions no rule names) are read where the table has them
  const optional = grainKeys(dimensions, optionalDimensions).flatMap((k) => (k.kind === 'column' && !k.required ? [k.column] : []));
  const columns = new Map<string, SqlColumnKind>();
  for (const column of [...required, ...optional]) {
    const found = described.get(column.toLowerCase());
    if (found) columns.set(column, found.kind);
  }
  const step = `summing ${period} to allocation grain`;
  const text = grainSql('tsql', dimensions, { from: warehouse.from, columns, optionalDimensions, periodFilter: true });
  // tag keys as NVARCHAR parameters: Unicode, so a non-Latin key matches whatever the database's collation
  const { rows } = await warehouse.query(step, text, { ...grainPeriodParameters(period, columns.get('BillingPeriodStart') ?? 'text'), ...grainSqlParameters(dimensions) });
  const missingAmounts = rows.reduce((a, r) => a + Number(r[GRAIN_RESULT.missing] ?? 0), 0);
  if (missingAmounts > 0) throw new EngineError(WAREHOUSE_ENGINE, step, `${missingAmounts} cost rows of ${period} have no BilledCost or EffectiveCost`, 'Reload the month into the table, or ask its owner why the costs are empty');
  const grainRows = rows.map((r) => grainRowOfRecord(r, dimensions.length + 4, GRAIN_RESULT));
  let lines;
  try {
    lines = costLinesFromGrainRows(dimensions, grainRows, warehouse.name);
  } catch (error) {
    throw new EngineError(WAREHOUSE_ENGINE, 'reading the grain rows', (error as Error).message, 'Check BillingPeriodStart and BillingCurrency in the table');
  }
  const rowsRead = grainRows.reduce((a, r) => a + r.sourceRows, 0);
  return { lines, rowsRead, files: [{ name: warehouse.name, rows: rowsRead }], dimensions: [...dimensions] };
}

/** The periods the table holds and their row counts, newest first. */
export async function warehousePeriods(warehouse: SqlWarehouse): Promise<{ period: string; rows: number }[]> {
  const described = await warehouse.describe();
  const kind = described.get('billingperiodstart')?.kind ?? 'text';
  const { rows } = await warehouse.query('listing the billing periods', periodsSql('tsql', warehouse.from, kind));
  return rows.map((r) => ({ period: String(r[PERIODS_RESULT.period]), rows: Number(r[PERIODS_RESULT.rows]) }));
}
