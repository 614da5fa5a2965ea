import { DuckDBInstance } from '@duckdb/node-api';
import { SparkSQL } from 'dt-sql-parser';
import { Parser } from 'node-sql-parser';
import { grainSql, grainSqlParameters, SqlColumnKind, SqlDialectName } from '../../src/core/grain-sql';

const dimensions = ['ProviderName', 'SubAccountName', 'ServiceName', 'x_ResourceGroupName', 'Tag:CostCenter', "Tag:it's"];
const warehouseColumns = new Map<string, SqlColumnKind>([
  ['BillingPeriodStart', 'timestamp'],
  ['BilledCost', 'decimal'],
  ['EffectiveCost', 'decimal'],
  ['CommitmentDiscountStatus', 'text'],
]);
const tables: Record<SqlDialectName, string> = { duckdb: 'focus_costs', databricks: '`finops`.`focus_costs`', tsql: '[dbo].[focus_costs]' };

/** A real parser per dialect: Spark SQL's grammar (Databricks SQL), node-sql-parser's Transact-SQL (Fabric, Synapse), DuckDB's own. */
const parseErrors: Record<Exclude<SqlDialectName, 'duckdb'>, (sql: string) => string[]> = {
  databricks: (sql) => new SparkSQL().validate(sql).map((e) => e.message),
  tsql: (sql) => {
    try {
      new Parser().astify(sql, { database: 'TransactSQL' });
      return [];
    } catch (error) {
      return [(error as Error).message];
    }
  },
};

describe('the grain query in SQL, one query shape with a dialect table', () => {
  describe.each(['databricks', 'tsql'] as const)('%s', (dialect) => {
    it.each([
      ['with tags, timestamp periods and decimal amounts', dimensions, warehouseColumns],
      ['without tags, text periods and float amounts', ['ServiceName'], new Map<string, SqlColumnKind>([['BilledCost', 'float'], ['EffectiveCost', 'float']])],
    ])('parses %s', (_, dims, columns) => {
      const sql = grainSql(dialect, dims, { from: tables[dialect], columns, periodFilter: true });
      expect(parseErrors[dialect](sql)).toEqual([]);
    });

    it('the parser refuses a broken query (the check can fail)', () => {
      const sql = grainSql(dialect, dimensions, { from: tables[dialect], columns: warehouseColumns, periodFilter: true });
      expect(parseErrors[dialect](sql.replace('GROUP BY', 'GROUP'))).not.toEqual([]);
    });
  });

  it('DuckDB parses and binds it (columns and types) against a table of FOCUS columns', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      await connection.run(
        `CREATE TABLE focus_costs (BillingPeriodStart TIMESTAMP, BillingCurrency VARCHAR, ChargeCategory VARCHAR, CommitmentDiscountStatus VARCHAR, ProviderName VARCHAR, SubAccountName VARCHAR, ServiceName VARCHAR, x_ResourceGroupName VARCHAR, Tags VARCHAR, BilledCost DECIMAL(38,10), EffectiveCost DOUBLE)`,
      );
      const columns = new Map<string, SqlColumnKind>([...warehouseColumns, ['EffectiveCost', 'float']]);
      const prepared = await connection.prepare(grainSql('duckdb', dimensions, { from: tables.duckdb, columns, periodFilter: true }));
      // the period's bounds and each tag key, as written and folded
      expect(prepared.parameterCount).toBe(6);
      await expect(connection.prepare(grainSql('duckdb', ['x_NoSuchColumn'], { from: tables.duckdb, columns }))).rejects.toThrow(/x_NoSuchColumn/);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it.each(['duckdb', 'databricks', 'tsql'] as const)('%s sums costs as DECIMAL(38,24) (each line rounded once to 15 decimals, as the in-process reader does) and returns them as text, never a float accumulator', (dialect) => {
    const sql = grainSql(dialect, dimensions, { from: tables[dialect], columns: warehouseColumns, periodFilter: true });
    expect(sql).toMatch(/CAST\(\S+ AS DECIMAL\(38,24\)\) AS a_billed/);
    expect(sql).toMatch(/CAST\(sum\(s_billed\) AS (VARCHAR|STRING|NVARCHAR\(60\))\) AS billed/i);
    // no float anywhere but in reading a tag's JSON number (as the text JavaScript gives it)
    expect(grainSql(dialect, ['ServiceName'], { from: tables[dialect], columns: warehouseColumns, periodFilter: true })).not.toMatch(/DOUBLE|FLOAT|REAL/i);
    expect(sql).not.toMatch(/sum\([^)]*(DOUBLE|FLOAT|REAL)/i);
  });

  it.each(['tsql', 'databricks', 'duckdb'] as const)('%s reads tag keys and the period from parameters, never from the query text (a quote or a backslash in a key cannot break it)', (dialect) => {
    const dims = ["Tag:it's", 'Tag:dept\\team', 'Tag:end\\'];
    const sql = grainSql(dialect, dims, { from: tables[dialect], columns: warehouseColumns, periodFilter: true });
    const param = { tsql: '@', databricks: ':', duckdb: '$' }[dialect];
    for (const name of ['periodStart', 'periodEnd', 'tagKey0', 'tagFolded0', 'tagKey1', 'tagFolded2']) expect(sql).toContain(`${param}${name}`);
    for (const text of ["it's", "it''s", 'dept', 'end\\']) expect(sql).not.toContain(text);
    expect(grainSqlParameters(dims)).toEqual({ tagKey0: "it's", tagFolded0: "it's", tagKey1: 'dept\\team', tagFolded1: 'dept\\team', tagKey2: 'end\\', tagFolded2: 'end\\' });
    if (dialect !== 'duckdb') expect(parseErrors[dialect](sql)).toEqual([]);
  });

  it('compares a period stored as text with the period each date names, keeping text that is not a date so that it is refused', () => {
    const sql = grainSql('tsql', ['ServiceName'], { from: tables.tsql, columns: new Map(), periodFilter: true });
    expect(sql).toContain(`WHERE k0 = @period OR k0 IS NULL OR k0 LIKE 'not a date: %'`);
    expect(sql).not.toContain('@periodStart');
    expect(parseErrors.tsql(sql)).toEqual([]);
  });
});
