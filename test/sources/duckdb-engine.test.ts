import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { runChargeback } from '../../src/cli/commands';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { CostLine } from '../../src/core/costs';
import { AMBIGUOUS_TAG, optionalGrainDimensions } from '../../src/core/focus';
import { ingestFocus, IngestError, IngestResult } from '../../src/core/ingest';
import { formatExact } from '../../src/core/money';
import { parseRules, ruleTablesFromJson } from '../../src/core/rules';
import { ingestWithDuckDb } from '../../src/sources/duckdb-engine';
import { EngineError } from '../../src/sources/engine-error';
import { costFilesAt } from '../../src/sources/node-files';
import { grainDimensions } from '../../src/workbook/steps';
import { csvToParquet, runDuckDb, sqlString } from '../support/duckdb';
import { focusCsv, tempDir } from '../support/files';

const sample = path.resolve('assets/sample');
const sampleDimensions = [...grainDimensions(parseRules(ruleTablesFromJson(JSON.parse(readFileSync(path.join(sample, 'rules.json'), 'utf8'))))), 'Tag:CostCenter', 'Tag:env', 'x_ResourceGroupName'];

/** Each cost line as one line of text a person can read: its keys, exact sums and row count. */
const described = (lines: readonly CostLine[]) =>
  lines.map((l) => [l.billingPeriod, l.currency, l.chargeCategory, l.commitmentDiscountStatus, ...Object.entries(l.dimensions).map(([k, v]) => `${k}=${v}`), l.billedCost, l.effectiveCost, l.sourceRows].join(' | '));

async function bothEngines(location: string, dimensions: readonly string[]): Promise<[IngestResult, IngestResult]> {
  const files = await costFilesAt(location);
  return [await ingestFocus(files, { dimensions }), await ingestWithDuckDb(files, { dimensions, threads: 2 })];
}

function expectSameResult(inProcess: IngestResult, duckdb: IngestResult) {
  expect(described(duckdb.lines)).toEqual(described(inProcess.lines));
  expect(duckdb.rowsRead).toBe(inProcess.rowsRead);
  expect(duckdb.files).toEqual(inProcess.files);
}

describe('the DuckDB engine gives the in-process cost lines, group by group, exactly', () => {
  const dir = tempDir('chargeback-duckdb-engine-');

  it('on the bundled sample (two months of Azure, AWS and GCP CSV, tags, credits, commitments)', async () => {
    const [inProcess, duckdb] = await bothEngines(sample, sampleDimensions);
    expect(inProcess.lines.length).toBeGreaterThan(50);
    expect(inProcess.lines.some((l) => l.effectiveCost < 0n)).toBe(true);
    expect(inProcess.lines.some((l) => l.dimensions['Tag:CostCenter'] !== '')).toBe(true);
    expect(new Set(inProcess.lines.map((l) => l.commitmentDiscountStatus)).size).toBeGreaterThan(1);
    expectSameResult(inProcess, duckdb);
  });

  it('on the sample written as Parquet (decimal amounts) and as gzip CSV', async () => {
    const folder = path.join(dir, 'parquet-and-gzip');
    mkdirSync(folder);
    await csvToParquet(path.join(sample, 'focus-2026-10.csv'), path.join(folder, 'part-0.parquet'), 'zstd');
    writeFileSync(path.join(folder, 'part-1.csv.gz'), gzipSync(readFileSync(path.join(sample, 'focus-2026-09.csv'))));
    const [inProcess, duckdb] = await bothEngines(folder, sampleDimensions);
    expect(inProcess.files).toHaveLength(2);
    expectSameResult(inProcess, duckdb);
  });

  it('on Parquet with float amounts and timestamp periods (amounts read as their shortest decimal, as the in-process reader does)', async () => {
    const file = path.join(dir, 'doubles.parquet');
    await runDuckDb(
      `COPY (SELECT * REPLACE (CAST(BilledCost AS DOUBLE) AS BilledCost, CAST(EffectiveCost AS DOUBLE) * 1.0000001 AS EffectiveCost, CAST(BillingPeriodStart AS TIMESTAMP) AS BillingPeriodStart) FROM read_csv(${sqlString(path.join(sample, 'focus-2026-10.csv'))}, all_varchar = true)) TO ${sqlString(file)} (FORMAT parquet)`,
    );
    const [inProcess, duckdb] = await bothEngines(file, sampleDimensions);
    expectSameResult(inProcess, duckdb);
  });

  it('with empty and literal null values, tag keys in any case, JSON pointer characters in a key, and no CommitmentDiscountStatus column', async () => {
    const file = path.join(dir, 'edges.csv');
    const header = ['BillingPeriodStart', 'BillingCurrency', 'ChargeCategory', 'BilledCost', 'EffectiveCost', 'SubAccountName', 'Tags'];
    writeFileSync(
      file,
      focusCsv(header, [
        ['2026-10-01T00:00:00Z', 'EUR', 'Usage', '1.10', '1.10', 'alpha', '"{""Team"":""Blue"",""a/b~c"":""x""}"'],
        ['2026-10-01T00:00:00Z', 'EUR', 'Usage', '2.25', '2.20', 'alpha', '"{""team"":""Blue""}"'],
        ['2026-10-01T00:00:00Z', 'EUR', 'Usage', '0.000000000001', '1.5E-7', '', ''],
        ['2026-10-01T00:00:00Z', 'EUR', 'Credit', '-5', '-5', 'null', 'null'],
        ['2026-10-01', 'EUR', 'Usage', '3', '3', 'NULL', '"{""TEAM"":7}"'],
      ]),
    );
    const [inProcess, duckdb] = await bothEngines(file, ['SubAccountName', 'Tag:team', 'Tag:A/B~C']);
    expect(inProcess.lines.find((l) => l.dimensions.SubAccountName === 'alpha')?.dimensions['Tag:team']).toBe('Blue');
    expect(inProcess.lines.some((l) => l.dimensions['Tag:A/B~C'] === 'x')).toBe(true);
    expectSameResult(inProcess, duckdb);
  });

  it("with the provider's exchange rate columns in one file and not in the other (Settings ExchangeRates Provider)", async () => {
    const withRate = path.join(dir, 'with-rate.csv');
    const without = path.join(dir, 'without-rate.csv');
    const header = ['BillingPeriodStart', 'BillingCurrency', 'ChargeCategory', 'BilledCost', 'EffectiveCost', 'SubAccountName'];
    writeFileSync(
      withRate,
      focusCsv([...header, 'x_BillingExchangeRate', 'x_BillingExchangeRateDate', 'x_PricingCurrency'], [
        ['2026-10-01T00:00:00Z', 'EUR', 'Usage', '9.238', '9.238', 'eu', '0.9238', '2026-10-01T00:00:00Z', 'USD'],
        ['2026-10-02T00:00:00Z', 'EUR', 'Usage', '1.5', '1.5', 'eu', '0.9238', '2026-10-01T00:00:00Z', 'USD'],
      ]),
    );
    writeFileSync(without, focusCsv(header, [['2026-10-01T00:00:00Z', 'USD', 'Usage', '2', '2', 'us']]));
    const dimensions = ['SubAccountName', 'x_BillingExchangeRate', 'x_BillingExchangeRateDate', 'x_PricingCurrency'];
    for (const file of [withRate, without]) {
      const [inProcess, duckdb] = await bothEngines(file, dimensions);
      expectSameResult(inProcess, duckdb);
    }
    const [inProcess] = await bothEngines(withRate, dimensions);
    expect(inProcess.lines.map((l) => l.dimensions.x_BillingExchangeRate)).toEqual(['0.9238']);
  });

  it('treats the default grain dimensions no rule names as optional, as the in-process reader does (FOCUS examples lacking SubAccountName, with a file that has it)', async () => {
    const folder = path.join(dir, 'optional-dimensions');
    mkdirSync(folder);
    const examples = path.resolve('test/fixtures/focus-examples/saas_examples');
    for (const name of ['virtual_currency_pricing_model_a1.csv', 'virtual_currency_pricing_model_b3.csv']) writeFileSync(path.join(folder, name), readFileSync(path.join(examples, name)));
    writeFileSync(path.join(folder, 'with-account.csv'), focusCsv(['BillingPeriodStart', 'BillingCurrency', 'ChargeCategory', 'ChargeClass', 'BilledCost', 'EffectiveCost', 'ProviderName', 'SubAccountName', 'ServiceCategory', 'ServiceName'], [['2025-04-01', 'USD', 'Usage', '', '2.5', '2.5', 'ACMECORP', 'team-a', 'Compute', 'VMs']]));
    const files = await costFilesAt(folder);
    const dimensions = [...optionalGrainDimensions([]), 'ChargeClass'];
    const optionalDimensions = optionalGrainDimensions([]);
    const inProcess = await ingestFocus(files, { dimensions, optionalDimensions });
    const duckdb = await ingestWithDuckDb(files, { dimensions, optionalDimensions, threads: 2 });
    expect(inProcess.lines.some((l) => l.dimensions.SubAccountName === '')).toBe(true);
    expect(inProcess.lines.some((l) => l.dimensions.SubAccountName === 'team-a')).toBe(true);
    expectSameResult(inProcess, duckdb);
    // a dimension a rule names stays required
    const named = await ingestWithDuckDb(files, { dimensions, optionalDimensions: optionalGrainDimensions(['SubAccountName']) }).catch((e) => e);
    expect(named).toBeInstanceOf(IngestError);
    expect(named.message).toMatch(/virtual_currency_pricing_model_a1\.csv.*missing FOCUS column SubAccountName/);
  });

  it('reports a missing column as the in-process reader does, naming the file', async () => {
    const folder = path.resolve('test/fixtures/focus-examples/commitment_discount_scenarios');
    const files = await costFilesAt(folder);
    const inProcess = await ingestFocus(files, { dimensions: [] }).catch((e) => e);
    const duckdb = await ingestWithDuckDb(files, { dimensions: [] }).catch((e) => e);
    expect(inProcess).toBeInstanceOf(IngestError);
    expect(duckdb).toBeInstanceOf(IngestError);
    expect(duckdb.message).toBe(inProcess.message);
    expect(duckdb.message).toMatch(/missing FOCUS column BillingCurrency/);
  });

  it('refuses an empty cost, naming the file, and text that is not a number, naming the engine and the step', async () => {
    const header = ['BillingPeriodStart', 'BillingCurrency', 'ChargeCategory', 'BilledCost', 'EffectiveCost'];
    const empty = path.join(dir, 'empty-cost.csv');
    writeFileSync(empty, focusCsv(header, [['2026-10-01', 'USD', 'Usage', '1', '1'], ['2026-10-01', 'USD', 'Usage', '', '1']]));
    await expect(ingestWithDuckDb(await costFilesAt(empty), { dimensions: [] })).rejects.toThrow(new IngestError(empty, undefined, 'BilledCost', '1 rows have an empty BilledCost or EffectiveCost (a cost must be a number)'));
    const text = path.join(dir, 'text-cost.csv');
    writeFileSync(text, focusCsv(header, [['2026-10-01', 'USD', 'Usage', 'ten', '1']]));
    const error = await ingestWithDuckDb(await costFilesAt(text), { dimensions: [] }).catch((e) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect(error.message).toMatch(/^DuckDB, summing .*text-cost\.csv to allocation grain: .*ten.*A cost column holds text that is not a number/);
  });

  it('refuses a BillingPeriodStart that is not a date and an empty currency, naming the engine', async () => {
    const header = ['BillingPeriodStart', 'BillingCurrency', 'ChargeCategory', 'BilledCost', 'EffectiveCost'];
    const file = path.join(dir, 'bad-period.csv');
    writeFileSync(file, focusCsv(header, [['October', 'USD', 'Usage', '1', '1']]));
    await expect(ingestWithDuckDb(await costFilesAt(file), { dimensions: [] })).rejects.toThrow(/^DuckDB, reading the grain rows: .*BillingPeriodStart is not a date on 1 FOCUS row/);
    writeFileSync(file, focusCsv(header, [['2026-10-01', '', 'Usage', '1', '1']]));
    await expect(ingestWithDuckDb(await costFilesAt(file), { dimensions: [] })).rejects.toThrow(/^DuckDB, reading the grain rows: 1 FOCUS rows of 2026-10 have an empty BillingCurrency/);
  });

  // Issue 26: one meaning of a FOCUS row on every engine. Each example below failed before the fix.
  const header = ['BillingPeriodStart', 'BillingCurrency', 'ChargeCategory', 'BilledCost', 'EffectiveCost', 'SubAccountName', 'Tags'];

  it.each(['2026-13-01', '2026-02-30', '2026-10-xx'])('refuses a BillingPeriodStart of %s, a date that does not exist, as the default reader does (it was read as a period and dropped by --period)', async (date) => {
    const folder = path.join(dir, `impossible-${date}`);
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'month.csv'), focusCsv(header, [['2026-10-01', 'USD', 'Usage', '2.00', '2.00', 'a', ''], [date, 'USD', 'Usage', '1.00', '1.00', 'a', '']]));
    const files = await costFilesAt(folder);
    await expect(ingestFocus(files, { dimensions: [] })).rejects.toThrow(/BillingPeriodStart/);
    await expect(ingestWithDuckDb(files, { dimensions: [] })).rejects.toThrow(new RegExp(`^DuckDB, reading the grain rows: .*BillingPeriodStart is not a date on 1 FOCUS row .*${date}`));
  });

  it('refuses the run with --period, writing nothing, instead of reconciling to the rows it kept (2.00 of the 3.00 the file holds)', async () => {
    const folder = path.join(dir, 'impossible-run');
    mkdirSync(folder);
    const file = path.join(folder, 'month.csv');
    const rowsOf = (date: string) => [['2026-10-01', 'USD', 'Usage', '2.00', '2.00', 'a', ''], [date, 'USD', 'Usage', '1.00', '1.00', 'a', '']];
    const rules = path.join(dir, 'rules-impossible.json');
    writeFileSync(rules, JSON.stringify({ costCenters: [{ costCenter: 'CC-A', glAccount: '6100' }], mappings: [{ dimension: 'SubAccountName', pattern: '*', costCenter: 'CC-A' }] }));
    const out = path.join(folder, 'book.xlsx');
    writeFileSync(file, focusCsv(header, rowsOf('2026-10-01')));
    const whole = await runChargeback({ costs: [folder], engine: 'duckdb', rules, out, period: '2026-10', quiet: true });
    expect(whole.summary.sourceTotal).toBe('3.00');
    rmSync(out);
    writeFileSync(file, focusCsv(header, rowsOf('2026-13-01')));
    await expect(runChargeback({ costs: [folder], engine: 'duckdb', rules, out, period: '2026-10', quiet: true })).rejects.toThrow(/BillingPeriodStart is not a date/);
    expect(existsSync(out)).toBe(false);
  });

  it.each([
    ['a file named with [ ] beside the file its pattern names', ['costs[1].csv', 'costs1.csv'], '3'],
    ['a file named with * beside files its pattern matches', ['a*.csv', 'ab.csv', 'abc.csv'], '6'],
    ['a file named with ? beside the file its pattern matches', ['q?.csv', 'qx.csv'], '3'],
  ])('reads %s once each, never as a pattern', async (_, names, total) => {
    const folder = path.join(dir, `names-${names[0].replace(/[^a-z]/g, '')}`);
    mkdirSync(folder);
    names.forEach((name, i) => writeFileSync(path.join(folder, name), focusCsv(header, [['2026-10-01', 'USD', 'Usage', String(i === 0 ? 1 : i + 1), '1', 'a', '']])));
    const [inProcess, duckdb] = await bothEngines(folder, ['SubAccountName']);
    expect(formatExact(inProcess.lines.reduce((a, l) => a + l.billedCost, 0n))).toBe(total);
    expectSameResult(inProcess, duckdb);
  });

  it('reads one Parquet file named with [ ] beside the file its pattern names, counting each file’s rows from its footer', async () => {
    const folder = path.join(dir, 'parquet-names');
    mkdirSync(folder);
    await csvToParquet(path.join(sample, 'focus-2026-10.csv'), path.join(folder, 'part[1].parquet'), 'snappy');
    await csvToParquet(path.join(sample, 'focus-2026-09.csv'), path.join(folder, 'part1.parquet'), 'snappy');
    const [inProcess, duckdb] = await bothEngines(folder, sampleDimensions);
    expect(inProcess.files.map((f) => f.rows).every((rows) => rows > 0)).toBe(true);
    expectSameResult(inProcess, duckdb);
  });

  it.each([
    ['the rule’s spelling among keys differing in case', '{"Team":"search","team":"payments"}', 'Tag:Team', 'search'],
    ['keys differing in case with different values, none spelled as the rule', '{"Team":"search","team":"payments"}', 'Tag:TEAM', AMBIGUOUS_TAG],
    ['a key prefixed with a tab', '{"\\tteam":"search"}', 'Tag:team', 'search'],
    ['a key written twice (its last value)', '{"team":"search","team":"payments"}', 'Tag:team', 'payments'],
    ['keys differing in case with one value', '{"TEAM":"search"," team ":"search"}', 'Tag:team', 'search'],
    ['a number written 1.0 (the number 1)', '{"team":1.0}', 'Tag:team', '1'],
    ['the numbers 1.0 and 1 under two spellings (one value)', '{"Team":1.0,"TEAM":1}', 'Tag:team', '1'],
    ['a null and the text null (empty)', '{"team":null,"TEAM":"null"}', 'Tag:team', ''],
  ])('reads a tag as the default reader does: %s', async (_, tags, dimension, value) => {
    const file = path.join(dir, `tags-${dimension.replace(/\W/g, '')}-${Buffer.from(tags).toString('hex').slice(0, 24)}.csv`);
    writeFileSync(file, focusCsv(header, [['2026-10-01', 'USD', 'Usage', '1.25', '1.25', 'a', `"${tags.replace(/"/g, '""')}"`]]));
    const [inProcess, duckdb] = await bothEngines(file, [dimension]);
    expect(inProcess.lines.map((l) => l.dimensions[dimension])).toEqual([value]);
    expectSameResult(inProcess, duckdb);
  });

  it('reads a folder named by a relative path (CSV and Parquet), counting each file under the name it was given', async () => {
    const folder = path.join(dir, 'relative [x]');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'a.csv'), focusCsv(header, [['2026-10-01', 'USD', 'Usage', '1', '1', 'a', '']]));
    writeFileSync(path.join(folder, 'b.csv'), focusCsv(header, [['2026-10-01', 'USD', 'Usage', '2', '2', 'b', '']]));
    await csvToParquet(path.join(folder, 'a.csv'), path.join(folder, 'c.parquet'), 'snappy');
    await csvToParquet(path.join(folder, 'b.csv'), path.join(folder, 'd.parquet'), 'snappy');
    const [inProcess, duckdb] = await bothEngines(path.relative(process.cwd(), folder), ['SubAccountName']);
    expect(inProcess.files.map((f) => [path.basename(f.name), f.rows])).toEqual([['a.csv', 1], ['b.csv', 1], ['c.parquet', 1], ['d.parquet', 1]]);
    expect(path.isAbsolute(inProcess.files[0].name)).toBe(false);
    expectSameResult(inProcess, duckdb);
  });

  it('spills to a folder of its own under the temp folder and leaves nothing behind', async () => {
    const temp = tempDir('chargeback-duckdb-temp-');
    const before = process.env.TMPDIR;
    process.env.TMPDIR = temp;
    try {
      await ingestWithDuckDb(await costFilesAt(path.join(sample, 'focus-2026-10.csv')), { dimensions: sampleDimensions, threads: 1 });
      await expect(ingestWithDuckDb(await costFilesAt(path.join(dir, 'text-cost.csv')), { dimensions: [] })).rejects.toThrow(EngineError);
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
    }
    expect(readdirSync(temp)).toEqual([]);
  });
});
