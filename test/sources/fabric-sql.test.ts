import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import type { TokenCredential } from '@azure/identity';
import { DuckDBConnection, DuckDBInstance, DuckDBTimestampValue, DuckDBValue, TIMESTAMP, VARCHAR } from '@duckdb/node-api';
import { Parser } from 'node-sql-parser';
import { runChargeback } from '../../src/cli/commands';
import { testSource } from '../../src/cli/sources';
import { CostLine } from '../../src/core/costs';
import { optionalGrainDimensions } from '../../src/core/focus';
import { grainSql, periodsSql, SqlColumnKind } from '../../src/core/grain-sql';
import { ingestFocus } from '../../src/core/ingest';
import { formatExact } from '../../src/core/money';
import { parseRules, ruleDimensions, ruleTablesFromJson } from '../../src/core/rules';
import { EngineError } from '../../src/sources/engine-error';
import { ingestFromWarehouse, SqlWarehouse, warehouseLocationOf, WarehouseLocation } from '../../src/sources/fabric-sql';
import { costFilesAt } from '../../src/sources/node-files';
import { grainDimensions } from '../../src/workbook/steps';
import { chargeback } from '../support/cli';
import { tempDir } from '../support/files';
import { createCA, createCert } from 'mkcert';
import { LocalSqlEndpoint, TdsAnswer, TdsColumn, TdsQuery } from '../support/tds-server';

const sample = path.resolve('assets/sample');
const rulesFile = path.join(sample, 'rules.json');
const rules = parseRules(ruleTablesFromJson(JSON.parse(readFileSync(rulesFile, 'utf8'))));
const dimensions = grainDimensions(rules);
const optional = optionalGrainDimensions(ruleDimensions(rules));
const TOKEN = 'entra-token-for-tests';
const credential: TokenCredential = { getToken: async () => ({ token: TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }) };

/**
 * The tables the local endpoint holds, with their T-SQL column types (as a Fabric Warehouse
 * stores FOCUS: datetime2(6) dates, decimal amounts, text) and how DuckDB holds the same rows.
 * `focus_text` is a Lakehouse-style copy with the dates as text and the amounts as float.
 */
const TABLES: Record<string, { sqlType: (column: string) => string; duckDbCast: (column: string) => string }> = {
  focus_costs: {
    sqlType: (c) => (c === 'BillingPeriodStart' || c === 'BillingPeriodEnd' ? 'datetime2(6)' : c === 'BilledCost' || c === 'EffectiveCost' ? 'decimal(38,18)' : 'nvarchar(4000)'),
    duckDbCast: (c) => (c === 'BillingPeriodStart' || c === 'BillingPeriodEnd' ? `CAST("${c}" AS TIMESTAMP)` : c === 'BilledCost' || c === 'EffectiveCost' ? `CAST("${c}" AS DECIMAL(38,18))` : `"${c}"`),
  },
  focus_text: {
    sqlType: (c) => (c === 'BilledCost' || c === 'EffectiveCost' ? 'float' : 'nvarchar(4000)'),
    duckDbCast: (c) => (c === 'BilledCost' || c === 'EffectiveCost' ? `CAST("${c}" AS DOUBLE)` : `"${c}"`),
  },
  // dates as text written with a space and no zone, as a CSV load may leave them
  focus_spaced: {
    sqlType: () => 'nvarchar(4000)',
    duckDbCast: (c) => (c === 'BillingPeriodStart' ? `replace(replace("${c}", 'T', ' '), 'Z', '')` : `"${c}"`),
  },
};
const kindOf = (sqlType: string): SqlColumnKind => (sqlType.startsWith('datetime2') ? 'timestamp' : sqlType.startsWith('decimal') ? 'decimal' : sqlType === 'float' ? 'float' : 'text');

/**
 * The local warehouse's answers. Every statement must parse as T-SQL (node-sql-parser), name only
 * parameters it declares, and be one the product derives from the grain; it is then run by DuckDB
 * as the same grain query in DuckDB's dialect over the same FOCUS rows, with the parameters as they
 * arrived over TDS. Missing tables and denied permissions answer as the service does.
 */
class Warehouse {
  denied = false;
  private readonly equivalents = new Map<string, string>();
  private readonly parser = new Parser();

  constructor(
    private readonly duckdb: DuckDBConnection,
    private readonly columns: string[],
  ) {}

  /** Registers the grain query the product should send for these dimensions, and its DuckDB twin. */
  expect(table: string, dims: readonly string[], optionalDims: readonly string[] = []): string {
    const kinds = new Map(this.columns.map((c) => [c, kindOf(TABLES[table].sqlType(c))]));
    const tsql = grainSql('tsql', dims, { from: `[dbo].[${table}]`, columns: kinds, optionalDimensions: optionalDims, periodFilter: true });
    this.equivalents.set(tsql, grainSql('duckdb', dims, { from: table, columns: kinds, optionalDimensions: optionalDims, periodFilter: true }));
    this.equivalents.set(periodsSql('tsql', `[dbo].[${table}]`, kinds.get('BillingPeriodStart')!), periodsSql('duckdb', table, kinds.get('BillingPeriodStart')!));
    return tsql;
  }

  answer = async (query: TdsQuery): Promise<TdsAnswer> => {
    let tables: string[];
    try {
      tables = this.parser.tableList(query.statement, { database: 'TransactSQL' }).map((t) => t.split('::').slice(1).join('.'));
    } catch (error) {
      return { error: { number: 102, message: `Incorrect syntax: ${(error as Error).message.slice(0, 200)}`, class: 15 } };
    }
    const declared = new Map([...query.declaration.matchAll(/@(\w+) ([\w()]+)/g)].map((m) => [m[1], m[2]]));
    for (const used of query.statement.matchAll(/@(\w+)/g)) if (!declared.has(used[1])) return { error: { number: 137, message: `Must declare the scalar variable "@${used[1]}".`, class: 15 } };
    for (const name of declared.keys()) if (!(name in query.parameters)) return { error: { number: 8178, message: `The parameterized query expects the parameter '@${name}', which was not supplied.`, class: 16 } };
    const unknown = tables.find((t) => !(t.replace(/^dbo\./, '') in TABLES));
    if (unknown) return { error: { number: 208, message: `Invalid object name '${unknown}'.`, class: 16 } };
    const table = tables[0].replace(/^dbo\./, '');
    if (this.denied) return { error: { number: 229, message: `The SELECT permission was denied on the object '${table}', database '${query.database}', schema 'dbo'.`, class: 14 } };
    if (query.statement === `SELECT TOP 0 * FROM [dbo].[${table}]`) return { columns: this.columns.map((name) => ({ name, type: TABLES[table].sqlType(name) })), rows: [] };
    const equivalent = this.equivalents.get(query.statement);
    if (!equivalent) return { error: { number: 50000, message: `the test does not expect this statement: ${query.statement.slice(0, 300)}`, class: 16 } };
    // the parameters bound as they arrived: a DATETIME2 as a timestamp, an NVARCHAR as text
    const values: Record<string, DuckDBValue> = {};
    const types: Record<string, typeof TIMESTAMP | typeof VARCHAR> = {};
    for (const [name, parameter] of Object.entries(query.parameters)) {
      const timestamp = parameter.type.startsWith('datetime2');
      values[name] = timestamp ? new DuckDBTimestampValue(BigInt(Date.parse(String(parameter.value))) * 1000n) : String(parameter.value);
      types[name] = timestamp ? TIMESTAMP : VARCHAR;
    }
    const reader = await this.duckdb.runAndReadAll(equivalent, values, types);
    const names = reader.columnNames();
    const columns: TdsColumn[] = names.map((name) => ({ name, type: /^(source_rows|missing_amounts)$/.test(name) ? 'bigint' : 'nvarchar(4000)' }));
    const rows = reader.getRows().map((row) => row.map((v) => (v === null ? null : typeof v === 'bigint' ? Number(v) : String(v))));
    return { columns, rows };
  };
}

describe('a Fabric Warehouse / SQL endpoint / Synapse serverless as a source, through mssql (TDS) against a local endpoint', () => {
  let endpoint: LocalSqlEndpoint;
  let warehouse: Warehouse;
  let instance: DuckDBInstance;
  let duckdb: DuckDBConnection;
  let lines: CostLine[];
  const dir = tempDir('chargeback-fabric-');
  const source = (table = 'dbo.focus_costs') => `fabric://127.0.0.1:${endpoint.port}/Costs?table=${table}&encrypt=false`;
  const location = (table = 'focus_costs'): WarehouseLocation => ({ server: '127.0.0.1', port: endpoint.port, database: 'Costs', schema: 'dbo', table, encrypt: false });
  // every connection a test opens is closed after it, as the command line closes its own
  const opened: SqlWarehouse[] = [];
  const track = (warehouse: SqlWarehouse) => (opened.push(warehouse), warehouse);
  const connect = (notices: string[] = [], table?: string, token = TOKEN) =>
    track(new SqlWarehouse(location(table), { credential: { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) }, onNotice: (m) => notices.push(m), firstRetryMs: 10 }));

  beforeAll(async () => {
    lines = (await ingestFocus(await costFilesAt(sample), { dimensions })).lines;
    instance = await DuckDBInstance.create(':memory:');
    duckdb = await instance.connect();
    const files = ['focus-2026-09.csv', 'focus-2026-10.csv'].map((f) => `'${path.join(sample, f)}'`).join(', ');
    const columns = (await duckdb.runAndReadAll(`DESCRIBE SELECT * FROM read_csv([${files}], all_varchar = true)`)).getRows().map((r) => String(r[0]));
    for (const [table, { duckDbCast }] of Object.entries(TABLES)) {
      await duckdb.run(`CREATE TABLE ${table} AS SELECT ${columns.map((c) => `${duckDbCast(c)} AS "${c}"`).join(', ')} FROM read_csv([${files}], all_varchar = true)`);
    }
    warehouse = new Warehouse(duckdb, columns);
    endpoint = await LocalSqlEndpoint.start({ token: TOKEN, databases: ['Costs'], answer: warehouse.answer });
  });
  afterAll(async () => {
    await endpoint.stop();
    duckdb.closeSync();
    instance.closeSync();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((w) => w.close()));
  });
  beforeEach(() => {
    endpoint.queries.length = 0;
    endpoint.logins.length = 0;
    endpoint.throttleNext = 0;
    warehouse.denied = false;
  });

  it('charges back the same month as the files do, to the cent, signed in with an Entra token', async () => {
    const sent = warehouse.expect('focus_costs', dimensions, optional);
    const fromWarehouse = await runChargeback({ costs: [], source: source(), credential, period: '2026-10', rules: rulesFile, out: path.join(dir, 'fabric.xlsx'), quiet: true });
    const fromFiles = await runChargeback({ costs: [path.join(sample, 'focus-2026-10.csv')], period: '2026-10', rules: rulesFile, out: path.join(dir, 'files.xlsx'), quiet: true });
    expect(fromWarehouse.summary).toEqual(fromFiles.summary);
    // the token travelled in LOGIN7's FEDAUTH extension (a security token, not a password), to the database asked
    // (mssql signs in once to check the address, then once for its pool)
    expect(endpoint.logins.length).toBeGreaterThan(0);
    for (const login of endpoint.logins) expect(login).toEqual({ database: 'Costs', fedAuth: 'securitytoken', token: TOKEN, encrypted: false });
    expect(endpoint.encryptionAsked.every((e) => e === 2)).toBe(true);
    expect(endpoint.queries.map((q) => q.statement)).toEqual(['SELECT TOP 0 * FROM [dbo].[focus_costs]', sent]);
  });

  it('gives the cost lines of a period exactly as the in-process reader does, group by group, tags included', async () => {
    warehouse.expect('focus_costs', dimensions);
    const result = await ingestFromWarehouse(connect(), dimensions, '2026-09');
    expect(result.lines.length).toBeGreaterThan(10);
    expect(result.lines).toEqual(lines.filter((l) => l.billingPeriod === '2026-09'));
    expect(result.files).toEqual([{ name: '127.0.0.1/Costs dbo.focus_costs', rows: 4161 }]);
  });

  it('sends the period as typed DATETIME2 parameters of sp_executesql, never in the query text', async () => {
    const sent = warehouse.expect('focus_costs', ['ServiceName']);
    await ingestFromWarehouse(connect(), ['ServiceName'], '2026-10');
    const grain = endpoint.queries.find((q) => q.statement === sent)!;
    expect(grain.declaration).toBe('@periodStart datetime2(7), @periodEnd datetime2(7)');
    expect(grain.parameters).toEqual({
      periodStart: { type: 'datetime2(7)', value: '2026-10-01T00:00:00.000Z' },
      periodEnd: { type: 'datetime2(7)', value: '2026-11-01T00:00:00.000Z' },
    });
    expect(grain.statement).not.toMatch(/2026/);
    expect(grain.statement).toMatch(/CAST\(\[BilledCost\] AS DECIMAL\(38,24\)\)/);
  });

  it('reads a table with text dates and float amounts (a Lakehouse copy), the period sent as text and compared with the period each date names', async () => {
    const sent = warehouse.expect('focus_text', dimensions);
    const result = await ingestFromWarehouse(connect([], 'focus_text'), dimensions, '2026-10');
    expect(result.lines).toEqual(lines.filter((l) => l.billingPeriod === '2026-10'));
    expect(endpoint.queries.find((q) => q.statement === sent)!.parameters.period).toEqual({ type: 'nvarchar(4000)', value: '2026-10' });
  });

  it('sends tag keys as Unicode (NVARCHAR) parameters, so a non-Latin key matches on any collation, never in the query text', async () => {
    const asked = ['ServiceName', 'Tag:部門', "Tag:it's"];
    const sent = warehouse.expect('focus_costs', asked);
    await ingestFromWarehouse(connect(), asked, '2026-10');
    const grain = endpoint.queries.find((q) => q.statement === sent)!;
    expect(grain.declaration).toBe('@periodStart datetime2(7), @periodEnd datetime2(7), @tagKey0 nvarchar(4000), @tagFolded0 nvarchar(4000), @tagKey1 nvarchar(4000), @tagFolded1 nvarchar(4000)');
    expect(grain.parameters.tagKey0).toEqual({ type: 'nvarchar(4000)', value: '部門' });
    expect(grain.parameters.tagKey1).toEqual({ type: 'nvarchar(4000)', value: "it's" });
    expect(grain.statement).not.toContain('部門');
    expect(grain.statement).not.toContain("it''s");
  });

  it('reads text dates written with a space (2026-10-01 00:00:00): the first day of the period still counts', async () => {
    warehouse.expect('focus_spaced', dimensions);
    const result = await ingestFromWarehouse(connect([], 'focus_spaced'), dimensions, '2026-10');
    expect(result.lines).toEqual(lines.filter((l) => l.billingPeriod === '2026-10'));
  });

  it('retries with backoff when throttled (40501), and says so', async () => {
    warehouse.expect('focus_costs', dimensions);
    endpoint.throttleNext = 2;
    endpoint.throttleNumber = 40501;
    const notices: string[] = [];
    const result = await ingestFromWarehouse(connect(notices), dimensions, '2026-10');
    expect(result.lines).toEqual(lines.filter((l) => l.billingPeriod === '2026-10'));
    expect(notices).toEqual([
      'Fabric / Synapse SQL throttled the query (reading the columns of dbo.focus_costs); retrying in 0.0 s (attempt 2 of 5)',
      'Fabric / Synapse SQL throttled the query (reading the columns of dbo.focus_costs); retrying in 0.0 s (attempt 3 of 5)',
    ]);
  });

  it('gives up after five throttled attempts (49918), saying what to do', async () => {
    endpoint.throttleNext = 5;
    endpoint.throttleNumber = 49918;
    const error = await ingestFromWarehouse(connect(), dimensions, '2026-10').catch((e) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect(error.message).toMatch(/^Fabric \/ Synapse SQL, reading the columns of dbo\.focus_costs: throttled 5 times: Cannot process request\. Not enough resources.*\. Try again later/);
    expect(endpoint.queries).toHaveLength(5);
  });

  it('says when the sign-in is refused (login failed), naming the step and what to do', async () => {
    const error = await ingestFromWarehouse(connect([], undefined, 'someone-elses-token'), dimensions, '2026-10').catch((e) => e);
    expect(error.message).toMatch(/^Fabric \/ Synapse SQL, signing in: 127\.0\.0\.1 refused the sign-in: Login failed for user '<token-identified principal>'\. Sign in \(az login\)/);
    expect(endpoint.logins[0]).toMatchObject({ fedAuth: 'securitytoken', token: 'someone-elses-token' });
  });

  it('says when the credential cannot sign in at all', async () => {
    const noSignIn = track(new SqlWarehouse(location(), {
      credential: {
        getToken: async () => {
          throw Object.assign(new Error('DefaultAzureCredential failed to retrieve a token from the included credentials.'), { name: 'AggregateAuthenticationError' });
        },
      },
    }));
    await expect(ingestFromWarehouse(noSignIn, dimensions, '2026-10')).rejects.toThrow(/^Fabric \/ Synapse SQL, signing in: DefaultAzureCredential failed.*Sign in with az login/);
    expect(endpoint.logins).toHaveLength(0);
  });

  it('names a table that is not there', async () => {
    await expect(ingestFromWarehouse(connect([], 'focus_nope'), dimensions, '2026-10')).rejects.toThrow(
      /^Fabric \/ Synapse SQL, reading the columns of dbo\.focus_nope: no table or view dbo\.focus_nope in Costs: Invalid object name 'dbo\.focus_nope'\. Check \?table=SCHEMA\.TABLE/,
    );
  });

  it('says when the caller has no permission to read the table and how to get it', async () => {
    warehouse.denied = true;
    await expect(ingestFromWarehouse(connect(), dimensions, '2026-10')).rejects.toThrow(/no permission to read dbo\.focus_costs in Costs: The SELECT permission was denied .*ReadData/);
  });

  it('names a database that cannot be opened', async () => {
    const elsewhere = track(new SqlWarehouse({ ...location(), database: 'Billing' }, { credential }));
    await expect(ingestFromWarehouse(elsewhere, dimensions, '2026-10')).rejects.toThrow(/^Fabric \/ Synapse SQL, connecting: no database Billing on 127\.0\.0\.1 that you can open/);
  });

  it('names the FOCUS columns a table lacks', async () => {
    await expect(ingestFromWarehouse(connect(), ['x_NoSuchDimension'], '2026-10')).rejects.toThrow(/reading the columns of dbo\.focus_costs: missing FOCUS column x_NoSuchDimension/);
  });

  it('from the command line: signs in with DefaultAzureCredential and, with no sign-in on this machine, says how', async () => {
    // asynchronously, so the endpoint in this process can answer the command
    const result = await promisify(execFile)(process.execPath, ['bin/chargeback.js', 'sources', 'test', source(), '--period', '2026-10']).then(
      () => ({ code: 0, stderr: '' }),
      (error) => ({ code: error.code as number, stderr: error.stderr as string }),
    );
    expect(result.stderr).toMatch(/^error: Fabric \/ Synapse SQL, signing in: .*Sign in with az login/);
    expect(result.code).toBe(1);
    expect(endpoint.logins).toEqual([]);
  });

  describe('encrypted as in production: TLS set up inside PRELOGIN, then the whole session inside it', () => {
    let secure: LocalSqlEndpoint;
    let authority: { key: string; cert: string };
    const at = (trustedCertificates?: string) =>
      track(new SqlWarehouse({ ...location(), server: 'localhost', port: secure.port, encrypt: true }, { credential, trustedCertificates }));

    beforeAll(async () => {
      authority = await createCA({ organization: 'Chargeback tests', countryCode: 'NL', state: 'Noord-Holland', locality: 'Amsterdam', validity: 2 });
      const certificate = await createCert({ domains: ['localhost'], validity: 2, ca: authority });
      secure = await LocalSqlEndpoint.start({ token: TOKEN, databases: ['Costs'], answer: warehouse.answer, tls: certificate });
    });
    afterAll(() => secure.stop());

    it('gives the same cost lines over an encrypted session, the token sent only inside TLS', async () => {
      warehouse.expect('focus_costs', dimensions);
      const result = await ingestFromWarehouse(at(authority.cert), dimensions, '2026-10');
      expect(result.lines).toEqual(lines.filter((l) => l.billingPeriod === '2026-10'));
      expect(secure.encryptionAsked.every((e) => e === 0x01)).toBe(true);
      expect(secure.logins.length).toBeGreaterThan(0);
      for (const login of secure.logins) expect(login).toEqual({ database: 'Costs', fedAuth: 'securitytoken', token: TOKEN, encrypted: true });
    });

    it('refuses a server whose certificate it cannot trust, and says so', async () => {
      const logins = secure.logins.length;
      await expect(ingestFromWarehouse(at(), dimensions, '2026-10')).rejects.toThrow(/^Fabric \/ Synapse SQL, connecting: the certificate of localhost is not trusted: .*certificate.*NODE_EXTRA_CA_CERTS/);
      expect(secure.logins).toHaveLength(logins);
    });
  });

  it('tests a connection: the table, the periods held, rows and totals of the period', async () => {
    warehouse.expect('focus_costs', []);
    const report = await testSource(source(), '2026-10', { credential });
    const october = lines.filter((l) => l.billingPeriod === '2026-10');
    const sum = (currency: string, f: (l: CostLine) => bigint) => formatExact(october.filter((l) => l.currency === currency).reduce((a, l) => a + f(l), 0n));
    const rows = (period: string) => lines.filter((l) => l.billingPeriod === period).reduce((a, l) => a + l.sourceRows, 0).toLocaleString('en-US');
    expect(report).toBe(
      `Fabric / Synapse SQL 127.0.0.1, database Costs: connected, reading dbo.focus_costs\n` +
        `periods held: 2026-10 (${rows('2026-10')} rows), 2026-09 (${rows('2026-09')} rows)\n` +
        `2026-10: ${rows('2026-10')} FOCUS rows, ${new Set(october.map((l) => `${l.currency}|${l.chargeCategory}|${l.commitmentDiscountStatus}`)).size} cost lines at allocation grain\n` +
        `  EUR BilledCost ${sum('EUR', (l) => l.billedCost)}, EffectiveCost ${sum('EUR', (l) => l.effectiveCost)}\n` +
        `  USD BilledCost ${sum('USD', (l) => l.billedCost)}, EffectiveCost ${sum('USD', (l) => l.effectiveCost)}\n`,
    );
  });
});

describe('warehouse addresses', () => {
  it.each([
    ['fabric://abc123.datawarehouse.fabric.microsoft.com/FinOps?table=dbo.focus_costs', { server: 'abc123.datawarehouse.fabric.microsoft.com', port: 1433, database: 'FinOps', schema: 'dbo', table: 'focus_costs', encrypt: true }],
    ['fabric://contoso-ondemand.sql.azuresynapse.net/finops?table=focus', { server: 'contoso-ondemand.sql.azuresynapse.net', port: 1433, database: 'finops', schema: 'dbo', table: 'focus', encrypt: true }],
    ['fabric://host.example:11433/My%20Lakehouse?table=[cost data].[focus.v1_2]', { server: 'host.example', port: 11433, database: 'My Lakehouse', schema: 'cost data', table: 'focus.v1_2', encrypt: true }],
    ['fabric://localhost:1433/Costs?table=dbo.focus&encrypt=false', { server: 'localhost', port: 1433, database: 'Costs', schema: 'dbo', table: 'focus', encrypt: false }],
  ])('reads %s', (address, expected) => expect(warehouseLocationOf(address)).toEqual(expected));

  it.each([
    ['fabric://host/db', /name the table or view of FOCUS rows/],
    ['fabric://host/?table=dbo.t', /name the server and the database/],
    ['fabric://host/db?table=a.b.c', /give SCHEMA\.TABLE or TABLE/],
    ['fabric://host.example/db?table=t&encrypt=false', /encryption can be turned off only for a server on this machine/],
    ['fabric://host/db?table=t&trust=yes', /unknown setting trust/],
  ])('refuses %s', (address, problem) => expect(() => warehouseLocationOf(address)).toThrow(problem));

  it('says what is wrong with an address on the command line (exit 1)', () => {
    const result = chargeback(['sources', 'test', 'fabric://abc123.datawarehouse.fabric.microsoft.com/FinOps', '--period', '2026-10']);
    expect(result.stderr).toMatch(/^error: fabric:\/\/abc123\.datawarehouse\.fabric\.microsoft\.com\/FinOps: name the table or view of FOCUS rows: \?table=SCHEMA\.TABLE/);
    expect(result.code).toBe(1);
  });

  it.each(['kusto://host/Hub', 'databricks://host/warehouse', '/data/focus'])('does not take %s for a warehouse', (address) => expect(warehouseLocationOf(address)).toBeUndefined());
});
