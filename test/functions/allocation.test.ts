import fc from 'fast-check';
import { allocate } from '../../src/core/allocate';
import { formatMinor, parseExact } from '../../src/core/money';
import { parseRules, RuleTables } from '../../src/core/rules';
import { allocateAmount } from '../../src/functions/allocation';
import { line, threeTeams } from '../core/helpers';
import { column, expectFormulaError, row } from './helpers';

const teams = column('CC-A', 'CC-B', 'CC-C');

describe('CB.ALLOCATE', () => {
  it('Even: 100 across three cost centers is 33.34, 33.33, 33.33, one row per target', () => {
    expect(allocateAmount(100, teams, 'Even')).toEqual([['CC-A', 33.34], ['CC-B', 33.33], ['CC-C', 33.33]]);
  });

  it('Even ignores a basis and accepts the method in any case', () => {
    expect(allocateAmount(10, row('CC-A', 'CC-B'), 'even', row(9, 1))).toEqual([['CC-A', 5], ['CC-B', 5]]);
  });

  it('Proportional: 40 by direct costs 300 and 100 is 30 and 10', () => {
    expect(allocateAmount(40, column('CC-A', 'CC-B'), 'Proportional', column(300, 100))).toEqual([['CC-A', 30], ['CC-B', 10]]);
  });

  it('Proportional: a target with net credits weighs nothing, as in the allocation run', () => {
    expect(allocateAmount(40, teams, 'Proportional', column(300, -50, 100))).toEqual([['CC-A', 30], ['CC-B', 0], ['CC-C', 10]]);
  });

  it('Proportional with no direct cost above zero answers #VALUE! and says what the run would do', () => {
    expectFormulaError(() => allocateAmount(40, teams, 'Proportional', column(0, -5, '')), 'invalidValue', /no target has a direct cost above zero.*use method Even/);
  });

  it('Fixed: 1,000 by 50/30/20 percents is 500, 300, 200', () => {
    expect(allocateAmount(1000, teams, 'Fixed', column(50, 30, 20))).toEqual([['CC-A', 500], ['CC-B', 300], ['CC-C', 200]]);
  });

  it('Fixed percents that do not add up to 100 answer #VALUE! with their sum', () => {
    expectFormulaError(() => allocateAmount(1000, teams, 'Fixed', column(50, 30, 10)), 'invalidValue', 'the percents add up to 90, not 100');
  });

  it('Driver: 90 by quantities 1, 2, 0 is 30, 60, 0', () => {
    expect(allocateAmount(90, teams, 'Driver', column(1, 2, 0))).toEqual([['CC-A', 30], ['CC-B', 60], ['CC-C', 0]]);
  });

  it('Driver quantities below zero, or all zero, answer #VALUE!', () => {
    expectFormulaError(() => allocateAmount(90, teams, 'Driver', column(1, -2, 0)), 'invalidValue', /item 2 is -2; a driver quantity must be 0 or more/);
    expectFormulaError(() => allocateAmount(90, teams, 'Driver', column(0, 0, '')), 'invalidValue', /every driver quantity is zero/);
  });

  it('skips rows whose target is empty, so a longer range can be given', () => {
    expect(allocateAmount(90, column('CC-A', '', 'CC-B', ''), 'Driver', column(1, '', 2, 0))).toEqual([['CC-A', 30], ['CC-B', 60]]);
  });

  it('answers #VALUE! when an empty target has a basis that would carry a share', () => {
    expectFormulaError(() => allocateAmount(90, column('CC-A', ''), 'Driver', column(1, 2)), 'invalidValue', /item 2 is empty but its basis is 2/);
  });

  it('reads a numeric cost center code as its digits', () => {
    expect(allocateAmount(10, row(6100, 6200), 'Even')).toEqual([['6100', 5], ['6200', 5]]);
  });

  it('answers #VALUE! for an unknown method, naming the four', () => {
    expectFormulaError(() => allocateAmount(100, teams, 'Equal'), 'invalidValue', 'unknown method "Equal": use Even, Proportional, Fixed or Driver');
  });

  it('answers #VALUE! when a method needs a basis and none is given', () => {
    expectFormulaError(() => allocateAmount(100, teams, 'Fixed', null), 'invalidValue', /method Fixed needs a basis.*percents that add up to 100/);
  });

  it('answers #VALUE! when targets and basis differ in shape', () => {
    expectFormulaError(() => allocateAmount(100, teams, 'Driver', column(1, 2)), 'invalidValue', 'targets is 3 rows × 1 column but basis is 2 rows × 1 column: give one basis value per target');
    expectFormulaError(() => allocateAmount(100, teams, 'Driver', row(1, 2, 3)), 'invalidValue', /basis is 1 row × 3 columns/);
  });

  it('answers #VALUE! when there are no targets', () => {
    expectFormulaError(() => allocateAmount(100, column('', ''), 'Even'), 'invalidValue', /targets is empty/);
  });
});

describe('CB.ALLOCATE gives the same cents as the allocation run', () => {
  /** Runs the engine on one shared-pool cost line and returns each team's total, in cents. */
  function engineShares(amount: string, pool: Record<string, unknown>, extra: RuleTables = {}): string[] {
    const tables: RuleTables = { ...threeTeams, SharedPools: [{ Pool: 'Shared', Dimension: 'ServiceCategory', Pattern: 'Networking', ...pool }], ...extra };
    const result = allocate([line({ SubAccountName: 'hub', ServiceCategory: 'Networking' }, amount)], parseRules(tables));
    return ['CC-A', 'CC-B', 'CC-C'].map((code) => formatMinor(result.costCenters.find((c) => c.costCenter === code)!.total, 2));
  }
  const functionShares = (rows: (string | number)[][]) => rows.map(([, share]) => formatMinor(parseExact(String(share))! / 10n ** 13n, 2));
  const amounts = fc.tuple(fc.integer({ min: -100_000_000_000, max: 100_000_000_000 }), fc.integer({ min: 0, max: 6 })).map(([n, places]) => `${n}e-${places}`);

  it('for Even pools', () => {
    fc.assert(
      fc.property(amounts, (amount) => {
        expect(functionShares(allocateAmount(Number(amount), teams, 'Even'))).toEqual(engineShares(String(Number(amount)), { Method: 'Even', Targets: '*' }));
      }),
      { numRuns: 100 },
    );
  });

  it('for Fixed pools', () => {
    const percents = fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })).filter(([a, b]) => a + b <= 100).map(([a, b]) => [a, b, 100 - a - b]);
    fc.assert(
      fc.property(amounts, percents, (amount, pcts) => {
        const fixedSplits = pcts.map((Percent, i) => ({ Pool: 'Shared', CostCenter: `CC-${'ABC'[i]}`, Percent }));
        expect(functionShares(allocateAmount(Number(amount), teams, 'Fixed', pcts.map((p) => [p])))).toEqual(
          engineShares(String(Number(amount)), { Method: 'Fixed' }, { FixedSplits: fixedSplits }),
        );
      }),
      { numRuns: 100 },
    );
  });

  it('for Driver pools', () => {
    const quantities = fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 3, maxLength: 3 }).filter((qs) => qs.some((q) => q > 0));
    fc.assert(
      fc.property(amounts, quantities, (amount, qs) => {
        const drivers = qs.map((Quantity, i) => ({ Driver: 'vCPU', CostCenter: `CC-${'ABC'[i]}`, Quantity }));
        expect(functionShares(allocateAmount(Number(amount), teams, 'Driver', qs.map((q) => [q])))).toEqual(
          engineShares(String(Number(amount)), { Method: 'Driver', Driver: 'vCPU', Targets: '*' }, { Drivers: drivers }),
        );
      }),
      { numRuns: 100 },
    );
  });
});
