import { describeProblem, parseRules, ruleTablesFromJson, validateRules } from '../../src/core/rules';
import { threeTeams } from './helpers';

describe('validating rule tables', () => {
  it('reports every problem at once, each with its table, row and reason', () => {
    const { rules, problems } = validateRules({
      ...threeTeams,
      Settings: [{ Setting: 'Metric', Value: 'ListCost' }, { Setting: 'Colour', Value: 'blue' }],
      Mappings: [{ Dimension: 'Subaccount', Pattern: '*', CostCenter: 'CC-A' }, { Dimension: 'SubAccountName', Pattern: 'x', CostCenter: 'CC-Q' }],
      SharedPools: [
        { Pool: 'Network', Dimension: 'ServiceCategory', Pattern: 'Networking', Method: 'Evenly', Targets: '*' },
        { Pool: 'Security', Dimension: 'ServiceCategory', Pattern: 'Security', Method: 'Fixed', Targets: '*' },
        { Pool: 'Platform', Dimension: 'SubAccountName', Pattern: 'platform', Method: 'Driver', Driver: 'vCPU', Targets: 'CC-A, CC-NOPE' },
      ],
      FixedSplits: [
        { Pool: 'Security', CostCenter: 'CC-A', Percent: 60 },
        { Pool: 'Security', CostCenter: 'CC-B', Percent: 30 },
      ],
    });
    expect(rules).toBeUndefined();
    expect(problems.map((p) => [p.table, p.row, p.message])).toEqual([
      ['Settings', 2, 'Metric must be EffectiveCost or BilledCost, not "ListCost"'],
      ['Settings', 3, 'unknown setting "Colour": use Metric, Unallocated, UnusedCommitments, ClearingAccount, UnallocatedAccount, Period, UnallocatedThreshold, VarianceThreshold, BudgetScope, AllowSelfApproval, ReportingCurrency, ExchangeRates, JournalCurrency, RateChangeThreshold, RestatementJournal, RestatementPeriod'],
      ['Mappings', 2, '"Subaccount" is not a FOCUS column, an x_ column or Tag:<key>'],
      ['Mappings', 3, 'cost center CC-Q is not in CostCenters'],
      ['SharedPools', 2, 'unknown method "Evenly": use Even, Proportional, Fixed or Driver'],
      ['FixedSplits', 2, 'pool Security: the percents add up to 90, not 100'],
      ['SharedPools', 4, 'target CC-NOPE is not in CostCenters'],
      ['SharedPools', 4, 'driver vCPU has no quantities in Drivers'],
    ]);
    expect(describeProblem(problems[5])).toBe('  FixedSplits row 2, Percent: pool Security: the percents add up to 90, not 100');
  });

  it('accepts method names in any case and fills in the settings defaults', () => {
    const rules = parseRules({ ...threeTeams, SharedPools: [{ Pool: 'Net', Dimension: 'ServiceCategory', Pattern: 'Networking', Method: 'proportional', Targets: '' }] });
    expect(rules.sharedPools[0]).toMatchObject({ method: 'Proportional', targets: ['*'] });
    expect(rules.settings).toMatchObject({ metric: 'EffectiveCost', unallocated: 'UNALLOCATED', unusedCommitments: 'Owner', unallocatedThreshold: 5 });
  });

  it('needs at least one cost center', () => {
    expect(validateRules({}).problems).toEqual([{ table: 'CostCenters', row: 0, message: 'no cost centers: list at least one cost center to charge' }]);
  });

  it('skips blank rows, as people leave them in spreadsheets', () => {
    const rules = parseRules({ ...threeTeams, Mappings: [{ Dimension: null, Pattern: '', CostCenter: undefined }, ...threeTeams.Mappings!] });
    expect(rules.mappings).toHaveLength(3);
    expect(rules.mappings[0].source.row).toBe(3);
  });

  it('reads the same rules from JSON with camelCase keys', () => {
    const rules = parseRules(
      ruleTablesFromJson({
        settings: { metric: 'BilledCost', clearingAccount: '2990' },
        costCenters: [{ costCenter: 'CC-A', name: 'A', glAccount: '6100', budget: 10 }],
        mappings: [{ dimension: 'SubAccountName', pattern: '*', costCenter: 'CC-A' }],
      }),
    );
    expect(rules.settings.metric).toBe('BilledCost');
    expect(rules.settings.clearingAccount).toBe('2990');
    expect(rules.costCenters[0].glAccount).toBe('6100');
  });

  it('refuses JSON that is not an object of rule tables', () => {
    expect(() => ruleTablesFromJson([1, 2])).toThrow(/must be an object/);
    expect(() => ruleTablesFromJson({ mappings: 'x' })).toThrow(/mappings must be a list/);
  });
});

describe('every rule problem at once', () => {
  it('checks the rest of a row whose required cell is empty or whose number is bad, instead of stopping at the first problem', () => {
    const { problems } = validateRules({
      CostCenters: [{ CostCenter: 'CC-A' }],
      Mappings: [{ Dimension: 'Bogus', Pattern: '', CostCenter: 'CC-NOPE' }],
      Drivers: [{ Driver: 'seats', CostCenter: 'CC-Z', Quantity: '-1' }],
      FixedSplits: [{ Pool: 'Q', CostCenter: 'CC-Y', Percent: 'abc' }],
    });
    expect(problems.map((p) => `${p.table} row ${p.row}, ${p.column}: ${p.message}`)).toEqual([
      'Mappings row 2, Pattern: Pattern is empty',
      'Mappings row 2, Dimension: "Bogus" is not a FOCUS column, an x_ column or Tag:<key>',
      'Mappings row 2, CostCenter: cost center CC-NOPE is not in CostCenters',
      'Drivers row 2, Quantity: Quantity "-1" must be a number of zero or more',
      'Drivers row 2, CostCenter: cost center CC-Z is not in CostCenters',
      'FixedSplits row 2, Percent: Percent "abc" must be a number of zero or more',
      'FixedSplits row 2, Pool: pool Q is not in SharedPools',
      'FixedSplits row 2, CostCenter: cost center CC-Y is not in CostCenters',
    ]);
  });
});
