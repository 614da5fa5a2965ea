import { allocate } from '../../src/core/allocate';
import { formatMinor } from '../../src/core/money';
import { parseRules, RuleTables } from '../../src/core/rules';
import { line, threeTeams } from './helpers';

const cents = (v: bigint) => formatMinor(v, 2);
function statement(tables: RuleTables, lines: ReturnType<typeof line>[]) {
  const result = allocate(lines, parseRules(tables));
  return Object.fromEntries(result.costCenters.map((c) => [c.costCenter, { direct: cents(c.direct), shares: c.shares.map(cents), total: cents(c.total) }]));
}

describe('allocating shared pools', () => {
  it('splits 100.00 evenly three ways as 33.34, 33.33, 33.33', () => {
    const tables = { ...threeTeams, SharedPools: [{ Pool: 'Network', Dimension: 'ServiceCategory', Pattern: 'Networking', Method: 'Even', Targets: '*' }] };
    const result = statement(tables, [line({ SubAccountName: 'hub', ServiceCategory: 'Networking' }, '100.00')]);
    expect([result['CC-A'].total, result['CC-B'].total, result['CC-C'].total]).toEqual(['33.34', '33.33', '33.33']);
    expect(result.UNALLOCATED.total).toBe('0.00');
  });

  it('splits in proportion to each target\'s direct cost', () => {
    const tables = { ...threeTeams, SharedPools: [{ Pool: 'Support', Dimension: 'ServiceName', Pattern: '*support*', Method: 'Proportional', Targets: 'CC-A, CC-B' }] };
    const result = statement(tables, [
      line({ SubAccountName: 'team-a-prod', ServiceName: 'VMs' }, '300.00'),
      line({ SubAccountName: 'team-b-prod', ServiceName: 'VMs' }, '100.00'),
      line({ SubAccountName: 'team-c', ServiceName: 'VMs' }, '50.00'),
      line({ SubAccountName: 'billing', ServiceName: 'Premium Support' }, '40.00'),
    ]);
    expect(result['CC-A']).toEqual({ direct: '300.00', shares: ['30.00'], total: '330.00' });
    expect(result['CC-B']).toEqual({ direct: '100.00', shares: ['10.00'], total: '110.00' });
    expect(result['CC-C']).toEqual({ direct: '50.00', shares: ['0.00'], total: '50.00' });
  });

  it('splits by fixed percents that add up to 100', () => {
    const tables = {
      ...threeTeams,
      SharedPools: [{ Pool: 'Security', Dimension: 'ServiceCategory', Pattern: 'Security', Method: 'Fixed', Targets: '*' }],
      FixedSplits: [
        { Pool: 'Security', CostCenter: 'CC-A', Percent: 50 },
        { Pool: 'Security', CostCenter: 'CC-B', Percent: 30 },
        { Pool: 'Security', CostCenter: 'CC-C', Percent: 20 },
      ],
    };
    const result = statement(tables, [line({ SubAccountName: 'sec', ServiceCategory: 'Security' }, '10.01')]);
    // 5.005, 3.003, 2.002: the half cent goes to the largest remainder (CC-A)
    expect([result['CC-A'].total, result['CC-B'].total, result['CC-C'].total]).toEqual(['5.01', '3.00', '2.00']);
  });

  it('splits by driver quantities', () => {
    const tables = {
      ...threeTeams,
      SharedPools: [{ Pool: 'Platform', Dimension: 'SubAccountName', Pattern: 'platform', Method: 'Driver', Driver: 'vCPU', Targets: '*' }],
      Drivers: [
        { Driver: 'vCPU', CostCenter: 'CC-A', Quantity: 1 },
        { Driver: 'vCPU', CostCenter: 'CC-B', Quantity: 3 },
      ],
    };
    const result = statement(tables, [line({ SubAccountName: 'platform' }, '1.00')]);
    expect([result['CC-A'].total, result['CC-B'].total, result['CC-C'].total]).toEqual(['0.25', '0.75', '0.00']);
  });

  it('sends what no rule matches to the unallocated line, never hiding it', () => {
    const result = statement(threeTeams, [line({ SubAccountName: 'mystery' }, '12.34'), line({ SubAccountName: 'team-a' }, '1.00')]);
    expect(result.UNALLOCATED.total).toBe('12.34');
    expect(result['CC-A'].total).toBe('1.00');
  });

  it('uses the matched value as the cost center for {value} mappings', () => {
    const tables = { ...threeTeams, Mappings: [{ Dimension: 'Tag:costcenter', Pattern: '*', CostCenter: '{value}' }] };
    const result = statement(tables, [line({ 'Tag:costcenter': 'CC-B' }, '2.00'), line({ 'Tag:costcenter': 'CC-Z' }, '3.00'), line({ 'Tag:costcenter': '' }, '4.00')]);
    expect(result['CC-B'].total).toBe('2.00');
    expect(result['CC-Z'].total).toBe('3.00');
    expect(result.UNALLOCATED.total).toBe('4.00');
  });

  it('keeps direct + shares = total on every row and totals = rounded source total', () => {
    const tables = { ...threeTeams, SharedPools: [
      { Pool: 'Network', Dimension: 'ServiceCategory', Pattern: 'Networking', Method: 'Even', Targets: '*' },
      { Pool: 'Support', Dimension: 'ServiceCategory', Pattern: 'Support', Method: 'Proportional', Targets: '*' },
    ] };
    const lines = [
      line({ SubAccountName: 'team-a', ServiceCategory: 'Compute' }, '0.005'),
      line({ SubAccountName: 'team-b', ServiceCategory: 'Compute' }, '0.005'),
      line({ SubAccountName: 'team-c', ServiceCategory: 'Compute' }, '0.005'),
      line({ SubAccountName: 'hub', ServiceCategory: 'Networking' }, '0.01'),
      line({ SubAccountName: 'x', ServiceCategory: 'Support' }, '0.01'),
    ];
    const result = allocate(lines, parseRules(tables));
    expect(formatMinor(result.sourceTotal, 2)).toBe('0.04'); // 0.035 rounds half away from zero
    expect(result.allocatedTotal).toBe(result.sourceTotal);
    for (const c of result.costCenters) expect(c.direct + c.shared).toBe(c.total);
  });

  it('charges unused commitments to a named cost center or spreads them proportionally', () => {
    const lines = [
      line({ SubAccountName: 'team-a' }, '75.00'),
      line({ SubAccountName: 'team-b' }, '25.00'),
      line({ SubAccountName: 'shared-ri' }, '20.00', { commitmentDiscountStatus: 'Unused' }),
    ];
    const toB = allocate(lines, parseRules({ ...threeTeams, Settings: [{ Setting: 'UnusedCommitments', Value: 'CC-B' }] }));
    expect(cents(toB.costCenters.find((c) => c.costCenter === 'CC-B')!.total)).toBe('45.00');
    const spread = allocate(lines, parseRules({ ...threeTeams, Settings: [{ Setting: 'UnusedCommitments', Value: 'Proportional' }] }));
    expect(spread.costCenters.map((c) => cents(c.total))).toEqual(['90.00', '30.00', '0.00', '0.00']);
  });

  it('uses billed cost when the Metric setting says so', () => {
    const lines = [line({ SubAccountName: 'team-a' }, '10.00', { billed: '0.00' }), line({ SubAccountName: 'team-a' }, '0.00', { billed: '30.00', chargeCategory: 'Purchase' })];
    const billed = allocate(lines, parseRules({ ...threeTeams, Settings: [{ Setting: 'Metric', Value: 'BilledCost' }] }));
    expect(cents(billed.sourceTotal)).toBe('30.00');
    const effective = allocate(lines, parseRules(threeTeams));
    expect(cents(effective.sourceTotal)).toBe('10.00');
  });
});

describe('choosing the period', () => {
  it('refuses several billing periods without a choice, listing them', () => {
    const lines = [line({}, '1', { billingPeriod: '2026-09' }), line({}, '2', { billingPeriod: '2026-10' })];
    expect(() => allocate(lines, parseRules(threeTeams))).toThrow(/2026-09 \(1 rows\), 2026-10 \(1 rows\)/);
    const chosen = allocate(lines, parseRules(threeTeams), { period: '2026-10' });
    expect(cents(chosen.sourceTotal)).toBe('2.00');
    expect(chosen.skipped).toEqual([{ reason: 'billing period 2026-09 is not the one being closed', rows: 1 }]);
  });
  it('refuses several currencies in one period', () => {
    const lines = [line({}, '1'), line({}, '2', { currency: 'EUR' })];
    expect(() => allocate(lines, parseRules(threeTeams))).toThrow(/several currencies: EUR \(1 rows\), USD \(1 rows\)/);
  });
});
