/** Cost center codes that would print alike on the statement are one code, or refused (issue 25: inputs that look harmless). */
import { validateRules } from '../../src/core/rules';
import { allocate } from '../../src/core/allocate';
import { line } from './helpers';

const tables = (codes: string[], mappings: { Dimension: string; Pattern: string; CostCenter: string }[] = []) => ({
  Settings: [{ Setting: 'ClearingAccount', Value: '2990' }],
  CostCenters: codes.map((code, i) => ({ CostCenter: code, Name: `Team ${i}`, GLAccount: '6100' })),
  Mappings: mappings,
});

const problemsOf = (t: ReturnType<typeof tables>) => validateRules(t).problems.map((p) => [p.table, p.row, p.column, p.message]);

describe('cost center codes', () => {
  it('takes a code typed composed or decomposed (NFC, NFD) as one code, listed twice', () => {
    expect(problemsOf(tables(['CAFÉ', 'CAFE\u0301']))).toEqual([['CostCenters', 3, 'CostCenter', 'cost center CAFÉ is listed twice']]);
  });

  it('charges a mapping written decomposed to the code listed composed', () => {
    const { rules } = validateRules(tables(['CAFÉ'], [{ Dimension: 'SubAccountName', Pattern: 'team-a', CostCenter: 'CAFE\u0301' }]));
    const result = allocate([line({ SubAccountName: 'team-a' }, '10.00')], rules!, { period: '2026-10' });
    expect(result.costCenters.filter((c) => c.total !== 0n).map((c) => [c.costCenter, c.listed])).toEqual([['CAFÉ', true]]);
  });

  it.each([
    ['U+200B ZERO WIDTH SPACE', 'CC\u200b-A', 3],
    ['U+00AD SOFT HYPHEN', 'CC\u00ad-A', 3],
    ['U+2060 WORD JOINER', 'CC-A\u2060', 5],
    ['U+202E RIGHT-TO-LEFT OVERRIDE', '\u202eCC-A', 1],
  ])('refuses a code with an invisible %s, naming table, row and the character', (name, code, position) => {
    expect(problemsOf(tables(['CC-B', code]))).toEqual([
      ['CostCenters', 3, 'CostCenter', `cost center code "${code}" has an invisible character at position ${position}, ${name}: type the code again without it`],
    ]);
  });

  it('refuses an invisible character in a code a mapping names', () => {
    expect(problemsOf(tables(['CC-A'], [{ Dimension: 'SubAccountName', Pattern: 'x', CostCenter: 'CC-A\u200d' }]))).toEqual([
      ['Mappings', 2, 'CostCenter', 'cost center code "CC-A\u200d" has an invisible character at position 5, U+200D ZERO WIDTH JOINER: type the code again without it'],
      ['Mappings', 2, 'CostCenter', 'cost center CC-A\u200d is not in CostCenters'],
    ]);
  });

  it('refuses two codes with the same confusable skeleton (Unicode TR39), saying which letters', () => {
    expect(problemsOf(tables(['CC-A', 'CC-\u0410']))).toEqual([
      ['CostCenters', 3, 'CostCenter', 'cost center CC-\u0410 looks the same as CC-A on row 2 ("\u0410" U+0410): give codes that can be told apart by eye'],
    ]);
    expect(problemsOf(tables(['OPS-10', 'OPS-1O']))[0]?.[3]).toBe('cost center OPS-1O looks the same as OPS-10 on row 2: give codes that can be told apart by eye');
    expect(problemsOf(tables(['CC-A', 'CC-B', 'FIN-01']))).toEqual([]);
  });
});
