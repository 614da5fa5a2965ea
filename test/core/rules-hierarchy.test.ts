import { hierarchyPath, validateRules } from '../../src/core/rules';

const centers = (...rows: [code: string, parent: string][]) => ({
  CostCenters: rows.map(([CostCenter, Parent]) => ({ CostCenter, Name: CostCenter, Owner: '', GLAccount: '6100', Budget: '', Parent })),
  Mappings: [{ Dimension: 'SubAccountName', Pattern: '*', CostCenter: rows[0][0] }],
});

describe('the cost center hierarchy (CostCenters Parent)', () => {
  it('is optional: cost centers without a Parent column are all at the top', () => {
    const { rules, problems } = validateRules({ CostCenters: [{ CostCenter: 'CC-1', Name: 'One', Owner: '', GLAccount: '6100', Budget: '' }], Mappings: [] });
    expect(problems).toEqual([]);
    expect(hierarchyPath(rules!.costCenters, 'CC-1')).toEqual(['CC-1']);
  });

  it('rolls a cost center up through its parents, matching codes as cost centers are matched', () => {
    const { rules, problems } = validateRules(centers(['BU', ''], ['DEPT', 'bu'], ['TEAM', 'DEPT ']));
    expect(problems).toEqual([]);
    expect(hierarchyPath(rules!.costCenters, 'TEAM')).toEqual(['BU', 'DEPT', 'TEAM']);
  });

  it('refuses a parent that is not a cost center, naming the table, row and column', () => {
    const { problems } = validateRules(centers(['BU', ''], ['TEAM', 'DEPT-X']));
    expect(problems).toEqual([{ table: 'CostCenters', row: 3, column: 'Parent', message: 'parent DEPT-X is not in CostCenters: list it as a cost center, or leave Parent empty' }]);
  });

  it('refuses parents that go round in a circle, once, on the row where the circle starts', () => {
    const { problems } = validateRules(centers(['TOP', ''], ['A', 'B'], ['B', 'C'], ['C', 'A'], ['D', 'A'], ['SELF', 'self']));
    expect(problems).toEqual([
      { table: 'CostCenters', row: 3, column: 'Parent', message: 'the parents go round in a circle (A → B → C → A): a cost center cannot roll up to itself' },
      { table: 'CostCenters', row: 7, column: 'Parent', message: 'the parents go round in a circle (SELF → SELF): a cost center cannot roll up to itself' },
    ]);
  });
});
