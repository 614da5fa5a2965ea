import { allocate } from '../../src/core/allocate';
import { parseRules } from '../../src/core/rules';
import { FormulaError } from '../../src/functions/errors';
import { costCenter, costCenters } from '../../src/functions/cost-center';
import { tag } from '../../src/functions/tags';
import { line } from '../core/helpers';
import { expectFormulaError } from './helpers';

const TAGS = '{"team":"checkout","Env":"prod","cost-center":6100,"owner":null}';

describe('CB.TAG', () => {
  it('reads a tag from a FOCUS Tags cell', () => {
    expect(tag(TAGS, 'team')).toBe('checkout');
  });

  it('matches the key in any case, and with a Tag: prefix, as the rules do', () => {
    expect(tag(TAGS, 'ENV')).toBe('prod');
    expect(tag(TAGS, 'Tag:team')).toBe('checkout');
  });

  it('gives numbers as text and a null tag as empty text', () => {
    expect(tag(TAGS, 'cost-center')).toBe('6100');
    expect(tag(TAGS, 'owner')).toBe('');
  });

  it('answers #N/A naming the tags there are when the key is missing', () => {
    expectFormulaError(() => tag(TAGS, 'project'), 'notAvailable', 'there is no tag "project" in these tags (they have team, env, cost-center, owner)');
    expectFormulaError(() => tag('', 'team'), 'notAvailable', /the cell is empty/);
  });

  it('answers #VALUE! when the cell is not a JSON object', () => {
    expectFormulaError(() => tag('team=checkout', 'team'), 'invalidValue', 'tags_json is not valid JSON: "team=checkout"');
    expectFormulaError(() => tag('["team"]', 'team'), 'invalidValue', /must be a JSON object of tags/);
    expectFormulaError(() => tag(TAGS, ''), 'invalidValue', /key is empty/);
  });
});

const MAPPINGS = [
  ['Dimension', 'Pattern', 'CostCenter'],
  ['SubAccountName', 'team-a*', 'CC-A'],
  ['Tag:team', 'checkout', 'CC-SHOP'],
  ['Tag:costcenter', '*', '{value}'],
  ['', '', ''],
  ['SubAccountName', 'sandbox-??', '{value}'],
  ['SubAccountName', '*', 'CC-PLATFORM'],
];

describe('CB.COSTCENTER', () => {
  it('sends a plain value to the first matching non-tag mapping', () => {
    expect(costCenter('team-a-prod', MAPPINGS)).toBe('CC-A');
    expect(costCenter('hub', MAPPINGS)).toBe('CC-PLATFORM');
  });

  it('matches patterns without regard to case, ? as one character, and {value} as the value itself', () => {
    expect(costCenter('TEAM-A-dev', MAPPINGS)).toBe('CC-A');
    expect(costCenter('sandbox-42', MAPPINGS)).toBe('sandbox-42');
    expect(costCenter('sandbox-420', MAPPINGS)).toBe('CC-PLATFORM');
  });

  it('tries Tag:<key> mappings against the tags of a FOCUS Tags cell', () => {
    expect(costCenter('{"team":"checkout"}', MAPPINGS)).toBe('CC-SHOP');
    expect(costCenter('{"Team":"search","CostCenter":"CC-9"}', MAPPINGS)).toBe('CC-9');
  });

  it('answers #N/A when no mapping matches, as the run would leave the cost unallocated', () => {
    // {value} never matches a missing tag, as in the engine
    expectFormulaError(() => costCenter('{"env":"prod"}', MAPPINGS), 'notAvailable', 'no mapping matches these tags (2 Tag:<key> mappings tried); the allocation run would send it to the unallocated cost center');
    expectFormulaError(() => costCenter('hub', MAPPINGS.slice(0, 4)), 'notAvailable', /no mapping matches "hub" \(1 non-tag mapping tried\)/);
  });

  it('works without a header row', () => {
    expect(costCenter('team-a', MAPPINGS.slice(1))).toBe('CC-A');
  });

  it('answers #VALUE! for a range without three columns, or a rule the engine would reject', () => {
    expectFormulaError(() => costCenter('x', [['SubAccountName', '*']]), 'invalidValue', 'mappings_range has 2 columns; it needs 3: Dimension, Pattern, CostCenter');
    expectFormulaError(() => costCenter('x', [['Subscription', '*', 'CC-A']]), 'invalidValue', /row 1: Dimension "Subscription" is not a FOCUS column/);
    expectFormulaError(() => costCenter('x', [['SubAccountName', '', 'CC-A']]), 'invalidValue', /row 1: Pattern is empty/);
    expectFormulaError(() => costCenter('{"team":', MAPPINGS), 'invalidValue', /value_or_tags is not valid JSON/);
  });

  it('sends a value where the allocation run sends a cost line with it', () => {
    const rules = parseRules({
      CostCenters: [{ CostCenter: 'CC-A' }, { CostCenter: 'CC-PLATFORM' }, { CostCenter: 'CC-SHOP' }],
      Mappings: MAPPINGS.slice(1).filter((m) => m[0] !== '').map(([Dimension, Pattern, CostCenter]) => ({ Dimension, Pattern, CostCenter })),
    });
    for (const account of ['team-a-prod', 'hub', 'sandbox-42', 'Team-A']) {
      const result = allocate([line({ SubAccountName: account, 'Tag:team': '', 'Tag:costcenter': '' }, '10')], rules);
      expect(result.entries[0].costCenter).toBe(costCenter(account, MAPPINGS));
    }
    const tagged = allocate([line({ SubAccountName: 'hub', 'Tag:team': 'checkout', 'Tag:costcenter': '' }, '10')], rules);
    expect(tagged.entries[0].costCenter).toBe(costCenter('{"team":"checkout"}', MAPPINGS));
  });
});

describe('CB.COSTCENTER over a column and with a dimension', () => {
  it('gives the engine\'s answer for every row of a column, in its shape', () => {
    const column = [['team-a-prod'], ['{"team":"checkout"}'], ['sandbox-42'], ['hub']];
    expect(costCenters(column, MAPPINGS)).toEqual([['CC-A'], ['CC-SHOP'], ['sandbox-42'], ['CC-PLATFORM']]);
  });

  it('tries only the named dimension\'s mappings, the cell being its value', () => {
    // as a SubAccountName, "checkout" is not a team-a* account: the catch-all row sends it to CC-PLATFORM
    expect(costCenter('checkout', MAPPINGS, 'SubAccountName')).toBe('CC-PLATFORM');
    // as the value of Tag:team it is CC-SHOP, as the engine maps a line tagged team=checkout
    expect(costCenter('checkout', MAPPINGS, 'tag:TEAM')).toBe('CC-SHOP');
    expect(costCenter('{" Team ":"checkout"}', MAPPINGS, 'Tag:team')).toBe('CC-SHOP');
    expectFormulaError(() => costCenter('x', MAPPINGS, 'Subscription'), 'invalidValue', /dimension "Subscription" is not a FOCUS column/);
    const [[answer]] = costCenters([['search']], MAPPINGS, 'Tag:team');
    expect(answer).toBeInstanceOf(FormulaError);
    expect((answer as FormulaError).message).toMatch(/no mapping matches "search" \(1 Tag:team mapping tried\)/);
  });

  it('reads an edited Mappings range afresh, not the cached one', () => {
    const edited = MAPPINGS.map((row) => [...row]);
    expect(costCenter('team-a-1', edited)).toBe('CC-A');
    edited[1][2] = 'CC-NEW'; // the same array, changed in place as a re-read range would be
    expect(costCenter('team-a-1', edited.map((row) => [...row]))).toBe('CC-NEW');
  });
});
