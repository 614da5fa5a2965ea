// CB.COSTCENTER gives the run's answer: the same dimensions, the same values (not trimmed), the
// same spelling of the code; each row of a column answers on its own; several Mappings ranges in turn.
import { allocate } from '../../src/core/allocate';
import { parseRules, RuleTables } from '../../src/core/rules';
import { costCenter, costCenters } from '../../src/functions/cost-center';
import { FormulaError } from '../../src/functions/errors';
import { line } from '../core/helpers';
import { column, expectFormulaError } from './helpers';

const asTable = (rows: string[][]) => rows.map(([Dimension, Pattern, CostCenter]) => ({ Dimension, Pattern, CostCenter }));

/** Where the run books one cost line of these dimensions under these mappings. */
function runBooks(dimensions: Record<string, string>, mappings: string[][], costCenterCodes: string[]): string {
  const tables: RuleTables = { CostCenters: costCenterCodes.map((CostCenter) => ({ CostCenter })), Mappings: asTable(mappings) };
  return allocate([line(dimensions, '10')], parseRules(tables)).entries[0].costCenter;
}

describe('CB.COSTCENTER reads dimensions as the run does', () => {
  const mappings = [
    ['Tag: Team', 'pay*', 'CC-PAY'],
    ['Tag:team', '*', 'CC-OTHER'],
  ];

  it('a Tag: Team rule (a space after the colon) is the tag team, whichever way the dimension is written', () => {
    expect(runBooks({ 'Tag: Team': 'payments', 'Tag:team': 'payments' }, mappings, ['CC-PAY', 'CC-OTHER'])).toBe('CC-PAY');
    expect(costCenter('payments', mappings, 'Tag:team')).toBe('CC-PAY');
    expect(costCenter('payments', mappings, 'Tag: team')).toBe('CC-PAY');
    expect(costCenter('payments', mappings, ' tag:TEAM ')).toBe('CC-PAY');
    expect(costCenter('{"team":"payments"}', mappings)).toBe('CC-PAY');
    expect(costCenter('search', mappings, 'Tag: team')).toBe('CC-OTHER');
  });

  it('matches a value as it is, spaces and all: " hub " is not the hub rule, in the run or here', () => {
    const plain = [
      ['SubAccountName', 'hub', 'CC-HUB'],
      ['SubAccountName', '*', 'CC-OTHER'],
    ];
    expect(runBooks({ SubAccountName: ' hub ' }, plain, ['CC-HUB', 'CC-OTHER'])).toBe('CC-OTHER');
    expect(costCenter(' hub ', plain)).toBe('CC-OTHER');
    expect(costCenter(' hub ', plain, 'SubAccountName')).toBe('CC-OTHER');
    expect(costCenter('hub', plain)).toBe('CC-HUB');
    expect(costCenters(column(' hub ', 'hub'), plain)).toEqual([['CC-OTHER'], ['CC-HUB']]);
  });
});

describe('CB.COSTCENTER spells the code as the statement does', () => {
  const mappings = [
    ['SubAccountName', 'pay*', 'cc-pay'],
    ['SubAccountName', 'data*', 'Cc-Data'],
    ['SubAccountName', 'web*', ' CC-WEB '],
    ['SubAccountName', '*', '{value}'],
  ];
  const costCentersTable = [['CostCenter', 'Name'], ['CC-PAY', 'Payments'], ['CC-DATA', 'Data'], ['CC-WEB', 'Web'], ['Stray', 'a {value} code']];

  it('given the CostCenters range, as CostCenters spells it, as the run books it', () => {
    for (const account of ['payments', 'data-lake', 'web-1', ' stray ']) {
      const booked = runBooks({ SubAccountName: account }, mappings, ['CC-PAY', 'CC-DATA', 'CC-WEB', 'Stray']);
      expect(costCenter(account, mappings, '', costCentersTable)).toBe(booked);
    }
    expect(costCenters(column('payments', 'data-lake', 'web-1', 'STRAY'), mappings, undefined, costCentersTable)).toEqual([['CC-PAY'], ['CC-DATA'], ['CC-WEB'], ['Stray']]);
  });

  it('takes the CostCenter column alone, header or not', () => {
    expect(costCenter('payments', mappings, '', column('CC-PAY', 'CC-DATA'))).toBe('CC-PAY');
    expect(costCenter('payments', mappings, '', column('CostCenter', 'CC-PAY'))).toBe('CC-PAY');
  });

  it('without it, as Mappings spells it, trimmed; a {value} code CostCenters does not list is the value trimmed', () => {
    expect(costCenter('payments', mappings)).toBe('cc-pay');
    expect(costCenter('web-1', mappings)).toBe('CC-WEB');
    expect(costCenter(' Unlisted ', mappings, '', costCentersTable)).toBe('Unlisted');
  });
});

describe('CB.COSTCENTER over a column answers each row on its own', () => {
  const mappings = [['SubAccountName', 'team-a*', 'CC-A'], ['SubAccountName', 'hub', 'CC-HUB']];

  it('a cell holding an error is that row\'s #VALUE!, the other rows answered', () => {
    const answers = costCenters(column('team-a-1', { type: 'Error', basicValue: '#DIV/0!', errorType: 'Div0' }, 'hub', 'stray'), mappings);
    expect(answers[0]).toEqual(['CC-A']);
    expect(answers[1][0]).toBeInstanceOf(FormulaError);
    expect((answers[1][0] as FormulaError).code).toBe('invalidValue');
    expect((answers[1][0] as FormulaError).message).toBe('value_or_tags: item 2 is the error #DIV/0!: correct that cell first');
    expect(answers[2]).toEqual(['CC-HUB']);
    expect((answers[3][0] as FormulaError).code).toBe('notAvailable');
  });

  it('an entity in a row is that row\'s #VALUE!', () => {
    const answers = costCenters(column('hub', { type: 'Entity', text: 'Contoso', properties: {} }), mappings);
    expect(answers[0]).toEqual(['CC-HUB']);
    expect((answers[1][0] as FormulaError).message).toMatch(/^value_or_tags: item 2 is an entity \("Contoso"\)/);
  });

  it('a single error cell is still the error of the formula', () => {
    expectFormulaError(() => costCenter({ type: 'Error', basicValue: '#N/A' }, mappings), 'invalidValue', 'value_or_tags is the error #N/A: correct that cell first');
  });
});

describe('CB.COSTCENTER with several Mappings ranges in one workbook', () => {
  it('answers each range\'s own rules when used in turn, as copies handed over afresh each call', () => {
    const ranges = Array.from({ length: 3 }, (_, k) => [['Dimension', 'Pattern', 'CostCenter'], ['SubAccountName', 'team-*', `CC-${k}`], ['SubAccountName', '*', `CC-REST-${k}`]]);
    for (let i = 0; i < 30; i++) {
      const k = i % 3;
      const copy = JSON.parse(JSON.stringify(ranges[k])) as string[][];
      expect(costCenter(`team-${i}`, copy)).toBe(`CC-${k}`);
      expect(costCenter(`other-${i}`, copy, 'SubAccountName')).toBe(`CC-REST-${k}`);
    }
  });
});
