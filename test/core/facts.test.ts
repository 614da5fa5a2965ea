import { parquetReadObjects } from 'hyparquet';
import { allocate } from '../../src/core/allocate';
import { FACT_TABLE_NAMES, factRows, versionKey } from '../../src/core/facts';
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
});
