/** One table of pool methods: the engine, the rules check and CB.ALLOCATE read it and agree. */
import { allocate } from '../../src/core/allocate';
import { formatMinor } from '../../src/core/money';
import { POOL_METHOD_RULES, POOL_METHODS } from '../../src/core/pool-methods';
import { parseRules, RuleTables, validateRules } from '../../src/core/rules';
import { allocateAmount } from '../../src/functions/allocation';
import { line } from './helpers';

const codes = ['CC-A', 'CC-B', 'CC-C'];
const basisOf = { Even: [0, 0, 0], Proportional: [30, 10, 0], Fixed: [50, 30, 20], Driver: [1, 3, 0] } as const;

function tablesFor(method: (typeof POOL_METHODS)[number]): RuleTables {
  const basis = basisOf[method];
  return {
    CostCenters: codes.map((c) => ({ CostCenter: c, GLAccount: '6100' })),
    Mappings: codes.map((c) => ({ Dimension: 'SubAccountName', Pattern: c.toLowerCase(), CostCenter: c })),
    SharedPools: [{ Pool: 'Shared', Dimension: 'SubAccountName', Pattern: 'hub', Method: method, Driver: 'seats', Targets: '*' }],
    FixedSplits: POOL_METHOD_RULES[method].basis === 'FixedSplits' ? codes.map((c, i) => ({ Pool: 'Shared', CostCenter: c, Percent: basis[i] })) : [],
    Drivers: POOL_METHOD_RULES[method].basis === 'Drivers' ? codes.map((c, i) => ({ Driver: 'seats', CostCenter: c, Quantity: basis[i] })) : [],
  };
}

describe.each(POOL_METHODS)('the %s method', (method) => {
  it('gives the same cents in the allocation run as in CB.ALLOCATE', () => {
    const direct = POOL_METHOD_RULES[method].basis === 'direct cost' ? basisOf[method] : [0, 0, 0];
    const lines = [...codes.map((c, i) => line({ SubAccountName: c.toLowerCase() }, String(direct[i]))), line({ SubAccountName: 'hub' }, '100.01')];
    const result = allocate(lines, parseRules(tablesFor(method)));
    const run = codes.map((c) => Number(formatMinor(result.costCenters.find((x) => x.costCenter === c)!.shares[0], 2)));
    const formula = allocateAmount(100.01, codes.map((c) => [c]), method, method === 'Even' ? undefined : basisOf[method].map((b) => [b]));
    const byCode = new Map(formula.map(([code, share]) => [code, share]));
    expect(codes.map((c) => byCode.get(c) ?? 0)).toEqual(run);
    expect(run.reduce((a, b) => a + b, 0)).toBeCloseTo(100.01, 9);
  });

  it('passes the rules check with its basis, and is labelled from the table', () => {
    expect(validateRules(tablesFor(method)).problems).toEqual([]);
    const result = allocate([line({ SubAccountName: 'cc-a' }, '1'), line({ SubAccountName: 'hub' }, '1')], parseRules(tablesFor(method)));
    expect(result.entries.find((e) => e.kind === 'Pool share')!.rule).toContain(`Shared split ${method} (${POOL_METHOD_RULES[method].label})`);
  });
});
