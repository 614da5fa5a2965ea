import os from 'node:os';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ExcelJsGateway } from '../../src/workbook/exceljs-gateway';
import { chargeback } from '../support/cli';
import { BASE_HEADER, focusCsv, tempDir } from '../support/files';
import { SAMPLE } from '../support/sample';


const rules = {
  settings: { clearingAccount: '2990' },
  costCenters: [
    { costCenter: 'CC-A', name: 'Team A', glAccount: '6100', budget: 200 },
    { costCenter: 'CC-B', name: 'Team B', glAccount: '6200' },
    { costCenter: 'CC-C', name: 'Team C', glAccount: '6300' },
  ],
  mappings: [
    { dimension: 'Tag:costcenter', pattern: 'CC-*', costCenter: '{value}' },
    { dimension: 'SubAccountName', pattern: 'team-b*', costCenter: 'CC-B' },
  ],
  sharedPools: [{ pool: 'Network', dimension: 'ServiceCategory', pattern: 'Networking', method: 'Even', targets: '*' }],
};
const tag = (cc: string) => `"{""costcenter"":""${cc}""}"`;
const october = [
  ['2026-10-01T00:00:00Z', 'USD', 'Usage', '', '150.10', '150.10', 'team-a', 'Compute', 'VMs', 'Azure', tag('CC-A')],
  ['2026-10-01T00:00:00Z', 'USD', 'Usage', '', '49.90', '49.90', 'team-b-prod', 'Storage', 'Blob', 'Azure', ''],
  ['2026-10-01T00:00:00Z', 'USD', 'Usage', '', '100.00', '100.00', 'hub', 'Networking', 'VNet', 'Azure', ''],
  ['2026-10-01T00:00:00Z', 'USD', 'Usage', '', '0.333', '0.333', 'stray', 'Compute', 'VMs', 'AWS', ''],
];

function fixture() {
  const dir = tempDir('chargeback-cli-');
  writeFileSync(path.join(dir, 'rules.json'), JSON.stringify(rules));
  writeFileSync(path.join(dir, 'october.csv'), focusCsv(BASE_HEADER, october));
  return dir;
}

describe('chargeback run', () => {
  it('prints the JSON summary and writes a reconciled chargeback workbook', async () => {
    const dir = fixture();
    const out = path.join(dir, 'book.xlsx');
    const { code, stdout, stderr } = chargeback(['run', '--costs', path.join(dir, 'october.csv'), '--rules', path.join(dir, 'rules.json'), '--out', out, '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({ period: '2026-10', currency: 'USD', metric: 'EffectiveCost', rowsRead: 4, sourceTotal: '300.33', allocatedTotal: '300.33', unallocated: '0.33' });
    expect(summary.costCenters).toEqual([
      { costCenter: 'CC-A', listed: true, direct: '150.10', shared: '33.34', total: '183.44' },
      { costCenter: 'CC-B', listed: true, direct: '49.90', shared: '33.33', total: '83.23' },
      { costCenter: 'CC-C', listed: true, direct: '0.00', shared: '33.33', total: '33.33' },
      { costCenter: 'UNALLOCATED', listed: false, direct: '0.33', shared: '0.00', total: '0.33' },
    ]);
    expect(summary.pools).toEqual([{ pool: 'Network', method: 'Even', amount: '100.00', roundingDifference: '0.00' }]);
    expect(summary.warnings).toEqual([]);

    const book = await ExcelJsGateway.fromBytes(readFileSync(out));
    const names = book.workbook.worksheets.map((s) => s.name);
    expect(names).toEqual(['Chargeback', 'Reconciliation', 'Method', 'Allocation', 'Costs', 'Settings', 'CostCenters', 'Mappings', 'SharedPools', 'FixedSplits', 'Drivers', 'Budgets', 'Rates', 'Audit']);
    const statement = (await book.readTable('Chargeback'))!;
    expect(statement.headers).toEqual(['CostCenter', 'Name', 'Owner', 'GLAccount', 'Direct', 'Network', 'Shared', 'Total', 'Budget', 'Variance']);
    expect(statement.rows[0]).toEqual(['CC-A', 'Team A', null, '6100', 150.1, 33.34, 33.34, 183.44, 200, -16.56]);
    const reconciliation = (await book.readTable('Reconciliation'))!;
    const difference = reconciliation.rows.find((r) => r[0] === 'Difference')!;
    expect(difference[1]).toBe(0);
    expect(difference[3]).toBe('reconciled');
    const audit = (await book.readTable('Audit'))!;
    expect(audit.rows.map((r) => [r[1], r[2]])).toEqual([['Pull', `test runner (typed, not verified; OS user ${os.userInfo().username}@${os.hostname()})`], ['Allocate', `test runner (typed, not verified; OS user ${os.userInfo().username}@${os.hostname()})`]]);
    const allocation = (await book.readTable('Allocation'))!;
    expect(allocation.rows.reduce((a, r) => a + (r[0] === 'To pool' ? 0 : Number(r[allocation.headers.indexOf('Amount')])), 0)).toBeCloseTo(300.333, 9);
    expect(book.workbook.getWorksheet('Chargeback')!.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  });

  it('warns at run time, in the text and in --json, of codes CostCenters does not list and pools without basis', () => {
    const dir = fixture();
    const withStray = [...october, ['2026-10-01T00:00:00Z', 'USD', 'Usage', '', '5.00', '5.00', 'team-x', 'Compute', 'VMs', 'Azure', tag('CC-X')]];
    writeFileSync(path.join(dir, 'october.csv'), focusCsv(BASE_HEADER, withStray));
    writeFileSync(path.join(dir, 'rules.json'), JSON.stringify({ ...rules, sharedPools: [{ ...rules.sharedPools[0], method: 'Proportional', targets: 'CC-C' }] }));
    const args = ['run', '--costs', path.join(dir, 'october.csv'), '--rules', path.join(dir, 'rules.json'), '--out', path.join(dir, 'book.xlsx')];
    const summary = JSON.parse(chargeback([...args, '--json']).stdout);
    expect(summary.costCenters.find((c: { costCenter: string }) => c.costCenter === 'CC-X')).toMatchObject({ listed: false, total: '5.00' });
    expect(summary.warnings).toEqual([
      { check: 'Unlisted cost center', subject: 'CC-X', figure: '5.00', detail: 'a {value} mapping charged CC-X, which CostCenters does not list: add it with its GL account, or fix the tag' },
      { check: 'Pool without basis', subject: 'Network', figure: '100.00', detail: 'Proportional: no target has a direct cost above zero, so it was split evenly' },
    ]);
    const text = chargeback([...args.slice(0, -1), path.join(dir, 'book2.xlsx')]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('2 warnings:\n  Unlisted cost center CC-X: a {value} mapping charged CC-X');
    expect(text.stdout).toContain('  Pool without basis Network: Proportional: no target has a direct cost above zero, so it was split evenly\n');
  });

  it('runs and approves a month whose CostCenters lists the unallocated code: one line, no pool share', () => {
    const dir = fixture();
    const listed = { ...rules, costCenters: [...rules.costCenters, { costCenter: 'UNALLOCATED', name: 'Unclaimed', glAccount: '6999' }] };
    writeFileSync(path.join(dir, 'rules.json'), JSON.stringify(listed));
    const book = path.join(dir, 'book.xlsx');
    const run = chargeback(['run', '--costs', path.join(dir, 'october.csv'), '--rules', path.join(dir, 'rules.json'), '--out', book, '--json']);
    expect(run.code).toBe(0);
    // hub 100.00 Even over CC-A, CC-B, CC-C only: 33.34, 33.33, 33.33; the stray 0.333 stays unallocated
    expect(JSON.parse(run.stdout).costCenters.map((c: { costCenter: string; total: string }) => [c.costCenter, c.total])).toEqual([
      ['CC-A', '183.44'],
      ['CC-B', '83.23'],
      ['CC-C', '33.33'],
      ['UNALLOCATED', '0.33'],
    ]);
    const approve = chargeback(['approve', '--workbook', book, '--by', 'Dana Reviewer']);
    expect(approve.stderr).toBe('');
    expect(approve.code).toBe(0);
  });

  it('gives the same cents from a rules workbook as from rules JSON', async () => {
    const dir = fixture();
    const jsonRun = chargeback(['run', '--costs', path.join(dir, 'october.csv'), '--rules', path.join(dir, 'rules.json'), '--out', path.join(dir, 'a.xlsx'), '--json']);
    // the first run's workbook carries the rule tables: use it as a rules workbook
    const xlsxRun = chargeback(['run', '--costs', path.join(dir, 'october.csv'), '--rules', path.join(dir, 'a.xlsx'), '--out', path.join(dir, 'b.xlsx'), '--json']);
    expect(xlsxRun.code).toBe(0);
    expect(JSON.parse(xlsxRun.stdout)).toEqual(JSON.parse(jsonRun.stdout));
  });

  it('refuses data with several billing periods unless one is chosen, listing them', () => {
    const dir = fixture();
    writeFileSync(path.join(dir, 'september.csv'), focusCsv(BASE_HEADER, october.map((r) => ['2026-09-01T00:00:00Z', ...r.slice(1)])));
    const out = path.join(dir, 'book.xlsx');
    const refused = chargeback(['run', '--costs', dir, '--rules', path.join(dir, 'rules.json'), '--out', out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: the cost data covers several billing periods: 2026-09 \(4 rows\), 2026-10 \(4 rows\)/m);
    expect(existsSync(out)).toBe(false);
    const chosen = chargeback(['run', '--costs', dir, '--rules', path.join(dir, 'rules.json'), '--out', out, '--period', '2026-09', '--json']);
    expect(chosen.code).toBe(0);
    expect(JSON.parse(chosen.stdout)).toMatchObject({ period: '2026-09', rowsRead: 8, allocatedTotal: '300.33' });
  });

  it('exits 1 with what and where on bad input, leaving no output file', () => {
    const dir = fixture();
    writeFileSync(path.join(dir, 'bad.csv'), focusCsv(BASE_HEADER, [october[0], ['2026-10-01T00:00:00Z', 'USD', 'Usage', '', 'n/a', '1', 'x', 'Compute', 'VMs', 'Azure', '']]));
    const out = path.join(dir, 'book.xlsx');
    const result = chargeback(['run', '--costs', path.join(dir, 'bad.csv'), '--rules', path.join(dir, 'rules.json'), '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: .*bad\.csv, row 3, column BilledCost: "n\/a" is not a number/m);
    expect(readdirSync(dir).filter((f) => f.includes('book'))).toEqual([]);
  });

  it('exits 1 listing every rule problem', () => {
    const dir = fixture();
    writeFileSync(path.join(dir, 'rules.json'), JSON.stringify({ ...rules, sharedPools: [{ pool: 'Network', dimension: 'ServiceCategory', pattern: 'Networking', method: 'Split', targets: 'CC-Z' }] }));
    const result = chargeback(['run', '--costs', path.join(dir, 'october.csv'), '--rules', path.join(dir, 'rules.json'), '--out', path.join(dir, 'book.xlsx')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: the rules have 2 problems:');
    expect(result.stderr).toContain('SharedPools row 2, Method: unknown method "Split"');
    expect(result.stderr).toContain('SharedPools row 2, Targets: target CC-Z is not in CostCenters');
  });

  it('exits 2 on bad usage', () => {
    expect(chargeback(['run', '--rules', 'x.json']).code).toBe(2);
    expect(chargeback(['frobnicate']).code).toBe(2);
    expect(chargeback(['run', '--costs', 'a', '--rules', 'b', '--out', 'c', '--period', 'October']).stderr).toMatch(/--period must be YYYY-MM/);
    expect(chargeback(['run', '--bogus']).code).toBe(2);
  });

  it('is silent on stderr with --json and reports progress without it', () => {
    const dir = fixture();
    const args = ['run', '--costs', path.join(dir, 'october.csv'), '--rules', path.join(dir, 'rules.json'), '--out', path.join(dir, 'book.xlsx')];
    expect(chargeback([...args, '--json']).stderr).toBe('');
    expect(chargeback([...args, '--force']).stderr).toMatch(/reading october\.csv \(1\/1\): 4 rows, .* MB\/s .*done/);
  });
});

describe('chargeback rules-template', () => {
  it('writes rule tables a run accepts once the data has the columns they name', async () => {
    const dir = tempDir('chargeback-cli-');
    const out = path.join(dir, 'rules.xlsx');
    expect(chargeback(['rules-template', '--out', out]).code).toBe(0);
    const book = await ExcelJsGateway.fromBytes(readFileSync(out));
    expect((await book.readTable('SharedPools'))!.headers).toEqual(['Pool', 'Dimension', 'Pattern', 'Method', 'Driver', 'Targets']);
    writeFileSync(path.join(dir, 'october.csv'), focusCsv(BASE_HEADER, october));
    const run = chargeback(['run', '--costs', path.join(dir, 'october.csv'), '--rules', out, '--out', path.join(dir, 'book.xlsx'), '--json']);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout).allocatedTotal).toBe('300.33');
  });
});

describe('the bundled sample', () => {
  it('gives allocatedTotal == sourceTotal with run --json, for each month', () => {
    for (const [period, total] of [['2026-09', '23350.11'], ['2026-10', '23884.20']]) {
      const dir = tempDir('chargeback-sample-');
      const run = chargeback(['run', '--costs', SAMPLE, '--rules', path.join(SAMPLE, 'rules.json'), '--out', path.join(dir, 'book.xlsx'), '--period', period, '--json']);
      expect(run.code).toBe(0);
      const summary = JSON.parse(run.stdout);
      expect(summary.sourceTotal).toBe(total);
      expect(summary.allocatedTotal).toBe(summary.sourceTotal);
      const cents = (s: string) => BigInt(s.replace('.', ''));
      expect(summary.costCenters.reduce((a: bigint, c: { total: string }) => a + cents(c.total), 0n)).toBe(cents(total));
      for (const c of summary.costCenters) expect(cents(c.direct) + cents(c.shared)).toBe(cents(c.total));
    }
  });
});
