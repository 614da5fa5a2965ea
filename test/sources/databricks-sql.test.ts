import path from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import type { TokenCredential } from '@azure/identity';
import { DuckDBInstance, DuckDBTimestampValue } from '@duckdb/node-api';
import { SparkSQL } from 'dt-sql-parser';
import { runChargeback } from '../../src/cli/commands';
import { testSource } from '../../src/cli/sources';
import { grainRequiredColumns } from '../../src/core/grain';
import { grainSql, SqlColumnKind } from '../../src/core/grain-sql';
import { optionalGrainDimensions } from '../../src/core/focus';
import { ingestFocus } from '../../src/core/ingest';
import { parseRules, ruleDimensions, ruleTablesFromJson } from '../../src/core/rules';
import { AZURE_DATABRICKS_SCOPE, DatabricksWarehouse, databricksLocationOf, ingestFromDatabricks } from '../../src/sources/databricks-sql';
import { EngineError } from '../../src/sources/engine-error';
import { costFilesAt } from '../../src/sources/node-files';
import { grainDimensions } from '../../src/workbook/steps';
import { LocalWarehouse, WarehouseResult } from '../support/databricks-server';
import { sqlString } from '../support/duckdb';
import { focusCsv, tempDir } from '../support/files';

const sample = path.resolve('assets/sample');
const rulesFile = path.join(sample, 'rules.json');
const rules = parseRules(ruleTablesFromJson(JSON.parse(readFileSync(rulesFile, 'utf8'))));
const dimensions = grainDimensions(rules);
const optional = optionalGrainDimensions(ruleDimensions(rules));
const httpPath = '/sql/1.0/warehouses/4f1c2a9b8d7e6f50';
const TABLE = '`finops`.`focus`.`costs`';

/**
 * The warehouse's table: the bundled sample as a Delta table would hold it (timestamps, DECIMAL
 * amounts), kept in DuckDB; the grain statement it receives is answered by the same grain in
 * DuckDB's dialect, with the parameters the driver sent.
 */
async function sampleWarehouse(asked: { dimensions: readonly string[] }, files = ['focus-2026-09.csv', 'focus-2026-10.csv'].map((f) => path.join(sample, f)), optionalDimensions = optional) {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  await db.run(`SET TimeZone = 'UTC'`);
  const csv = files.map(sqlString).join(', ');
  await db.run(
    `CREATE TABLE costs AS SELECT * REPLACE (CAST(CAST(BillingPeriodStart AS TIMESTAMPTZ) AS TIMESTAMP) AS BillingPeriodStart, CAST(BilledCost AS DECIMAL(38,10)) AS BilledCost, CAST(EffectiveCost AS DECIMAL(38,10)) AS EffectiveCost) FROM read_csv([${csv}], all_varchar = true, union_by_name = true)`,
  );
  const described = (await db.runAndReadAll('DESCRIBE costs')).getRowObjects().map((r) => [String(r.column_name), String(r.column_type)] as const);
  const databricksType = (t: string) => (t === 'TIMESTAMP' ? 'timestamp' : t.startsWith('DECIMAL') ? 'decimal' : 'string') as 'timestamp' | 'decimal' | 'string';
  const kinds = new Map<string, SqlColumnKind>(described.map(([name, type]) => [name, type === 'TIMESTAMP' ? 'timestamp' : type.startsWith('DECIMAL') ? 'decimal' : 'text']));
  const answer = async (statement: string, parameters: Record<string, { type: string; value: string | undefined }>): Promise<WarehouseResult | { sqlState: string; message: string }> => {
    if (!statement.includes(TABLE)) return { sqlState: '42P01', message: `[TABLE_OR_VIEW_NOT_FOUND] The table or view cannot be found. Verify the spelling and correctness of the schema and catalog. SQLSTATE: 42P01` };
    if (statement === `SELECT * FROM ${TABLE} LIMIT 0`) return { columns: described.map(([name, type]) => [name, databricksType(type)]), rows: [] };
    const prepared = await db.prepare(grainSql('duckdb', asked.dimensions, { from: 'costs', columns: kinds, optionalDimensions, periodFilter: true }));
    for (const name of ['periodStart', 'periodEnd']) {
      if (parameters[name]?.type !== 'TIMESTAMP') throw new Error(`${name} was sent as ${parameters[name]?.type}`);
      prepared.bindTimestamp(prepared.parameterIndex(name), new DuckDBTimestampValue(BigInt(Date.parse(parameters[name].value!)) * 1000n));
    }
    // the tag keys arrive as STRING parameters, never in the statement's text
    for (const [name, parameter] of Object.entries(parameters)) {
      if (!/^tag(Key|Folded)\d+$/.test(name)) continue;
      if (parameter.type !== 'STRING') throw new Error(`${name} was sent as ${parameter.type}`);
      prepared.bindVarchar(prepared.parameterIndex(name), parameter.value!);
    }
    const result = await prepared.runAndReadAll();
    const names = result.columnNames();
    const rows = result.getRows().map((row) => Object.fromEntries(names.map((n, i) => [n, row[i] === null ? null : typeof row[i] === 'bigint' ? Number(row[i]) : String(row[i])])));
    return { columns: names.map((n) => [n, n === 'source_rows' || n === 'missing_amounts' ? 'bigint' : 'string']), rows };
  };
  return { answer, kinds, close: () => (db.closeSync(), instance.closeSync()) };
}

/** Reads a period's cost lines and closes the session, as the command line does. */
async function readAndClose(warehouse: DatabricksWarehouse, dimensions: readonly string[], period: string, optionalDimensions?: readonly string[]) {
  try {
    return await ingestFromDatabricks(warehouse, dimensions, period, optionalDimensions);
  } finally {
    await warehouse.close();
  }
}

// the driver loads Apache Arrow and more on first use: slow on a busy machine
jest.setTimeout(180_000);

describe('a Databricks SQL warehouse as a source, through @databricks/sql against a local warehouse', () => {
  let warehouse: LocalWarehouse;
  let table: Awaited<ReturnType<typeof sampleWarehouse>>;
  /** The dimensions the test asks for, so that the local warehouse answers the same grain. */
  const asked = { dimensions: dimensions as readonly string[] };
  const dir = tempDir('chargeback-databricks-');
  let warehouseColumns: Map<string, SqlColumnKind>;
  const source = () => `databricks://127.0.0.1:${warehouse.port}${httpPath}?catalog=finops&schema=focus&table=costs`;
  const connect = (options: { token?: string; credential?: TokenCredential } = { token: 'dapi-test-token' }, url = source()) => new DatabricksWarehouse(databricksLocationOf(url)!, { ...options, connection: { customCaCert: warehouse.ca } });

  beforeAll(async () => {
    table = await sampleWarehouse(asked);
    // the columns the grain reads, as the warehouse types them (the rest of the table is not named)
    warehouseColumns = new Map([...table.kinds].filter(([c]) => [...grainRequiredColumns(dimensions, optional), 'CommitmentDiscountStatus', ...optional].includes(c)));
    warehouse = await LocalWarehouse.start({ token: 'dapi-test-token', httpPath, answer: table.answer });
  });
  afterAll(async () => {
    await warehouse.stop();
    table.close();
  });
  beforeEach(() => {
    warehouse.statements.length = 0;
    warehouse.calls.length = 0;
    warehouse.forbidden = false;
    asked.dimensions = dimensions;
  });

  it('reads a databricks:// source: host, HTTP path, catalog, schema and table, and says what is missing', () => {
    expect(databricksLocationOf('databricks://adb-1234567890123456.7.azuredatabricks.net/sql/1.0/warehouses/abc123?catalog=finops&schema=focus&table=costs')).toEqual({
      host: 'adb-1234567890123456.7.azuredatabricks.net',
      port: undefined,
      httpPath: '/sql/1.0/warehouses/abc123',
      catalog: 'finops',
      schema: 'focus',
      table: 'costs',
    });
    expect(databricksLocationOf('kusto://hub/Hub')).toBeUndefined();
    expect(() => databricksLocationOf('databricks://adb-1.azuredatabricks.net?catalog=a&schema=b')).toThrow(/needs the warehouse's HTTP path .*, table=NAME/);
    expect(() => databricksLocationOf('databricks://h/sql/1.0/warehouses/x?catalog=a&schema=b;drop&table=c')).toThrow(/needs schema=NAME/);
  });

  it('charges back the same month as the files do, to the cent, with the period sent as named TIMESTAMP parameters', async () => {
    const fromWarehouse = await runChargeback({ costs: [], source: source(), databricks: { token: 'dapi-test-token', connection: { customCaCert: warehouse.ca } }, period: '2026-10', rules: rulesFile, out: path.join(dir, 'warehouse.xlsx'), quiet: true });
    const fromFiles = await runChargeback({ costs: [path.join(sample, 'focus-2026-10.csv')], period: '2026-10', rules: rulesFile, out: path.join(dir, 'files.xlsx'), quiet: true });
    expect(fromWarehouse.summary).toEqual(fromFiles.summary);
    const grain = warehouse.statements[1];
    expect(warehouse.statements.map((s) => s.statement)).toEqual([`SELECT * FROM ${TABLE} LIMIT 0`, grain.statement]);
    // exactly the Databricks grain query, and the Spark SQL grammar (Databricks SQL's) accepts the text the warehouse received
    expect(grain.statement).toBe(grainSql('databricks', dimensions, { from: TABLE, columns: warehouseColumns, optionalDimensions: optional, periodFilter: true }));
    expect(new SparkSQL().validate(grain.statement)).toEqual([]);
    expect(grain.statement).not.toContain('2026');
    // the tag key as the rules spell it and folded, bound as STRING parameters (never Spark literals, where a backslash escapes)
    expect(grain.parameters).toEqual({
      periodStart: { type: 'TIMESTAMP', value: '2026-10-01T00:00:00.000Z' },
      periodEnd: { type: 'TIMESTAMP', value: '2026-11-01T00:00:00.000Z' },
      tagKey0: { type: 'STRING', value: 'costcenter' },
      tagFolded0: { type: 'STRING', value: 'costcenter' },
    });
    expect(warehouse.sessions).toMatchObject({ catalog: 'finops', schema: 'focus' });
    expect(warehouse.sessions.closed).toBe(warehouse.sessions.opened);
    // the driver waits while the warehouse runs the statement, fetches the column-based rows, and closes what it opened
    expect(warehouse.calls).toEqual([
      'OpenSession',
      ...['ExecuteStatement', 'GetOperationStatus', 'GetOperationStatus', 'GetResultSetMetadata', 'CloseOperation'],
      ...['ExecuteStatement', 'GetOperationStatus', 'GetOperationStatus', 'GetResultSetMetadata', 'FetchResults', 'FetchResults', 'CloseOperation'],
      'CloseSession',
    ]);
  });

  it('gives the cost lines of the period exactly as the in-process reader does, tags included', async () => {
    asked.dimensions = [...dimensions, 'Tag:env', 'x_ResourceGroupName'];
    const lines = await readAndClose(connect(), asked.dimensions, '2026-09', optional);
    const inProcess = (await ingestFocus(await costFilesAt(path.join(sample, 'focus-2026-09.csv')), { dimensions: asked.dimensions })).lines;
    expect(inProcess.some((l) => l.dimensions['Tag:env'] !== '')).toBe(true);
    expect(lines.lines).toEqual(inProcess);
    expect(lines.rowsRead).toBe(inProcess.reduce((a, l) => a + l.sourceRows, 0));
  });

  it('reads empty and literal null values, tag keys in any case, credits, and a table without CommitmentDiscountStatus as the in-process reader does', async () => {
    const file = path.join(dir, 'edges.csv');
    const header = ['BillingPeriodStart', 'BillingCurrency', 'ChargeCategory', 'BilledCost', 'EffectiveCost', 'SubAccountName', 'Tags'];
    writeFileSync(
      file,
      focusCsv(header, [
        ['2026-10-01T00:00:00Z', 'EUR', 'Usage', '1.10', '1.10', 'alpha', '"{""Team"":""Blue"",""a/b~c"":""x""}"'],
        ['2026-10-01T00:00:00Z', 'EUR', 'Usage', '2.25', '2.20', 'alpha', '"{""team"":""Blue""}"'],
        ['2026-10-01T00:00:00Z', 'EUR', 'Usage', '0.0000000012', '0.00000015', '', ''],
        ['2026-10-01T00:00:00Z', 'EUR', 'Credit', '-5', '-5', 'null', 'null'],
        ['2026-10-01T00:00:00Z', 'EUR', 'Usage', '3', '3', 'NULL', '"{""TEAM"":7}"'],
        ['2026-09-01T00:00:00Z', 'EUR', 'Usage', '1000', '1000', 'alpha', ''],
      ]),
    );
    const edgeDimensions = ['SubAccountName', 'Tag:team', 'Tag:A/B~C'];
    const edges = await sampleWarehouse({ dimensions: edgeDimensions }, [file], []);
    const other = await LocalWarehouse.start({ token: 'dapi-test-token', httpPath, answer: edges.answer });
    try {
      const location = databricksLocationOf(`databricks://127.0.0.1:${other.port}${httpPath}?catalog=finops&schema=focus&table=costs`)!;
      const fromWarehouse = await readAndClose(new DatabricksWarehouse(location, { token: 'dapi-test-token', connection: { customCaCert: other.ca } }), edgeDimensions, '2026-10');
      const inProcess = (await ingestFocus(await costFilesAt(file), { dimensions: edgeDimensions })).lines.filter((l) => l.billingPeriod === '2026-10');
      expect(inProcess.map((l) => [l.chargeCategory, l.dimensions.SubAccountName, l.dimensions['Tag:team'], l.dimensions['Tag:A/B~C']])).toEqual(
        expect.arrayContaining([['Usage', 'alpha', 'Blue', 'x'], ['Usage', 'alpha', 'Blue', ''], ['Usage', '', '', ''], ['Credit', '', '', ''], ['Usage', '', '7', '']]),
      );
      expect(fromWarehouse.lines).toEqual(inProcess);
      expect(fromWarehouse.rowsRead).toBe(5);
    } finally {
      await other.stop();
      edges.close();
    }
  });

  it('signs in with a Microsoft Entra token for Azure Databricks when there is no personal access token', async () => {
    const scopes: string[] = [];
    const credential: TokenCredential = { getToken: async (scope) => (scopes.push(String(scope)), { token: 'dapi-test-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };
    const result = await readAndClose(connect({ credential }), dimensions, '2026-10', optional);
    expect(result.lines.length).toBeGreaterThan(0);
    expect(new Set(scopes)).toEqual(new Set([AZURE_DATABRICKS_SCOPE]));
  });

  it('names the engine, the step and what to do: a wrong token, no permission, a table that does not exist, a host that cannot be reached', async () => {
    const wrong = await readAndClose(connect({ token: 'expired' }), dimensions, '2026-10').catch((e) => e);
    expect(wrong).toBeInstanceOf(EngineError);
    expect(wrong.message).toMatch(/^Databricks SQL, (signing in|reading the columns of the table): .*Set DATABRICKS_TOKEN to a personal access token, or sign in with az login/);
    warehouse.forbidden = true;
    const forbidden = await readAndClose(connect(), dimensions, '2026-10').catch((e) => e);
    expect(forbidden.message).toMatch(/^Databricks SQL, .*: no permission on finops\.focus\.costs or the warehouse: .*Ask the workspace admin for CAN USE on the SQL warehouse and USE CATALOG finops, USE SCHEMA focus, SELECT on finops\.focus\.costs/);
    warehouse.forbidden = false;
    const missing = await readAndClose(connect(undefined, source().replace('table=costs', 'table=costs_v1')), dimensions, '2026-10').catch((e) => e);
    expect(missing.message).toMatch(/^Databricks SQL, reading the columns of the table: \[TABLE_OR_VIEW_NOT_FOUND\].*Check catalog=, schema= and table= in the source/);
    await warehouse.stop().catch(() => undefined);
    const port = warehouse.port;
    warehouse = await LocalWarehouse.start({ token: 'dapi-test-token', httpPath, answer: table.answer });
    const unreachable = await readAndClose(new DatabricksWarehouse(databricksLocationOf(`databricks://127.0.0.1:${port}${httpPath}?catalog=finops&schema=focus&table=costs`)!, { token: 'dapi-test-token', connection: { customCaCert: warehouse.ca } }), dimensions, '2026-10').catch((e) => e);
    expect(unreachable.message).toMatch(/^Databricks SQL, connecting: cannot reach 127\.0\.0\.1: .*Check the host and HTTP path/);
  });

  it('sources test tells the rows and totals of the period', async () => {
    asked.dimensions = [];
    const report = await testSource(source(), '2026-10', { databricks: { token: 'dapi-test-token', connection: { customCaCert: warehouse.ca } } });
    const inProcess = (await ingestFocus(await costFilesAt(path.join(sample, 'focus-2026-10.csv')), { dimensions: [] })).lines;
    const rows = inProcess.reduce((a, l) => a + l.sourceRows, 0);
    expect(report).toContain(`Databricks SQL 127.0.0.1${httpPath}, table finops.focus.costs: connected`);
    expect(report).toContain(`2026-10: ${rows.toLocaleString('en-US')} FOCUS rows`);
  });
});
