import fc from 'fast-check';
import { allocate } from '../../src/core/allocate';
import { CostLine } from '../../src/core/costs';
import { CostAggregator } from '../../src/core/ingest';
import { EXACT_DIGITS, formatMinor, minorUnitSize } from '../../src/core/money';
import { parseRules, RuleTables } from '../../src/core/rules';

const codes = ['CC-A', 'CC-B', 'CC-C', 'CC-D'];
const accounts = ['team-a', 'team-b', 'hub', 'support', 'platform', 'stray'];
const categories = ['Compute', 'Networking', 'Security', 'Storage'];

const amountArb = fc.bigInt({ min: -(10n ** 17n), max: 10n ** 19n }); // exact units: up to 10,000.00 with 15 decimals
const lineArb = fc.record({
  account: fc.constantFrom(...accounts),
  category: fc.constantFrom(...categories),
  status: fc.constantFrom('', '', 'Used', 'Unused'),
  tag: fc.constantFrom('', 'CC-A', 'CC-D', 'CC-X', ' cc-a', 'unallocated'),
  effective: amountArb,
  billed: amountArb,
});

const rulesArb = fc.record({
  poolMethod: fc.constantFrom('Even', 'Proportional', 'Fixed', 'Driver'),
  targets: fc.constantFrom('*', 'CC-A, CC-B', 'CC-C'),
  unused: fc.constantFrom('Owner', 'Proportional', 'CC-D'),
  metric: fc.constantFrom('EffectiveCost', 'BilledCost'),
  percents: fc.constantFrom(['50', '50'], ['33.33', '66.67'], ['0.01', '99.99']),
  quantities: fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 5 })),
  listUnallocated: fc.boolean(),
});

type RuleChoice = typeof rulesArb extends fc.Arbitrary<infer T> ? T : never;
type GeneratedLine = typeof lineArb extends fc.Arbitrary<infer T> ? T : never;

function tables(r: RuleChoice): RuleTables {
  return {
    Settings: [
      { Setting: 'Metric', Value: r.metric },
      { Setting: 'UnusedCommitments', Value: r.unused },
    ],
    // UNALLOCATED may be listed to give it a GL account: it must still be one line and take no share.
    CostCenters: [...codes, ...(r.listUnallocated ? ['UNALLOCATED'] : [])].map((c) => ({ CostCenter: c, Name: c, GLAccount: '6100' })),
    Mappings: [
      { Dimension: 'Tag:costcenter', Pattern: 'CC-*', CostCenter: '{value}' },
      { Dimension: 'SubAccountName', Pattern: 'team-a', CostCenter: 'CC-A' },
      { Dimension: 'SubAccountName', Pattern: 'TEAM-B*', CostCenter: 'CC-B' },
    ],
    SharedPools: [
      { Pool: 'Network', Dimension: 'ServiceCategory', Pattern: 'Networking', Method: 'Proportional', Targets: '*' },
      { Pool: 'Shared', Dimension: 'SubAccountName', Pattern: 'hub', Method: r.poolMethod, Driver: 'seats', Targets: r.poolMethod === 'Fixed' ? '*' : r.targets },
      { Pool: 'Support', Dimension: 'SubAccountName', Pattern: 'supp?rt', Method: 'Even', Targets: 'CC-B, CC-C' },
    ],
    FixedSplits: r.poolMethod === 'Fixed' ? [{ Pool: 'Shared', CostCenter: 'CC-A', Percent: r.percents[0] }, { Pool: 'Shared', CostCenter: 'CC-C', Percent: r.percents[1] }] : [],
    Drivers: [
      { Driver: 'seats', CostCenter: r.targets === 'CC-C' ? 'CC-C' : 'CC-A', Quantity: r.quantities[1] },
      { Driver: 'seats', CostCenter: 'CC-B', Quantity: r.quantities[0] },
    ],
  };
}

function toLines(rows: GeneratedLine[]): CostLine[] {
  const aggregator = new CostAggregator(['SubAccountName', 'ServiceCategory', 'Tag:costcenter']);
  const header = ['BillingPeriodStart', 'BillingCurrency', 'ChargeCategory', 'CommitmentDiscountStatus', 'BilledCost', 'EffectiveCost', 'SubAccountName', 'ServiceCategory', 'Tags'];
  const onRow = aggregator.beginFile('generated.csv', header);
  const text = (units: bigint) => formatMinor(units, EXACT_DIGITS);
  rows.forEach((r, i) => onRow(['2026-10-01', 'USD', 'Usage', r.status, text(r.billed), text(r.effective), r.account, r.category, r.tag ? JSON.stringify({ costcenter: r.tag }) : ''], i + 2));
  return aggregator.lines();
}

describe('allocation invariants, for any rules and data', () => {
  it('loses and creates nothing: the statement adds up to the rounded source total, row by row and in all', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 40 }), rulesArb, (rows, r) => {
        const lines = toLines(rows);
        const result = allocate(lines, parseRules(tables(r)));
        const exact = rows.reduce((a, row) => a + (r.metric === 'BilledCost' ? row.billed : row.effective), 0n);
        expect(result.sourceTotalExact).toBe(exact);
        expect(result.allocatedTotal).toBe(result.sourceTotal);
        // exact: cost center totals add up to the source before any rounding
        expect(result.costCenters.reduce((a, c) => a + c.totalExact, 0n)).toBe(exact);
        for (const c of result.costCenters) expect(c.direct + c.shares.reduce((a, b) => a + b, 0n)).toBe(c.total);
        // every pool's exact shares add up to what the pool collected
        for (const p of result.pools) expect(p.sharesExact.reduce((a, b) => a + b, 0n)).toBe(p.amountExact);
      }),
      { numRuns: 300 },
    );
  });

  it('rounds each cost center within one cent of its exact total', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 40 }), rulesArb, (rows, r) => {
        const result = allocate(toLines(rows), parseRules(tables(r)));
        const cent = minorUnitSize(2);
        for (const c of result.costCenters) {
          const error = c.total * cent - c.totalExact;
          expect(error < cent && error > -cent).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('puts every figure of every line within one cent of its exact value: direct, each share and total', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 40 }), rulesArb, (rows, r) => {
        const result = allocate(toLines(rows), parseRules(tables(r)));
        const cent = minorUnitSize(2);
        const within = (rounded: bigint, exact: bigint) => {
          const error = rounded * cent - exact;
          return error < cent && error > -cent;
        };
        // the exact share of each pool each cost center was given, from the pools themselves
        const exactShare = (code: string, p: number) => {
          const i = result.pools[p].targets.indexOf(code);
          return i < 0 ? 0n : result.pools[p].sharesExact[i];
        };
        expect(new Set(result.costCenters.map((c) => c.costCenter.toLowerCase())).size).toBe(result.costCenters.length);
        for (const c of result.costCenters) {
          expect(within(c.direct, c.directExact)).toBe(true);
          c.shares.forEach((share, p) => expect(within(share, exactShare(c.costCenter, p))).toBe(true));
          expect(within(c.total, c.totalExact)).toBe(true);
          expect(c.directExact + result.pools.reduce((a, _, p) => a + exactShare(c.costCenter, p), 0n)).toBe(c.totalExact);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same statement whatever the order of the input rows', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 30 }), rulesArb, fc.integer(), (rows, r, seed) => {
        const shuffled = [...rows].map((row, i) => ({ row, key: (i * 7919 + seed) % 104729 })).sort((a, b) => a.key - b.key).map((x) => x.row);
        const one = allocate(toLines(rows), parseRules(tables(r)));
        const two = allocate(toLines(shuffled), parseRules(tables(r)));
        expect(two.costCenters.map((c) => [c.costCenter, c.direct, c.shares, c.total])).toEqual(one.costCenters.map((c) => [c.costCenter, c.direct, c.shares, c.total]));
      }),
      { numRuns: 200 },
    );
  });
});
