import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { chargeback } from '../support/cli';
import { tempDir } from '../support/files';
import { LocalHub } from '../support/kusto-server';

const sample = path.resolve('assets/sample');
const rules = path.join(sample, 'rules.json');

describe('chargeback run --engine duckdb', () => {
  const dir = tempDir('chargeback-cli-engine-');

  it('gives the same chargeback as the in-process reader on the bundled sample', () => {
    const inProcess = chargeback(['run', '--costs', sample, '--rules', rules, '--out', path.join(dir, 'a.xlsx'), '--period', '2026-10', '--json']);
    const duckdb = chargeback(['run', '--costs', sample, '--engine', 'duckdb', '--rules', rules, '--out', path.join(dir, 'b.xlsx'), '--period', '2026-10', '--json']);
    expect(inProcess.code).toBe(0);
    expect(duckdb.stderr).toBe('');
    expect(duckdb.code).toBe(0);
    expect(JSON.parse(duckdb.stdout)).toEqual(JSON.parse(inProcess.stdout));
  });

  it('is bad usage with an unknown engine or with --source', () => {
    const unknown = chargeback(['run', '--costs', sample, '--engine', 'spark', '--rules', rules, '--out', path.join(dir, 'c.xlsx')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--engine must be in-process or duckdb, not "spark"/);
    const both = chargeback(['run', '--source', 'kusto://hub.kusto.windows.net/Hub', '--engine', 'duckdb', '--period', '2026-10', '--rules', rules, '--out', path.join(dir, 'c.xlsx')]);
    expect(both.code).toBe(2);
  });
});

describe('chargeback sources test', () => {
  it('is bad usage without a source or a period', () => {
    expect(chargeback(['sources', 'test', '--period', '2026-10']).code).toBe(2);
    expect(chargeback(['sources', 'test', 'kusto://hub.kusto.windows.net/Hub']).code).toBe(2);
    expect(chargeback(['run', '--source', 'kusto://hub.kusto.windows.net/Hub', '--rules', rules, '--out', 'x.xlsx']).stderr).toMatch(/--period is required with --source/);
  });

  it('signs in with DefaultAzureCredential and, with no sign-in on this machine, says how to sign in', async () => {
    const hub = await LocalHub.start({ token: 'never-issued', answer: () => ({ columns: [], rows: [] }) });
    try {
      // asynchronously, so the hub in this process can answer the command
      const result = await promisify(execFile)(process.execPath, ['bin/chargeback.js', 'sources', 'test', `${hub.url}/Hub`, '--period', '2026-10']).then(
        () => ({ code: 0, stderr: '' }),
        (error) => ({ code: error.code as number, stderr: error.stderr as string }),
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^error: FinOps hub \(Data Explorer\), signing in: .*Sign in with az login/);
      expect(hub.received).toEqual([]);
    } finally {
      await hub.stop();
    }
  });

  it('says what a Databricks or a Fabric source lacks', () => {
    const databricks = chargeback(['sources', 'test', 'databricks://adb-1.azuredatabricks.net/sql/1.0/warehouses/abc', '--period', '2026-10']);
    expect(databricks.code).toBe(1);
    expect(databricks.stderr).toMatch(/^error: databricks:\/\/adb-1.*: a Databricks source needs catalog=NAME, schema=NAME, table=NAME/);
    const fabric = chargeback(['run', '--source', 'fabric://x.datawarehouse.fabric.microsoft.com/Costs', '--period', '2026-10', '--rules', 'assets/sample/rules.json', '--out', '/tmp/never.xlsx']);
    expect(fabric.code).toBe(1);
    expect(fabric.stderr).toBe('error: fabric://x.datawarehouse.fabric.microsoft.com/Costs: name the table or view of FOCUS rows: ?table=SCHEMA.TABLE (for example ?table=dbo.focus_costs)\n');
  });
});
