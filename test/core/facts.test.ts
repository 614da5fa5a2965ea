import { parquetReadObjects } from 'hyparquet';
import { allocate } from '../../src/core/allocate';
import { FACT_TABLE_NAMES, FACT_TABLES, factPath, factRows, versionKey } from '../../src/core/facts';
import { parseRules } from '../../src/core/rules';
import { factArtifacts } from '../../src/workbook/facts-files';
import { line, threeTeams } from './helpers';

const context = { version: 3, supersedes: 2, approval: { by: 'Dana', time: '2026-11-03T10:00:00Z', contentDigest: 'abc' }, published: { by: 'Sam', time: '2026-11-04T09:00:00Z' } };

describe('fact rows', () => {
  const rules = parseRules(threeTeams);
  const result = allocate([line({ SubAccountName: 'team-a' }, '10.005'), line({ SubAccountName: 'team-b' }, '-2.50'), line({ SubAccountName: 'other' }, '1')], rules);

  it('without shared pools: every charge is direct, and the pools table is empty but written', async () => {
    const rows = factRows(result, rules, context);
    expect(rows.pools).toEqual([]);
    expect(rows.charges.map((r) => [r[3], r[4], r[7]])).toEqual([
      ['CC-A', 'Direct', '10.01'],
      ['CC-B', 'Direct', '-2.50'],
      ['CC-C', 'Direct', '0.00'],
      ['UNALLOCATED', 'Direct', '1.00'],
    ]);
    const files = factArtifacts(result, rules, context);
    expect(files).toHaveLength(FACT_TABLE_NAMES.length * 2);
    const pools = files.find((f) => f.name.endsWith('pools-2026-10-v3.parquet'))!;
    expect(await parquetReadObjects({ file: pools.bytes.buffer.slice(pools.bytes.byteOffset, pools.bytes.byteOffset + pools.bytes.byteLength) as ArrayBuffer })).toEqual([]);
  });

  it('keeps the exact detail and names the version it supersedes', () => {
    const rows = factRows(result, rules, context);
    expect(rows.allocation.map((r) => r[r.length - 5])).toEqual(['10.005', '-2.5', '1']);
    expect(rows.versions[0].slice(0, 4)).toEqual(['2026-10', 3, versionKey('2026-10', 3), 2]);
  });

  it('tells apart allocation rows of different cost lines that differ only in a column kept at grain', () => {
    const twoRegions = allocate([line({ SubAccountName: 'team-a', RegionId: 'westeurope' }, '5.00'), line({ SubAccountName: 'team-a', RegionId: 'northeurope' }, '5.00')], rules);
    const rows = factRows(twoRegions, rules, context).allocation;
    const at = (name: string) => FACT_TABLES.allocation.findIndex((c) => c.name === name);
    expect(rows.map((r) => [r[at('CostLine')], r[at('Grain')]])).toEqual([
      [1, '{"RegionId":"westeurope","SubAccountName":"team-a"}'],
      [2, '{"RegionId":"northeurope","SubAccountName":"team-a"}'],
    ]);
    expect(new Set(rows.map((r) => JSON.stringify(r))).size).toBe(rows.length);
  });

  it('puts each format in its own tree', () => {
    expect([factPath('statement', '2026-10', 1, 'parquet'), factPath('statement', '2026-10', 1, 'csv')]).toEqual([
      'facts/parquet/statement/period=2026-10/statement-2026-10-v1.parquet',
      'facts/csv/statement/period=2026-10/statement-2026-10-v1.csv',
    ]);
  });
});
